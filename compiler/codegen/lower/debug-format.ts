// `dbg(x)`: one line `[file:line] <x's source text> = <x in Debug form>` on standard error.
//
// The Debug form is the Display form with String and char parts quoted and escaped the way karac
// renders them (Rust's `{:?}` spelling): `"a\"b\n"`, `'\''`, `'\u{1b}'`. Backslash, the quote of
// its own kind, `\t` `\r` `\n` `\0` take their short escapes; other C0 and C1 control characters
// and DEL are written `\u{hex}`; every other character is copied as is (Rust also escapes a few
// rarer non-printing code points, such as unassigned ones and combining marks at the start, which
// this does not).
//
// Inside a `par` branch or a spawned task the line is tagged with the task's number, as karac
// tags it: `[task:N file:line] …`. A source `par` numbers its branches at entry in source order
// (codegen/lower/concurrency.ts), a spawn takes the next number when it is spawned, and code
// outside any of them (main, and what it calls) is untagged. Tasks an automatic rewrite creates
// keep the number of the code they came from.
//
// Not matched: karac writes a `dbg` line straight to stderr, so lines of sibling branches may
// interleave; here the line joins the branch's other captured output, replayed at the join in
// source order like `eprintln`.

import type { TExpr } from "../../tir/nodes.js";
import type { Gen } from "../context.js";
import { i32, MEM, none, type Ref } from "../ir.js";
import { TASK } from "../../abi.js";
import { HDR } from "../layout.js";
import { G } from "../runtime/names.js";
import { STR } from "../runtime/strings.js";
import { RTT } from "../runtime/tasks.js";
import type { Lowerer } from "./lowerer.js";
import { debugFormatting, fmtValue } from "./typeops.js";

type BuiltinExpr = TExpr & { kind: "builtin" };

const QUOTE = 34;
const APOSTROPHE = 39;
const BACKSLASH = 92;

export function lowerDbg(fl: Lowerer, e: BuiltinExpr): Ref {
  const { m, ir, g } = fl;
  const [value, text] = e.args;
  const source = text?.kind === "string" ? text.value : "<expr>";
  const head = `${g.fileNameAt(e.span.offset)}:${e.span.line}] ${source} = `;
  const sb = fl.tmp(i32);
  const id = fl.tmp(i32);
  const S = () => ir.get(fl.locals, sb);
  const task = () => m.global.get(G.TASK, i32);
  return m.block(null, [
    ir.set(sb, m.call(STR.new, [ir.c32(32)], i32)),
    m.call(STR.pushByte, [S(), ir.c32(91)], none),
    ir.set(id, m.if(task(), ir.load32(task(), TASK.DBG_ID), ir.c32(0))),
    m.if(
      ir.get(fl.locals, id),
      m.block(null, [
        m.call(STR.pushStr, [S(), ir.c32(g.staticString("task:"))], none),
        fmtValue(g, { kind: "int", name: "u32", bits: 32, signed: false }, S(), ir.get(fl.locals, id)),
        m.call(STR.pushByte, [S(), ir.c32(32)], none),
      ]),
    ),
    m.call(STR.pushStr, [S(), ir.c32(g.staticString(head))], none),
    // The unit value has no Display text of its own; karac shows it as `()`.
    value.type.kind === "unit" ? m.block(null, [fl.stmtize(fl.expr(value)), m.call(STR.pushStr, [S(), ir.c32(g.staticString("()"))], none)]) : fmtValue(g, value.type, S(), fl.borrow(value), true),
    m.call(STR.pushByte, [S(), ir.c32(10)], none),
    m.call(RTT.write, [ir.c32(2), ir.load32(S(), HDR.DATA), ir.load32(S(), HDR.LEN)], none),
    m.call(STR.free, [S()], none),
  ]);
}

/**
 * `rt_dbg_escape(sb, cp, quote)`: appends code point `cp` escaped as inside a quoted literal
 * whose delimiter is `quote`; returns 1 when it wrote something, 0 when `cp` needs no escape.
 */
function escapeFn(g: Gen): string {
  const { m, ir } = g;
  return g.define("rt_dbg_escape", [i32, i32, i32], i32, (l) => {
    const [sb, cp, quote] = [0, 1, 2];
    const C = () => ir.get(l, cp);
    // Binaryen expression refs are numbers too, so constants get their own helper.
    const push = (x: Ref) => m.call(STR.pushByte, [ir.get(l, sb), x], none);
    const pushCode = (c: number) => push(ir.c32(c));
    const short = (c: number, letter: string) =>
      m.if(m.i32.eq(C(), ir.c32(c)), m.block(null, [pushCode(BACKSLASH), pushCode(letter.charCodeAt(0)), m.return(ir.c32(1))]));
    const hexDigit = (d: () => Ref) => m.select(m.i32.lt_u(d(), ir.c32(10)), m.i32.add(d(), ir.c32(48)), m.i32.add(d(), ir.c32(87)));
    const control = m.i32.or(m.i32.lt_u(C(), ir.c32(0x20)), m.i32.le_u(m.i32.sub(C(), ir.c32(0x7f)), ir.c32(0x9f - 0x7f)));
    return [
      m.if(
        m.i32.or(m.i32.eq(C(), ir.get(l, quote)), m.i32.eq(C(), ir.c32(BACKSLASH))),
        m.block(null, [pushCode(BACKSLASH), push(C()), m.return(ir.c32(1))]),
      ),
      short(9, "t"),
      short(13, "r"),
      short(10, "n"),
      short(0, "0"),
      m.if(
        control,
        m.block(null, [
          pushCode(BACKSLASH),
          pushCode("u".charCodeAt(0)),
          pushCode("{".charCodeAt(0)),
          m.if(m.i32.ge_u(C(), ir.c32(16)), push(hexDigit(() => m.i32.shr_u(C(), ir.c32(4))))),
          push(hexDigit(() => m.i32.and(C(), ir.c32(15)))),
          pushCode("}".charCodeAt(0)),
          m.return(ir.c32(1)),
        ]),
      ),
      m.return(ir.c32(0)),
    ];
  });
}

function debugStr(g: Gen): string {
  const { m, ir } = g;
  const escape = escapeFn(g);
  return g.define("rt_dbg_push_str", [i32, i32], none, (l) => {
    const [sb, s] = [0, 1];
    const i = l.add(i32);
    const b = l.add(i32);
    const data = () => ir.load32(ir.get(l, s), HDR.DATA);
    const byteAt = (k: Ref) => m.i32.load8_u(0, 1, m.i32.add(data(), k), MEM);
    const next = () => m.i32.add(ir.get(l, i), ir.c32(1));
    const push = (x: Ref) => m.call(STR.pushByte, [ir.get(l, sb), x], none);
    return [
      push(ir.c32(QUOTE)),
      m.loop(
        "bytes",
        m.if(
          m.i32.lt_u(ir.get(l, i), ir.load32(ir.get(l, s), HDR.LEN)),
          m.block(null, [
            ir.set(b, byteAt(ir.get(l, i))),
            // A C1 control character is the two bytes C2 80..C2 9F.
            m.if(
              m.i32.and(
                m.i32.eq(ir.get(l, b), ir.c32(0xc2)),
                m.i32.and(m.i32.lt_u(next(), ir.load32(ir.get(l, s), HDR.LEN)), m.i32.le_u(m.i32.sub(byteAt(next()), ir.c32(0x80)), ir.c32(0x1f))),
              ),
              m.block(null, [
                m.drop(m.call(escape, [ir.get(l, sb), byteAt(next()), ir.c32(QUOTE)], i32)),
                ir.set(i, m.i32.add(ir.get(l, i), ir.c32(2))),
                m.br("bytes"),
              ]),
            ),
            // Other bytes of multi-byte characters are copied as they are.
            m.if(
              m.i32.ge_u(ir.get(l, b), ir.c32(0x80)),
              push(ir.get(l, b)),
              m.if(m.i32.eqz(m.call(escape, [ir.get(l, sb), ir.get(l, b), ir.c32(QUOTE)], i32)), push(ir.get(l, b))),
            ),
            ir.set(i, next()),
            m.br("bytes"),
          ]),
        ),
      ),
      push(ir.c32(QUOTE)),
    ];
  });
}

function debugChar(g: Gen): string {
  const { m, ir } = g;
  const escape = escapeFn(g);
  return g.define("rt_dbg_push_char", [i32, i32], none, (l) => {
    const [sb, c] = [0, 1];
    const push = (x: Ref) => m.call(STR.pushByte, [ir.get(l, sb), x], none);
    return [
      push(ir.c32(APOSTROPHE)),
      m.if(m.i32.eqz(m.call(escape, [ir.get(l, sb), ir.get(l, c), ir.c32(APOSTROPHE)], i32)), m.call(STR.pushChar, [ir.get(l, sb), ir.get(l, c)], none)),
      push(ir.c32(APOSTROPHE)),
    ];
  });
}

debugFormatting.str = debugStr;
debugFormatting.char = debugChar;

// String and char builtins for text-processing programs (F14.3, F14.4): split / split_whitespace /
// lines, find / rfind, split_once / rsplit_once, replace, trim_start / trim_end, strip_prefix /
// strip_suffix, substring, char_at, the ASCII case copies and
// the char classification helpers. Offsets are byte offsets (i64), as in Kāra. Case mapping
// (runtime/unicase.ts) and the char predicates (runtime/unicode-props.ts) follow Unicode, as
// karac's do; the is_ascii_* forms test ASCII only.

import type { TExpr, Type } from "../../tir/nodes.js";
import type { Gen } from "../context.js";
import { i32, i64 as i64w, none, MEM, type Locals, type Ref } from "../ir.js";
import { HDR } from "../layout.js";
import { STR } from "../runtime/strings.js";
import { VEC } from "../runtime/vec.js";
import { ALLOC } from "../runtime/alloc.js";
import { makeVariant, variantIndex } from "./variants.js";
import { CodegenError } from "./errors.js";
import type { Lowerer } from "./lowerer.js";
import { recv } from "./receiver.js";
import { charCaseFn, stringCaseFn } from "../runtime/unicase.js";
import { UTF8_INCOMPLETE, utf8ValidateFn } from "../runtime/utf8.js";
import { charPropFn, type CharProp } from "../runtime/unicode-props.js";

type BuiltinExpr = Extract<TExpr, { kind: "builtin" }>;


const D = (g: Gen, l: Locals, s: number) => g.ir.load32(g.ir.get(l, s), HDR.DATA);
const N = (g: Gen, l: Locals, s: number) => g.ir.load32(g.ir.get(l, s), HDR.LEN);
const byteAt = (g: Gen, p: Ref) => g.m.i32.load8_u(0, 1, p, MEM);

/** rt_str_find_from(s, pat, from) -> byte index of the first match at or after `from`, or -1. */
function findFn(g: Gen): string {
  const { m, ir } = g;
  return g.define("rt_str_find_from", [i32, i32, i32], i32, (l) => {
    const i = l.add(i32);
    return [
      ir.set(i, ir.get(l, 2)),
      m.loop(
        "scan",
        m.if(
          m.i32.le_u(m.i32.add(ir.get(l, i), N(g, l, 1)), N(g, l, 0)),
          m.block(null, [
            m.if(m.i32.eqz(m.call(STR.memcmp, [m.i32.add(D(g, l, 0), ir.get(l, i)), D(g, l, 1), N(g, l, 1)], i32)), m.return(ir.get(l, i))),
            ir.set(i, m.i32.add(ir.get(l, i), ir.c32(1))),
            m.br("scan"),
          ]),
        ),
      ),
      ir.c32(-1),
    ];
  });
}

/** rt_str_rfind(s, pat) -> byte index of the last match, or -1; an empty pattern matches at the end. */
function rfindFn(g: Gen): string {
  const { m, ir } = g;
  return g.define("rt_str_rfind", [i32, i32], i32, (l) => {
    const i = l.add(i32);
    return [
      ir.set(i, m.i32.sub(N(g, l, 0), N(g, l, 1))),
      m.loop(
        "scan",
        m.if(
          m.i32.ge_s(ir.get(l, i), ir.c32(0)),
          m.block(null, [
            m.if(m.i32.eqz(m.call(STR.memcmp, [m.i32.add(D(g, l, 0), ir.get(l, i)), D(g, l, 1), N(g, l, 1)], i32)), m.return(ir.get(l, i))),
            ir.set(i, m.i32.sub(ir.get(l, i), ir.c32(1))),
            m.br("scan"),
          ]),
        ),
      ),
      ir.c32(-1),
    ];
  });
}

/**
 * The scan shared by split and replace: for each occurrence (found with `find`) of the needle
 * (param 1) in the haystack (param 0) from `start` on, while `more` holds, emit the piece before it and then
 * `onMatch`, and continue after it. An empty needle matches nothing. The caller emits the tail
 * piece from `start` to the end.
 */
function eachOccurrence(g: Gen, l: Locals, find: string, start: number, at: number, piece: (from: Ref, to: Ref) => Ref, onMatch: Ref[], more?: Ref): Ref {
  const { m, ir } = g;
  const step = m.block(null, [
    ir.set(at, m.call(find, [ir.get(l, 0), ir.get(l, 1), ir.get(l, start)], i32)),
    m.if(
      m.i32.ge_s(ir.get(l, at), ir.c32(0)),
      m.block(null, [piece(ir.get(l, start), ir.get(l, at)), ...onMatch, ir.set(start, m.i32.add(ir.get(l, at), N(g, l, 1))), m.br("parts")]),
    ),
  ]);
  return m.if(N(g, l, 1), m.loop("parts", more ? m.if(more, step) : step));
}

/** rt_str_split(s, sep) -> Vec[String]; an empty separator yields the whole string. */
function splitFn(g: Gen): string {
  const { m, ir } = g;
  const find = findFn(g);
  return g.define("rt_str_split", [i32, i32], i32, (l) => {
    const [v, start, at] = [l.add(i32), l.add(i32), l.add(i32)];
    const piece = (from: Ref, to: Ref) => ir.store32(m.call(VEC.pushSlot, [ir.get(l, v), ir.c32(4)], i32), m.call(STR.from, [m.i32.add(D(g, l, 0), from), m.i32.sub(to, from)], i32));
    return [
      ir.set(v, m.call(VEC.new, [ir.c32(0), ir.c32(4)], i32)),
      eachOccurrence(g, l, find, start, at, piece, []),
      piece(ir.get(l, start), N(g, l, 0)),
      ir.get(l, v),
    ];
  });
}

/** rt_str_words(s) -> Vec[String] of the runs between ASCII whitespace. */
function wordsFn(g: Gen): string {
  const { m, ir } = g;
  return g.define("rt_str_words", [i32], i32, (l) => {
    const [v, i, start] = [l.add(i32), l.add(i32), l.add(i32)];
    const space = () => m.call("rt_is_ascii_space", [byteAt(g, m.i32.add(D(g, l, 0), ir.get(l, i)))], i32);
    const inc = () => ir.set(i, m.i32.add(ir.get(l, i), ir.c32(1)));
    return [
      ir.set(v, m.call(VEC.new, [ir.c32(0), ir.c32(4)], i32)),
      m.loop(
        "words",
        m.block(null, [
          m.loop("skip", m.if(m.i32.lt_u(ir.get(l, i), N(g, l, 0)), m.if(space(), m.block(null, [inc(), m.br("skip")])))),
          m.if(
            m.i32.lt_u(ir.get(l, i), N(g, l, 0)),
            m.block(null, [
              ir.set(start, ir.get(l, i)),
              m.loop("word", m.if(m.i32.lt_u(ir.get(l, i), N(g, l, 0)), m.if(m.i32.eqz(space()), m.block(null, [inc(), m.br("word")])))),
              ir.store32(
                m.call(VEC.pushSlot, [ir.get(l, v), ir.c32(4)], i32),
                m.call(STR.from, [m.i32.add(D(g, l, 0), ir.get(l, start)), m.i32.sub(ir.get(l, i), ir.get(l, start))], i32),
              ),
              m.br("words"),
            ]),
          ),
        ]),
      ),
      ir.get(l, v),
    ];
  });
}

/** rt_str_lines(s) -> Vec[String]: split at '\n', drop one '\r' before it, no final empty line. */
function linesFn(g: Gen): string {
  const { m, ir } = g;
  return g.define("rt_str_lines", [i32], i32, (l) => {
    const [v, i, start, end] = [l.add(i32), l.add(i32), l.add(i32), l.add(i32)];
    const at = (k: Ref) => byteAt(g, m.i32.add(D(g, l, 0), k));
    return [
      ir.set(v, m.call(VEC.new, [ir.c32(0), ir.c32(4)], i32)),
      m.loop(
        "lines",
        m.if(
          m.i32.lt_u(ir.get(l, start), N(g, l, 0)),
          m.block(null, [
            ir.set(i, ir.get(l, start)),
            m.loop("line", m.if(m.i32.lt_u(ir.get(l, i), N(g, l, 0)), m.if(m.i32.ne(at(ir.get(l, i)), ir.c32(10)), m.block(null, [ir.set(i, m.i32.add(ir.get(l, i), ir.c32(1))), m.br("line")])))),
            ir.set(end, ir.get(l, i)),
            m.if(
              m.i32.and(m.i32.gt_u(ir.get(l, end), ir.get(l, start)), m.i32.eq(at(m.i32.sub(ir.get(l, end), ir.c32(1))), ir.c32(13))),
              ir.set(end, m.i32.sub(ir.get(l, end), ir.c32(1))),
            ),
            ir.store32(
              m.call(VEC.pushSlot, [ir.get(l, v), ir.c32(4)], i32),
              m.call(STR.from, [m.i32.add(D(g, l, 0), ir.get(l, start)), m.i32.sub(ir.get(l, end), ir.get(l, start))], i32),
            ),
            ir.set(start, m.i32.add(ir.get(l, i), ir.c32(1))),
            m.br("lines"),
          ]),
        ),
      ),
      ir.get(l, v),
    ];
  });
}

/** rt_str_replace(s, from, to) -> a new String; an empty `from` leaves s unchanged. */
function replaceFn(g: Gen): string {
  const { m, ir } = g;
  const replacen = replacenFn(g);
  return g.define("rt_str_replace", [i32, i32, i32], i32, (l) => [
    m.call(replacen, [ir.get(l, 0), ir.get(l, 1), ir.get(l, 2), ir.c64(0x7fffffffffffffffn)], i32),
  ]);
}

/** rt_str_replacen(s, from, to, n: i64): like rt_str_replace, but only the first `n` matches. */
function replacenFn(g: Gen): string {
  const { m, ir } = g;
  const find = findFn(g);
  return g.define("rt_str_replacen", [i32, i32, i32, i64w], i32, (l) => {
    const [r, start, at] = [l.add(i32), l.add(i32), l.add(i32)];
    const copy = (from: Ref, to: Ref) => m.call(STR.pushBytes, [ir.get(l, r), m.i32.add(D(g, l, 0), from), m.i32.sub(to, from)], none);
    return [
      ir.set(r, m.call(STR.new, [N(g, l, 0)], i32)),
      eachOccurrence(
        g,
        l,
        find,
        start,
        at,
        copy,
        [m.call(STR.pushStr, [ir.get(l, r), ir.get(l, 2)], none), ir.set(3, m.i64.sub(ir.get(l, 3), g.ir.c64(1)))],
        m.i64.gt_s(ir.get(l, 3), g.ir.c64(0)),
      ),
      copy(ir.get(l, start), N(g, l, 0)),
      ir.get(l, r),
    ];
  });
}

/** rt_str_trim_side(s, which): 1 = start, 2 = end. */
function trimSideFn(g: Gen): string {
  const { m, ir } = g;
  return g.define("rt_str_trim_side", [i32, i32], i32, (l) => {
    const [a, b] = [l.add(i32), l.add(i32)];
    const sp = (k: Ref) => m.call("rt_is_ascii_space", [byteAt(g, m.i32.add(D(g, l, 0), k))], i32);
    return [
      ir.set(b, N(g, l, 0)),
      m.if(
        m.i32.eq(ir.get(l, 1), ir.c32(1)),
        m.loop("lead", m.if(m.i32.lt_u(ir.get(l, a), ir.get(l, b)), m.if(sp(ir.get(l, a)), m.block(null, [ir.set(a, m.i32.add(ir.get(l, a), ir.c32(1))), m.br("lead")])))),
        m.loop("trail", m.if(m.i32.gt_u(ir.get(l, b), ir.get(l, a)), m.if(sp(m.i32.sub(ir.get(l, b), ir.c32(1))), m.block(null, [ir.set(b, m.i32.sub(ir.get(l, b), ir.c32(1))), m.br("trail")])))),
      ),
      m.call(STR.from, [m.i32.add(D(g, l, 0), ir.get(l, a)), m.i32.sub(ir.get(l, b), ir.get(l, a))], i32),
    ];
  });
}

/** rt_str_char_at(s, n: i64) -> the n-th char, or -1. */
function charAtFn(g: Gen): string {
  const { m, ir } = g;
  return g.define("rt_str_char_at", [i32, i64w], i32, (l) => {
    const [i, k, b] = [l.add(i32), l.add(i64w), l.add(i32)];
    const at = (off: number) => byteAt(g, m.i32.add(D(g, l, 0), m.i32.add(ir.get(l, i), ir.c32(off))));
    const cont = (off: number) => m.i32.and(at(off), ir.c32(0x3f));
    return [
      m.if(m.i64.lt_s(ir.get(l, 1), ir.c64(0)), m.return(ir.c32(-1))),
      m.loop(
        "scan",
        m.if(
          m.i32.lt_u(ir.get(l, i), N(g, l, 0)),
          m.block(null, [
            ir.set(b, at(0)),
            m.if(
              m.i64.eq(ir.get(l, k), ir.get(l, 1)),
              m.return(
                m.if(
                  m.i32.lt_u(ir.get(l, b), ir.c32(0x80)),
                  ir.get(l, b),
                  m.if(
                    m.i32.lt_u(ir.get(l, b), ir.c32(0xe0)),
                    m.i32.or(m.i32.shl(m.i32.and(ir.get(l, b), ir.c32(0x1f)), ir.c32(6)), cont(1)),
                    m.if(
                      m.i32.lt_u(ir.get(l, b), ir.c32(0xf0)),
                      m.i32.or(m.i32.or(m.i32.shl(m.i32.and(ir.get(l, b), ir.c32(0x0f)), ir.c32(12)), m.i32.shl(cont(1), ir.c32(6))), cont(2)),
                      m.i32.or(m.i32.or(m.i32.shl(m.i32.and(ir.get(l, b), ir.c32(0x07)), ir.c32(18)), m.i32.shl(cont(1), ir.c32(12))), m.i32.or(m.i32.shl(cont(2), ir.c32(6)), cont(3))),
                    ),
                  ),
                ),
              ),
            ),
            ir.set(k, m.i64.add(ir.get(l, k), ir.c64(1))),
            ir.set(i, m.i32.add(ir.get(l, i), m.if(m.i32.lt_u(ir.get(l, b), ir.c32(0x80)), ir.c32(1), m.if(m.i32.lt_u(ir.get(l, b), ir.c32(0xe0)), ir.c32(2), m.if(m.i32.lt_u(ir.get(l, b), ir.c32(0xf0)), ir.c32(3), ir.c32(4)))))),
            m.br("scan"),
          ]),
        ),
      ),
      ir.c32(-1),
    ];
  });
}


/** A String holding the char or String argument: `owned` tells whether the caller must free it. */
function patternArg(fl: Lowerer, e: TExpr): { ref: Ref; owned: boolean } {
  const { m, ir } = fl;
  if (e.type.kind === "char") {
    const s = fl.tmp(i32);
    return { ref: m.block(null, [ir.set(s, m.call(STR.new, [ir.c32(4)], i32)), m.call(STR.pushChar, [ir.get(fl.locals, s), fl.expr(e)], none), ir.get(fl.locals, s)], i32), owned: true };
  }
  return { ref: fl.borrow(e), owned: false };
}

/** A new (String, String) tuple of the string in local s: its bytes before the separator in local p found at local at, and those after it. */
function splitPair(fl: Lowerer, e: BuiltinExpr, s: number, p: number, at: number): Ref {
  const { m, ir, g } = fl;
  const some = e.type.kind === "enum" ? g.layouts.variantLayouts(e.type.name)[variantIndex(fl, e.type, "Some")]?.fields[0]?.type : undefined;
  if (!some || some.kind !== "tuple") throw new CodegenError("split_once without its Option[(String, String)] type", e.span);
  const lay = g.layouts.tupleLayout(some.elems);
  const [t, after] = [fl.tmp(i32), fl.tmp(i32)];
  const get = (x: number) => ir.get(fl.locals, x);
  return m.block(
    null,
    [
      ir.set(after, m.i32.add(get(at), ir.load32(get(p), HDR.LEN))),
      ir.set(t, m.call(ALLOC, [ir.c32(lay.size)], i32)),
      ir.store32(get(t), m.call(STR.from, [ir.load32(get(s), HDR.DATA), get(at)], i32), lay.fields[0].offset),
      ir.store32(get(t), m.call(STR.from, [m.i32.add(ir.load32(get(s), HDR.DATA), get(after)), m.i32.sub(ir.load32(get(s), HDR.LEN), get(after))], i32), lay.fields[1].offset),
      get(t),
    ],
    i32,
  );
}

export function lowerStringOp(fl: Lowerer, e: BuiltinExpr): Ref | undefined {
  const { m, ir, g } = fl;
  const lo = fl.locals;
  const c = () => recv(fl, e.receiver);
  const inRange = (x: Ref, a: number, b: number) => m.i32.le_u(m.i32.sub(x, ir.c32(a)), ir.c32(b - a));
  const withChar = (f: (ch: () => Ref) => Ref): Ref => {
    const t = fl.tmp(i32);
    return m.block(null, [ir.set(t, c()), f(() => ir.get(lo, t))], i32);
  };
  switch (e.op) {
    case "string.split":
    case "string.find": {
      const s = fl.tmp(i32);
      const p = fl.tmp(i32);
      const r = fl.tmp(i32);
      const pat = patternArg(fl, e.args[0]);
      const body =
        e.op === "string.split"
          ? ir.set(r, m.call(splitFn(g), [ir.get(lo, s), ir.get(lo, p)], i32))
          : ir.set(r, m.call(findFn(g), [ir.get(lo, s), ir.get(lo, p), ir.c32(0)], i32));
      const result =
        e.op === "string.split"
          ? ir.get(lo, r)
          : m.if(m.i32.ge_s(ir.get(lo, r), ir.c32(0)), makeVariant(fl, e.type, "Some", m.i64.extend_u(ir.get(lo, r))), makeVariant(fl, e.type, "None"));
      return m.block(null, [ir.set(s, c()), ir.set(p, pat.ref), body, pat.owned ? m.call(STR.free, [ir.get(lo, p)], none) : m.nop(), result], i32);
    }
    case "string.rfind":
    case "string.split_once":
    case "string.rsplit_once": {
      const [s, p, r] = [fl.tmp(i32), fl.tmp(i32), fl.tmp(i32)];
      const get = (x: number) => ir.get(lo, x);
      const pat = patternArg(fl, e.args[0]);
      const at =
        e.op === "string.split_once" ? m.call(findFn(g), [get(s), get(p), ir.c32(0)], i32) : m.call(rfindFn(g), [get(s), get(p)], i32);
      const found = e.op === "string.rfind" ? m.i64.extend_u(get(r)) : splitPair(fl, e, s, p, r);
      return m.block(
        null,
        [
          ir.set(s, c()),
          ir.set(p, pat.ref),
          ir.set(r, at),
          // The pair's second part starts after the separator, so it is built before the separator is freed.
          ir.set(r, m.if(m.i32.ge_s(get(r), ir.c32(0)), makeVariant(fl, e.type, "Some", found), makeVariant(fl, e.type, "None"))),
          pat.owned ? m.call(STR.free, [get(p)], none) : m.nop(),
          get(r),
        ],
        i32,
      );
    }
    case "string.to_ascii_uppercase":
    case "string.to_ascii_lowercase":
      return m.call(e.op === "string.to_ascii_uppercase" ? "rt_string_to_uppercase" : "rt_string_to_lowercase", [c()], i32);
    case "string.bytes": {
      // Each byte in a u8 element slot (whatever width the layout gives u8).
      const u8: Type = { kind: "int", name: "u8", bits: 8, signed: false };
      const slot = fl.L.elem(u8);
      const es = slot.bytes;
      const s = fl.tmp(i32);
      const v = fl.tmp(i32);
      const i = fl.tmp(i32);
      const S = () => ir.get(lo, s);
      const top = fl.label("bytes");
      return m.block(
        null,
        [
          ir.set(s, c()),
          ir.set(v, m.call(VEC.new, [ir.load32(S(), HDR.LEN), ir.c32(es)], i32)),
          ir.set(i, ir.c32(0)),
          m.loop(
            top,
            m.if(
              m.i32.lt_u(ir.get(lo, i), ir.load32(S(), HDR.LEN)),
              m.block(null, [
                ir.storeSlot(slot, m.call(VEC.pushSlot, [ir.get(lo, v), ir.c32(es)], i32), byteAt(g, m.i32.add(ir.load32(S(), HDR.DATA), ir.get(lo, i)))),
                ir.set(i, m.i32.add(ir.get(lo, i), ir.c32(1))),
                m.br(top),
              ]),
            ),
          ),
          ir.get(lo, v),
        ],
        i32,
      );
    }
    case "string.split_whitespace":
      return m.call(wordsFn(g), [c()], i32);
    case "string.lines":
      return m.call(linesFn(g), [c()], i32);
    case "string.replace": {
      const s = fl.tmp(i32);
      const a = fl.tmp(i32);
      return m.block(null, [ir.set(s, c()), ir.set(a, fl.borrow(e.args[0])), m.call(replaceFn(g), [ir.get(lo, s), ir.get(lo, a), fl.borrow(e.args[1])], i32)], i32);
    }
    case "string.replacen": {
      const s = fl.tmp(i32);
      const a = fl.tmp(i32);
      const b = fl.tmp(i32);
      return m.block(null, [ir.set(s, c()), ir.set(a, fl.borrow(e.args[0])), ir.set(b, fl.borrow(e.args[1])), m.call(replacenFn(g), [ir.get(lo, s), ir.get(lo, a), ir.get(lo, b), fl.expr(e.args[2])], i32)], i32);
    }
    case "string.trim_start":
    case "string.trim_end":
      return m.call(trimSideFn(g), [c(), ir.c32(e.op === "string.trim_start" ? 1 : 2)], i32);
    case "string.strip_prefix":
    case "string.strip_suffix": {
      const s = fl.tmp(i32);
      const p = fl.tmp(i32);
      const pre = e.op === "string.strip_prefix";
      const S = () => ir.get(lo, s);
      const P = () => ir.get(lo, p);
      const rest = pre
        ? m.call(STR.from, [m.i32.add(ir.load32(S(), HDR.DATA), ir.load32(P(), HDR.LEN)), m.i32.sub(ir.load32(S(), HDR.LEN), ir.load32(P(), HDR.LEN))], i32)
        : m.call(STR.from, [ir.load32(S(), HDR.DATA), m.i32.sub(ir.load32(S(), HDR.LEN), ir.load32(P(), HDR.LEN))], i32);
      return m.block(
        null,
        [
          ir.set(s, c()),
          ir.set(p, fl.borrow(e.args[0])),
          m.if(m.call(pre ? "rt_string_starts_with" : "rt_string_ends_with", [S(), P()], i32), makeVariant(fl, e.type, "Some", rest), makeVariant(fl, e.type, "None")),
        ],
        i32,
      );
    }
    case "string.substring":
    case "string.slice": {
      // karac's bounds saturate: a start outside 0..=len gives "", and the end is clamped into
      // start..=len. The copy still panics when a bound splits a character (rt_str_sub).
      const [s, a, z, n] = [fl.tmp(i32), fl.tmp(i64w), fl.tmp(i64w), fl.tmp(i64w)];
      const get = (x: number) => ir.get(lo, x);
      return m.block(
        null,
        [
          ir.set(s, c()),
          ir.set(a, fl.expr(e.args[0])),
          ir.set(z, fl.expr(e.args[1])),
          ir.set(n, m.i64.extend_u(ir.load32(get(s), HDR.LEN))),
          m.if(
            m.i32.or(m.i64.lt_s(get(a), ir.c64(0)), m.i64.gt_s(get(a), get(n))),
            m.block(null, [ir.set(a, ir.c64(0)), ir.set(z, ir.c64(0))]),
            m.block(null, [
              m.if(m.i64.gt_s(get(z), get(n)), ir.set(z, get(n))),
              m.if(m.i64.lt_s(get(z), get(a)), ir.set(z, get(a))),
            ]),
          ),
          m.call("rt_str_sub", [get(s), m.i32.wrap(get(a)), m.i32.wrap(get(z)), fl.site(e.span)], i32),
        ],
        i32,
      );
    }
    case "string.char_at": {
      const r = fl.tmp(i32);
      return m.block(
        null,
        [ir.set(r, m.call(charAtFn(g), [c(), fl.toI64(e.args[0])], i32)), m.if(m.i32.ge_s(ir.get(lo, r), ir.c32(0)), makeVariant(fl, e.type, "Some", ir.get(lo, r)), makeVariant(fl, e.type, "None"))],
        i32,
      );
    }
    case "char.is_alphanumeric":
      return withChar((ch) => m.i32.or(m.call(charPropFn(fl.g, "alphabetic"), [ch()], i32), m.call(charPropFn(fl.g, "numeric"), [ch()], i32)));
    case "char.is_alphabetic":
    case "char.is_numeric":
    case "char.is_uppercase":
    case "char.is_lowercase":
    case "char.is_whitespace":
      return m.call(charPropFn(fl.g, e.op.slice("char.is_".length) as CharProp), [c()], i32);
    case "char.is_ascii_digit":
      return inRange(c(), 48, 57);
    case "char.is_ascii":
      return m.i32.lt_u(c(), ir.c32(128));
    case "char.is_ascii_alphabetic":
      return inRange(m.i32.or(c(), ir.c32(32)), 97, 122);
    case "char.to_ascii_uppercase":
      return withChar((ch) => m.select(inRange(ch(), 97, 122), m.i32.sub(ch(), ir.c32(32)), ch()));
    case "char.to_ascii_lowercase":
      return withChar((ch) => m.select(inRange(ch(), 65, 90), m.i32.add(ch(), ir.c32(32)), ch()));
    case "char.to_uppercase":
    case "char.to_lowercase":
      return m.call(charCaseFn(fl.g, e.op === "char.to_uppercase" ? "upper" : "lower"), [c()], i32);
    case "string.from_utf8": {
      const h = fl.tmp(i32);
      const st = fl.tmp(i32);
      const H = () => ir.get(lo, h);
      const errTy = e.type.kind === "enum" ? fl.g.layouts.variantLayouts(e.type.name)[1].fields[0]?.type : undefined;
      if (!errTy) throw new CodegenError("String.from_utf8 without its Result type", e.span);
      const err = (name: string) => makeVariant(fl, e.type, "Err", makeVariant(fl, errTy, name));
      return m.block(null, [
        ir.set(h, fl.borrow(e.args[0])),
        ir.set(st, m.call(utf8ValidateFn(fl.g), [ir.load32(H(), HDR.DATA), ir.load32(H(), HDR.LEN)], i32)),
        m.if(
          m.i32.eqz(ir.get(lo, st)),
          makeVariant(fl, e.type, "Ok", m.call(STR.from, [ir.load32(H(), HDR.DATA), ir.load32(H(), HDR.LEN)], i32)),
          m.if(m.i32.eq(ir.get(lo, st), ir.c32(UTF8_INCOMPLETE)), err("IncompleteSequence"), err("InvalidByte")),
        ),
      ], i32);
    }
    case "string.to_uppercase":
    case "string.to_lowercase":
      return m.call(stringCaseFn(fl.g, e.op === "string.to_uppercase" ? "upper" : "lower"), [recv(fl, e.receiver)], i32);
    case "char.try_from": {
      const n = fl.tmp(i64w);
      const N64 = () => ir.get(lo, n);
      // Err carries the argument unchanged, at its own width (i32 in wasm for narrow ints).
      const errPayload = fl.L.wasm(e.args[0].type) === i64w ? N64() : m.i32.wrap(N64());
      const ok = m.i32.and(m.i64.le_u(N64(), ir.c64(0x10ffff)), m.i32.or(m.i64.lt_u(N64(), ir.c64(0xd800)), m.i64.gt_u(N64(), ir.c64(0xdfff))));
      return m.block(null, [ir.set(n, fl.toI64(e.args[0])), m.if(ok, makeVariant(fl, e.type, "Ok", m.i32.wrap(N64())), makeVariant(fl, e.type, "Err", errPayload))], i32);
    }
  }
  return undefined;
}

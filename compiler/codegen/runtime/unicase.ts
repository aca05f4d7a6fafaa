// Unicode case mapping for `char.to_uppercase` / `to_lowercase` and the String forms, generated on
// first use. The tables come from the host's own Unicode data (String.prototype.toUpperCase /
// toLowerCase, run once per code point at compile time) and go into the module's static data:
//  - simple tables: sorted (from, to) pairs for code points that map to exactly one code point;
//    a char maps through these only (karac: a char whose mapping expands stays unchanged);
//  - multi tables: code points whose full mapping is 2 or 3 code points (`ß` -> `SS`), used by
//    the String forms, which apply the full mapping.
// Each code point is stored as three 7-bit bytes, so the table is plain ASCII text in the data
// segment. String lowercasing maps a capital sigma to the final form `ς` at the end of a word.

import type { Gen } from "../context.js";
import { i32, none, MEM, type Ref } from "../ir.js";
import { HDR } from "../layout.js";
import { STR } from "./strings.js";

interface CaseTables {
  simple: number[][]; // [from, to], sorted by from
  multi: number[][]; // [from, c1, c2, c3 (0 = none)], sorted by from
}

let cache: { upper: CaseTables; lower: CaseTables } | undefined;

function build(): { upper: CaseTables; lower: CaseTables } {
  if (cache) return cache;
  const upper: CaseTables = { simple: [], multi: [] };
  const lower: CaseTables = { simple: [], multi: [] };
  for (let cp = 0x80; cp < 0x20000; cp++) {
    if (cp >= 0xd800 && cp <= 0xdfff) continue;
    const ch = String.fromCodePoint(cp);
    for (const [t, mapped] of [
      [upper, ch.toUpperCase()],
      [lower, ch.toLowerCase()],
    ] as const) {
      if (mapped === ch) continue;
      const cps = [...mapped].map((c) => c.codePointAt(0)!);
      if (cps.length === 1) t.simple.push([cp, cps[0]]);
      else t.multi.push([cp, cps[0], cps[1] ?? 0, cps[2] ?? 0]);
    }
  }
  cache = { upper, lower };
  return cache;
}

function encode(rows: number[][]): string {
  let s = "";
  for (const row of rows) for (const v of row) s += String.fromCharCode(v & 0x7f, (v >> 7) & 0x7f, (v >> 14) & 0x7f);
  return s;
}

/** Address and entry count of a table in static data. */
function table(g: Gen, rows: number[][]): { ptr: number; count: number } {
  return { ptr: g.bytes(encode(rows)).ptr, count: rows.length };
}

/** uc_find(table, count, stride, cp) -> address of the entry for cp, or 0 (binary search). */
function findFn(g: Gen): string {
  const { m, ir } = g;
  return g.define("uc_find", [i32, i32, i32, i32], i32, (l) => {
    const [base, count, stride, cp] = [0, 1, 2, 3];
    const lo = l.add(i32);
    const hi = l.add(i32);
    const mid = l.add(i32);
    const at = l.add(i32);
    const v = l.add(i32);
    return [
      ir.set(lo, ir.c32(0)),
      ir.set(hi, ir.get(l, count)),
      m.loop(
        "search",
        m.if(
          m.i32.lt_u(ir.get(l, lo), ir.get(l, hi)),
          m.block(null, [
            ir.set(mid, m.i32.shr_u(m.i32.add(ir.get(l, lo), ir.get(l, hi)), ir.c32(1))),
            ir.set(at, m.i32.add(ir.get(l, base), m.i32.mul(ir.get(l, mid), ir.get(l, stride)))),
            ir.set(v, read21(g, () => ir.get(l, at))),
            m.if(m.i32.eq(ir.get(l, v), ir.get(l, cp)), m.return(ir.get(l, at))),
            m.if(m.i32.lt_u(ir.get(l, v), ir.get(l, cp)), ir.set(lo, m.i32.add(ir.get(l, mid), ir.c32(1))), ir.set(hi, ir.get(l, mid))),
            m.br("search"),
          ]),
        ),
      ),
      ir.c32(0),
    ];
  });
}

/** The 21-bit code point stored at addr (three 7-bit bytes). */
function read21(g: Gen, addr: () => Ref, offset = 0): Ref {
  const { m, ir } = g;
  const b = (k: number) => m.i32.load8_u(offset + k, 1, addr(), MEM);
  return m.i32.or(b(0), m.i32.or(m.i32.shl(b(1), ir.c32(7)), m.i32.shl(b(2), ir.c32(14))));
}

/** uc_char_upper / uc_char_lower (cp) -> the single-code-point mapping of cp, or cp. */
export function charCaseFn(g: Gen, which: "upper" | "lower"): string {
  const { m, ir } = g;
  return g.define(`uc_char_${which}`, [i32], i32, (l) => {
    const at = l.add(i32);
    const cp = () => ir.get(l, 0);
    const t = table(g, build()[which].simple);
    const [alo, ahi, delta] = which === "upper" ? [97, 122, -32] : [65, 90, 32];
    return [
      m.if(
        m.i32.lt_u(cp(), ir.c32(0x80)),
        m.return(m.select(m.i32.and(m.i32.ge_u(cp(), ir.c32(alo)), m.i32.le_u(cp(), ir.c32(ahi))), m.i32.add(cp(), ir.c32(delta)), cp())),
      ),
      ir.set(at, m.call(findFn(g), [ir.c32(t.ptr), ir.c32(t.count), ir.c32(6), cp()], i32)),
      m.if(ir.get(l, at), read21(g, () => ir.get(l, at), 3), cp()),
    ];
  });
}

/** Whether cp has a case mapping either way (cased, for the final-sigma rule). */
function isCasedFn(g: Gen): string {
  const { m, ir } = g;
  return g.define("uc_is_cased", [i32], i32, (l) => {
    const cp = () => ir.get(l, 0);
    const { upper, lower } = build();
    const found = (rows: number[][], stride: number) => {
      const t = table(g, rows);
      return m.i32.ne(m.call(findFn(g), [ir.c32(t.ptr), ir.c32(t.count), ir.c32(stride), cp()], i32), ir.c32(0));
    };
    return [
      m.if(m.i32.lt_u(cp(), ir.c32(0x80)), m.return(m.i32.lt_u(m.i32.sub(m.i32.or(cp(), ir.c32(32)), ir.c32(97)), ir.c32(26)))),
      m.i32.or(m.i32.or(found(upper.simple, 6), found(lower.simple, 6)), m.i32.or(found(upper.multi, 12), found(lower.multi, 12))),
    ];
  });
}

/** rt_str_to_upper_full / rt_str_to_lower_full (s) -> a new String with the full case mapping. */
export function stringCaseFn(g: Gen, which: "upper" | "lower"): string {
  const { m, ir } = g;
  return g.define(`uc_string_${which}`, [i32], i32, (l) => {
    const s = 0;
    const r = l.add(i32);
    const i = l.add(i32);
    const n = l.add(i32);
    const cp = l.add(i32);
    const at = l.add(i32);
    const prevCased = l.add(i32);
    const next = l.add(i32);
    const data = () => ir.load32(ir.get(l, s), HDR.DATA);
    const len = () => ir.load32(ir.get(l, s), HDR.LEN);
    const multi = table(g, build()[which].multi);
    const push = (v: Ref) => m.call(STR.pushChar, [ir.get(l, r), v], none);
    const lead = (p: Ref) => m.i32.load8_u(0, 1, p, MEM);
    const mapped = m.block(null, [
      ir.set(at, m.call(findFn(g), [ir.c32(multi.ptr), ir.c32(multi.count), ir.c32(12), ir.get(l, cp)], i32)),
      m.if(
        ir.get(l, at),
        m.block(null, [
          push(read21(g, () => ir.get(l, at), 3)),
          push(read21(g, () => ir.get(l, at), 6)),
          m.if(read21(g, () => ir.get(l, at), 9), push(read21(g, () => ir.get(l, at), 9))),
        ]),
        push(m.call(charCaseFn(g, which), [ir.get(l, cp)], i32)),
      ),
    ]);
    // Final sigma: a capital sigma after a cased letter and not before one lowercases to ς.
    const sigma =
      which === "lower"
        ? m.if(
            m.i32.and(m.i32.eq(ir.get(l, cp), ir.c32(0x3a3)), ir.get(l, prevCased)),
            m.block(null, [
              ir.set(next, ir.c32(0)),
              m.if(
                m.i32.lt_u(m.i32.add(ir.get(l, i), ir.get(l, n)), len()),
                ir.set(
                  next,
                  m.call(
                    isCasedFn(g),
                    [
                      m.call(
                        "rt_utf8_decode",
                        [
                          m.i32.add(data(), m.i32.add(ir.get(l, i), ir.get(l, n))),
                          m.call("rt_utf8_len", [lead(m.i32.add(data(), m.i32.add(ir.get(l, i), ir.get(l, n))))], i32),
                        ],
                        i32,
                      ),
                    ],
                    i32,
                  ),
                ),
              ),
              m.if(m.i32.eqz(ir.get(l, next)), ir.set(cp, ir.c32(0x3c2 | 0x10000000))),
            ]),
          )
        : m.nop();
    return [
      ir.set(r, m.call(STR.new, [len()], i32)),
      ir.set(i, ir.c32(0)),
      ir.set(prevCased, ir.c32(0)),
      m.loop(
        "chars",
        m.if(
          m.i32.lt_u(ir.get(l, i), len()),
          m.block(null, [
            ir.set(n, m.call("rt_utf8_len", [lead(m.i32.add(data(), ir.get(l, i)))], i32)),
            ir.set(cp, m.call("rt_utf8_decode", [m.i32.add(data(), ir.get(l, i)), ir.get(l, n)], i32)),
            sigma,
            m.if(
              m.i32.and(ir.get(l, cp), ir.c32(0x10000000)),
              push(m.i32.and(ir.get(l, cp), ir.c32(0xfffffff))),
              m.if(m.i32.lt_u(ir.get(l, cp), ir.c32(0x80)), push(m.call(charCaseFn(g, which), [ir.get(l, cp)], i32)), mapped),
            ),
            which === "lower" ? ir.set(prevCased, m.call(isCasedFn(g), [m.i32.and(ir.get(l, cp), ir.c32(0xfffffff))], i32)) : m.nop(),
            ir.set(i, m.i32.add(ir.get(l, i), ir.get(l, n))),
            m.br("chars"),
          ]),
        ),
      ),
      ir.get(l, r),
    ];
  });
}

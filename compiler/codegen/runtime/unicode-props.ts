// Unicode character properties for the char predicates (karac's are Unicode-aware, as Rust's):
// is_alphabetic (Alphabetic), is_numeric (general categories Nd, Nl, No), is_uppercase
// (Uppercase), is_lowercase (Lowercase) and is_whitespace (White_Space). Each table is the sorted
// list of code point ranges having the property, computed once from the host's Unicode data
// (regular-expression property escapes) and stored as ASCII text in the module's static data
// only when a program uses the predicate; a lookup is a binary search over the ranges.

import type { Gen } from "../context.js";
import { i32, MEM, type Ref } from "../ir.js";

export type CharProp = "alphabetic" | "numeric" | "uppercase" | "lowercase" | "whitespace";

const PATTERNS: Record<CharProp, RegExp> = {
  alphabetic: /^\p{Alphabetic}$/u,
  numeric: /^[\p{Nd}\p{Nl}\p{No}]$/u,
  uppercase: /^\p{Uppercase}$/u,
  lowercase: /^\p{Lowercase}$/u,
  whitespace: /^\p{White_Space}$/u,
};

const cache = new Map<CharProp, number[][]>();

/** [first, last] ranges of the code points with the property. */
function ranges(prop: CharProp): number[][] {
  const hit = cache.get(prop);
  if (hit) return hit;
  const re = PATTERNS[prop];
  const out: number[][] = [];
  let start = -1;
  for (let cp = 0; cp <= 0x110000; cp++) {
    const has = cp < 0x110000 && !(cp >= 0xd800 && cp <= 0xdfff) && re.test(String.fromCodePoint(cp));
    if (has && start < 0) start = cp;
    if (!has && start >= 0 && !(cp >= 0xd800 && cp <= 0xdfff)) {
      out.push([start, cp - 1]);
      start = -1;
    }
  }
  cache.set(prop, out);
  return out;
}

/** uc_prop_<prop>(cp) -> i32: whether the code point has the property. */
export function charPropFn(g: Gen, prop: CharProp): string {
  const { m, ir } = g;
  return g.define(`uc_prop_${prop}`, [i32], i32, (l) => {
    const rows = ranges(prop);
    let text = "";
    for (const row of rows) for (const v of row) text += String.fromCharCode(v & 0x7f, (v >> 7) & 0x7f, (v >> 14) & 0x7f);
    const base = g.bytes(text).ptr;
    const lo = l.add(i32);
    const hi = l.add(i32);
    const mid = l.add(i32);
    const at = l.add(i32);
    const cp = () => ir.get(l, 0);
    const read21 = (offset: number): Ref => {
      const b = (k: number) => m.i32.load8_u(offset + k, 1, ir.get(l, at), MEM);
      return m.i32.or(b(0), m.i32.or(m.i32.shl(b(1), ir.c32(7)), m.i32.shl(b(2), ir.c32(14))));
    };
    return [
      ir.set(lo, ir.c32(0)),
      ir.set(hi, ir.c32(rows.length)),
      m.loop(
        "search",
        m.if(
          m.i32.lt_u(ir.get(l, lo), ir.get(l, hi)),
          m.block(null, [
            ir.set(mid, m.i32.shr_u(m.i32.add(ir.get(l, lo), ir.get(l, hi)), ir.c32(1))),
            ir.set(at, m.i32.add(ir.c32(base), m.i32.mul(ir.get(l, mid), ir.c32(6)))),
            m.if(m.i32.lt_u(cp(), read21(0)), ir.set(hi, ir.get(l, mid)), m.if(m.i32.gt_u(cp(), read21(3)), ir.set(lo, m.i32.add(ir.get(l, mid), ir.c32(1))), m.return(ir.c32(1)))),
            m.br("search"),
          ]),
        ),
      ),
      ir.c32(0),
    ];
  });
}

// UTF-8 validation for String.from_utf8: 0 when the bytes are valid UTF-8, 1 for an invalid byte
// (a stray continuation byte, an overlong form, a surrogate, a code point past U+10FFFF), 2 when
// the input ends inside an otherwise valid sequence.

import type { Gen } from "../context.js";
import { i32, MEM, type Ref } from "../ir.js";

export const UTF8_VALID = 0;
export const UTF8_INVALID_BYTE = 1;
export const UTF8_INCOMPLETE = 2;

export function utf8ValidateFn(g: Gen): string {
  const { m, ir } = g;
  return g.define("rt_utf8_validate", [i32, i32], i32, (l) => {
    const [p, len] = [0, 1];
    const i = l.add(i32);
    const b = l.add(i32);
    const n = l.add(i32);
    const lo = l.add(i32);
    const hi = l.add(i32);
    const k = l.add(i32);
    const c = l.add(i32);
    const B = () => ir.get(l, b);
    const byteAt = (at: Ref) => m.i32.load8_u(0, 1, m.i32.add(ir.get(l, p), at), MEM);
    const between = (v: Ref, a: number, z: number) => m.i32.le_u(m.i32.sub(v, ir.c32(a)), ir.c32(z - a));
    // Lead byte -> sequence length and the range allowed for the second byte.
    const classify = (cases: [number, number, number, number, number][]): Ref => {
      let r: Ref = m.return(ir.c32(UTF8_INVALID_BYTE));
      for (const [a, z, len, l2, h2] of cases.reverse()) {
        r = m.if(between(B(), a, z), m.block(null, [ir.set(n, ir.c32(len)), ir.set(lo, ir.c32(l2)), ir.set(hi, ir.c32(h2))]), r);
      }
      return r;
    };
    return [
      ir.set(i, ir.c32(0)),
      m.loop(
        "scan",
        m.if(
          m.i32.lt_u(ir.get(l, i), ir.get(l, len)),
          m.block(null, [
            ir.set(b, byteAt(ir.get(l, i))),
            m.if(
              m.i32.lt_u(B(), ir.c32(0x80)),
              m.block(null, [ir.set(i, m.i32.add(ir.get(l, i), ir.c32(1))), m.br("scan")]),
            ),
            classify([
              [0xc2, 0xdf, 2, 0x80, 0xbf],
              [0xe0, 0xe0, 3, 0xa0, 0xbf],
              [0xe1, 0xec, 3, 0x80, 0xbf],
              [0xed, 0xed, 3, 0x80, 0x9f],
              [0xee, 0xef, 3, 0x80, 0xbf],
              [0xf0, 0xf0, 4, 0x90, 0xbf],
              [0xf1, 0xf3, 4, 0x80, 0xbf],
              [0xf4, 0xf4, 4, 0x80, 0x8f],
            ]),
            ir.set(k, ir.c32(1)),
            m.loop(
              "cont",
              m.if(
                m.i32.lt_u(ir.get(l, k), ir.get(l, n)),
                m.block(null, [
                  m.if(m.i32.ge_u(m.i32.add(ir.get(l, i), ir.get(l, k)), ir.get(l, len)), m.return(ir.c32(UTF8_INCOMPLETE))),
                  ir.set(c, byteAt(m.i32.add(ir.get(l, i), ir.get(l, k)))),
                  m.if(
                    m.i32.or(m.i32.lt_u(ir.get(l, c), ir.get(l, lo)), m.i32.gt_u(ir.get(l, c), ir.get(l, hi))),
                    m.return(ir.c32(UTF8_INVALID_BYTE)),
                  ),
                  ir.set(lo, ir.c32(0x80)),
                  ir.set(hi, ir.c32(0xbf)),
                  ir.set(k, m.i32.add(ir.get(l, k), ir.c32(1))),
                  m.br("cont"),
                ]),
              ),
            ),
            ir.set(i, m.i32.add(ir.get(l, i), ir.get(l, n))),
            m.br("scan"),
          ]),
        ),
      ),
      ir.c32(UTF8_VALID),
    ];
  });
}

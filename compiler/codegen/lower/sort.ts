// Stable bottom-up merge sort of a Vec's elements by their natural order.

import type { Type } from "../../check/tir.js";
import type { Gen } from "../context.js";
import { i32, none, MEM } from "../ir.js";
import { HDR, typeKey } from "../layout.js";
import { ALLOC, FREE } from "../runtime/alloc.js";
import { cmpValue } from "./typeops.js";

export function sortFn(g: Gen, el: Type): string {
  const { m, ir } = g;
  const w = g.layouts.wasm(el);
  const es = Math.max(1, g.layouts.size(el));
  return g.define(`sort:${typeKey(el)}`, [i32], none, (l) => {
    const v = 0;
    const n = l.add(i32);
    const data = l.add(i32);
    const tmp = l.add(i32);
    const width = l.add(i32);
    const lo = l.add(i32);
    const mid = l.add(i32);
    const hi = l.add(i32);
    const a = l.add(i32);
    const b = l.add(i32);
    const k = l.add(i32);
    const G = (x: number) => ir.get(l, x);
    const at = (base: number, idx: number) => m.i32.add(G(base), m.i32.mul(G(idx), ir.c32(es)));
    const min = (x: () => ReturnType<typeof ir.c32>, y: () => ReturnType<typeof ir.c32>) => m.select(m.i32.lt_u(x(), y()), x(), y());
    const inc = (x: number) => ir.set(x, m.i32.add(G(x), ir.c32(1)));
    const copyOne = (idx: number) =>
      m.block(null, [m.memory.copy(at(tmp, k), at(data, idx), ir.c32(es), MEM, MEM), inc(idx), inc(k)]);
    if (w === none) return [m.nop()];
    return [
      ir.set(n, ir.load32(G(v), HDR.LEN)),
      m.if(m.i32.lt_u(G(n), ir.c32(2)), m.return()),
      ir.set(data, ir.load32(G(v), HDR.DATA)),
      ir.set(tmp, m.call(ALLOC, [m.i32.mul(G(n), ir.c32(es))], i32)),
      ir.set(width, ir.c32(1)),
      m.loop(
        "pass",
        m.if(
          m.i32.lt_u(G(width), G(n)),
          m.block(null, [
            ir.set(lo, ir.c32(0)),
            ir.set(k, ir.c32(0)),
            m.loop(
              "run",
              m.if(
                m.i32.lt_u(G(lo), G(n)),
                m.block(null, [
                  ir.set(mid, min(() => m.i32.add(G(lo), G(width)), () => G(n))),
                  ir.set(hi, min(() => m.i32.add(G(mid), G(width)), () => G(n))),
                  ir.set(a, G(lo)),
                  ir.set(b, G(mid)),
                  m.loop(
                    "merge",
                    m.if(
                      m.i32.or(m.i32.lt_u(G(a), G(mid)), m.i32.lt_u(G(b), G(hi))),
                      m.block(null, [
                        m.if(
                          m.if(
                            m.i32.lt_u(G(a), G(mid)),
                            m.if(
                              m.i32.ge_u(G(b), G(hi)),
                              ir.c32(1),
                              m.i32.le_s(cmpValue(g, el, ir.load(w, at(data, a)), ir.load(w, at(data, b))), ir.c32(0)),
                            ),
                            ir.c32(0),
                          ),
                          copyOne(a),
                          copyOne(b),
                        ),
                        m.br("merge"),
                      ]),
                    ),
                  ),
                  ir.set(lo, G(hi)),
                  m.br("run"),
                ]),
              ),
            ),
            m.memory.copy(G(data), G(tmp), m.i32.mul(G(n), ir.c32(es)), MEM, MEM),
            ir.set(width, m.i32.shl(G(width), ir.c32(1))),
            m.br("pass"),
          ]),
        ),
      ),
      m.call(FREE, [G(tmp)], none),
    ];
  });
}

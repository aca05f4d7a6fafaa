// Stable bottom-up merge sort of a Vec's elements: by their natural order (`sort`), by a
// comparator closure returning Ordering (`sort_by`), or by the natural order of a key closure's
// results (`sort_by_key`). Closures take their arguments by value, so owned elements are copied
// for each call (the closure frees its copies).

import binaryen from "binaryen";
import type { Type } from "../../tir/nodes.js";
import type { Gen } from "../context.js";
import { i32, i64, none, MEM, TABLE, type Locals, type Ref, type WType } from "../ir.js";
import { HDR, typeKey } from "../layout.js";
import { ALLOC, FREE } from "../runtime/alloc.js";
import { cmpValue, copyFn, dropFn } from "./typeops.js";

/** Call the closure value `f()` (i64: table index << 32 | environment) on by-value arguments. */
export function callClosure(g: Gen, f: () => Ref, args: { type: Type; value: Ref }[], ret: Type): Ref {
  const { m, ir } = g;
  const L = g.layouts;
  const ops: Ref[] = [m.i32.wrap(f())];
  const types: WType[] = [i32];
  for (const a of args) {
    const w = L.wasm(a.type);
    if (w === none) continue;
    const cp = L.valueOwned(a.type) ? copyFn(g, a.type) : undefined;
    ops.push(cp ? m.call(cp, [a.value], w) : a.value);
    types.push(w);
  }
  const target = m.i32.wrap(m.i64.shr_u(f(), ir.c64(32)));
  return m.call_indirect(TABLE, target, ops, binaryen.createType(types), L.wasm(ret));
}

/** Three-way comparison (i32 < 0, 0, > 0) of two loaded elements. */
type Compare = (l: Locals, a: Ref, b: Ref) => Ref;

export function sortFn(g: Gen, el: Type): string {
  return mergeSort(g, el, `sort:${typeKey(el)}`, [i32], (_l, a, b) => cmpValue(g, el, a, b));
}

/** sort_by:T(vec, f): f(a, b) -> Ordering (Less = 0, Equal = 1, Greater = 2). */
export function sortByFn(g: Gen, el: Type, ordering: Type): string {
  return mergeSort(g, el, `sort_by:${typeKey(el)}`, [i32, i64], (l, a, b) =>
    g.m.i32.sub(callClosure(g, () => g.ir.get(l, 1), [{ type: el, value: a }, { type: el, value: b }], ordering), g.ir.c32(1)),
  );
}

/** sort_by_key:T:K(vec, f): compare f(a) and f(b) by K's natural order, freeing the keys. */
export function sortByKeyFn(g: Gen, el: Type, key: Type): string {
  const { m, ir } = g;
  const kw = g.layouts.wasm(key);
  const drop = dropFn(g, key);
  return mergeSort(g, el, `sort_by_key:${typeKey(el)}:${typeKey(key)}`, [i32, i64], (l, a, b) => {
    const fk = () => ir.get(l, 1);
    if (kw === none) return ir.c32(0);
    const ka = l.add(kw);
    const kb = l.add(kw);
    const r = l.add(i32);
    return m.block(
      null,
      [
        ir.set(ka, callClosure(g, fk, [{ type: el, value: a }], key)),
        ir.set(kb, callClosure(g, fk, [{ type: el, value: b }], key)),
        ir.set(r, cmpValue(g, key, ir.get(l, ka), ir.get(l, kb))),
        drop ? m.call(drop, [ir.get(l, ka)], none) : m.nop(),
        drop ? m.call(drop, [ir.get(l, kb)], none) : m.nop(),
        ir.get(l, r),
      ],
      i32,
    );
  });
}

function mergeSort(g: Gen, el: Type, name: string, params: number[], compare: Compare): string {
  const { m, ir } = g;
  const slot = g.layouts.elem(el);
  const w = slot.wasm;
  const es = slot.bytes;
  return g.define(name, params, none, (l) => {
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
    const at = (base: number, idx: number) => ir.elemAt(G(base), G(idx), es);
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
                              m.i32.le_s(compare(l, ir.loadSlot(slot, at(data, a)), ir.loadSlot(slot, at(data, b))), ir.c32(0)),
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

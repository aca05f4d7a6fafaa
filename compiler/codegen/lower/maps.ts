// Map[K, V] and Set[T]: a block of parallel Vecs {keys, values} / {elems} in insertion
// order, with lookups by linear scan using the key type's equality. Iteration order of a
// Map is unspecified in Kāra; insertion order is a valid choice.

import type { TExpr, TReceiver, Type } from "../../check/tir.js";
import type { Gen } from "../context.js";
import { i32, none, type Ref } from "../ir.js";
import { HDR, typeKey } from "../layout.js";
import { ALLOC } from "../runtime/alloc.js";
import { VEC } from "../runtime/vec.js";
import { makeVariant } from "./builtins.js";
import { CodegenError, type FnLower } from "./function.js";
import { copyFn, dropFn, eqValue } from "./typeops.js";

type BuiltinExpr = Extract<TExpr, { kind: "builtin" }>;

/** find:K(keys, key) -> index or -1 */
function findFn(g: Gen, k: Type): string {
  const { m, ir } = g;
  const w = g.layouts.wasm(k);
  const es = Math.max(1, g.layouts.size(k));
  return g.define(`find:${typeKey(k)}`, [i32, w === none ? i32 : w], i32, (l) => {
    const [keys, key] = [0, 1];
    const i = l.add(i32);
    return [
      m.loop(
        "scan",
        m.if(
          m.i32.lt_u(ir.get(l, i), ir.load32(ir.get(l, keys), HDR.LEN)),
          m.block(null, [
            m.if(
              w === none ? ir.c32(1) : eqValue(g, k, ir.load(w, m.i32.add(ir.load32(ir.get(l, keys), HDR.DATA), m.i32.mul(ir.get(l, i), ir.c32(es)))), ir.get(l, key)),
              m.return(ir.get(l, i)),
            ),
            ir.set(i, m.i32.add(ir.get(l, i), ir.c32(1))),
            m.br("scan"),
          ]),
        ),
      ),
      ir.c32(-1),
    ];
  });
}

/** Remove slot i from a Vec (no drop), shifting the tail down. */
function removeAtFn(g: Gen, es: number): string {
  const { m, ir } = g;
  return g.define(`remove_at:${es}`, [i32, i32], none, (l) => {
    const [v, i] = [0, 1];
    const at = (k: Ref) => m.i32.add(ir.load32(ir.get(l, v), HDR.DATA), m.i32.mul(k, ir.c32(es)));
    return [
      m.memory.copy(
        at(ir.get(l, i)),
        at(m.i32.add(ir.get(l, i), ir.c32(1))),
        m.i32.mul(m.i32.sub(m.i32.sub(ir.load32(ir.get(l, v), HDR.LEN), ir.get(l, i)), ir.c32(1)), ir.c32(es)),
        "mem",
        "mem",
      ),
      ir.store32(ir.get(l, v), m.i32.sub(ir.load32(ir.get(l, v), HDR.LEN), ir.c32(1)), HDR.LEN),
    ];
  });
}

function recv(fl: FnLower, r: TReceiver | undefined): Ref {
  if (!r) throw new CodegenError("map/set method without a receiver");
  return r.kind === "place" ? fl.read(r.place) : fl.borrow(r.value);
}

export function lowerMapSet(fl: FnLower, e: BuiltinExpr): Ref {
  const { m, ir, g, L } = fl;
  const lo = fl.locals;
  const isMap = e.op.startsWith("map.");
  const kt: Type = e.typeArgs[0] ?? { kind: "unit" };
  const vt: Type = isMap ? e.typeArgs[1] ?? { kind: "unit" } : { kind: "unit" };
  const kw = L.wasm(kt);
  const vw = L.wasm(vt);
  const kes = Math.max(1, L.size(kt));
  const ves = Math.max(1, L.size(vt));
  const M = fl.tmp(i32);
  const get = () => ir.get(lo, M);
  const keys = () => ir.load32(get(), 0);
  const vals = () => ir.load32(get(), 4);
  const kAt = (i: Ref) => m.i32.add(ir.load32(keys(), HDR.DATA), m.i32.mul(i, ir.c32(kes)));
  const vAt = (i: Ref) => m.i32.add(ir.load32(vals(), HDR.DATA), m.i32.mul(i, ir.c32(ves)));
  const idx = fl.tmp(i32);
  const I = () => ir.get(lo, idx);
  const find = (key: Ref) => ir.set(idx, m.call(findFn(g, kt), [keys(), kw === none ? ir.c32(0) : key], i32));
  const dropK = (v: Ref) => (dropFn(g, kt) ? m.call(dropFn(g, kt)!, [v], none) : m.nop());
  const dropV = (v: Ref) => (dropFn(g, vt) ? m.call(dropFn(g, vt)!, [v], none) : m.nop());
  const copyV = (v: Ref) => (copyFn(g, vt) ? m.call(copyFn(g, vt)!, [v], i32) : v);
  const start = (): Ref => ir.set(M, recv(fl, e.receiver));
  switch (e.op) {
    case "map.new":
    case "set.new": {
      const p = fl.tmp(i32);
      return m.block(
        null,
        [
          ir.set(p, m.call(ALLOC, [ir.c32(8)], i32)),
          ir.store32(ir.get(lo, p), m.call(VEC.new, [ir.c32(0), ir.c32(kes)], i32), 0),
          ir.store32(ir.get(lo, p), isMap ? m.call(VEC.new, [ir.c32(0), ir.c32(ves)], i32) : ir.c32(0), 4),
          ir.get(lo, p),
        ],
        i32,
      );
    }
    case "map.insert":
    case "set.insert": {
      const k = fl.tmp(kw === none ? i32 : kw);
      const v = isMap && vw !== none ? fl.tmp(vw) : -1;
      const out: Ref[] = [
        kw === none ? fl.stmtize(fl.expr(e.args[0])) : ir.set(k, fl.consume(e.args[0])),
        isMap ? (v >= 0 ? ir.set(v, fl.consume(e.args[1])) : fl.stmtize(fl.expr(e.args[1]))) : m.nop(),
        start(),
        find(ir.get(lo, k)),
      ];
      const push = [
        kw === none ? m.nop() : ir.store(kw, m.call(VEC.pushSlot, [keys(), ir.c32(kes)], i32), ir.get(lo, k)),
        isMap && v >= 0 ? ir.store(vw, m.call(VEC.pushSlot, [vals(), ir.c32(ves)], i32), ir.get(lo, v)) : m.nop(),
      ];
      if (!isMap) {
        out.push(m.if(m.i32.ge_s(I(), ir.c32(0)), m.block(null, [dropK(ir.get(lo, k)), ir.c32(0)], i32), m.block(null, [...push, ir.c32(1)], i32)));
        return m.block(null, out, i32);
      }
      const old = vw === none ? -1 : fl.tmp(vw);
      out.push(
        m.if(
          m.i32.ge_s(I(), ir.c32(0)),
          m.block(
            null,
            [
              dropK(ir.get(lo, k)),
              old >= 0 ? ir.set(old, ir.load(vw, vAt(I()))) : m.nop(),
              v >= 0 ? ir.store(vw, vAt(I()), ir.get(lo, v)) : m.nop(),
              makeVariant(fl, e.type, "Some", old >= 0 ? ir.get(lo, old) : undefined),
            ],
            i32,
          ),
          m.block(null, [...push, makeVariant(fl, e.type, "None")], i32),
        ),
      );
      return m.block(null, out, i32);
    }
    case "map.get":
    case "map.index":
    case "map.get_or":
    case "map.contains_key":
    case "set.contains": {
      const out: Ref[] = [start(), find(fl.borrow(e.args[0]))];
      if (e.op === "map.contains_key" || e.op === "set.contains") {
        out.push(m.i32.ge_s(I(), ir.c32(0)));
        return m.block(null, out, i32);
      }
      if (e.op === "map.get") {
        out.push(
          m.if(m.i32.ge_s(I(), ir.c32(0)), makeVariant(fl, e.type, "Some", vw === none ? undefined : copyV(ir.load(vw, vAt(I())))), makeVariant(fl, e.type, "None")),
        );
        return m.block(null, out, i32);
      }
      if (vw === none) {
        out.push(m.if(m.i32.lt_s(I(), ir.c32(0)), e.op === "map.index" ? fl.panic(e.span, "Map index: key not present") : fl.stmtize(fl.expr(e.args[1]))));
        return m.block(null, out);
      }
      if (e.op === "map.index") {
        out.push(m.if(m.i32.lt_s(I(), ir.c32(0)), fl.panic(e.span, "Map index: key not present")), copyV(ir.load(vw, vAt(I()))));
        return m.block(null, out, vw);
      }
      const d = fl.tmp(vw);
      out.push(ir.set(d, fl.consume(e.args[1])), m.if(m.i32.ge_s(I(), ir.c32(0)), m.block(null, [dropV(ir.get(lo, d)), copyV(ir.load(vw, vAt(I())))], vw), ir.get(lo, d)));
      return m.block(null, out, vw);
    }
    case "map.remove":
    case "set.remove": {
      const out: Ref[] = [start(), find(fl.borrow(e.args[0]))];
      const found: Ref[] = [kw === none ? m.nop() : dropK(ir.load(kw, kAt(I())))];
      const old = isMap && vw !== none ? fl.tmp(vw) : -1;
      if (old >= 0) found.push(ir.set(old, ir.load(vw, vAt(I()))));
      found.push(m.call(removeAtFn(g, kes), [keys(), I()], none));
      if (isMap) found.push(m.call(removeAtFn(g, ves), [vals(), I()], none));
      if (!isMap) {
        out.push(m.if(m.i32.ge_s(I(), ir.c32(0)), m.block(null, [...found, ir.c32(1)], i32), ir.c32(0)));
        return m.block(null, out, i32);
      }
      out.push(
        m.if(
          m.i32.ge_s(I(), ir.c32(0)),
          m.block(null, [...found, makeVariant(fl, e.type, "Some", old >= 0 ? ir.get(lo, old) : undefined)], i32),
          makeVariant(fl, e.type, "None"),
        ),
      );
      return m.block(null, out, i32);
    }
    case "map.len":
    case "set.len":
      return m.block(null, [start(), m.i64.extend_u(ir.load32(keys(), HDR.LEN))], L.wasm({ kind: "int", name: "i64", bits: 64, signed: true }));
    case "map.is_empty":
    case "set.is_empty":
      return m.block(null, [start(), m.i32.eqz(ir.load32(keys(), HDR.LEN))], i32);
    case "map.clear":
    case "set.clear": {
      const kv: Type = { kind: "vec", elem: kt };
      const vv: Type = { kind: "vec", elem: vt };
      return m.block(null, [
        start(),
        dropFn(g, kv) ? m.call(dropFn(g, kv)!, [keys()], none) : m.nop(),
        ir.store32(get(), m.call(VEC.new, [ir.c32(0), ir.c32(kes)], i32), 0),
        isMap && dropFn(g, vv) ? m.call(dropFn(g, vv)!, [vals()], none) : m.nop(),
        isMap ? ir.store32(get(), m.call(VEC.new, [ir.c32(0), ir.c32(ves)], i32), 4) : m.nop(),
      ]);
    }
    case "map.keys":
    case "set.to_vec":
      return m.block(null, [start(), fl.copyValue({ kind: "vec", elem: kt }, keys())], i32);
    case "map.values":
      return m.block(null, [start(), fl.copyValue({ kind: "vec", elem: vt }, vals())], i32);
    case "map.entries": {
      // Vec[(K, V)] of copies.
      const lay = L.tupleLayout([kt, vt]);
      const r = fl.tmp(i32);
      const t = fl.tmp(i32);
      const i = fl.tmp(i32);
      const top = fl.label("entries");
      const copyK = (v: Ref) => (copyFn(g, kt) ? m.call(copyFn(g, kt)!, [v], i32) : v);
      return m.block(
        null,
        [
          start(),
          ir.set(r, m.call(VEC.new, [ir.load32(keys(), HDR.LEN), ir.c32(4)], i32)),
          ir.set(i, ir.c32(0)),
          m.loop(
            top,
            m.if(
              m.i32.lt_u(ir.get(lo, i), ir.load32(keys(), HDR.LEN)),
              m.block(null, [
                ir.set(t, m.call(ALLOC, [ir.c32(lay.size)], i32)),
                kw === none ? m.nop() : ir.store(kw, ir.get(lo, t), copyK(ir.load(kw, kAt(ir.get(lo, i)))), lay.fields[0].offset),
                vw === none ? m.nop() : ir.store(vw, ir.get(lo, t), copyV(ir.load(vw, vAt(ir.get(lo, i)))), lay.fields[1].offset),
                ir.store32(m.call(VEC.pushSlot, [ir.get(lo, r), ir.c32(4)], i32), ir.get(lo, t)),
                ir.set(i, m.i32.add(ir.get(lo, i), ir.c32(1))),
                m.br(top),
              ]),
            ),
          ),
          ir.get(lo, r),
        ],
        i32,
      );
    }
  }
  throw new CodegenError(`builtin ${e.op} is not supported yet`, e.span);
}

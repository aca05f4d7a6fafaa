// Map[K, V] and Set[T]: a block of parallel Vecs {keys, values, index} / {elems, index} in
// insertion order. `index` is an open-addressing hash table (a Vec[i32] of entry number + 1,
// 0 = empty, power-of-two length) over the keys, rebuilt when it fills up or an entry is
// removed. Iteration order of a Map is unspecified in Kāra; insertion order is a valid choice.

import type { TExpr, TReceiver, Type } from "../../check/tir.js";
import type { Gen } from "../context.js";
import { i32, i64, none, type Ref } from "../ir.js";
import { HDR, typeKey } from "../layout.js";
import { ALLOC } from "../runtime/alloc.js";
import { VEC } from "../runtime/vec.js";
import { makeVariant } from "./builtins.js";
import { CodegenError, type FnLower } from "./function.js";
import { copyFn, dropFn, eqValue } from "./typeops.js";

type BuiltinExpr = Extract<TExpr, { kind: "builtin" }>;

/** hash:K(key) -> i32 (0 for key types without a cheap hash: lookups then probe linearly). */
function hashValue(g: Gen, k: Type, v: Ref): Ref {
  const { m, ir } = g;
  switch (k.kind) {
    case "int":
      if (k.bits === 64) return m.call("rt_hash_i64", [v], i32);
      return m.call("rt_hash_i32", [v], i32);
    case "bool":
    case "char":
      return m.call("rt_hash_i32", [v], i32);
    case "enum":
      return g.layouts.enumBoxed(k.name) ? m.block(null, [m.drop(v), ir.c32(0)], i32) : m.call("rt_hash_i32", [v], i32);
    case "string":
      return m.call("rt_hash_str", [v], i32);
    default:
      return m.block(null, [g.layouts.wasm(k) === none ? m.nop() : m.drop(v), ir.c32(0)], i32);
  }
}

function emitHashes(g: Gen): void {
  const { m, ir } = g;
  g.define("rt_hash_i32", [i32], i32, (l) => {
    const x = l.add(i32);
    return [
      ir.set(x, m.i32.mul(m.i32.xor(ir.get(l, 0), m.i32.shr_u(ir.get(l, 0), ir.c32(16))), ir.c32(0x45d9f3b))),
      ir.set(x, m.i32.mul(m.i32.xor(ir.get(l, x), m.i32.shr_u(ir.get(l, x), ir.c32(16))), ir.c32(0x45d9f3b))),
      m.i32.xor(ir.get(l, x), m.i32.shr_u(ir.get(l, x), ir.c32(16))),
    ];
  });
  g.define("rt_hash_i64", [i64], i32, (l) => [
    m.call("rt_hash_i32", [m.i32.xor(m.i32.wrap(ir.get(l, 0)), m.i32.mul(m.i32.wrap(m.i64.shr_u(ir.get(l, 0), ir.c64(32))), ir.c32(0x9e3779b1)))], i32),
  ]);
  // FNV-1a over the bytes
  g.define("rt_hash_str", [i32], i32, (l) => {
    const [h, i, p, n] = [l.add(i32), l.add(i32), l.add(i32), l.add(i32)];
    return [
      ir.set(h, ir.c32(0x811c9dc5)),
      ir.set(p, ir.load32(ir.get(l, 0), HDR.DATA)),
      ir.set(n, ir.load32(ir.get(l, 0), HDR.LEN)),
      m.loop(
        "bytes",
        m.if(
          m.i32.lt_u(ir.get(l, i), ir.get(l, n)),
          m.block(null, [
            ir.set(h, m.i32.mul(m.i32.xor(ir.get(l, h), m.i32.load8_u(0, 1, m.i32.add(ir.get(l, p), ir.get(l, i)), "mem")), ir.c32(0x01000193))),
            ir.set(i, m.i32.add(ir.get(l, i), ir.c32(1))),
            m.br("bytes"),
          ]),
        ),
      ),
      ir.get(l, h),
    ];
  });
}

/** find:K(keys, index, key) -> entry number or -1 */
function findFn(g: Gen, k: Type): string {
  const { m, ir } = g;
  const w = g.layouts.wasm(k);
  const es = Math.max(1, g.layouts.size(k));
  emitHashes(g);
  return g.define(`find:${typeKey(k)}`, [i32, i32, w === none ? i32 : w], i32, (l) => {
    const [keys, index, key] = [0, 1, 2];
    const [mask, h, e] = [l.add(i32), l.add(i32), l.add(i32)];
    const slot = () => m.i32.add(ir.load32(ir.get(l, index), HDR.DATA), m.i32.shl(ir.get(l, h), ir.c32(2)));
    return [
      m.if(m.i32.eqz(ir.load32(ir.get(l, index), HDR.LEN)), m.return(ir.c32(-1))),
      ir.set(mask, m.i32.sub(ir.load32(ir.get(l, index), HDR.LEN), ir.c32(1))),
      ir.set(h, m.i32.and(hashValue(g, k, w === none ? ir.c32(0) : ir.get(l, key)), ir.get(l, mask))),
      m.loop(
        "probe",
        m.block(null, [
          ir.set(e, ir.load32(slot())),
          m.if(m.i32.eqz(ir.get(l, e)), m.return(ir.c32(-1))),
          m.if(
            w === none ? ir.c32(1) : eqValue(g, k, ir.load(w, m.i32.add(ir.load32(ir.get(l, keys), HDR.DATA), m.i32.mul(m.i32.sub(ir.get(l, e), ir.c32(1)), ir.c32(es)))), ir.get(l, key)),
            m.return(m.i32.sub(ir.get(l, e), ir.c32(1))),
          ),
          ir.set(h, m.i32.and(m.i32.add(ir.get(l, h), ir.c32(1)), ir.get(l, mask))),
          m.br("probe"),
        ]),
      ),
      ir.c32(-1),
    ];
  });
}

/** reindex:K(block, indexOffset): rebuild the hash index over the keys at block+0. */
function reindexFn(g: Gen, k: Type): string {
  const { m, ir } = g;
  const w = g.layouts.wasm(k);
  const es = Math.max(1, g.layouts.size(k));
  emitHashes(g);
  return g.define(`reindex:${typeKey(k)}`, [i32, i32], none, (l) => {
    const [blk, off] = [0, 1];
    const [keys, n, cap, idx, i, h, mask] = [l.add(i32), l.add(i32), l.add(i32), l.add(i32), l.add(i32), l.add(i32), l.add(i32)];
    const slot = () => m.i32.add(ir.load32(ir.get(l, idx), HDR.DATA), m.i32.shl(ir.get(l, h), ir.c32(2)));
    return [
      ir.set(keys, ir.load32(ir.get(l, blk))),
      ir.set(n, ir.load32(ir.get(l, keys), HDR.LEN)),
      ir.set(cap, ir.c32(8)),
      m.loop("grow", m.if(m.i32.lt_u(ir.get(l, cap), m.i32.shl(ir.get(l, n), ir.c32(2))), m.block(null, [ir.set(cap, m.i32.shl(ir.get(l, cap), ir.c32(1))), m.br("grow")]))),
      m.call(VEC.freeShallow, [ir.load32(m.i32.add(ir.get(l, blk), ir.get(l, off)))], none),
      ir.set(idx, m.call(VEC.new, [ir.get(l, cap), ir.c32(4)], i32)),
      m.memory.fill(ir.load32(ir.get(l, idx), HDR.DATA), ir.c32(0), m.i32.shl(ir.get(l, cap), ir.c32(2)), "mem"),
      ir.store32(ir.get(l, idx), ir.get(l, cap), HDR.LEN),
      ir.store32(m.i32.add(ir.get(l, blk), ir.get(l, off)), ir.get(l, idx)),
      ir.set(mask, m.i32.sub(ir.get(l, cap), ir.c32(1))),
      m.loop(
        "entries",
        m.if(
          m.i32.lt_u(ir.get(l, i), ir.get(l, n)),
          m.block(null, [
            ir.set(
              h,
              m.i32.and(
                hashValue(g, k, w === none ? ir.c32(0) : ir.load(w, m.i32.add(ir.load32(ir.get(l, keys), HDR.DATA), m.i32.mul(ir.get(l, i), ir.c32(es))))),
                ir.get(l, mask),
              ),
            ),
            m.loop("probe", m.if(ir.load32(slot()), m.block(null, [ir.set(h, m.i32.and(m.i32.add(ir.get(l, h), ir.c32(1)), ir.get(l, mask))), m.br("probe")]))),
            ir.store32(slot(), m.i32.add(ir.get(l, i), ir.c32(1))),
            ir.set(i, m.i32.add(ir.get(l, i), ir.c32(1))),
            m.br("entries"),
          ]),
        ),
      ),
    ];
  });
}

/** After appending an entry: rebuild the index when it is half full, else place the entry. */
function reindexIfFullFn(g: Gen, k: Type): string {
  const { m, ir } = g;
  const w = g.layouts.wasm(k);
  const es = Math.max(1, g.layouts.size(k));
  const reindex = reindexFn(g, k);
  return g.define(`index_add:${typeKey(k)}`, [i32, i32], none, (l) => {
    const [blk, off] = [0, 1];
    const [keys, idx, n, h, mask] = [l.add(i32), l.add(i32), l.add(i32), l.add(i32), l.add(i32)];
    const slot = () => m.i32.add(ir.load32(ir.get(l, idx), HDR.DATA), m.i32.shl(ir.get(l, h), ir.c32(2)));
    return [
      ir.set(keys, ir.load32(ir.get(l, blk))),
      ir.set(idx, ir.load32(m.i32.add(ir.get(l, blk), ir.get(l, off)))),
      ir.set(n, ir.load32(ir.get(l, keys), HDR.LEN)),
      m.if(
        m.i32.gt_u(m.i32.shl(ir.get(l, n), ir.c32(1)), ir.load32(ir.get(l, idx), HDR.LEN)),
        m.block(null, [m.call(reindex, [ir.get(l, blk), ir.get(l, off)], none), m.return()]),
      ),
      ir.set(mask, m.i32.sub(ir.load32(ir.get(l, idx), HDR.LEN), ir.c32(1))),
      ir.set(
        h,
        m.i32.and(
          hashValue(g, k, w === none ? ir.c32(0) : ir.load(w, m.i32.add(ir.load32(ir.get(l, keys), HDR.DATA), m.i32.mul(m.i32.sub(ir.get(l, n), ir.c32(1)), ir.c32(es))))),
          ir.get(l, mask),
        ),
      ),
      m.loop("probe", m.if(ir.load32(slot()), m.block(null, [ir.set(h, m.i32.and(m.i32.add(ir.get(l, h), ir.c32(1)), ir.get(l, mask))), m.br("probe")]))),
      ir.store32(slot(), ir.get(l, n)),
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
  const indexOff = isMap ? 8 : 4;
  const index = () => ir.load32(get(), indexOff);
  const reindex = () => m.call(reindexFn(g, kt), [get(), ir.c32(indexOff)], none);
  const kAt = (i: Ref) => m.i32.add(ir.load32(keys(), HDR.DATA), m.i32.mul(i, ir.c32(kes)));
  const vAt = (i: Ref) => m.i32.add(ir.load32(vals(), HDR.DATA), m.i32.mul(i, ir.c32(ves)));
  const idx = fl.tmp(i32);
  const I = () => ir.get(lo, idx);
  const find = (key: Ref) => ir.set(idx, m.call(findFn(g, kt), [keys(), index(), kw === none ? ir.c32(0) : key], i32));
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
          ir.set(p, m.call(ALLOC, [ir.c32(16)], i32)),
          m.memory.fill(ir.get(lo, p), ir.c32(0), ir.c32(16), "mem"),
          ir.store32(ir.get(lo, p), m.call(VEC.new, [ir.c32(0), ir.c32(kes)], i32), 0),
          isMap ? ir.store32(ir.get(lo, p), m.call(VEC.new, [ir.c32(0), ir.c32(ves)], i32), 4) : m.nop(),
          ir.store32(ir.get(lo, p), m.call(VEC.new, [ir.c32(0), ir.c32(4)], i32), indexOff),
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
        // Keep the table at most half full; rebuilding also places the new entry.
        m.call(reindexIfFullFn(g, kt), [get(), ir.c32(indexOff)], none),
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
      found.push(reindex());
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
        reindex(),
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

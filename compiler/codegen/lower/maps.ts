// Map[K, V] and Set[T]: a block of parallel Vecs {keys, values, index, dead, ndead} /
// {elems, index, dead, ndead} in insertion order. `index` is an open-addressing hash table (a
// Vec[i32] of entry number + 1, 0 = empty, power-of-two length) over the keys, rebuilt when it
// fills up. Removing an entry leaves a tombstone so that removal is O(1) and the order of the
// other entries is kept: its key/value slots are zeroed (so drops skip them), its byte in `dead`
// (empty while there are no tombstones, else one byte per entry) is set and `ndead` counts it.
// When tombstones exceed half the entries the arrays are compacted and the index rebuilt, which
// keeps removal amortised O(1) and memory bounded. Iteration order of a Map is unspecified in
// Kāra; insertion order is a valid choice.

import type { TExpr, TPlace, Type } from "../../tir/nodes.js";
import type { Gen } from "../context.js";
import { i32, i64, none, type Locals, type Ref } from "../ir.js";
import { HDR, typeKey } from "../layout.js";
import { ALLOC } from "../runtime/alloc.js";
import { VEC } from "../runtime/vec.js";
import { makeVariant } from "./variants.js";
import { CodegenError } from "./errors.js";
import type { Lowerer } from "./lowerer.js";
import { recv } from "./receiver.js";

// Element operations come through the Gen: typeops.ts implements them and calls this module for
// the copy and equality of whole maps and sets.
const copyFn = (g: Gen, t: Type): string | undefined => g.values.copyFn(g, t);
const dropFn = (g: Gen, t: Type): string | undefined => g.values.dropFn(g, t);
const eqValue = (g: Gen, t: Type, a: Ref, b: Ref): Ref => g.values.eqValue(g, t, a, b);

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

/** Byte offsets of the fields of a Map (isMap) or Set block; a Set has no value Vec. */
export function mapOffsets(isMap: boolean): { keys: number; vals: number; index: number; dead: number; ndead: number; size: number } {
  const index = isMap ? 8 : 4;
  return { keys: 0, vals: 4, index, dead: index + 4, ndead: index + 8, size: isMap ? 24 : 16 };
}

/** Whether entry i (an i32 expression, used once) is a tombstone, given the `dead` Vec header. */
export function deadAt(g: Gen, dead: () => Ref, i: Ref): Ref {
  const { m, ir } = g;
  return m.if(ir.load32(dead(), HDR.LEN), m.i32.load8_u(0, 1, m.i32.add(ir.load32(dead(), HDR.DATA), i), "mem"), ir.c32(0));
}

/** find:K(block, indexOffset, key) -> entry number or -1 */
export function findFn(g: Gen, k: Type): string {
  const { m, ir } = g;
  const w = g.layouts.wasm(k);
  const es = g.layouts.elemBytes(k);
  emitHashes(g);
  return g.define(`find:${typeKey(k)}`, [i32, i32, w === none ? i32 : w], i32, (l) => {
    const [blk, off, key] = [0, 1, 2];
    const [keys, index, dead, mask, h, e] = [l.add(i32), l.add(i32), l.add(i32), l.add(i32), l.add(i32), l.add(i32)];
    const slot = () => m.i32.add(ir.load32(ir.get(l, index), HDR.DATA), m.i32.shl(ir.get(l, h), ir.c32(2)));
    return [
      ir.set(keys, ir.load32(ir.get(l, blk))),
      ir.set(index, ir.load32(m.i32.add(ir.get(l, blk), ir.get(l, off)))),
      ir.set(dead, ir.load32(m.i32.add(ir.get(l, blk), ir.get(l, off)), 4)),
      m.if(m.i32.eqz(ir.load32(ir.get(l, index), HDR.LEN)), m.return(ir.c32(-1))),
      ir.set(mask, m.i32.sub(ir.load32(ir.get(l, index), HDR.LEN), ir.c32(1))),
      ir.set(h, m.i32.and(hashValue(g, k, w === none ? ir.c32(0) : ir.get(l, key)), ir.get(l, mask))),
      m.loop(
        "probe",
        m.block(null, [
          ir.set(e, ir.load32(slot())),
          m.if(m.i32.eqz(ir.get(l, e)), m.return(ir.c32(-1))),
          // A tombstone keeps its index slot (so probing continues past it) but never matches.
          m.if(
            m.i32.eqz(deadAt(g, () => ir.get(l, dead), m.i32.sub(ir.get(l, e), ir.c32(1)))),
            m.if(
              w === none ? ir.c32(1) : eqValue(g, k, ir.loadSlot(g.layouts.elem(k), ir.elemAt(ir.load32(ir.get(l, keys), HDR.DATA), m.i32.sub(ir.get(l, e), ir.c32(1)), es)), ir.get(l, key)),
              m.return(m.i32.sub(ir.get(l, e), ir.c32(1))),
            ),
          ),
          ir.set(h, m.i32.and(m.i32.add(ir.get(l, h), ir.c32(1)), ir.get(l, mask))),
          m.br("probe"),
        ]),
      ),
      ir.c32(-1),
    ];
  });
}

/** reindex:K(block, indexOffset): rebuild the hash index over the live keys at block+0. */
function reindexFn(g: Gen, k: Type): string {
  const { m, ir } = g;
  const w = g.layouts.wasm(k);
  const es = g.layouts.elemBytes(k);
  emitHashes(g);
  return g.define(`reindex:${typeKey(k)}`, [i32, i32], none, (l) => {
    const [blk, off] = [0, 1];
    const [keys, n, cap, idx, i, h, mask, dead] = [l.add(i32), l.add(i32), l.add(i32), l.add(i32), l.add(i32), l.add(i32), l.add(i32), l.add(i32)];
    const slot = () => m.i32.add(ir.load32(ir.get(l, idx), HDR.DATA), m.i32.shl(ir.get(l, h), ir.c32(2)));
    return [
      ir.set(keys, ir.load32(ir.get(l, blk))),
      ir.set(dead, ir.load32(m.i32.add(ir.get(l, blk), ir.get(l, off)), 4)),
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
            m.if(
              m.i32.eqz(deadAt(g, () => ir.get(l, dead), ir.get(l, i))),
              m.block(null, [
                ir.set(
                  h,
                  m.i32.and(
                    hashValue(g, k, w === none ? ir.c32(0) : ir.loadSlot(g.layouts.elem(k), ir.elemAt(ir.load32(ir.get(l, keys), HDR.DATA), ir.get(l, i), es))),
                    ir.get(l, mask),
                  ),
                ),
                m.loop("probe", m.if(ir.load32(slot()), m.block(null, [ir.set(h, m.i32.and(m.i32.add(ir.get(l, h), ir.c32(1)), ir.get(l, mask))), m.br("probe")]))),
                ir.store32(slot(), m.i32.add(ir.get(l, i), ir.c32(1))),
              ]),
            ),
            ir.set(i, m.i32.add(ir.get(l, i), ir.c32(1))),
            m.br("entries"),
          ]),
        ),
      ),
    ];
  });
}

/**
 * After appending an entry: extend `dead` when there are tombstones, then rebuild the index when
 * it is half full, else place the entry.
 */
function reindexIfFullFn(g: Gen, k: Type): string {
  const { m, ir } = g;
  const w = g.layouts.wasm(k);
  const es = g.layouts.elemBytes(k);
  const reindex = reindexFn(g, k);
  return g.define(`index_add:${typeKey(k)}`, [i32, i32], none, (l) => {
    const [blk, off] = [0, 1];
    const [keys, idx, n, h, mask, dead] = [l.add(i32), l.add(i32), l.add(i32), l.add(i32), l.add(i32), l.add(i32)];
    const slot = () => m.i32.add(ir.load32(ir.get(l, idx), HDR.DATA), m.i32.shl(ir.get(l, h), ir.c32(2)));
    return [
      ir.set(keys, ir.load32(ir.get(l, blk))),
      ir.set(idx, ir.load32(m.i32.add(ir.get(l, blk), ir.get(l, off)))),
      ir.set(dead, ir.load32(m.i32.add(ir.get(l, blk), ir.get(l, off)), 4)),
      m.if(ir.load32(ir.get(l, dead), HDR.LEN), m.i32.store8(0, 1, m.call(VEC.pushSlot, [ir.get(l, dead), ir.c32(1)], i32), ir.c32(0), "mem")),
      ir.set(n, ir.load32(ir.get(l, keys), HDR.LEN)),
      m.if(
        m.i32.gt_u(m.i32.shl(ir.get(l, n), ir.c32(1)), ir.load32(ir.get(l, idx), HDR.LEN)),
        m.block(null, [m.call(reindex, [ir.get(l, blk), ir.get(l, off)], none), m.return()]),
      ),
      ir.set(mask, m.i32.sub(ir.load32(ir.get(l, idx), HDR.LEN), ir.c32(1))),
      ir.set(
        h,
        m.i32.and(
          hashValue(g, k, w === none ? ir.c32(0) : ir.loadSlot(g.layouts.elem(k), ir.elemAt(ir.load32(ir.get(l, keys), HDR.DATA), m.i32.sub(ir.get(l, n), ir.c32(1)), es))),
          ir.get(l, mask),
        ),
      ),
      m.loop("probe", m.if(ir.load32(slot()), m.block(null, [ir.set(h, m.i32.and(m.i32.add(ir.get(l, h), ir.c32(1)), ir.get(l, mask))), m.br("probe")]))),
      ir.store32(slot(), ir.get(l, n)),
    ];
  });
}

/**
 * kill:{K,V}(block, i): make live entry i a tombstone after its key and value were taken; compact
 * when tombstones exceed half the entries. `ves` is 0 for a Set.
 */
function killFn(g: Gen, k: Type, kes: number, ves: number): string {
  const { m, ir } = g;
  const o = mapOffsets(ves > 0);
  const reindex = reindexFn(g, k);
  return g.define(`kill:${typeKey(k)}:${ves}`, [i32, i32], none, (l) => {
    const [blk, i] = [0, 1];
    const [keys, dead, n, j] = [l.add(i32), l.add(i32), l.add(i32), l.add(i32)];
    const at = (vec: Ref, x: Ref, es: number) => ir.elemAt(ir.load32(vec, HDR.DATA), x, es);
    const vals = () => ir.load32(ir.get(l, blk), o.vals);
    const isDead = (x: Ref) => deadAt(g, () => ir.get(l, dead), x);
    return [
      ir.set(keys, ir.load32(ir.get(l, blk), o.keys)),
      ir.set(dead, ir.load32(ir.get(l, blk), o.dead)),
      ir.set(n, ir.load32(ir.get(l, keys), HDR.LEN)),
      m.memory.fill(at(ir.get(l, keys), ir.get(l, i), kes), ir.c32(0), ir.c32(kes), "mem"),
      ves > 0 ? m.memory.fill(at(vals(), ir.get(l, i), ves), ir.c32(0), ir.c32(ves), "mem") : m.nop(),
      // First tombstone: one zero byte per entry.
      m.if(
        m.i32.eqz(ir.load32(ir.get(l, dead), HDR.LEN)),
        m.block(null, [
          m.call(VEC.reserve, [ir.get(l, dead), ir.get(l, n), ir.c32(1)], none),
          m.memory.fill(ir.load32(ir.get(l, dead), HDR.DATA), ir.c32(0), ir.get(l, n), "mem"),
          ir.store32(ir.get(l, dead), ir.get(l, n), HDR.LEN),
        ]),
      ),
      m.i32.store8(0, 1, m.i32.add(ir.load32(ir.get(l, dead), HDR.DATA), ir.get(l, i)), ir.c32(1), "mem"),
      ir.store32(ir.get(l, blk), m.i32.add(ir.load32(ir.get(l, blk), o.ndead), ir.c32(1)), o.ndead),
      m.if(m.i32.le_u(m.i32.shl(ir.load32(ir.get(l, blk), o.ndead), ir.c32(1)), ir.get(l, n)), m.return()),
      // Compact: slide the live entries down in order, then rebuild the index.
      ir.set(i, ir.c32(0)),
      m.loop(
        "squeeze",
        m.if(
          m.i32.lt_u(ir.get(l, i), ir.get(l, n)),
          m.block(null, [
            m.if(
              m.i32.eqz(isDead(ir.get(l, i))),
              m.block(null, [
                m.if(
                  m.i32.ne(ir.get(l, i), ir.get(l, j)),
                  m.block(null, [
                    m.memory.copy(at(ir.get(l, keys), ir.get(l, j), kes), at(ir.get(l, keys), ir.get(l, i), kes), ir.c32(kes), "mem", "mem"),
                    ves > 0 ? m.memory.copy(at(vals(), ir.get(l, j), ves), at(vals(), ir.get(l, i), ves), ir.c32(ves), "mem", "mem") : m.nop(),
                  ]),
                ),
                ir.set(j, m.i32.add(ir.get(l, j), ir.c32(1))),
              ]),
            ),
            ir.set(i, m.i32.add(ir.get(l, i), ir.c32(1))),
            m.br("squeeze"),
          ]),
        ),
      ),
      ir.store32(ir.get(l, keys), ir.get(l, j), HDR.LEN),
      ves > 0 ? ir.store32(vals(), ir.get(l, j), HDR.LEN) : m.nop(),
      ir.store32(ir.get(l, dead), ir.c32(0), HDR.LEN),
      ir.store32(ir.get(l, blk), ir.c32(0), o.ndead),
      m.call(reindex, [ir.get(l, blk), ir.c32(o.index)], none),
    ];
  });
}

/** Allocate an empty Map/Set block into local p, its entry arrays with room for `cap()` entries. */
function newBlock(g: Gen, lo: Locals, p: number, isMap: boolean, kes: number, ves: number, cap: () => Ref = () => g.ir.c32(0)): Ref[] {
  const { m, ir } = g;
  const o = mapOffsets(isMap);
  return [
    ir.set(p, m.call(ALLOC, [ir.c32(o.size)], i32)),
    m.memory.fill(ir.get(lo, p), ir.c32(0), ir.c32(o.size), "mem"),
    ir.store32(ir.get(lo, p), m.call(VEC.new, [cap(), ir.c32(kes)], i32), o.keys),
    isMap ? ir.store32(ir.get(lo, p), m.call(VEC.new, [cap(), ir.c32(ves)], i32), o.vals) : m.nop(),
    ir.store32(ir.get(lo, p), m.call(VEC.new, [ir.c32(0), ir.c32(4)], i32), o.index),
    ir.store32(ir.get(lo, p), m.call(VEC.new, [ir.c32(0), ir.c32(1)], i32), o.dead),
  ];
}


export function lowerMapSet(fl: Lowerer, e: BuiltinExpr): Ref {
  const { m, ir, g, L } = fl;
  const lo = fl.locals;
  const isMap = e.op.startsWith("map.");
  const kt: Type = e.typeArgs[0] ?? { kind: "unit" };
  const vt: Type = isMap ? e.typeArgs[1] ?? { kind: "unit" } : { kind: "unit" };
  const kw = L.wasm(kt);
  const vw = L.wasm(vt);
  const kes = L.elemBytes(kt);
  const ves = L.elemBytes(vt);
  const M = fl.tmp(i32);
  const get = () => ir.get(lo, M);
  const keys = () => ir.load32(get(), 0);
  const vals = () => ir.load32(get(), 4);
  const o = mapOffsets(isMap);
  const indexOff = o.index;
  const dead = () => ir.load32(get(), o.dead);
  const live = () => m.i32.sub(ir.load32(keys(), HDR.LEN), ir.load32(get(), o.ndead));
  const reindex = () => m.call(reindexFn(g, kt), [get(), ir.c32(indexOff)], none);
  const kAt = (i: Ref) => ir.elemAt(ir.load32(keys(), HDR.DATA), i, kes);
  const vAt = (i: Ref) => ir.elemAt(ir.load32(vals(), HDR.DATA), i, ves);
  const idx = fl.tmp(i32);
  const I = () => ir.get(lo, idx);
  const find = (key: Ref) => ir.set(idx, m.call(findFn(g, kt), [get(), ir.c32(indexOff), kw === none ? ir.c32(0) : key], i32));
  const dropK = (v: Ref) => (dropFn(g, kt) ? m.call(dropFn(g, kt)!, [v], none) : m.nop());
  const dropV = (v: Ref) => (dropFn(g, vt) ? m.call(dropFn(g, vt)!, [v], none) : m.nop());
  const copyV = (v: Ref) => (copyFn(g, vt) ? m.call(copyFn(g, vt)!, [v], vw) : v);
  const start = (): Ref => ir.set(M, recv(fl, e.receiver));
  switch (e.op) {
    case "map.new":
    case "set.new": {
      const p = fl.tmp(i32);
      return m.block(null, [...newBlock(fl.g, lo, p, isMap, kes, ves), ir.get(lo, p)], i32);
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
        kw === none ? m.nop() : ir.storeSlot(L.elem(kt), m.call(VEC.pushSlot, [keys(), ir.c32(kes)], i32), ir.get(lo, k)),
        isMap && v >= 0 ? ir.storeSlot(L.elem(vt), m.call(VEC.pushSlot, [vals(), ir.c32(ves)], i32), ir.get(lo, v)) : m.nop(),
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
              old >= 0 ? ir.set(old, ir.loadSlot(L.elem(vt), vAt(I()))) : m.nop(),
              v >= 0 ? ir.storeSlot(L.elem(vt), vAt(I()), ir.get(lo, v)) : m.nop(),
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
          m.if(m.i32.ge_s(I(), ir.c32(0)), makeVariant(fl, e.type, "Some", vw === none ? undefined : copyV(ir.loadSlot(L.elem(vt), vAt(I())))), makeVariant(fl, e.type, "None")),
        );
        return m.block(null, out, i32);
      }
      if (vw === none) {
        out.push(m.if(m.i32.lt_s(I(), ir.c32(0)), e.op === "map.index" ? fl.panic(e.span, "Map index: key not present") : fl.stmtize(fl.expr(e.args[1]))));
        return m.block(null, out);
      }
      if (e.op === "map.index") {
        out.push(m.if(m.i32.lt_s(I(), ir.c32(0)), fl.panic(e.span, "Map index: key not present")), copyV(ir.loadSlot(L.elem(vt), vAt(I()))));
        return m.block(null, out, vw);
      }
      const d = fl.tmp(vw);
      out.push(ir.set(d, fl.consume(e.args[1])), m.if(m.i32.ge_s(I(), ir.c32(0)), m.block(null, [dropV(ir.get(lo, d)), copyV(ir.loadSlot(L.elem(vt), vAt(I())))], vw), ir.get(lo, d)));
      return m.block(null, out, vw);
    }
    case "map.remove":
    case "set.remove": {
      const out: Ref[] = [start(), find(fl.borrow(e.args[0]))];
      const found: Ref[] = [kw === none ? m.nop() : dropK(ir.loadSlot(L.elem(kt), kAt(I())))];
      const old = isMap && vw !== none ? fl.tmp(vw) : -1;
      if (old >= 0) found.push(ir.set(old, ir.loadSlot(L.elem(vt), vAt(I()))));
      found.push(m.call(killFn(g, kt, kes, isMap ? ves : 0), [get(), I()], none));
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
    case "set.union":
    case "set.intersection":
    case "set.difference": {
      const b = fl.tmp(i32);
      return m.block(null, [start(), ir.set(b, fl.borrow(e.args[0])), m.call(setOpFn(g, e.type, e.op.slice(4) as "union" | "intersection" | "difference"), [get(), ir.get(lo, b)], i32)], i32);
    }
    case "map.take_value": {
      // The slot is left zeroed (no owner) until map.put_value fills it again.
      const out: Ref[] = [start(), find(fl.borrow(e.args[0])), m.if(m.i32.lt_s(I(), ir.c32(0)), fl.panic(e.span, "Map index: key not present"))];
      if (vw === none) return m.block(null, out);
      const v = fl.tmp(vw);
      out.push(ir.set(v, ir.loadSlot(L.elem(vt), vAt(I()))), ir.storeSlot(L.elem(vt), vAt(I()), ir.zero(vw)), ir.get(lo, v));
      return m.block(null, out, vw);
    }
    case "map.put_value": {
      const v = vw === none ? -1 : fl.tmp(vw);
      const out: Ref[] = [v >= 0 ? ir.set(v, fl.consume(e.args[1])) : fl.stmtize(fl.expr(e.args[1])), start(), find(fl.borrow(e.args[0]))];
      if (v >= 0) out.push(m.if(m.i32.ge_s(I(), ir.c32(0)), ir.storeSlot(L.elem(vt), vAt(I()), ir.get(lo, v)), dropV(ir.get(lo, v))));
      return m.block(null, out);
    }
    case "map.merge": {
      const b = fl.tmp(i32);
      return m.block(null, [start(), ir.set(b, fl.borrow(e.args[0])), m.call(mapMergeFn(g, e.type), [get(), ir.get(lo, b)], i32)], i32);
    }
    case "map.len":
    case "set.len":
      return m.block(null, [start(), m.i64.extend_u(live())], L.wasm({ kind: "int", name: "i64", bits: 64, signed: true }));
    case "map.is_empty":
    case "set.is_empty":
      return m.block(null, [start(), m.i32.eqz(live())], i32);
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
        ir.store32(dead(), ir.c32(0), HDR.LEN),
        ir.store32(get(), ir.c32(0), o.ndead),
        reindex(),
      ]);
    }
    case "map.keys":
    case "set.to_vec":
    case "map.values": {
      // A Vec of copies of the live keys (values), in entry order.
      const [et, ew, es, at] = e.op === "map.values" ? [vt, vw, ves, vAt] : [kt, kw, kes, kAt];
      const copyE = (v: Ref) => (copyFn(g, et) ? m.call(copyFn(g, et)!, [v], ew) : v);
      const r = fl.tmp(i32);
      const i = fl.tmp(i32);
      const top = fl.label("live");
      return m.block(
        null,
        [
          start(),
          ir.set(r, m.call(VEC.new, [live(), ir.c32(es)], i32)),
          ir.set(i, ir.c32(0)),
          m.loop(
            top,
            m.if(
              m.i32.lt_u(ir.get(lo, i), ir.load32(keys(), HDR.LEN)),
              m.block(null, [
                m.if(
                  m.i32.eqz(deadAt(g, dead, ir.get(lo, i))),
                  ew === none ? m.drop(m.call(VEC.pushSlot, [ir.get(lo, r), ir.c32(es)], i32)) : ir.storeSlot(L.elem(et), m.call(VEC.pushSlot, [ir.get(lo, r), ir.c32(es)], i32), copyE(ir.loadSlot(L.elem(et), at(ir.get(lo, i))))),
                ),
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
    case "map.entries": {
      // Vec[(K, V)] of copies.
      const lay = L.tupleLayout([kt, vt]);
      const r = fl.tmp(i32);
      const t = fl.tmp(i32);
      const i = fl.tmp(i32);
      const top = fl.label("entries");
      const copyK = (v: Ref) => (copyFn(g, kt) ? m.call(copyFn(g, kt)!, [v], kw) : v);
      return m.block(
        null,
        [
          start(),
          ir.set(r, m.call(VEC.new, [live(), ir.c32(4)], i32)),
          ir.set(i, ir.c32(0)),
          m.loop(
            top,
            m.if(
              m.i32.lt_u(ir.get(lo, i), ir.load32(keys(), HDR.LEN)),
              m.block(null, [
                m.if(deadAt(g, dead, ir.get(lo, i)), m.block(null, [ir.set(i, m.i32.add(ir.get(lo, i), ir.c32(1))), m.br(top)])),
                ir.set(t, m.call(ALLOC, [ir.c32(lay.size)], i32)),
                kw === none ? m.nop() : ir.store(kw, ir.get(lo, t), copyK(ir.loadSlot(L.elem(kt), kAt(ir.get(lo, i)))), lay.fields[0].offset),
                vw === none ? m.nop() : ir.store(vw, ir.get(lo, t), copyV(ir.loadSlot(L.elem(vt), vAt(ir.get(lo, i)))), lay.fields[1].offset),
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

/**
 * Address of the value stored under a key, for in-place updates through `m[k]` (`m[k] += 1`,
 * `m[k].push(x)`) and the entry API (`*m.entry(k).or_insert(d) += 1`). Without a default a missing
 * key panics like a read; with one (`orInsert`) the owned key and default are appended first, and
 * both are freed when the key is already present. The address stays valid until the map is next
 * changed, which the callers never do before storing through it.
 */
export function mapSlotAddr(fl: Lowerer, p: Extract<TPlace, { kind: "index" }>): Ref {
  const { m, ir, g, L } = fl;
  const lo = fl.locals;
  if (p.base.type.kind !== "map") throw new CodegenError("map slot of a non-map", p.span);
  const kt = p.base.type.key;
  const vt = p.base.type.value;
  const kw = L.wasm(kt);
  const vw = L.wasm(vt);
  const kes = L.elemBytes(kt);
  const ves = L.elemBytes(vt);
  const M = fl.tmp(i32);
  const idx = fl.tmp(i32);
  const get = () => ir.get(lo, M);
  const keys = () => ir.load32(get(), 0);
  const vals = () => ir.load32(get(), 4);
  const I = () => ir.get(lo, idx);
  const vAt = (i: Ref) => ir.elemAt(ir.load32(vals(), HDR.DATA), i, ves);
  const find = (key: Ref) => ir.set(idx, m.call(findFn(g, kt), [get(), ir.c32(8), kw === none ? ir.c32(0) : key], i32));
  if (!p.orInsert) {
    return m.block(null, [ir.set(M, fl.read(p.base)), find(fl.borrow(p.index)), m.if(m.i32.lt_s(I(), ir.c32(0)), fl.panic(p.span, "Map index: key not present")), vAt(I())], i32);
  }
  const k = fl.tmp(kw === none ? i32 : kw);
  const d = vw === none ? -1 : fl.tmp(vw);
  const dropK = dropFn(g, kt);
  const dropV = dropFn(g, vt);
  return m.block(
    null,
    [
      kw === none ? fl.stmtize(fl.expr(p.index)) : ir.set(k, fl.consume(p.index)),
      d >= 0 ? ir.set(d, fl.consume(p.orInsert)) : fl.stmtize(fl.expr(p.orInsert)),
      ir.set(M, fl.read(p.base)),
      find(ir.get(lo, k)),
      m.if(
        m.i32.ge_s(I(), ir.c32(0)),
        m.block(null, [dropK && kw !== none ? m.call(dropK, [ir.get(lo, k)], none) : m.nop(), dropV && d >= 0 ? m.call(dropV, [ir.get(lo, d)], none) : m.nop()]),
        m.block(null, [
          kw === none ? m.nop() : ir.storeSlot(L.elem(kt), m.call(VEC.pushSlot, [keys(), ir.c32(kes)], i32), ir.get(lo, k)),
          d >= 0 ? ir.storeSlot(L.elem(vt), m.call(VEC.pushSlot, [vals(), ir.c32(ves)], i32), ir.get(lo, d)) : m.drop(m.call(VEC.pushSlot, [vals(), ir.c32(ves)], i32)),
          m.call(reindexIfFullFn(g, kt), [get(), ir.c32(8)], none),
          ir.set(idx, m.i32.sub(ir.load32(keys(), HDR.LEN), ir.c32(1))),
        ]),
      ),
      vAt(I()),
    ],
    i32,
  );
}

/** Loop over the live entries of the Map/Set block in local `blk`; body gets the entry number local. */
function eachLive(g: Gen, l: Locals, blk: number, isMap: boolean, body: (i: number) => Ref[]): Ref {
  const { m, ir } = g;
  const o = mapOffsets(isMap);
  const i = l.add(i32);
  const label = `live${i}`;
  return m.block(null, [
    ir.set(i, ir.c32(0)),
    m.loop(
      label,
      m.if(
        m.i32.lt_u(ir.get(l, i), ir.load32(ir.load32(ir.get(l, blk), o.keys), HDR.LEN)),
        m.block(null, [
          m.if(m.i32.eqz(deadAt(g, () => ir.load32(ir.get(l, blk), o.dead), ir.get(l, i))), m.block(null, body(i))),
          ir.set(i, m.i32.add(ir.get(l, i), ir.c32(1))),
          m.br(label),
        ]),
      ),
    ),
  ]);
}

function parts(g: Gen, t: Type): { isMap: boolean; kt: Type; vt: Type } {
  if (t.kind === "map") return { isMap: true, kt: t.key, vt: t.value };
  if (t.kind === "set") return { isMap: false, kt: t.elem, vt: { kind: "unit" } };
  throw new CodegenError(`not a map or set: ${typeKey(t)}`);
}

/** copy:Map(m) -> a deep copy holding only the live entries (in order), freshly indexed. */
export function mapCopyFn(g: Gen, t: Type): string {
  const { m, ir } = g;
  const L = g.layouts;
  const { isMap, kt, vt } = parts(g, t);
  const o = mapOffsets(isMap);
  const [kw, vw] = [L.wasm(kt), L.wasm(vt)];
  const [kes, ves] = [L.elemBytes(kt), L.elemBytes(vt)];
  const reindex = reindexFn(g, kt);
  return g.define(`copy:${typeKey(t)}`, [i32], i32, (l) => {
    const src = 0;
    const [dst, n] = [l.add(i32), l.add(i32)];
    const at = (off: number, i: number, es: number) => ir.elemAt(ir.load32(ir.load32(ir.get(l, src), off), HDR.DATA), ir.get(l, i), es);
    const push = (off: number, es: number) => m.call(VEC.pushSlot, [ir.load32(ir.get(l, dst), off), ir.c32(es)], i32);
    const copyOf = (et: Type, w: number, v: Ref) => (copyFn(g, et) ? m.call(copyFn(g, et)!, [v], w) : v);
    return [
      m.if(m.i32.eqz(ir.get(l, src)), m.return(ir.c32(0))),
      ir.set(n, m.i32.sub(ir.load32(ir.load32(ir.get(l, src), o.keys), HDR.LEN), ir.load32(ir.get(l, src), o.ndead))),
      ...newBlock(g, l, dst, isMap, kes, ves, () => ir.get(l, n)),
      eachLive(g, l, src, isMap, (i) => [
        kw === none ? m.drop(push(o.keys, kes)) : ir.storeSlot(L.elem(kt), push(o.keys, kes), copyOf(kt, kw, ir.loadSlot(L.elem(kt), at(o.keys, i, kes)))),
        !isMap ? m.nop() : vw === none ? m.drop(push(o.vals, ves)) : ir.storeSlot(L.elem(vt), push(o.vals, ves), copyOf(vt, vw, ir.loadSlot(L.elem(vt), at(o.vals, i, ves)))),
      ]),
      m.call(reindex, [ir.get(l, dst), ir.c32(o.index)], none),
      ir.get(l, dst),
    ];
  });
}

/** eq:Map(a, b): same number of live entries, and every key of a maps to an equal value in b. */
export function mapEqFn(g: Gen, t: Type): string {
  const { m, ir } = g;
  const L = g.layouts;
  const { isMap, kt, vt } = parts(g, t);
  const o = mapOffsets(isMap);
  const [kw, vw] = [L.wasm(kt), L.wasm(vt)];
  const [kes, ves] = [L.elemBytes(kt), L.elemBytes(vt)];
  const find = findFn(g, kt);
  return g.define(`eq:${typeKey(t)}`, [i32, i32], i32, (l) => {
    const [a, b] = [0, 1];
    const j = l.add(i32);
    const live = (x: number) => m.i32.sub(ir.load32(ir.load32(ir.get(l, x), o.keys), HDR.LEN), ir.load32(ir.get(l, x), o.ndead));
    const at = (x: number, off: number, i: Ref, es: number) => ir.elemAt(ir.load32(ir.load32(ir.get(l, x), off), HDR.DATA), i, es);
    return [
      m.if(m.i32.ne(live(a), live(b)), m.return(ir.c32(0))),
      eachLive(g, l, a, isMap, (i) => [
        ir.set(j, m.call(find, [ir.get(l, b), ir.c32(o.index), kw === none ? ir.c32(0) : ir.loadSlot(L.elem(kt), at(a, o.keys, ir.get(l, i), kes))], i32)),
        m.if(m.i32.lt_s(ir.get(l, j), ir.c32(0)), m.return(ir.c32(0))),
        isMap && vw !== none
          ? m.if(m.i32.eqz(eqValue(g, vt, ir.loadSlot(L.elem(vt), at(a, o.vals, ir.get(l, i), ves)), ir.loadSlot(L.elem(vt), at(b, o.vals, ir.get(l, j), ves)))), m.return(ir.c32(0)))
          : m.nop(),
      ]),
      ir.c32(1),
    ];
  });
}

type CollectionLit = Extract<TExpr, { kind: "mapLit" } | { kind: "setLit" }>;

/**
 * `["k": v, ...]` / `Map["k": v]` / `Set[a, ...]`: entries are evaluated left to right and
 * inserted in turn, so a repeated key keeps its first position and its last value.
 */
export function lowerCollectionLit(fl: Lowerer, e: CollectionLit): Ref {
  const { m, ir, g, L } = fl;
  const lo = fl.locals;
  const { isMap, kt, vt } = parts(g, e.type);
  const o = mapOffsets(isMap);
  const [kw, vw] = [L.wasm(kt), L.wasm(vt)];
  const [kes, ves] = [L.elemBytes(kt), L.elemBytes(vt)];
  const dropK = dropFn(g, kt);
  const dropV = dropFn(g, vt);
  const M = fl.tmp(i32);
  const idx = fl.tmp(i32);
  const get = () => ir.get(lo, M);
  const slot = (off: number, es: number) => ir.elemAt(ir.load32(ir.load32(get(), off), HDR.DATA), ir.get(lo, idx), es);
  const push = (off: number, es: number) => m.call(VEC.pushSlot, [ir.load32(get(), off), ir.c32(es)], i32);
  const entries: [TExpr, TExpr | undefined][] = e.kind === "mapLit" ? e.entries : e.elems.map((x) => [x, undefined]);
  const out: Ref[] = newBlock(fl.g, fl.locals, M, isMap, kes, ves);
  for (const [kx, vx] of entries) {
    const k = fl.tmp(kw === none ? i32 : kw);
    const v = vx && vw !== none ? fl.tmp(vw) : -1;
    out.push(kw === none ? fl.stmtize(fl.expr(kx)) : ir.set(k, fl.consume(kx)));
    if (vx) out.push(v >= 0 ? ir.set(v, fl.consume(vx)) : fl.stmtize(fl.expr(vx)));
    out.push(
      ir.set(idx, m.call(findFn(g, kt), [get(), ir.c32(o.index), kw === none ? ir.c32(0) : ir.get(lo, k)], i32)),
      m.if(
        m.i32.ge_s(ir.get(lo, idx), ir.c32(0)),
        m.block(null, [
          dropK && kw !== none ? m.call(dropK, [ir.get(lo, k)], none) : m.nop(),
          v >= 0 && dropV ? m.call(dropV, [ir.loadSlot(L.elem(vt), slot(o.vals, ves))], none) : m.nop(),
          v >= 0 ? ir.storeSlot(L.elem(vt), slot(o.vals, ves), ir.get(lo, v)) : m.nop(),
        ]),
        m.block(null, [
          kw === none ? m.drop(push(o.keys, kes)) : ir.storeSlot(L.elem(kt), push(o.keys, kes), ir.get(lo, k)),
          !isMap ? m.nop() : v >= 0 ? ir.storeSlot(L.elem(vt), push(o.vals, ves), ir.get(lo, v)) : m.drop(push(o.vals, ves)),
          m.call(reindexIfFullFn(g, kt), [get(), ir.c32(o.index)], none),
        ]),
      ),
    );
  }
  out.push(get());
  return m.block(null, out, i32);
}

/**
 * set_op:Set[T](a, b) -> a new Set of copies: union (a's elements, then b's missing ones),
 * intersection (a's elements also in b) or difference (a's elements not in b), in a's order.
 */
function setOpFn(g: Gen, t: Type, op: "union" | "intersection" | "difference"): string {
  const { m, ir } = g;
  const L = g.layouts;
  const { kt } = parts(g, t);
  const o = mapOffsets(false);
  const kw = L.wasm(kt);
  const kes = L.elemBytes(kt);
  const find = findFn(g, kt);
  const add = reindexIfFullFn(g, kt);
  const copyK = copyFn(g, kt);
  return g.define(`set_${op}:${typeKey(t)}`, [i32, i32], i32, (l) => {
    const [a, b] = [0, 1];
    const r = l.add(i32);
    const elem = (x: number, i: number) => ir.loadSlot(L.elem(kt), ir.elemAt(ir.load32(ir.load32(ir.get(l, x), o.keys), HDR.DATA), ir.get(l, i), kes));
    const findIn = (x: number, key: Ref) => m.call(find, [ir.get(l, x), ir.c32(o.index), kw === none ? ir.c32(0) : key], i32);
    // Append a copy of element i of set x to r.
    const append = (x: number, i: number) =>
      m.block(null, [
        kw === none
          ? m.drop(m.call(VEC.pushSlot, [ir.load32(ir.get(l, r), o.keys), ir.c32(kes)], i32))
          : ir.storeSlot(L.elem(kt), m.call(VEC.pushSlot, [ir.load32(ir.get(l, r), o.keys), ir.c32(kes)], i32), copyK ? m.call(copyK, [elem(x, i)], kw) : elem(x, i)),
        m.call(add, [ir.get(l, r), ir.c32(o.index)], none),
      ]);
    const keep = (x: number, i: number, inOther: boolean) => m.if((inOther ? m.i32.ge_s : m.i32.lt_s)(findIn(b, kw === none ? ir.c32(0) : elem(x, i)), ir.c32(0)), append(x, i));
    const out: Ref[] = [
      ir.set(r, m.call(ALLOC, [ir.c32(o.size)], i32)),
      m.memory.fill(ir.get(l, r), ir.c32(0), ir.c32(o.size), "mem"),
      ir.store32(ir.get(l, r), m.call(VEC.new, [ir.c32(0), ir.c32(kes)], i32), o.keys),
      ir.store32(ir.get(l, r), m.call(VEC.new, [ir.c32(0), ir.c32(4)], i32), o.index),
      ir.store32(ir.get(l, r), m.call(VEC.new, [ir.c32(0), ir.c32(1)], i32), o.dead),
    ];
    if (op === "union") {
      out.push(eachLive(g, l, a, false, (i) => [append(a, i)]));
      const j = l.add(i32);
      out.push(
        eachLive(g, l, b, false, (i) => [
          ir.set(j, m.call(find, [ir.get(l, r), ir.c32(o.index), kw === none ? ir.c32(0) : elem(b, i)], i32)),
          m.if(m.i32.lt_s(ir.get(l, j), ir.c32(0)), append(b, i)),
        ]),
      );
    } else {
      out.push(eachLive(g, l, a, false, (i) => [keep(a, i, op === "intersection")]));
    }
    out.push(ir.get(l, r));
    return out;
  });
}

/**
 * merge:Map(a, b) -> a new map holding copies of a's entries, then b's: a key present in both
 * takes b's value (karac's last-writer rule) and keeps a's position; keys new in b follow in b's
 * order. Neither input changes.
 */
export function mapMergeFn(g: Gen, t: Type): string {
  const { m, ir } = g;
  const L = g.layouts;
  const { kt, vt } = parts(g, t);
  const o = mapOffsets(true);
  const [kw, vw] = [L.wasm(kt), L.wasm(vt)];
  const [kes, ves] = [L.elemBytes(kt), L.elemBytes(vt)];
  const find = findFn(g, kt);
  const add = reindexIfFullFn(g, kt);
  const copy = mapCopyFn(g, t);
  const [copyK, copyV, dropV] = [copyFn(g, kt), copyFn(g, vt), dropFn(g, vt)];
  return g.define(`map_merge:${typeKey(t)}`, [i32, i32], i32, (l) => {
    const [a, b] = [0, 1];
    const [r, j] = [l.add(i32), l.add(i32)];
    const at = (x: number, off: number, i: Ref, es: number) => ir.elemAt(ir.load32(ir.load32(ir.get(l, x), off), HDR.DATA), i, es);
    const key = (i: number) => ir.loadSlot(L.elem(kt), at(b, o.keys, ir.get(l, i), kes));
    const val = (i: number) => {
      const v = ir.loadSlot(L.elem(vt), at(b, o.vals, ir.get(l, i), ves));
      return copyV ? m.call(copyV, [v], vw) : v;
    };
    const push = (off: number, es: number) => m.call(VEC.pushSlot, [ir.load32(ir.get(l, r), off), ir.c32(es)], i32);
    const slotInR = () => at(r, o.vals, ir.get(l, j), ves);
    return [
      // A map value may be null (an empty map that never allocated): copy it to a real block.
      ir.set(r, m.call(copy, [ir.get(l, a)], i32)),
      m.if(m.i32.eqz(ir.get(l, r)), ir.set(r, m.block(null, [...newBlock(g, l, j, true, kes, ves), ir.get(l, j)], i32))),
      m.if(
        m.i32.eqz(ir.get(l, b)),
        m.return(ir.get(l, r)),
      ),
      eachLive(g, l, b, true, (i) => [
        ir.set(j, m.call(find, [ir.get(l, r), ir.c32(o.index), kw === none ? ir.c32(0) : key(i)], i32)),
        m.if(
          m.i32.ge_s(ir.get(l, j), ir.c32(0)),
          vw === none
            ? m.nop()
            : m.block(null, [dropV ? m.call(dropV, [ir.loadSlot(L.elem(vt), slotInR())], none) : m.nop(), ir.storeSlot(L.elem(vt), slotInR(), val(i))]),
          m.block(null, [
            kw === none ? m.drop(push(o.keys, kes)) : ir.storeSlot(L.elem(kt), push(o.keys, kes), copyK ? m.call(copyK, [key(i)], kw) : key(i)),
            vw === none ? m.drop(push(o.vals, ves)) : ir.storeSlot(L.elem(vt), push(o.vals, ves), val(i)),
            m.call(add, [ir.get(l, r), ir.c32(o.index)], none),
          ]),
        ),
      ]),
      ir.get(l, r),
    ];
  });
}

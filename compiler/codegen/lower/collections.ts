// VecDeque, SortedMap and SortedSet. Each shares the storage of its plain sibling (karac does the
// same): a VecDeque is a Vec whose front operations shift the elements; a SortedMap / SortedSet
// is a Map / Set block whose snapshots are taken in ascending key order. The ordered queries
// (min, max, floor, ceiling, range) scan the live entries once; `range` and the snapshots sort
// the keys they keep (stable merge sort) and look each value up by key.

import type { TExpr, Type } from "../../tir/nodes.js";
import type { Gen } from "../context.js";
import { f64, i32, i64, none, type Locals, type Ref } from "../ir.js";
import { HDR, typeKey } from "../layout.js";
import { ALLOC } from "../runtime/alloc.js";
import { VEC } from "../runtime/vec.js";
import { CodegenError } from "./errors.js";
import type { Lowerer } from "./lowerer.js";
import { deadAt, findFn, mapOffsets } from "./maps.js";
import { recv, recvType } from "./receiver.js";
import { sortFn } from "./sort.js";
import { cmpValue, copyFn, dropFn, fmtValue, orderedFormatting } from "./typeops.js";
import { STR } from "../runtime/strings.js";
import { makeVariant } from "./variants.js";
import { lowerRangeOp } from "./range-ops.js";

type BuiltinExpr = Extract<TExpr, { kind: "builtin" }>;

/** Key and value types of a Map / Set type (a Set's value is unit). */
function kv(t: Type): { isMap: boolean; kt: Type; vt: Type } {
  if (t.kind === "map") return { isMap: true, kt: t.key, vt: t.value };
  if (t.kind === "set") return { isMap: false, kt: t.elem, vt: { kind: "unit" } };
  throw new CodegenError(`not a map or set: ${typeKey(t)}`);
}

/** Whether a snapshot of this receiver type comes in key order. */
export function isSortedCollection(t: Type): boolean {
  return (t.kind === "map" || t.kind === "set") && !!t.sorted;
}

// ---------------------------------------------------------------- generated helpers

/**
 * sorted_keys:T(blk, lo, hi, bounded) -> Vec[K]: copies of the live keys (only lo <= key <= hi
 * when `bounded`), sorted ascending.
 */
function sortedKeysFn(g: Gen, t: Type): string {
  const { m, ir } = g;
  const L = g.layouts;
  const { isMap, kt } = kv(t);
  const o = mapOffsets(isMap);
  const kw = L.wasm(kt);
  const kes = L.elemBytes(kt);
  const copyK = copyFn(g, kt);
  const sort = sortFn(g, kt);
  const pw = kw === none ? i32 : kw;
  return g.define(`sorted_keys:${typeKey(t)}`, [i32, pw, pw, i32], i32, (l) => {
    const [blk, lo, hi, bounded] = [0, 1, 2, 3];
    const [r, i, keys] = [l.add(i32), l.add(i32), l.add(i32)];
    const key = () => ir.loadSlot(L.elem(kt), ir.elemAt(ir.load32(ir.get(l, keys), HDR.DATA), ir.get(l, i), kes));
    const inRange =
      kw === none
        ? ir.c32(1)
        : m.if(ir.get(l, bounded), m.i32.and(m.i32.ge_s(cmpValue(g, kt, key(), ir.get(l, lo)), ir.c32(0)), m.i32.le_s(cmpValue(g, kt, key(), ir.get(l, hi)), ir.c32(0))), ir.c32(1));
    return [
      ir.set(keys, ir.load32(ir.get(l, blk), o.keys)),
      ir.set(r, m.call(VEC.new, [ir.c32(0), ir.c32(kes)], i32)),
      m.loop(
        "scan",
        m.if(
          m.i32.lt_u(ir.get(l, i), ir.load32(ir.get(l, keys), HDR.LEN)),
          m.block(null, [
            m.if(
              m.i32.and(m.i32.eqz(deadAt(g, () => ir.load32(ir.get(l, blk), o.dead), ir.get(l, i))), inRange),
              kw === none
                ? m.drop(m.call(VEC.pushSlot, [ir.get(l, r), ir.c32(kes)], i32))
                : ir.storeSlot(L.elem(kt), m.call(VEC.pushSlot, [ir.get(l, r), ir.c32(kes)], i32), copyK ? m.call(copyK, [key()], kw) : key()),
            ),
            ir.set(i, m.i32.add(ir.get(l, i), ir.c32(1))),
            m.br("scan"),
          ]),
        ),
      ),
      m.call(sort, [ir.get(l, r)], none),
      ir.get(l, r),
    ];
  });
}

/**
 * sorted_pick:T(blk, keys, entries) -> Vec: from a Vec of owned keys of the map, either the
 * entries `(K, V)` (the keys move into them) or copies of the values in that order (the keys
 * are freed). The keys Vec is consumed.
 */
function pickFn(g: Gen, t: Type, entries: boolean): string {
  const { m, ir } = g;
  const L = g.layouts;
  const { kt, vt } = kv(t);
  const o = mapOffsets(true);
  const [kw, vw] = [L.wasm(kt), L.wasm(vt)];
  const [kes, ves] = [L.elemBytes(kt), L.elemBytes(vt)];
  const find = findFn(g, kt);
  const copyV = copyFn(g, vt);
  const dropK = dropFn(g, kt);
  const lay = L.tupleLayout([kt, vt]);
  return g.define(`sorted_${entries ? "entries" : "values"}:${typeKey(t)}`, [i32, i32], i32, (l) => {
    const [blk, keys] = [0, 1];
    const [r, i, j, tup] = [l.add(i32), l.add(i32), l.add(i32), l.add(i32)];
    const key = () => ir.loadSlot(L.elem(kt), ir.elemAt(ir.load32(ir.get(l, keys), HDR.DATA), ir.get(l, i), kes));
    const val = () => ir.loadSlot(L.elem(vt), ir.elemAt(ir.load32(ir.load32(ir.get(l, blk), o.vals), HDR.DATA), ir.get(l, j), ves));
    const valCopy = () => (copyV ? m.call(copyV, [val()], vw) : val());
    const n = () => ir.load32(ir.get(l, keys), HDR.LEN);
    const step: Ref[] = [ir.set(j, m.call(find, [ir.get(l, blk), ir.c32(o.index), kw === none ? ir.c32(0) : key()], i32))];
    if (entries) {
      step.push(
        ir.set(tup, m.call(ALLOC, [ir.c32(lay.size)], i32)),
        kw === none ? m.nop() : ir.store(kw, ir.get(l, tup), key(), lay.fields[0].offset),
        vw === none ? m.nop() : ir.store(vw, ir.get(l, tup), valCopy(), lay.fields[1].offset),
        ir.store32(m.call(VEC.pushSlot, [ir.get(l, r), ir.c32(4)], i32), ir.get(l, tup)),
      );
    } else {
      step.push(
        vw === none ? m.drop(m.call(VEC.pushSlot, [ir.get(l, r), ir.c32(ves)], i32)) : ir.storeSlot(L.elem(vt), m.call(VEC.pushSlot, [ir.get(l, r), ir.c32(ves)], i32), valCopy()),
        dropK && kw !== none ? m.call(dropK, [key()], none) : m.nop(),
      );
    }
    return [
      ir.set(r, m.call(VEC.new, [n(), ir.c32(entries ? 4 : ves)], i32)),
      m.loop("pick", m.if(m.i32.lt_u(ir.get(l, i), n()), m.block(null, [...step, ir.set(i, m.i32.add(ir.get(l, i), ir.c32(1))), m.br("pick")]))),
      m.call(VEC.freeShallow, [ir.get(l, keys)], none),
      ir.get(l, r),
    ];
  });
}

/**
 * extreme:T:how(blk, probe) -> entry number or -1: the live key that is smallest ("min"),
 * largest ("max"), largest <= probe ("floor") or smallest >= probe ("ceiling").
 */
function extremeFn(g: Gen, t: Type, how: "min" | "max" | "floor" | "ceiling"): string {
  const { m, ir } = g;
  const L = g.layouts;
  const { isMap, kt } = kv(t);
  const o = mapOffsets(isMap);
  const kw = L.wasm(kt);
  const kes = L.elemBytes(kt);
  return g.define(`sorted_${how}:${typeKey(t)}`, [i32, kw === none ? i32 : kw], i32, (l) => {
    const [blk, probe] = [0, 1];
    const [best, i, keys] = [l.add(i32), l.add(i32), l.add(i32)];
    const at = (x: Ref) => ir.loadSlot(L.elem(kt), ir.elemAt(ir.load32(ir.get(l, keys), HDR.DATA), x, kes));
    const c = (a: Ref, b: Ref) => (kw === none ? ir.c32(0) : cmpValue(g, kt, a, b));
    // Candidate i qualifies against the probe, and beats the best so far.
    const fits = how === "floor" ? m.i32.le_s(c(at(ir.get(l, i)), ir.get(l, probe)), ir.c32(0)) : how === "ceiling" ? m.i32.ge_s(c(at(ir.get(l, i)), ir.get(l, probe)), ir.c32(0)) : ir.c32(1);
    const wantSmaller = how === "min" || how === "ceiling";
    const beats = m.if(
      m.i32.lt_s(ir.get(l, best), ir.c32(0)),
      ir.c32(1),
      (wantSmaller ? m.i32.lt_s : m.i32.gt_s)(c(at(ir.get(l, i)), at(ir.get(l, best))), ir.c32(0)),
    );
    return [
      ir.set(keys, ir.load32(ir.get(l, blk), o.keys)),
      ir.set(best, ir.c32(-1)),
      m.loop(
        "scan",
        m.if(
          m.i32.lt_u(ir.get(l, i), ir.load32(ir.get(l, keys), HDR.LEN)),
          m.block(null, [
            m.if(m.i32.eqz(deadAt(g, () => ir.load32(ir.get(l, blk), o.dead), ir.get(l, i))), m.if(fits, m.if(beats, ir.set(best, ir.get(l, i))))),
            ir.set(i, m.i32.add(ir.get(l, i), ir.c32(1))),
            m.br("scan"),
          ]),
        ),
      ),
      ir.get(l, best),
    ];
  });
}

// ---------------------------------------------------------------- snapshots and printing

/** A zero of the key's wasm type (an unused bound). */
function zeroOf(g: Gen, t: Type): Ref {
  const w = g.layouts.wasm(t);
  const { m, ir } = g;
  if (w === none || w === i32) return ir.c32(0);
  if (w === i64) return ir.c64(0);
  return w === f64 ? m.f64.const(0) : m.f32.const(0);
}

/** reverse:T(vec): reverses the elements of a Vec in place (an iterator value keeps them last first). */
function reverseFn(g: Gen, el: Type): string {
  const { m, ir } = g;
  const L = g.layouts;
  const slot = L.elem(el);
  const es = L.elemBytes(el);
  return g.define(`iter_reverse:${typeKey(el)}`, [i32], none, (l) => {
    const [i, j, a] = [l.add(i32), l.add(i32), l.add(slot.wasm === none ? i32 : slot.wasm)];
    const at = (x: number) => ir.elemAt(ir.load32(ir.get(l, 0), HDR.DATA), ir.get(l, x), es);
    if (slot.wasm === none) return [m.nop()];
    return [
      ir.set(j, m.i32.sub(ir.load32(ir.get(l, 0), HDR.LEN), ir.c32(1))),
      m.loop(
        "swap",
        m.if(
          m.i32.lt_s(ir.get(l, i), ir.get(l, j)),
          m.block(null, [
            ir.set(a, ir.loadSlot(slot, at(i))),
            ir.storeSlot(slot, at(i), ir.loadSlot(slot, at(j))),
            ir.storeSlot(slot, at(j), ir.get(l, a)),
            ir.set(i, m.i32.add(ir.get(l, i), ir.c32(1))),
            ir.set(j, m.i32.sub(ir.get(l, j), ir.c32(1))),
            m.br("swap"),
          ]),
        ),
      ),
    ];
  });
}

// ---------------------------------------------------------------- lowering

export function lowerCollectionOp(fl: Lowerer, e: BuiltinExpr): Ref | undefined {
  const { m, ir, g, L } = fl;
  const lo = fl.locals;
  const via = (op: BuiltinExpr["op"], args = e.args): Ref => fl.expr({ ...e, op, args });
  if (e.op.startsWith("range")) return lowerRangeOp(fl, e);
  switch (e.op) {
    // -------------------------------------------------------------- VecDeque
    case "deque.new":
      return via(e.args.length ? "vec.with_capacity" : "vec.new");
    case "deque.from":
      return fl.consume(e.args[0]);
    case "deque.push_back":
      return via("vec.push");
    case "deque.pop_back":
      return via("vec.pop");
    case "deque.front":
      return via("vec.first");
    case "deque.back":
      return via("vec.last");
    case "deque.push_front":
    case "deque.pop_front": {
      const rt = recvType(e.receiver);
      if (rt.kind !== "vec") throw new CodegenError("deque op on a non-deque", e.span);
      const el = rt.elem;
      const w = L.wasm(el);
      const es = L.elemBytes(el);
      const v = fl.tmp(i32);
      const V = () => ir.get(lo, v);
      const data = () => ir.load32(V(), HDR.DATA);
      const len = () => ir.load32(V(), HDR.LEN);
      if (e.op === "deque.push_front") {
        const x = w === none ? -1 : fl.tmp(w);
        return m.block(null, [
          x >= 0 ? ir.set(x, fl.consume(e.args[0])) : fl.stmtize(fl.expr(e.args[0])),
          ir.set(v, recv(fl, e.receiver)),
          m.call(VEC.reserve, [V(), ir.c32(1), ir.c32(es)], none),
          m.memory.copy(m.i32.add(data(), ir.c32(es)), data(), m.i32.mul(len(), ir.c32(es)), "mem", "mem"),
          x >= 0 ? ir.storeSlot(L.elem(el), data(), ir.get(lo, x)) : m.nop(),
          ir.store32(V(), m.i32.add(len(), ir.c32(1)), HDR.LEN),
        ]);
      }
      const x = w === none ? -1 : fl.tmp(w);
      return m.block(
        null,
        [
          ir.set(v, recv(fl, e.receiver)),
          m.if(
            m.i32.eqz(len()),
            makeVariant(fl, e.type, "None"),
            m.block(
              null,
              [
                x >= 0 ? ir.set(x, ir.loadSlot(L.elem(el), data())) : m.nop(),
                ir.store32(V(), m.i32.sub(len(), ir.c32(1)), HDR.LEN),
                m.memory.copy(data(), m.i32.add(data(), ir.c32(es)), m.i32.mul(len(), ir.c32(es)), "mem", "mem"),
                makeVariant(fl, e.type, "Some", x >= 0 ? ir.get(lo, x) : undefined),
              ],
              i32,
            ),
          ),
        ],
        i32,
      );
    }
    // -------------------------------------------------------------- iterator values
    case "iter.from_vec":
    case "iter.to_vec": {
      const t = e.op === "iter.from_vec" ? e.args[0].type : recvType(e.receiver);
      if (t.kind !== "vec") throw new CodegenError("iterator over a non-Vec", e.span);
      const v = fl.tmp(i32);
      const first = e.op === "iter.from_vec" ? fl.consume(e.args[0]) : fl.copyValue({ kind: "vec", elem: t.elem }, recv(fl, e.receiver));
      return m.block(null, [ir.set(v, first), m.call(reverseFn(g, t.elem), [ir.get(lo, v)], none), ir.get(lo, v)], i32);
    }
    case "iter.next":
      return via("vec.pop");
    case "iter.peek":
      return via("vec.last");
    case "vec.from_slice": {
      const at = e.args[0].type;
      const el = at.kind === "vec" || at.kind === "array" || at.kind === "slice" ? at.elem : undefined;
      if (!el) throw new CodegenError("Vec.from_slice of a non-sequence", e.span);
      return fl.copyValue({ kind: "vec", elem: el }, fl.borrow(e.args[0]));
    }
    // -------------------------------------------------------------- SortedMap / SortedSet
    case "sortedmap.new":
      return via("map.new");
    case "sortedset.new":
      return via("set.new");
    case "sortedmap.min":
    case "sortedmap.max":
    case "sortedmap.floor":
    case "sortedmap.ceiling":
    case "sortedset.min":
    case "sortedset.max": {
      const t = recvType(e.receiver);
      const { isMap, kt, vt } = kv(t);
      const o = mapOffsets(isMap);
      const [kw, vw] = [L.wasm(kt), L.wasm(vt)];
      const [kes, ves] = [L.elemBytes(kt), L.elemBytes(vt)];
      const how = e.op.slice(e.op.indexOf(".") + 1) as "min" | "max" | "floor" | "ceiling";
      const M = fl.tmp(i32);
      const idx = fl.tmp(i32);
      const probe = how === "floor" || how === "ceiling" ? fl.borrow(e.args[0]) : zeroOf(g, kt);
      const copyOf = (et: Type, w: number, v: Ref) => (copyFn(g, et) ? m.call(copyFn(g, et)!, [v], w) : v);
      const keyAt = () => ir.loadSlot(L.elem(kt), ir.elemAt(ir.load32(ir.load32(ir.get(lo, M), o.keys), HDR.DATA), ir.get(lo, idx), kes));
      const valAt = () => ir.loadSlot(L.elem(vt), ir.elemAt(ir.load32(ir.load32(ir.get(lo, M), o.vals), HDR.DATA), ir.get(lo, idx), ves));
      let payload: Ref | undefined;
      if (isMap) {
        const lay = L.tupleLayout([kt, vt]);
        const tup = fl.tmp(i32);
        payload = m.block(
          null,
          [
            ir.set(tup, m.call(ALLOC, [ir.c32(lay.size)], i32)),
            kw === none ? m.nop() : ir.store(kw, ir.get(lo, tup), copyOf(kt, kw, keyAt()), lay.fields[0].offset),
            vw === none ? m.nop() : ir.store(vw, ir.get(lo, tup), copyOf(vt, vw, valAt()), lay.fields[1].offset),
            ir.get(lo, tup),
          ],
          i32,
        );
      } else payload = kw === none ? undefined : copyOf(kt, kw, keyAt());
      return m.block(
        null,
        [
          ir.set(M, recv(fl, e.receiver)),
          ir.set(idx, m.call(extremeFn(g, t, how), [ir.get(lo, M), kw === none ? ir.c32(0) : probe], i32)),
          m.if(m.i32.lt_s(ir.get(lo, idx), ir.c32(0)), makeVariant(fl, e.type, "None"), makeVariant(fl, e.type, "Some", payload)),
        ],
        i32,
      );
    }
    case "sortedmap.range": {
      const t = recvType(e.receiver);
      const { kt } = kv(t);
      const kw = L.wasm(kt);
      const M = fl.tmp(i32);
      const a = kw === none ? -1 : fl.tmp(kw);
      const b = kw === none ? -1 : fl.tmp(kw);
      const keys = fl.tmp(i32);
      return m.block(
        null,
        [
          ir.set(M, recv(fl, e.receiver)),
          a >= 0 ? ir.set(a, fl.borrow(e.args[0])) : fl.stmtize(fl.expr(e.args[0])),
          b >= 0 ? ir.set(b, fl.borrow(e.args[1])) : fl.stmtize(fl.expr(e.args[1])),
          ir.set(keys, m.call(sortedKeysFn(g, t), [ir.get(lo, M), a >= 0 ? ir.get(lo, a) : ir.c32(0), b >= 0 ? ir.get(lo, b) : ir.c32(0), ir.c32(1)], i32)),
          m.call(pickFn(g, t, true), [ir.get(lo, M), ir.get(lo, keys)], i32),
        ],
        i32,
      );
    }
  }
  return undefined;
}

/** `m.keys()` / `m.values()` / `m.entries()` / `s.to_vec()` on a SortedMap / SortedSet; else undefined. */
export function lowerSortedSnapshot(fl: Lowerer, e: BuiltinExpr): Ref | undefined {
  const snapshot = e.op === "map.keys" || e.op === "map.values" || e.op === "map.entries" || e.op === "set.to_vec";
  if (!snapshot || !isSortedCollection(recvType(e.receiver))) return undefined;
  const { m, ir, g } = fl;
  const t = recvType(e.receiver);
  const M = fl.tmp(i32);
  const what = e.op === "map.values" ? "values" : e.op === "map.entries" ? "entries" : "keys";
  return m.block(null, [ir.set(M, recv(fl, e.receiver)), sortedSnapshotOf(g, t, what, () => ir.get(fl.locals, M))], i32);
}

/** A key-ordered snapshot of the block that `blk()` reads (called more than once). */
export function sortedSnapshotOf(g: Gen, t: Type, what: "keys" | "values" | "entries", blk: () => Ref): Ref {
  const { m, ir } = g;
  const { kt } = kv(t);
  const keys = m.call(sortedKeysFn(g, t), [blk(), zeroOf(g, kt), zeroOf(g, kt), ir.c32(0)], i32);
  if (what === "keys") return keys;
  return m.call(pickFn(g, t, what === "entries"), [blk(), keys], i32);
}

/**
 * Printing a SortedMap `{k: v, ...}` / SortedSet `Set{a, ...}`: the same text as a Map / Set,
 * in key order. Installed into typeops.ts's formatter (see `orderedFormatting` there).
 */
function sortedFmt(g: Gen, l: Locals, t: Type, sbLocal: number, v: number, debug: boolean): Ref[] {
  const { m, ir } = g;
  const L = g.layouts;
  const { isMap, kt, vt } = kv(t);
  const snap = l.add(i32);
  const i = l.add(i32);
  const sb = () => ir.get(l, sbLocal);
  const text = (s: string) => m.call(STR.pushStr, [sb(), ir.c32(g.staticString(s))], none);
  const elemT: Type = isMap ? { kind: "tuple", elems: [kt, vt] } : kt;
  const es = L.elemBytes(elemT);
  const item = () => ir.loadSlot(L.elem(elemT), ir.elemAt(ir.load32(ir.get(l, snap), HDR.DATA), ir.get(l, i), es));
  const lay = isMap ? L.tupleLayout([kt, vt]) : undefined;
  const body: Ref[] = [m.if(ir.get(l, i), text(", "))];
  if (lay) {
    const [kf, vf] = lay.fields;
    body.push(
      fmtValue(g, kt, sb(), kf.wasm === none ? ir.c32(0) : ir.load(kf.wasm, item(), kf.offset), debug),
      text(": "),
      fmtValue(g, vt, sb(), vf.wasm === none ? ir.c32(0) : ir.load(vf.wasm, item(), vf.offset), debug),
    );
  } else body.push(fmtValue(g, kt, sb(), L.wasm(kt) === none ? ir.c32(0) : item(), debug));
  const drop = dropFn(g, { kind: "vec", elem: elemT });
  return [
    ir.set(snap, sortedSnapshotOf(g, t, isMap ? "entries" : "keys", () => ir.get(l, v))),
    text(isMap ? "{" : "Set{"),
    m.loop("items", m.if(m.i32.lt_u(ir.get(l, i), ir.load32(ir.get(l, snap), HDR.LEN)), m.block(null, [...body, ir.set(i, m.i32.add(ir.get(l, i), ir.c32(1))), m.br("items")]))),
    text("}"),
    drop ? m.call(drop, [ir.get(l, snap)], none) : m.call(VEC.freeShallow, [ir.get(l, snap)], none),
  ];
}
orderedFormatting.fmt = sortedFmt;

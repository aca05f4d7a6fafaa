// Calls and function values: direct calls (with `mut` arguments passed by address), calls
// through a function value, and closures with the environment that carries their captures.

import binaryen from "binaryen";
import type { TArg, TCaptureInit, TExpr, TFunction, TPlace, Type } from "../../tir/nodes.js";
import type { Gen } from "../context.js";
import { i32, i64, none, TABLE, wasmSize, type Ref, type WType } from "../ir.js";
import { ALLOC, FREE } from "../runtime/alloc.js";
import type { Lowerer } from "./lowerer.js";
import { ENV, envLayout, isLifted, signature } from "./signature.js";
import { copyFn, dropFn } from "./typeops.js";

export function call(fl: Lowerer, fnId: number, args: TArg[], type: Type): Ref {
  const { m, L } = fl;
  const callee = fl.g.program.functions[fnId];
  const ops: Ref[] = [];
  const pre: Ref[] = [];
  const post: Ref[] = [];
  args.forEach((a, k) => {
    const p = callee.params[k];
    let v: Ref;
    if (a.mode === "mutref") v = mutrefArg(fl, a.place, post);
    else if (p && p.mode === "owned" && !L.boxedCopy(p.type)) v = fl.consume(a.value);
    else if (isWholeView(a.value)) v = fl.borrow(a.value.base);
    else v = fl.borrow(a.value);
    const pw = p ? (p.mode === "mutref" ? i32 : L.wasm(p.type)) : binaryen.getExpressionType(v);
    if (pw === none) pre.push(fl.stmtize(v));
    else ops.push(v);
  });
  const rw = L.wasm(callee.ret);
  let r = m.call(fl.g.fnSymbol(fnId), ops, rw);
  if (post.length) {
    const res = rw === none ? -1 : fl.tmp(rw);
    r = m.block(null, [res < 0 ? r : fl.ir.set(res, r), ...post, res < 0 ? m.nop() : fl.ir.get(fl.locals, res)], rw);
  }
  const out = pre.length ? m.block(null, [...pre, r], rw) : r;
  if (type.kind === "never" || callee.ret.kind === "never") return m.block(null, [fl.stmtize(out), m.unreachable()]);
  return out;
}

/**
 * The address passed for a `mut` argument. A callee accesses its `mut` parameters at full
 * width, so a narrow element slot (Vec[u8] element, …) goes through a full-width cell: copied
 * in here, written back by `post` after the call.
 */
export function mutrefArg(fl: Lowerer, place: TPlace, post: Ref[]): Ref {
  const { m, ir } = fl;
  const slot = fl.placeSlot(place);
  if (slot.bytes >= wasmSize(slot.wasm)) return fl.addr(place, true);
  const at = fl.tmp(i32);
  const cell = fl.tmp(i32);
  post.push(ir.storeSlot(slot, ir.get(fl.locals, at), ir.load(slot.wasm, ir.get(fl.locals, cell))), m.call(FREE, [ir.get(fl.locals, cell)], none));
  return m.block(
    null,
    [
      ir.set(at, fl.addr(place, true)),
      ir.set(cell, m.call(ALLOC, [ir.c32(8)], i32)),
      ir.store(slot.wasm, ir.get(fl.locals, cell), ir.loadSlot(slot, ir.get(fl.locals, at))),
      ir.get(fl.locals, cell),
    ],
    i32,
  );
}

export function callValue(fl: Lowerer, callee: TExpr, args: TExpr[], type: Type): Ref {
  const { m, ir, L } = fl;
  const f = fl.tmp(i64);
  const ops: Ref[] = [m.i32.wrap(ir.get(fl.locals, f))];
  const types: WType[] = [i32];
  for (const a of args) {
    const w = L.wasm(a.type);
    if (w === none) continue;
    ops.push(L.boxedCopy(a.type) ? fl.borrow(a) : fl.consume(a));
    types.push(w);
  }
  const rw = L.wasm(type);
  const target = m.i32.wrap(m.i64.shr_u(ir.get(fl.locals, f), ir.c64(32)));
  const c = m.call_indirect(TABLE, target, ops, binaryen.createType(types), rw);
  return m.block(null, [ir.set(f, fl.borrow(callee)), c], rw);
}

export function fnValue(fl: Lowerer, name: string, env: Ref): Ref {
  const { m, ir } = fl;
  return m.i64.or(m.i64.shl(ir.c64(fl.g.slot(name)), ir.c64(32)), m.i64.extend_u(env));
}

/** A table entry taking (env, params…) that forwards to a named function. */
export function fnRefAdapter(fl: Lowerer, fnId: number): string {
  const g = fl.g;
  const fn = g.program.functions[fnId];
  if (isLifted(fn)) return g.fnSymbol(fnId);
  const sig = signature(g, fn);
  return g.define(`val:${g.fnSymbol(fnId)}`, [i32, ...sig.params], sig.result, () => [
    g.m.call(g.fnSymbol(fnId), sig.params.map((w, k) => g.m.local.get(k + 1, w)), sig.result),
  ]);
}

/** Allocate and fill the environment of a lifted function. */
export function makeEnv(fl: Lowerer, fnId: number, inits: TCaptureInit[]): Ref {
  const { m, ir, L } = fl;
  const lifted = fl.g.program.functions[fnId];
  const lay = envLayout(fl.g, lifted);
  if (lay.slots.length === 0) return ir.c32(0);
  if (inits.some((c) => c.byRef) && lifted.kind === "closure") fl.retainCells();
  const env = fl.tmp(i32);
  const out: Ref[] = [ir.set(env, m.call(ALLOC, [ir.c32(Math.max(8, lay.size))], i32))];
  if (lifted.kind === "closure") {
    const ops = envOps(fl.g, lifted);
    out.push(
      ir.store32(ir.get(fl.locals, env), ir.c32(fl.g.slot(ops.drop)), ENV.DROP),
      ir.store32(ir.get(fl.locals, env), ir.c32(fl.g.slot(ops.copy)), ENV.COPY),
    );
  }
  inits.forEach((c, k) => {
    const s = lay.slots[k];
    if (!s || s.wasm === none) return;
    // A closure or task may outlive the captured binding's scope: owned values are copied.
    const t = lifted.captures[k]?.type;
    const v = c.byRef
      ? fl.localAddr(c.outer)
      : lifted.kind !== "parBranch" && t && L.owned(t)
        ? fl.copyValue(t, fl.readLocal(c.outer))
        : fl.readLocal(c.outer);
    out.push(ir.store(s.wasm, ir.get(fl.locals, env), v, s.offset));
  });
  out.push(ir.get(fl.locals, env));
  return m.block(null, out, i32);
}

/**
 * Drop and copy of a closure's environment, reached through its header: the captured-by-value
 * owned values are the environment's own (makeEnv copies them); by-reference slots hold cell
 * addresses, which the copy shares.
 */
function envOps(g: Gen, fn: TFunction): { drop: string; copy: string } {
  const { m, ir, layouts: L } = g;
  const lay = envLayout(g, fn);
  const size = Math.max(8, lay.size);
  const owned = fn.captures.flatMap((c, k) => (!c.byRef && lay.slots[k].wasm !== none && L.owned(c.type) ? [{ type: c.type, slot: lay.slots[k] }] : []));
  const sym = g.fnSymbol(fn.id);
  const drop = g.define(`envdrop:${sym}`, [i32], none, (l) => [
    ...owned.map((o) => m.call(dropFn(g, o.type)!, [ir.load(o.slot.wasm, ir.get(l, 0), o.slot.offset)], none)),
    m.call(FREE, [ir.get(l, 0)], none),
  ]);
  const copy = g.define(`envcopy:${sym}`, [i32], i32, (l) => {
    const r = l.add(i32);
    return [
      ir.set(r, m.call(ALLOC, [ir.c32(size)], i32)),
      m.memory.copy(ir.get(l, r), ir.get(l, 0), ir.c32(size), "mem", "mem"),
      ...owned.map((o) =>
        ir.store(o.slot.wasm, ir.get(l, r), m.call(copyFn(g, o.type)!, [ir.load(o.slot.wasm, ir.get(l, 0), o.slot.offset)], o.slot.wasm), o.slot.offset),
      ),
      ir.get(l, r),
    ];
  });
  return { drop, copy };
}

/**
 * `v[..]` of a whole Vec/Array (how a collection is passed to a Slice parameter): the collection's
 * header starts with the {data, len} of a slice header, and a borrowed parameter is never freed or
 * resized, so the callee can take the collection's own header instead of a new one.
 */
function isWholeView(e: TExpr): e is TExpr & { kind: "slice" } {
  return e.kind === "slice" && !e.lo && !e.hi && (e.base.type.kind === "vec" || e.base.type.kind === "array");
}


// Loops: `while`, `loop` (whose `break` may carry a value) and `for` over ranges, sequences and
// string characters. Each loop is a Binaryen block (the break target) around a loop whose body
// sits in an inner block (the continue target); every back-edge polls abort and cancellation.
// Sequences the loop cannot change have their headers read once before it (loop-invariants.ts).

import type { TBlock, TExpr, TForIter } from "../../tir/nodes.js";
import { i32, i64, none, type Ref } from "../ir.js";
import { HDR } from "../layout.js";
import { CodegenError } from "./errors.js";
import type { Lowerer } from "./lowerer.js";
import { loopFacts } from "./loop-invariants.js";

type WhileExpr = TExpr & { kind: "while" };
type LoopExpr = TExpr & { kind: "loop" };

export function whileLoop(fl: Lowerer, e: WhileExpr): Ref {
  const m = fl.m;
  const brk = fl.label("brk");
  const cont = fl.label("cont");
  const top = fl.label("top");
  fl.setTarget(e.loopId, { brk, cont, depth: fl.scopeDepth(), type: none });
  const facts = loopFacts(fl).open(fl, [e.cond, e.body]);
  const cond = fl.scoped(i32, () => fl.expr(e.cond));
  const body = fl.stmtize(fl.blockExpr(e.body));
  facts.close();
  return m.block(brk, [...facts.init, m.loop(top, m.block(null, [m.br(brk, m.i32.eqz(cond)), m.block(cont, [body]), fl.backEdge(top)]))]);
}

/** `loop { … }`: its value comes from `break v`; without a break it is of type `never`. */
export function loopExpr(fl: Lowerer, e: LoopExpr): Ref {
  const m = fl.m;
  const brk = fl.label("brk");
  const cont = fl.label("cont");
  const top = fl.label("top");
  const bw = e.type.kind === "never" ? none : fl.L.wasm(e.type);
  fl.setTarget(e.loopId, { brk, cont, depth: fl.scopeDepth(), type: bw });
  const facts = loopFacts(fl).open(fl, [e.body]);
  const body = fl.stmtize(fl.blockExpr(e.body));
  facts.close();
  const lp = m.loop(top, m.block(null, [m.block(cont, [body]), fl.backEdge(top)]));
  if (e.type.kind === "never") return m.block(brk, [...facts.init, lp]);
  return m.block(brk, [...facts.init, lp, ...(bw === none ? [] : [m.unreachable()])], bw);
}

export function forLoop(fl: Lowerer, loopId: number, iter: TForIter, body: TBlock): Ref {
  const { m, ir, L } = fl;
  const brk = fl.label("brk");
  const cont = fl.label("cont");
  const top = fl.label("top");
  fl.setTarget(loopId, { brk, cont, depth: fl.scopeDepth(), type: none });
  const lo = fl.locals;
  switch (iter.kind) {
    case "range": {
      // Walk [first, last] (inclusive) forward or backward by `step`; the distance left is
      // compared before each step so the counter never overflows.
      const w = L.wasm(iter.elem);
      const t = iter.elem;
      const o = w === i64 ? m.i64 : m.i32;
      const one = w === i64 ? ir.c64(1) : ir.c32(1);
      const [i, lo2, hi2, st] = [fl.tmp(w), fl.tmp(w), fl.tmp(w), fl.tmp(i64)];
      const G = (k: number) => ir.get(lo, k);
      const dist = (a: Ref, b: Ref) => (w === i64 ? o.sub(a, b) : m.i64.extend_u(o.sub(a, b)));
      const init: Ref[] = [
        ir.set(lo2, fl.expr(iter.lo)),
        ir.set(hi2, fl.expr(iter.hi)),
        ir.set(st, iter.step ? fl.toI64(iter.step) : ir.c64(1)),
      ];
      if (iter.step) init.push(m.if(m.i64.le_s(G(st), ir.c64(0)), fl.panic(iter.step.span, "assertion failed: step != 0")));
      // empty range → skip; exclusive upper bound → last = hi - 1
      init.push(m.br(brk, iter.inclusive ? fl.compare(">", t, G(lo2), G(hi2)) : fl.compare(">=", t, G(lo2), G(hi2))));
      if (!iter.inclusive) init.push(ir.set(hi2, o.sub(G(hi2), one)));
      init.push(ir.set(i, iter.reverse ? G(hi2) : G(lo2)));
      const facts = loopFacts(fl).open(fl, [body], iter.variable);
      init.push(...facts.init);
      const undoRange = loopFacts(fl).rangeFacts(fl, iter, body, facts.scan);
      const b = fl.stmtize(fl.blockExpr(body));
      undoRange();
      facts.close();
      const left = iter.reverse ? dist(G(i), G(lo2)) : dist(G(hi2), G(i));
      const advance = iter.reverse ? o.sub(G(i), w === i64 ? G(st) : m.i32.wrap(G(st))) : o.add(G(i), w === i64 ? G(st) : m.i32.wrap(G(st)));
      return m.block(brk, [
        ...init,
        m.loop(
          top,
          m.block(null, [
            ...fl.bindPattern(iter.variable, () => G(i)),
            m.block(cont, [b]),
            m.br(brk, m.i64.lt_u(left, G(st))),
            ir.set(i, advance),
            fl.backEdge(top),
          ]),
        ),
      ]);
    }
    case "seq": {
      const el = iter.elem;
      const slot = L.elem(el);
      const v = fl.tmp(i32);
      const i = fl.tmp(i32);
      const init = ir.set(v, fl.borrow(iter.coll));
      // A collection the body cannot change has its length and data pointer read once.
      const collLocal = iter.coll.kind === "read" && iter.coll.place.kind === "local" ? iter.coll.place.local : undefined;
      const facts = loopFacts(fl).open(fl, [body], iter.variable, collLocal === undefined ? [] : [collLocal]);
      const cached = collLocal === undefined ? undefined : loopFacts(fl).header(collLocal);
      const data = () => (cached ? ir.get(lo, cached.data) : ir.load32(ir.get(lo, v), HDR.DATA));
      const len = () => (cached ? m.i32.wrap(ir.get(lo, cached.len)) : ir.load32(ir.get(lo, v), HDR.LEN));
      const at = () => ir.elemAt(data(), ir.get(lo, i), slot.bytes);
      const get = () => (slot.wasm === none ? m.nop() : ir.loadSlot(slot, at()));
      const b = fl.stmtize(fl.blockExpr(body));
      facts.close();
      return m.block(brk, [
        init,
        ...facts.init,
        ir.set(i, ir.c32(0)),
        m.loop(
          top,
          m.block(null, [
            m.br(brk, m.i32.ge_u(ir.get(lo, i), len())),
            // The element's address lets a borrowing loop variable (check/drop-bindings.ts) alias it.
            ...fl.bindPattern(iter.variable, get, slot.wasm === none ? undefined : at),
            m.block(cont, [b]),
            ir.set(i, m.i32.add(ir.get(lo, i), ir.c32(1))),
            fl.backEdge(top),
          ]),
        ),
      ]);
    }
    case "chars": {
      const s = fl.tmp(i32);
      const i = fl.tmp(i32);
      const c = fl.tmp(i32);
      const n = fl.tmp(i32);
      const b = fl.stmtize(fl.blockExpr(body));
      const at = () => m.i32.add(ir.load32(ir.get(lo, s), HDR.DATA), ir.get(lo, i));
      return m.block(brk, [
        ir.set(s, fl.borrow(iter.string)),
        ir.set(i, ir.c32(0)),
        m.loop(
          top,
          m.block(null, [
            m.br(brk, m.i32.ge_u(ir.get(lo, i), ir.load32(ir.get(lo, s), HDR.LEN))),
            ir.set(n, m.call("rt_utf8_len", [m.i32.load8_u(0, 1, at(), "mem")], i32)),
            ir.set(c, m.call("rt_utf8_decode", [at(), ir.get(lo, n)], i32)),
            ir.set(i, m.i32.add(ir.get(lo, i), ir.get(lo, n))),
            ...fl.bindPattern(iter.variable, () => ir.get(lo, c)),
            m.block(cont, [b]),
            fl.backEdge(top),
          ]),
        ),
      ]);
    }
    case "map":
    case "set":
    case "other":
      throw new CodegenError("fl kind of `for` loop is not supported yet", body.span);
  }
}

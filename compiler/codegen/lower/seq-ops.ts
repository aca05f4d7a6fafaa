// Vec sorting/editing builtins with comparators and predicates (also the sorted copies and split_off), three-way `cmp`, and the Ordering
// helpers (see the BuiltinOp notes in check/tir.ts). Ordering is an unboxed enum whose tag is
// Less = 0, Equal = 1, Greater = 2, i.e. the sign of a three-way comparison plus one.

import type { TExpr, Type } from "../../tir/nodes.js";
import { i32, i64, none, type Ref } from "../ir.js";
import { VEC } from "../runtime/vec.js";
import { indexPanic, panicCall } from "../runtime/panics.js";
import { HDR } from "../layout.js";
import { makeVariant } from "./variants.js";
import { CodegenError } from "./errors.js";
import type { Lowerer } from "./lowerer.js";
import { callClosure, sortByFn, sortByKeyFn, sortFn } from "./sort.js";
import { cmpValue, copyFn, dropFn, eqValue } from "./typeops.js";
import { recv, recvType } from "./receiver.js";
import { lowerSeqViews } from "./seq-views.js";

type BuiltinExpr = Extract<TExpr, { kind: "builtin" }>;



function elemOf(t: Type): Type {
  if (t.kind === "vec" || t.kind === "array" || t.kind === "slice") return t.elem;
  throw new CodegenError(`not a sequence: ${t.kind}`);
}

/** -1 / 0 / 1 from a three-way comparison result of any magnitude. */
function sign(fl: Lowerer, c: Ref): Ref {
  const { m, ir } = fl;
  const t = fl.tmp(i32);
  return m.block(null, [ir.set(t, c), m.i32.sub(m.i32.gt_s(ir.get(fl.locals, t), ir.c32(0)), m.i32.lt_s(ir.get(fl.locals, t), ir.c32(0)))], i32);
}

export function lowerSeqOp(fl: Lowerer, e: BuiltinExpr): Ref | undefined {
  const { m, ir, g, L } = fl;
  const lo = fl.locals;
  const G = (x: number) => ir.get(lo, x);
  switch (e.op) {
    case "cmp":
    case "string.cmp": {
      const t = e.op === "cmp" ? e.typeArgs[0] : ({ kind: "string" } as Type);
      return m.i32.add(sign(fl, cmpValue(g, t, recv(fl, e.receiver), fl.borrow(e.args[0]))), ir.c32(1));
    }
    case "ordering.reverse":
      return m.i32.sub(ir.c32(2), recv(fl, e.receiver));
    case "ordering.then": {
      const a = fl.tmp(i32);
      const b = fl.tmp(i32);
      return m.block(null, [ir.set(a, recv(fl, e.receiver)), ir.set(b, fl.expr(e.args[0])), m.select(m.i32.eq(G(a), ir.c32(1)), G(b), G(a))], i32);
    }
    case "ordering.is_lt":
      return m.i32.eq(recv(fl, e.receiver), ir.c32(0));
    case "ordering.is_le":
      return m.i32.ne(recv(fl, e.receiver), ir.c32(2));
    case "ordering.is_gt":
      return m.i32.eq(recv(fl, e.receiver), ir.c32(2));
    case "ordering.is_ge":
      return m.i32.ne(recv(fl, e.receiver), ir.c32(0));
    case "ordering.is_eq":
      return m.i32.eq(recv(fl, e.receiver), ir.c32(1));
    case "ordering.is_ne":
      return m.i32.ne(recv(fl, e.receiver), ir.c32(1));
    default:
      break;
  }
  if (!e.op.startsWith("vec.")) return undefined;
  const el = e.typeArgs[0];
  const slot = L.elem(el);
  const w = slot.wasm;
  const es = slot.bytes;
  const v = fl.tmp(i32);
  const V = () => G(v);
  const at = (i: Ref) => m.i32.add(ir.load32(V(), HDR.DATA), m.i32.mul(i, ir.c32(es)));
  const len = () => ir.load32(V(), HDR.LEN);
  const drop = dropFn(g, el);
  const dropAt = (i: Ref) => (drop && w !== none ? m.call(drop, [ir.loadSlot(slot, at(i))], none) : m.nop());
  const loop = (name: string, i: number, from: Ref, body: Ref[]): Ref => {
    const top = fl.label(name);
    return m.block(null, [
      ir.set(i, from),
      m.loop(top, m.if(m.i32.lt_u(G(i), len()), m.block(null, [...body, ir.set(i, m.i32.add(G(i), ir.c32(1))), m.br(top)]))),
    ]);
  };
  switch (e.op) {
    case "vec.sort_by":
    case "vec.sort_by_key": {
      const f = fl.tmp(L.wasm(e.args[0].type));
      const fn = e.op === "vec.sort_by" ? sortByFn(g, el, e.typeArgs[1]) : sortByKeyFn(g, el, e.typeArgs[1]);
      return m.block(null, [ir.set(v, recv(fl, e.receiver)), ir.set(f, fl.borrow(e.args[0])), m.call(fn, [V(), G(f)], none)]);
    }
    case "vec.sorted_by":
    case "vec.sorted_by_key": {
      const rt = recvType(e.receiver);
      const f = fl.tmp(L.wasm(e.args[0].type));
      const fn = e.op === "vec.sorted_by" ? sortByFn(g, el, e.typeArgs[1]) : sortByKeyFn(g, el, e.typeArgs[1]);
      return m.block(
        null,
        [
          ir.set(v, fl.copyValue(rt.kind === "vec" ? rt : { kind: "vec", elem: el }, recv(fl, e.receiver))),
          ir.set(f, fl.borrow(e.args[0])),
          m.call(fn, [V(), G(f)], none),
          V(),
        ],
        i32,
      );
    }
    case "vec.split_off": {
      // The tail's elements move into the new Vec as they are (no copy, no drop); at == len gives an empty one.
      const [n, out, cnt] = [fl.tmp(i64), fl.tmp(i32), fl.tmp(i32)];
      const len64 = () => m.i64.extend_u(len());
      return m.block(
        null,
        [
          ir.set(v, recv(fl, e.receiver)),
          ir.set(n, fl.toI64(e.args[0])),
          m.if(m.i64.gt_u(G(n), len64()), panicCall(g, indexPanic(g), fl.site(e.span), [G(n), len64()])),
          ir.set(cnt, m.i32.sub(len(), m.i32.wrap(G(n)))),
          ir.set(out, m.call(VEC.new, [G(cnt), ir.c32(es)], i32)),
          w === none ? m.nop() : m.memory.copy(ir.load32(G(out), HDR.DATA), at(m.i32.wrap(G(n))), m.i32.mul(G(cnt), ir.c32(es)), "mem", "mem"),
          ir.store32(G(out), G(cnt), HDR.LEN),
          ir.store32(V(), m.i32.wrap(G(n)), HDR.LEN),
          G(out),
        ],
        i32,
      );
    }
    case "vec.sorted": {
      const rt = recvType(e.receiver);
      return m.block(
        null,
        [ir.set(v, fl.copyValue(rt.kind === "vec" ? rt : { kind: "vec", elem: el }, recv(fl, e.receiver))), m.call(sortFn(g, el), [V()], none), V()],
        i32,
      );
    }
    case "vec.is_sorted": {
      if (w === none) return m.block(null, [fl.stmtize(recv(fl, e.receiver)), ir.c32(1)], i32);
      const i = fl.tmp(i32);
      const ok = fl.tmp(i32);
      const prev = m.i32.sub(G(i), ir.c32(1));
      return m.block(
        null,
        [
          ir.set(v, recv(fl, e.receiver)),
          ir.set(ok, ir.c32(1)),
          loop("sorted", i, ir.c32(1), [m.if(m.i32.gt_s(cmpValue(g, el, ir.loadSlot(slot, at(prev)), ir.loadSlot(slot, at(G(i)))), ir.c32(0)), ir.set(ok, ir.c32(0)))]),
          G(ok),
        ],
        i32,
      );
    }
    case "vec.binary_search": {
      const [lo_, hi, mid, c] = [fl.tmp(i32), fl.tmp(i32), fl.tmp(i32), fl.tmp(i32)];
      const x = w === none ? -1 : fl.tmp(w);
      const top = fl.label("bsearch");
      const out = fl.label("bfound");
      const i64v = (r: Ref) => m.i64.extend_u(r);
      return m.block(
        null,
        [
          ir.set(v, recv(fl, e.receiver)),
          x >= 0 ? ir.set(x, fl.borrow(e.args[0])) : fl.stmtize(fl.expr(e.args[0])),
          ir.set(lo_, ir.c32(0)),
          ir.set(hi, len()),
          ir.set(c, ir.c32(1)),
          m.block(out, [
            m.loop(
              top,
              m.if(
                m.i32.lt_u(G(lo_), G(hi)),
                m.block(null, [
                  ir.set(mid, m.i32.shr_u(m.i32.add(G(lo_), G(hi)), ir.c32(1))),
                  ir.set(c, x >= 0 ? cmpValue(g, el, ir.loadSlot(slot, at(G(mid))), G(x)) : ir.c32(0)),
                  m.br(out, m.i32.eqz(G(c))),
                  m.if(m.i32.lt_s(G(c), ir.c32(0)), ir.set(lo_, m.i32.add(G(mid), ir.c32(1))), ir.set(hi, G(mid))),
                  m.br(top),
                ]),
              ),
            ),
          ]),
          // karac's form: Some(index) when found, None otherwise.
          m.if(m.i32.eqz(G(c)), makeVariant(fl, e.type, "Some", i64v(G(mid))), makeVariant(fl, e.type, "None")),
        ],
        i32,
      );
    }
    case "vec.dedup": {
      if (w === none) return m.block(null, [ir.set(v, recv(fl, e.receiver)), m.if(m.i32.gt_u(len(), ir.c32(1)), ir.store32(V(), ir.c32(1), HDR.LEN))]);
      const r = fl.tmp(i32);
      const k = fl.tmp(i32);
      return m.block(null, [
        ir.set(v, recv(fl, e.receiver)),
        m.if(
          m.i32.gt_u(len(), ir.c32(1)),
          m.block(null, [
            ir.set(k, ir.c32(1)),
            loop("dedup", r, ir.c32(1), [
              m.if(
                eqValue(g, el, ir.loadSlot(slot, at(G(r))), ir.loadSlot(slot, at(m.i32.sub(G(k), ir.c32(1))))),
                dropAt(G(r)),
                m.block(null, [ir.storeSlot(slot, at(G(k)), ir.loadSlot(slot, at(G(r)))), ir.set(k, m.i32.add(G(k), ir.c32(1)))]),
              ),
            ]),
            ir.store32(V(), G(k), HDR.LEN),
          ]),
        ),
      ]);
    }
    case "vec.retain": {
      const f = fl.tmp(L.wasm(e.args[0].type));
      const r = fl.tmp(i32);
      const k = fl.tmp(i32);
      const keep = callClosure(g, () => G(f), [{ type: el, value: w === none ? ir.c32(0) : ir.loadSlot(slot, at(G(r))) }], { kind: "bool" });
      return m.block(null, [
        ir.set(v, recv(fl, e.receiver)),
        ir.set(f, fl.borrow(e.args[0])),
        ir.set(k, ir.c32(0)),
        loop("retain", r, ir.c32(0), [
          m.if(
            keep,
            m.block(null, [w === none ? m.nop() : ir.storeSlot(slot, at(G(k)), ir.loadSlot(slot, at(G(r)))), ir.set(k, m.i32.add(G(k), ir.c32(1)))]),
            dropAt(G(r)),
          ),
        ]),
        ir.store32(V(), G(k), HDR.LEN),
      ]);
    }
    case "vec.fill": {
      const i = fl.tmp(i32);
      if (w === none) return m.block(null, [ir.set(v, recv(fl, e.receiver)), fl.stmtize(fl.expr(e.args[0]))]);
      const x = fl.tmp(w);
      const cp = copyFn(g, el);
      return m.block(null, [
        ir.set(x, fl.consume(e.args[0])),
        ir.set(v, recv(fl, e.receiver)),
        loop("fill", i, ir.c32(0), [dropAt(G(i)), ir.storeSlot(slot, at(G(i)), cp ? m.call(cp, [G(x)], w) : G(x))]),
        drop ? m.call(drop, [G(x)], none) : m.nop(),
      ]);
    }
    case "vec.windows_view":
    case "vec.chunks_view":
      return lowerSeqViews(fl, e);
    case "vec.windows":
    case "vec.chunks": {
      // Each run is copied into a Vec of its own: windows i..i+n for i in 0..=len-n, chunks of n (the last may be shorter).
      const n = fl.tmp(i32);
      const out = fl.tmp(i32);
      const start = fl.tmp(i32);
      const cnt = fl.tmp(i32);
      const run = fl.tmp(i32);
      const k = fl.tmp(i32);
      const top = fl.label("runs");
      const inner = fl.label("run");
      const cp = copyFn(g, el);
      const windows = e.op === "vec.windows";
      const n64 = fl.tmp(L.wasm(e.args[0].type));
      return m.block(
        null,
        [
          ir.set(v, recv(fl, e.receiver)),
          ir.set(n64, fl.expr(e.args[0])),
          m.if(m.i64.le_s(G(n64), ir.c64(0)), fl.panic(e.span, windows ? "window size must be positive" : "chunk size must be positive")),
          ir.set(n, m.select(m.i64.gt_u(G(n64), m.i64.extend_u(len())), m.i32.add(len(), ir.c32(1)), m.i32.wrap(G(n64)))),
          ir.set(out, m.call("rt_vec_new", [ir.c32(0), ir.c32(4)], i32)),
          ir.set(start, ir.c32(0)),
          m.loop(
            top,
            m.if(
              windows ? m.i32.le_u(m.i32.add(G(start), G(n)), len()) : m.i32.lt_u(G(start), len()),
              m.block(null, [
                ir.set(cnt, windows ? G(n) : m.select(m.i32.lt_u(m.i32.sub(len(), G(start)), G(n)), m.i32.sub(len(), G(start)), G(n))),
                ir.set(run, m.call("rt_vec_new", [G(cnt), ir.c32(es)], i32)),
                ir.set(k, ir.c32(0)),
                w === none
                  ? ir.store32(G(run), G(cnt), HDR.LEN)
                  : m.loop(
                      inner,
                      m.if(
                        m.i32.lt_u(G(k), G(cnt)),
                        m.block(null, [
                          ir.storeSlot(slot, m.call("rt_vec_push_slot", [G(run), ir.c32(es)], i32), (() => {
                            const x = ir.loadSlot(slot, at(m.i32.add(G(start), G(k))));
                            return cp ? m.call(cp, [x], w) : x;
                          })()),
                          ir.set(k, m.i32.add(G(k), ir.c32(1))),
                          m.br(inner),
                        ]),
                      ),
                    ),
                ir.store32(m.call("rt_vec_push_slot", [G(out), ir.c32(4)], i32), G(run)),
                ir.set(start, m.i32.add(G(start), windows ? ir.c32(1) : G(n))),
                m.br(top),
              ]),
            ),
          ),
          G(out),
        ],
        i32,
      );
    }
    case "vec.swap_remove": {
      const a = fl.tmp(i32);
      const out = w === none ? -1 : fl.tmp(w);
      return m.block(
        null,
        [
          ir.set(v, recv(fl, e.receiver)),
          ir.set(a, fl.elemAddr(V(), fl.toI64(e.args[0]), el, "vec", e.span)),
          out >= 0 ? ir.set(out, ir.loadSlot(slot, G(a))) : m.nop(),
          ir.store32(V(), m.i32.sub(len(), ir.c32(1)), HDR.LEN),
          w === none ? m.nop() : ir.storeSlot(slot, G(a), ir.loadSlot(slot, at(len()))),
          out >= 0 ? G(out) : m.nop(),
        ],
        w === none ? none : w,
      );
    }
  }
  return undefined;
}

// Sequence and aggregate values: Vec/Array literals and `[v; n]`, slices of strings and
// sequences, and heap blocks for tuples, structs and boxed enum variants.

import type { Span, TExpr, Type } from "../../tir/nodes.js";
import { f32, f64, i32, i64, MEM, none, type Ref, type WType } from "../ir.js";
import { HDR } from "../layout.js";
import { ALLOC, OOM } from "../runtime/alloc.js";
import { VEC } from "../runtime/vec.js";
import { panicCall, rangePanic } from "../runtime/panics.js";
import type { Lowerer } from "./lowerer.js";
import { copyFn } from "./typeops.js";
import { rcInit } from "./rc.js";

/** `s[a..b]` on a String copies the bytes; on a sequence it makes a Slice view. */
export function slice(fl: Lowerer, base: TExpr, lo: TExpr | undefined, hi: TExpr | undefined, inclusive: boolean, span: Span): Ref {
  const { m, ir } = fl;
  const b = fl.tmp(i32);
  const a = fl.tmp(i64);
  const z = fl.tmp(i64);
  const L = fl.locals;
  const isStr = base.type.kind === "string";
  const out: Ref[] = [
    ir.set(b, fl.borrow(base)),
    ir.set(a, lo ? fl.expr(lo) : ir.c64(0)),
    ir.set(z, hi ? (inclusive ? m.i64.add(fl.expr(hi), ir.c64(1)) : fl.expr(hi)) : m.i64.extend_u(ir.load32(ir.get(L, b), HDR.LEN))),
    m.if(
      m.i32.or(m.i64.gt_u(ir.get(L, z), m.i64.extend_u(ir.load32(ir.get(L, b), HDR.LEN))), m.i64.gt_u(ir.get(L, a), ir.get(L, z))),
      panicCall(fl.g, rangePanic(fl.g, isStr), fl.site(span), [ir.get(L, a), ir.get(L, z), m.i64.extend_u(ir.load32(ir.get(L, b), HDR.LEN))]),
    ),
  ];
  if (isStr) {
    out.push(
      m.call(
        "rt_str_sub",
        [ir.get(L, b), m.i32.wrap(ir.get(L, a)), m.i32.wrap(ir.get(L, z)), fl.site(span)],
        i32,
      ),
    );
    return m.block(null, out, i32);
  }
  const el = fl.seqElemType(base.type);
  const es = fl.L.elemBytes(el);
  const h = fl.tmp(i32);
  out.push(
    ir.set(h, m.call(ALLOC, [ir.c32(HDR.SIZE)], i32)),
    ir.store32(ir.get(L, h), ir.elemAt(ir.load32(ir.get(L, b), HDR.DATA), m.i32.wrap(ir.get(L, a)), es), HDR.DATA),
    ir.store32(ir.get(L, h), m.i32.wrap(m.i64.sub(ir.get(L, z), ir.get(L, a))), HDR.LEN),
    ir.store32(ir.get(L, h), ir.c32(0), HDR.CAP),
    ir.get(L, h),
  );
  return m.block(null, out, i32);
}

/** Allocate a block and store the given values (consumed) at their offsets. */
export function aggregate(fl: Lowerer, size: number, fields: { value: TExpr; offset: number; wasm: WType }[], tag?: number, rcType?: Type): Ref {
  const { m, ir } = fl;
  const p = fl.tmp(i32);
  const out: Ref[] = [];
  // Evaluate fields in source order before allocating, so a panic leaks nothing observable.
  const vals = fields.map((f) => {
    if (f.wasm === none) return { f, local: -1, eff: fl.stmtize(fl.expr(f.value)) };
    const l = fl.tmp(f.wasm);
    return { f, local: l, eff: ir.set(l, fl.consume(f.value)) };
  });
  for (const v of vals) out.push(v.eff);
  out.push(ir.set(p, m.call(ALLOC, [ir.c32(size)], i32)));
  if (tag !== undefined) out.push(ir.store32(ir.get(fl.locals, p), ir.c32(tag)));
  // A `shared` object starts with one holder and no weak handles (lower/rc.ts).
  if (rcType) out.push(...rcInit(fl.g, rcType, () => ir.get(fl.locals, p)));
  for (const v of vals) if (v.local >= 0) out.push(ir.store(v.f.wasm, ir.get(fl.locals, p), ir.get(fl.locals, v.local), v.f.offset));
  out.push(ir.get(fl.locals, p));
  return m.block(null, out, i32);
}

export function seqLiteral(fl: Lowerer, t: Type, elems: TExpr[]): Ref {
  const { m, ir, L } = fl;
  const el = fl.seqElemType(t);
  const slot = L.elem(el);
  const es = slot.bytes;
  const v = fl.tmp(i32);
  const out: Ref[] = [ir.set(v, m.call(VEC.new, [ir.c32(elems.length), ir.c32(es)], i32))];
  elems.forEach((x, k) => {
    const data = ir.load32(ir.get(fl.locals, v), HDR.DATA);
    out.push(slot.wasm === none ? fl.stmtize(fl.expr(x)) : ir.storeSlot(slot, data, fl.consume(x), k * es));
  });
  out.push(ir.store32(ir.get(fl.locals, v), ir.c32(elems.length), HDR.LEN));
  out.push(ir.get(fl.locals, v));
  return m.block(null, out, i32);
}

export function seqRepeat(fl: Lowerer, t: Type, value: TExpr, count: Ref, span: Span): Ref {
  const { m, ir, L } = fl;
  const el = fl.seqElemType(t);
  const w = L.wasm(el);
  const slot = L.elem(el);
  const es = slot.bytes;
  const n = fl.tmp(i32);
  const v = fl.tmp(i32);
  const x = w === none ? -1 : fl.tmp(w);
  const i = fl.tmp(i32);
  const cnt = fl.tmp(i64);
  const top = fl.label("rep");
  const lo = fl.locals;
  const fillLoop = (): Ref =>
    m.loop(
      top,
      m.if(
        m.i32.lt_u(ir.get(lo, i), ir.get(lo, n)),
        m.block(null, [
          x >= 0
            ? ir.storeSlot(slot, ir.elemAt(ir.load32(ir.get(lo, v), HDR.DATA), ir.get(lo, i), es), fl.copyValue(el, ir.get(lo, x)))
            : m.nop(),
          ir.set(i, m.i32.add(ir.get(lo, i), ir.c32(1))),
          fl.backEdge(top),
        ]),
      ),
    );
  return m.block(
    null,
    [
      x >= 0 ? ir.set(x, fl.consume(value)) : fl.stmtize(fl.expr(value)),
      ir.set(cnt, count),
      m.if(m.i64.lt_s(ir.get(lo, cnt), ir.c64(0)), fl.panic(span, "the length of a repeat literal is negative")),
      ir.set(n, m.i32.wrap(ir.get(lo, cnt))),
      // A count beyond 32 bits cannot be addressed: report it whole rather than wrapped.
      m.if(m.i64.gt_s(ir.get(lo, cnt), ir.c64(0x7fff_ffff)), m.call(OOM, [m.i64.mul(ir.get(lo, cnt), ir.c64(es))], none)),
      ir.set(v, m.call(VEC.new, [ir.get(lo, n), ir.c32(es)], i32)),
      ir.set(i, ir.c32(0)),
      // Byte-wide elements are never owned: one memory.fill writes them all. Wider bit-copied
      // elements whose value is all zero bits (`Vec.filled(n, 0)`) are one fill too.
      x >= 0 && es === 1
        ? m.memory.fill(ir.load32(ir.get(lo, v), HDR.DATA), ir.get(lo, x), ir.get(lo, n), MEM)
        : x >= 0 && !copyFn(fl.g, el)
          ? m.if(
              zeroBits(fl, w, ir.get(lo, x)),
              m.memory.fill(ir.load32(ir.get(lo, v), HDR.DATA), ir.c32(0), m.i32.mul(ir.get(lo, n), ir.c32(es)), MEM),
              fillLoop(),
            )
          : fillLoop(),
      ir.store32(ir.get(lo, v), ir.get(lo, n), HDR.LEN),
      x >= 0 ? fl.dropValue(el, ir.get(lo, x)) : m.nop(),
      ir.get(lo, v),
    ],
    i32,
  );
}

/** 1 when a value of wasm type w is all zero bits (so -0.0 is not). */
function zeroBits(f: Lowerer, w: WType, v: Ref): Ref {
  const m = f.m;
  if (w === i64) return m.i64.eqz(v);
  if (w === f64) return m.i64.eqz(m.i64.reinterpret(v));
  if (w === f32) return m.i32.eqz(m.i32.reinterpret(v));
  return m.i32.eqz(v);
}

// Checked integer arithmetic with the common case inline: the operation plus one compare, and
// the overflow / division-by-zero panic (same site and message as the runtime helpers of
// runtime/arith.ts) on the rare path. Cases whose check is long (64-bit multiplication of large
// operands, division by zero or -1, shifts) still go through the out-of-line helper.

import type { BinOp, Span } from "../../tir/nodes.js";
import { i32, i64, type Ref } from "../ir.js";
import { checkedBinary, intMax, intMin, MSG, type IntT } from "../runtime/arith.js";
import type { Lowerer } from "./lowerer.js";

export function checkedArith(fl: Lowerer, op: BinOp, t: IntT, a: Ref, b: Ref, span: Span): Ref {
  const { m, ir } = fl;
  const w = t.bits === 64 ? i64 : i32;
  const helper = (x: Ref, y: Ref) => m.call(checkedBinary(fl.g, op as "+", t), [x, y, fl.site(span)], w);
  if (op !== "+" && op !== "-" && op !== "*" && op !== "/" && op !== "%") return helper(a, b);
  const [x, y] = [fl.tmp(w), fl.tmp(w)];
  const X = () => ir.get(fl.locals, x);
  const Y = () => ir.get(fl.locals, y);
  const overflow = () => fl.panic(span, MSG.overflow);
  const body = (rest: Ref[]): Ref => m.block(null, [ir.set(x, a), ir.set(y, b), ...rest], w);

  if (op === "/" || op === "%") {
    // A positive divisor (signed) or a non-zero one (unsigned) can neither be zero nor make MIN / -1.
    const o = t.bits === 64 ? m.i64 : m.i32;
    const zero = t.bits === 64 ? ir.c64(0) : ir.c32(0);
    const fast = t.signed ? o.gt_s(Y(), zero) : o.ne(Y(), zero);
    const direct = op === "/" ? (t.signed ? o.div_s(X(), Y()) : o.div_u(X(), Y())) : t.signed ? o.rem_s(X(), Y()) : o.rem_u(X(), Y());
    return body([m.if(fast, direct, helper(X(), Y()))]);
  }

  if (t.bits === 64) {
    const o = m.i64;
    const r = fl.tmp(i64);
    const R = () => ir.get(fl.locals, r);
    if (op === "*") {
      // Both operands within 32 bits: the product fits.
      const small = t.signed
        ? o.eqz(o.shr_u(o.or(o.add(X(), ir.c64(0x8000_0000)), o.add(Y(), ir.c64(0x8000_0000))), ir.c64(32)))
        : o.eqz(o.shr_u(o.or(X(), Y()), ir.c64(32)));
      return body([m.if(small, o.mul(X(), Y()), helper(X(), Y()))]);
    }
    const bad = t.signed
      ? o.lt_s(op === "+" ? o.and(o.xor(X(), R()), o.xor(Y(), R())) : o.and(o.xor(X(), Y()), o.xor(X(), R())), ir.c64(0))
      : op === "+"
        ? o.lt_u(R(), X())
        : o.lt_u(X(), Y());
    return body([ir.set(r, op === "+" ? o.add(X(), Y()) : o.sub(X(), Y())), m.if(bad, overflow()), R()]);
  }

  // 8..32 bits: exact in i64, then a range check at the declared width.
  const r = fl.tmp(i64);
  const R = () => ir.get(fl.locals, r);
  const ext = (v: Ref) => (t.signed ? m.i64.extend_s(v) : m.i64.extend_u(v));
  const f = op === "+" ? m.i64.add : op === "-" ? m.i64.sub : m.i64.mul;
  const bad = t.signed
    ? m.i32.or(m.i64.lt_s(R(), ir.c64(intMin(t))), m.i64.gt_s(R(), ir.c64(intMax(t))))
    : m.i64.gt_u(R(), ir.c64(intMax(t)));
  return body([ir.set(r, f(ext(X()), ext(Y()))), m.if(bad, overflow()), m.i32.wrap(R())]);
}

// Lowering of ref_eq and of the integer and float methods beyond arithmetic: bit queries and permutations,
// int <-> float conversions (including the float -> int families), checked division, negation
// and powers, and the float math functions (runtime/float-math.ts).

import type { TExpr, Type } from "../../tir/nodes.js";
import { f32, f64, i32, i64, type Ref, type WType } from "../ir.js";
import { intMax, intMin, MSG, normalize32, type IntT } from "../runtime/arith.js";
import { floatMath } from "../runtime/float-math.js";
import { CodegenError } from "./errors.js";
import type { Lowerer } from "./lowerer.js";
import { recv, recvType } from "./receiver.js";
import { makeVariant, variantIndex } from "./variants.js";

type BuiltinExpr = Extract<TExpr, { kind: "builtin" }>;
type FloatT = Extract<Type, { kind: "float" }>;

export function lowerNumberOp(fl: Lowerer, e: BuiltinExpr): Ref | undefined {
  // Identity of shared values: the same handle.
  if (e.op === "ref_eq") return fl.m.i32.eq(fl.borrow(e.args[0]), fl.borrow(e.args[1]));
  if (e.op.startsWith("int.")) return lowerIntOp(fl, e);
  if (e.op.startsWith("float.")) return lowerFloatOp(fl, e);
  return undefined;
}

/** Integer constant of t's wasm width. */
function k(fl: Lowerer, t: IntT, v: bigint | number): Ref {
  const b = BigInt(v);
  return t.bits === 64 ? fl.ir.c64(BigInt.asIntN(64, b)) : fl.ir.c32(Number(BigInt.asIntN(32, b)));
}

/** The low `bits` of a narrow value (its bit pattern without sign extension). */
function pattern(fl: Lowerer, t: IntT, v: Ref): Ref {
  if (t.bits >= 32) return v;
  return fl.m.i32.and(v, fl.ir.c32(t.bits === 8 ? 0xff : 0xffff));
}

/** An i32 value widened to i64 by t's signedness (64-bit values pass through). */
function toI64(fl: Lowerer, t: IntT, v: Ref): Ref {
  if (t.bits === 64) return v;
  return t.signed ? fl.m.i64.extend_s(v) : fl.m.i64.extend_u(v);
}

function lowerIntOp(fl: Lowerer, e: BuiltinExpr): Ref | undefined {
  const { m, ir, g } = fl;
  const lo = fl.locals;
  if (e.op === "int.checked_from") return floatToInt(fl, e, "checked", promote(fl, e.args[0].type as FloatT, fl.expr(e.args[0])), e.typeArgs[0] as IntT);
  if (e.op === "int.try_from") return intTryFrom(fl, e);
  const t = recvType(e.receiver) as IntT;
  const w: WType = t.bits === 64 ? i64 : i32;
  const o = t.bits === 64 ? m.i64 : m.i32;
  const x = (): Ref => recv(fl, e.receiver);
  const arg = (n: number): Ref => fl.expr(e.args[n]);
  const temps = (...vals: Ref[]): { sets: Ref[]; get: (n: number) => Ref } => {
    const ids = vals.map(() => fl.tmp(w));
    return { sets: vals.map((v, n) => ir.set(ids[n], v)), get: (n) => ir.get(lo, ids[n]) };
  };
  const to32 = (v: Ref): Ref => (t.bits === 64 ? m.i32.wrap(v) : v);
  switch (e.op) {
    case "int.abs_diff": {
      const { sets, get } = temps(x(), arg(0));
      const ge = t.signed ? o.ge_s(get(0), get(1)) : o.ge_u(get(0), get(1));
      const diff = m.select(ge, o.sub(get(0), get(1)), o.sub(get(1), get(0)));
      const u = { ...t, signed: false } as IntT;
      return m.block(null, [...sets, normalize32(g, u, diff)], w);
    }
    case "int.count_ones":
      return to32(o.popcnt(pattern(fl, t, x())));
    case "int.count_zeros":
      return m.i32.sub(ir.c32(t.bits), to32(o.popcnt(pattern(fl, t, x()))));
    case "int.leading_zeros":
      if (t.bits >= 32) return to32(o.clz(x()));
      return m.i32.sub(m.i32.clz(pattern(fl, t, x())), ir.c32(32 - t.bits));
    case "int.trailing_zeros":
      if (t.bits >= 32) return to32(o.ctz(x()));
      return m.i32.ctz(m.i32.or(x(), ir.c32(1 << t.bits)));
    case "int.is_power_of_two": {
      const { sets, get } = temps(x());
      const one = o.eqz(o.and(get(0), o.sub(get(0), k(fl, t, 1))));
      return m.block(null, [...sets, m.i32.and(m.i32.eqz(o.eqz(get(0))), one)], i32);
    }
    case "int.next_power_of_two": {
      // 1 << (bits - leading_zeros(x - 1)) for x > 1; a shift of the full width overflows.
      const { sets, get } = temps(x());
      const n = fl.tmp(i32);
      const lz = t.bits >= 32 ? to32(o.clz(o.sub(get(0), k(fl, t, 1)))) : m.i32.sub(m.i32.clz(pattern(fl, t, m.i32.sub(get(0), ir.c32(1)))), ir.c32(32 - t.bits));
      const shift = t.bits === 64 ? m.i64.extend_u(ir.get(lo, n)) : ir.get(lo, n);
      return m.block(null, [
        ...sets,
        m.if(
          o.le_u(get(0), k(fl, t, 1)),
          k(fl, t, 1),
          m.block(null, [
            ir.set(n, m.i32.sub(ir.c32(t.bits), lz)),
            m.if(m.i32.ge_u(ir.get(lo, n), ir.c32(t.bits)), fl.panic(e.span, MSG.overflow)),
            o.shl(k(fl, t, 1), shift),
          ], w),
        ),
      ], w);
    }
    case "int.reverse_bits":
    case "int.swap_bytes": {
      const helper = e.op === "int.reverse_bits" ? reverseBits64(fl) : swapBytes64(fl);
      const r = m.call(helper, [t.bits === 64 ? x() : m.i64.extend_u(pattern(fl, t, x()))], i64);
      if (t.bits === 64) return r;
      return normalize32(g, t, m.i32.wrap(m.i64.shr_u(r, ir.c64(64 - t.bits))));
    }
    case "int.rotate_left":
    case "int.rotate_right": {
      const left = e.op === "int.rotate_left";
      if (t.bits === 64) return (left ? m.i64.rotl : m.i64.rotr)(x(), m.i64.extend_u(arg(0)));
      if (t.bits === 32) return (left ? m.i32.rotl : m.i32.rotr)(x(), arg(0));
      const v = fl.tmp(i32);
      const n = fl.tmp(i32);
      const V = () => ir.get(lo, v);
      const N = () => ir.get(lo, n);
      const back = () => m.i32.sub(ir.c32(t.bits), N());
      const r = left ? m.i32.or(m.i32.shl(V(), N()), m.i32.shr_u(V(), back())) : m.i32.or(m.i32.shr_u(V(), N()), m.i32.shl(V(), back()));
      return m.block(null, [ir.set(v, pattern(fl, t, x())), ir.set(n, m.i32.rem_u(arg(0), ir.c32(t.bits))), normalize32(g, t, r)], i32);
    }
    case "int.to_float": {
      const ft = e.type as FloatT;
      const v = x();
      if (ft.bits === 64) {
        if (t.bits === 64) return t.signed ? m.f64.convert_s.i64(v) : m.f64.convert_u.i64(v);
        return t.signed ? m.f64.convert_s.i32(v) : m.f64.convert_u.i32(v);
      }
      if (t.bits === 64) return t.signed ? m.f32.convert_s.i64(v) : m.f32.convert_u.i64(v);
      return t.signed ? m.f32.convert_s.i32(v) : m.f32.convert_u.i32(v);
    }
    case "int.bits_as_float": {
      const ft = e.type as FloatT;
      if (ft.bits === 64) return m.f64.reinterpret(t.bits === 64 ? x() : m.i64.extend_u(pattern(fl, t, x())));
      return m.f32.reinterpret(t.bits === 64 ? m.i32.wrap(x()) : pattern(fl, t, x()));
    }
    case "int.is_ascii_digit":
    case "int.is_ascii_alphabetic":
    case "int.is_ascii_hexdigit": {
      const v = fl.tmp(i64);
      const V = () => ir.get(lo, v);
      const within = (a: number, b: number) => m.i32.and(m.i64.ge_s(V(), ir.c64(a)), m.i64.le_s(V(), ir.c64(b)));
      const c = (s: string) => s.charCodeAt(0);
      const test =
        e.op === "int.is_ascii_digit"
          ? within(c("0"), c("9"))
          : e.op === "int.is_ascii_alphabetic"
            ? m.i32.or(within(c("a"), c("z")), within(c("A"), c("Z")))
            : m.i32.or(within(c("0"), c("9")), m.i32.or(within(c("a"), c("f")), within(c("A"), c("F"))));
      // A u64 above i64::MAX reads as negative here, and is no ASCII byte either way.
      return m.block(null, [ir.set(v, toI64(fl, t, x())), test], i32);
    }
    case "int.clamp": {
      const { sets, get } = temps(x(), arg(0), arg(1));
      const lt = t.signed ? o.lt_s : o.lt_u;
      const gt = t.signed ? o.gt_s : o.gt_u;
      return m.block(null, [...sets, m.select(lt(get(0), get(1)), get(1), m.select(gt(get(0), get(2)), get(2), get(0)))], w);
    }
    case "int.checked_div":
    case "int.checked_rem": {
      const { sets, get } = temps(x(), arg(0));
      const bad = t.signed ? m.i32.or(o.eqz(get(1)), m.i32.and(o.eq(get(0), k(fl, t, intMin(t))), o.eq(get(1), k(fl, t, -1)))) : o.eqz(get(1));
      const q = e.op === "int.checked_div" ? (t.signed ? o.div_s(get(0), get(1)) : o.div_u(get(0), get(1))) : t.signed ? o.rem_s(get(0), get(1)) : o.rem_u(get(0), get(1));
      return m.block(null, [...sets, m.if(bad, makeVariant(fl, e.type, "None"), makeVariant(fl, e.type, "Some", normalize32(g, t, q)))], i32);
    }
    case "int.checked_neg": {
      const { sets, get } = temps(x());
      const bad = t.signed ? o.eq(get(0), k(fl, t, intMin(t))) : m.i32.eqz(o.eqz(get(0)));
      return m.block(null, [...sets, m.if(bad, makeVariant(fl, e.type, "None"), makeVariant(fl, e.type, "Some", normalize32(g, t, o.sub(k(fl, t, 0), get(0)))))], i32);
    }
    case "int.wrapping_neg":
      return normalize32(g, t, o.sub(k(fl, t, 0), x()));
    case "int.checked_pow":
    case "int.wrapping_pow":
    case "int.saturating_pow": {
      const base = fl.tmp(w);
      const n = fl.tmp(i32);
      const r = fl.tmp(w);
      const pre = [ir.set(base, x()), ir.set(n, arg(0)), ir.set(r, m.call(powWrapping(fl, t), [ir.get(lo, base), ir.get(lo, n)], w))];
      const overflowed = m.call("rt_ovf_flag", [], i32);
      if (e.op === "int.wrapping_pow") return m.block(null, [...pre, ir.get(lo, r)], w);
      if (e.op === "int.checked_pow")
        return m.block(null, [...pre, m.if(overflowed, makeVariant(fl, e.type, "None"), makeVariant(fl, e.type, "Some", ir.get(lo, r)))], i32);
      // Saturate toward the sign of the exact result: negative only for a negative base and odd n.
      const negative = t.signed ? m.i32.and(o.lt_s(ir.get(lo, base), k(fl, t, 0)), m.i32.and(ir.get(lo, n), ir.c32(1))) : ir.c32(0);
      return m.block(null, [...pre, m.select(overflowed, m.select(negative, k(fl, t, intMin(t)), k(fl, t, intMax(t))), ir.get(lo, r))], w);
    }
  }
  throw new CodegenError(`builtin ${e.op} is not supported yet`, e.span);
}

/**
 * x^n wrapped to t's width by square-and-multiply; sets the overflow flag (rt_ovf_flag) when a
 * product that contributes to the result does not fit.
 */
function powWrapping(fl: Lowerer, t: IntT): string {
  const g = fl.g;
  const { m, ir } = g;
  const w: WType = t.bits === 64 ? i64 : i32;
  return g.define(`num_pow_${t.name}`, [w, i32], w, (l) => {
    const [x, n] = [0, 1];
    const r = l.add(w);
    const ovf = l.add(i32);
    const a = l.add(w);
    const b = l.add(w);
    const p = l.add(w);
    const wide = l.add(i64);
    const one = t.bits === 64 ? ir.c64(1) : ir.c32(1);
    // p = a * b at t's width; ovf |= whether it overflowed.
    const mul = (): Ref[] => {
      if (t.bits === 64) {
        const o = m.i64;
        const A = () => ir.get(l, a);
        const B = () => ir.get(l, b);
        const P = () => ir.get(l, p);
        const bad = t.signed
          ? m.if(o.eqz(A()), ir.c32(0), m.if(o.eq(A(), ir.c64(-1)), o.eq(B(), ir.c64(intMin(t))), o.ne(o.div_s(P(), A()), B())))
          : m.if(o.eqz(A()), ir.c32(0), o.ne(o.div_u(P(), A()), B()));
        return [ir.set(p, o.mul(A(), B())), ir.set(ovf, m.i32.or(ir.get(l, ovf), bad))];
      }
      const ext = (v: Ref) => (t.signed ? m.i64.extend_s(v) : m.i64.extend_u(v));
      const W = () => ir.get(l, wide);
      const bad = t.signed
        ? m.i32.or(m.i64.lt_s(W(), ir.c64(intMin(t))), m.i64.gt_s(W(), ir.c64(intMax(t))))
        : m.i64.gt_u(W(), ir.c64(intMax(t)));
      return [
        ir.set(wide, m.i64.mul(ext(ir.get(l, a)), ext(ir.get(l, b)))),
        ir.set(ovf, m.i32.or(ir.get(l, ovf), bad)),
        ir.set(p, normalize32(g, t, m.i32.wrap(W()))),
      ];
    };
    return [
      ir.set(r, one),
      ir.set(ovf, ir.c32(0)),
      m.loop(
        "pow",
        m.if(
          ir.get(l, n),
          m.block(null, [
            m.if(m.i32.and(ir.get(l, n), ir.c32(1)), m.block(null, [ir.set(a, ir.get(l, r)), ir.set(b, ir.get(l, x)), ...mul(), ir.set(r, ir.get(l, p))])),
            ir.set(n, m.i32.shr_u(ir.get(l, n), ir.c32(1))),
            m.if(ir.get(l, n), m.block(null, [ir.set(a, ir.get(l, x)), ir.set(b, ir.get(l, x)), ...mul(), ir.set(x, ir.get(l, p))])),
            m.br("pow"),
          ]),
        ),
      ),
      m.global.set("g_ovf", ir.get(l, ovf)),
      ir.get(l, r),
    ];
  });
}

function reverseBits64(fl: Lowerer): string {
  const { m, ir } = fl.g;
  return fl.g.define("num_reverse_bits64", [i64], i64, (l) => {
    const X = () => ir.get(l, 0);
    const step = (shift: number, mask: bigint): Ref =>
      ir.set(0, m.i64.or(m.i64.and(m.i64.shr_u(X(), ir.c64(shift)), ir.c64(mask)), m.i64.shl(m.i64.and(X(), ir.c64(mask)), ir.c64(shift))));
    return [
      step(1, 0x5555555555555555n),
      step(2, 0x3333333333333333n),
      step(4, 0x0f0f0f0f0f0f0f0fn),
      m.call(swapBytes64(fl), [X()], i64),
    ];
  });
}

function swapBytes64(fl: Lowerer): string {
  const { m, ir } = fl.g;
  return fl.g.define("num_swap_bytes64", [i64], i64, (l) => {
    const X = () => ir.get(l, 0);
    const step = (shift: number, mask: bigint): Ref =>
      ir.set(0, m.i64.or(m.i64.and(m.i64.shr_u(X(), ir.c64(shift)), ir.c64(mask)), m.i64.shl(m.i64.and(X(), ir.c64(mask)), ir.c64(shift))));
    return [step(8, 0x00ff00ff00ff00ffn), step(16, 0x0000ffff0000ffffn), m.i64.rotl(X(), ir.c64(32))];
  });
}

/** `T.try_from(n)`: Ok(n as T) when n fits T, else Err(n). */
function intTryFrom(fl: Lowerer, e: BuiltinExpr): Ref {
  const { m, ir } = fl;
  const lo = fl.locals;
  const target = e.typeArgs[0] as IntT;
  const src = e.args[0].type as IntT;
  const sw: WType = src.bits === 64 ? i64 : i32;
  const s = fl.tmp(sw);
  const v = fl.tmp(i64);
  const V = () => ir.get(lo, v);
  let fits: Ref;
  if (src.bits === 64 && !src.signed) {
    // A u64 fits when it is at most T.MAX, compared without sign.
    fits = target.bits === 64 && !target.signed ? ir.c32(1) : m.i64.le_u(V(), ir.c64(intMax(target)));
  } else {
    const lower = m.i64.ge_s(V(), ir.c64(intMin(target)));
    fits = target.bits === 64 && !target.signed ? lower : m.i32.and(lower, m.i64.le_s(V(), ir.c64(intMax(target))));
  }
  const ok = target.bits === 64 ? V() : m.i32.wrap(V());
  return m.block(null, [
    ir.set(s, fl.expr(e.args[0])),
    ir.set(v, toI64(fl, src, ir.get(lo, s))),
    m.if(fits, makeVariant(fl, e.type, "Ok", ok), makeVariant(fl, e.type, "Err", ir.get(lo, s))),
  ], i32);
}

/** A float value as f64. */
function promote(fl: Lowerer, t: FloatT, v: Ref): Ref {
  return t.bits === 64 ? v : fl.m.f64.promote(v);
}

/** x (already an f64) to the integer type t by one of karac's four families. */
function floatToInt(fl: Lowerer, e: BuiltinExpr, family: "saturating" | "wrapping" | "checked" | "trunc", x: Ref, t: IntT): Ref {
  const { m, ir, g } = fl;
  const lo = fl.locals;
  const w: WType = t.bits === 64 ? i64 : i32;
  const xv = fl.tmp(f64);
  const X = () => ir.get(lo, xv);
  if (family === "saturating") {
    let r: Ref;
    if (t.bits === 64) r = t.signed ? m.i64.trunc_s_sat.f64(X()) : m.i64.trunc_u_sat.f64(X());
    else {
      r = t.signed ? m.i32.trunc_s_sat.f64(X()) : m.i32.trunc_u_sat.f64(X());
      if (t.bits < 32) {
        const c = fl.tmp(i32);
        const C = () => ir.get(lo, c);
        const min = ir.c32(Number(intMin(t)));
        const max = ir.c32(Number(intMax(t)));
        const lt = t.signed ? m.i32.lt_s : m.i32.lt_u;
        const gt = t.signed ? m.i32.gt_s : m.i32.gt_u;
        r = m.block(null, [ir.set(c, r), m.select(lt(C(), min), min, m.select(gt(C(), max), ir.c32(Number(intMax(t))), C()))], i32);
      }
    }
    return m.block(null, [ir.set(xv, x), r], w);
  }
  if (family === "wrapping") {
    // trunc(x) mod 2^64 is exact in f64 arithmetic; its low bits are the result.
    const tv = fl.tmp(f64);
    const T = () => ir.get(lo, tv);
    const two64 = m.f64.const(18446744073709551616);
    const mod = m.f64.sub(T(), m.f64.mul(m.f64.floor(m.f64.div(T(), two64)), two64));
    const bitsV = m.i64.trunc_u_sat.f64(mod);
    const finite = m.f64.lt(m.f64.abs(T()), m.f64.const(Infinity));
    const r = t.bits === 64 ? bitsV : normalize32(g, t, m.i32.wrap(bitsV));
    return m.block(null, [ir.set(xv, x), ir.set(tv, m.f64.trunc(X())), m.if(finite, r, t.bits === 64 ? ir.c64(0) : ir.c32(0))], w);
  }
  // checked / trunc: in range after truncation toward zero (NaN and infinities are not).
  const tv = fl.tmp(f64);
  const T = () => ir.get(lo, tv);
  let inRange: Ref;
  if (t.bits === 64) {
    inRange = t.signed
      ? m.i32.and(m.f64.ge(T(), m.f64.const(-9223372036854775808)), m.f64.lt(T(), m.f64.const(9223372036854775808)))
      : m.i32.and(m.f64.ge(T(), m.f64.const(0)), m.f64.lt(T(), m.f64.const(18446744073709551616)));
  } else {
    inRange = m.i32.and(m.f64.ge(T(), m.f64.const(Number(intMin(t)))), m.f64.le(T(), m.f64.const(Number(intMax(t)))));
  }
  const conv = t.bits === 64 ? (t.signed ? m.i64.trunc_s_sat.f64(T()) : m.i64.trunc_u_sat.f64(T())) : t.signed ? m.i32.trunc_s_sat.f64(T()) : m.i32.trunc_u_sat.f64(T());
  const pre = [ir.set(xv, x), ir.set(tv, m.f64.trunc(X()))];
  if (family === "checked") return m.block(null, [...pre, m.if(inRange, makeVariant(fl, e.type, "Some", conv), makeVariant(fl, e.type, "None"))], i32);
  return m.block(null, [...pre, m.if(m.i32.eqz(inRange), fl.panic(e.span, "float to integer conversion out of range")), conv], w);
}

function lowerFloatOp(fl: Lowerer, e: BuiltinExpr): Ref | undefined {
  const { m, ir } = fl;
  const lo = fl.locals;
  const t = recvType(e.receiver) as FloatT;
  const w: WType = t.bits === 64 ? f64 : f32;
  const o = t.bits === 64 ? m.f64 : m.f32;
  const x = (): Ref => recv(fl, e.receiver);
  const arg = (n: number): Ref => fl.expr(e.args[n]);
  const c = (v: number): Ref => o.const(v);
  // Through f64 and back for the functions the runtime computes in f64.
  const viaF64 = (name: string, args: Ref[]): Ref => {
    const r = m.call(name, args.map((a) => promote(fl, t, a)), f64);
    return t.bits === 64 ? r : m.f32.demote(r);
  };
  switch (e.op) {
    case "float.signum": {
      const v = fl.tmp(w);
      return m.block(null, [ir.set(v, x()), m.select(o.ne(ir.get(lo, v), ir.get(lo, v)), ir.get(lo, v), o.copysign(c(1), ir.get(lo, v)))], w);
    }
    case "float.recip":
      return o.div(c(1), x());
    case "float.to_degrees":
      return o.mul(x(), c(180 / Math.PI));
    case "float.to_radians":
      return o.mul(x(), c(Math.PI / 180));
    case "float.fract": {
      const v = fl.tmp(w);
      return m.block(null, [ir.set(v, x()), o.sub(ir.get(lo, v), o.trunc(ir.get(lo, v)))], w);
    }
    case "float.sin":
    case "float.cos":
    case "float.tan":
    case "float.exp":
    case "float.ln":
    case "float.log2":
      return viaF64(floatMath(fl.g, e.op.slice("float.".length) as "sin"), [x()]);
    case "float.atan2":
      return viaF64(floatMath(fl.g, "atan2"), [x(), arg(0)]);
    case "float.clamp": {
      const v = fl.tmp(w);
      const a = fl.tmp(w);
      const b = fl.tmp(w);
      const V = () => ir.get(lo, v);
      return m.block(null, [
        ir.set(v, x()),
        ir.set(a, arg(0)),
        ir.set(b, arg(1)),
        m.select(o.lt(V(), ir.get(lo, a)), ir.get(lo, a), m.select(o.gt(V(), ir.get(lo, b)), ir.get(lo, b), V())),
      ], w);
    }
    case "float.total_cmp": {
      // IEEE totalOrder: flip the magnitude bits of negative values, then compare as signed.
      const key = (v: Ref): Ref => {
        const bits = t.bits === 64 ? m.i64.reinterpret(v) : m.i64.extend_s(m.i32.reinterpret(v));
        const s = fl.tmp(i64);
        const mask = t.bits === 64 ? ir.c64(0x7fffffffffffffffn) : ir.c64(0x7fffffff);
        return m.block(null, [ir.set(s, bits), m.i64.xor(ir.get(lo, s), m.i64.and(m.i64.shr_s(ir.get(lo, s), ir.c64(63)), mask))], i64);
      };
      const a = fl.tmp(i64);
      const b = fl.tmp(i64);
      const A = () => ir.get(lo, a);
      const B = () => ir.get(lo, b);
      const idx = (name: string) => ir.c32(variantIndex(fl, e.type, name));
      return m.block(null, [
        ir.set(a, key(x())),
        ir.set(b, key(arg(0))),
        m.select(m.i64.lt_s(A(), B()), idx("Less"), m.select(m.i64.gt_s(A(), B()), idx("Greater"), idx("Equal"))),
      ], i32);
    }
    case "float.to_bits": {
      const target = e.type as IntT;
      if (target.bits === 64) return m.i64.reinterpret(promote(fl, t, x()));
      return m.i32.reinterpret(t.bits === 32 ? x() : m.f32.demote(x()));
    }
    case "float.saturating_to":
    case "float.wrapping_to":
    case "float.checked_to":
    case "float.trunc_to": {
      const family = e.op.slice("float.".length, -"_to".length) as "saturating";
      return floatToInt(fl, e, family, promote(fl, t, x()), e.typeArgs[1] as IntT);
    }
  }
  throw new CodegenError(`builtin ${e.op} is not supported yet`, e.span);
}


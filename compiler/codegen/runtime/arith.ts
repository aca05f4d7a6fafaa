// Checked integer arithmetic at each declared width. Each helper takes the operands and the
// panic-site prefix (a static String header) and panics with karac's messages:
// "integer overflow", "division by zero", "shift amount out of range".

import type { Type } from "../../tir/nodes.js";
import type { Gen } from "../context.js";
import { i32, i64, none, type Ref, type Locals } from "../ir.js";
import { RTT } from "./tasks.js";

export type IntT = Extract<Type, { kind: "int" }>;
export type ArithOp = "+" | "-" | "*" | "/" | "%" | "<<" | ">>";

export const MSG = {
  overflow: "integer overflow",
  divZero: "division by zero",
  shift: "shift amount out of range",
} as const;

export function intMin(t: IntT): bigint {
  return t.signed ? -(1n << BigInt(t.bits - 1)) : 0n;
}
export function intMax(t: IntT): bigint {
  return t.signed ? (1n << BigInt(t.bits - 1)) - 1n : (1n << BigInt(t.bits)) - 1n;
}

/** Normalise an i32 holding a narrow (8/16-bit) result: sign- or zero-extend. */
export function normalize32(g: Gen, t: IntT, v: Ref): Ref {
  const { m } = g;
  if (t.bits === 32 || t.bits === 64) return v;
  if (t.signed) return t.bits === 8 ? m.i32.extend8_s(v) : m.i32.extend16_s(v);
  return m.i32.and(v, m.i32.const(t.bits === 8 ? 0xff : 0xffff));
}

function panicWith(g: Gen, l: Locals, siteParam: number, msg: string): Ref {
  return g.m.call(RTT.panic, [g.ir.get(l, siteParam), g.ir.c32(g.staticString(msg))], none);
}

export function checkedBinary(g: Gen, op: ArithOp, t: IntT): string {
  const names: Record<ArithOp, string> = { "+": "add", "-": "sub", "*": "mul", "/": "div", "%": "rem", "<<": "shl", ">>": "shr" };
  const name = `ck_${names[op]}_${t.name}`;
  const w = t.bits === 64 ? i64 : i32;
  const { m, ir } = g;
  return g.define(name, [w, w, i32], w, (l) => {
    const [a, b, site] = [0, 1, 2];
    const A = () => ir.get(l, a);
    const B = () => ir.get(l, b);
    const fail = (msg: string) => m.block(null, [panicWith(g, l, site, msg), m.unreachable()]);
    if (t.bits === 64) {
      const o = m.i64;
      const r = l.add(i64);
      const R = () => ir.get(l, r);
      const MIN = () => ir.c64(intMin(t));
      switch (op) {
        case "+":
          return [
            ir.set(r, o.add(A(), B())),
            t.signed
              ? m.if(o.lt_s(o.and(o.xor(A(), R()), o.xor(B(), R())), ir.c64(0)), fail(MSG.overflow))
              : m.if(o.lt_u(R(), A()), fail(MSG.overflow)),
            R(),
          ];
        case "-":
          return [
            t.signed
              ? m.if(o.lt_s(o.and(o.xor(A(), B()), o.xor(A(), o.sub(A(), B()))), ir.c64(0)), fail(MSG.overflow))
              : m.if(o.lt_u(A(), B()), fail(MSG.overflow)),
            o.sub(A(), B()),
          ];
        case "*":
          if (t.signed) {
            return [
              // Fast path: both operands fit in 32 bits, so the product cannot overflow.
              m.if(
                o.eqz(o.shr_u(o.or(o.add(A(), ir.c64(0x8000_0000)), o.add(B(), ir.c64(0x8000_0000))), ir.c64(32))),
                m.return(o.mul(A(), B())),
              ),
              m.if(
                o.eq(A(), ir.c64(-1)),
                m.block(null, [m.if(o.eq(B(), MIN()), fail(MSG.overflow)), m.return(o.sub(ir.c64(0), B()))]),
              ),
              m.if(o.eqz(A()), m.return(ir.c64(0))),
              ir.set(r, o.mul(A(), B())),
              m.if(o.ne(o.div_s(R(), A()), B()), fail(MSG.overflow)),
              R(),
            ];
          }
          return [
            m.if(o.eqz(o.shr_u(o.or(A(), B()), ir.c64(32))), m.return(o.mul(A(), B()))),
            m.if(o.eqz(A()), m.return(ir.c64(0))),
            ir.set(r, o.mul(A(), B())),
            m.if(o.ne(o.div_u(R(), A()), B()), fail(MSG.overflow)),
            R(),
          ];
        case "/":
        case "%":
          return [
            m.if(o.eqz(B()), fail(MSG.divZero)),
            t.signed ? m.if(m.i32.and(o.eq(A(), MIN()), o.eq(B(), ir.c64(-1))), fail(MSG.overflow)) : m.nop(),
            op === "/" ? (t.signed ? o.div_s(A(), B()) : o.div_u(A(), B())) : t.signed ? o.rem_s(A(), B()) : o.rem_u(A(), B()),
          ];
        case "<<":
        case ">>":
          return [
            m.if(o.ge_u(B(), ir.c64(64)), fail(MSG.shift)),
            op === "<<" ? o.shl(A(), B()) : t.signed ? o.shr_s(A(), B()) : o.shr_u(A(), B()),
          ];
      }
    }
    // 8..32 bits: operands are normalised i32s.
    const o = m.i32;
    const ext = (v: Ref) => (t.signed ? m.i64.extend_s(v) : m.i64.extend_u(v));
    const r = l.add(i64);
    const R = () => ir.get(l, r);
    const rangeCheck = () =>
      t.signed
        ? m.if(m.i32.or(m.i64.lt_s(R(), ir.c64(intMin(t))), m.i64.gt_s(R(), ir.c64(intMax(t)))), fail(MSG.overflow))
        : m.if(m.i64.gt_u(R(), ir.c64(intMax(t))), fail(MSG.overflow));
    switch (op) {
      case "+":
      case "-":
      case "*": {
        const f = op === "+" ? m.i64.add : op === "-" ? m.i64.sub : m.i64.mul;
        return [ir.set(r, f(ext(A()), ext(B()))), rangeCheck(), m.i32.wrap(R())];
      }
      case "/":
      case "%":
        return [
          m.if(o.eqz(B()), fail(MSG.divZero)),
          t.signed ? m.if(o.and(o.eq(A(), ir.c32(Number(intMin(t)))), o.eq(B(), ir.c32(-1))), fail(MSG.overflow)) : m.nop(),
          op === "/" ? (t.signed ? o.div_s(A(), B()) : o.div_u(A(), B())) : t.signed ? o.rem_s(A(), B()) : o.rem_u(A(), B()),
        ];
      case "<<":
      case ">>":
        return [
          m.if(o.ge_u(B(), ir.c32(t.bits)), fail(MSG.shift)),
          op === "<<" ? normalize32(g, t, o.shl(A(), B())) : t.signed ? o.shr_s(A(), B()) : o.shr_u(A(), B()),
        ];
    }
  });
}

/** Checked negation (traps on MIN; any non-zero unsigned value overflows). */
export function checkedNeg(g: Gen, t: IntT): string {
  const w = t.bits === 64 ? i64 : i32;
  const { m, ir } = g;
  return g.define(`ck_neg_${t.name}`, [w, i32], w, (l) => {
    const A = () => ir.get(l, 0);
    const fail = m.block(null, [panicWith(g, l, 1, MSG.overflow), m.unreachable()]);
    if (t.bits === 64) {
      return [
        t.signed ? m.if(m.i64.eq(A(), ir.c64(intMin(t))), fail) : m.if(m.i64.ne(A(), ir.c64(0)), fail),
        m.i64.sub(ir.c64(0), A()),
      ];
    }
    return [
      t.signed ? m.if(m.i32.eq(A(), ir.c32(Number(intMin(t)))), fail) : m.if(m.i32.ne(A(), ir.c32(0)), fail),
      m.i32.sub(ir.c32(0), A()),
    ];
  });
}

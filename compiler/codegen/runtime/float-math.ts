// f64 math functions generated on first use: sin, cos, tan, atan2, exp, ln, log2. Wasm has no
// instructions for them and the host import set stays small, so they are computed in wasm:
// Cody-Waite reduction by pi/2 with fdlibm's kernel polynomials for sin/cos, a reduced series for
// atan, and the runtime's exp/ln (misc.ts) for the rest.

import type { Gen } from "../context.js";
import { f64, i32, i64, type Locals, type Ref } from "../ir.js";

export type FloatMathFn = "sin" | "cos" | "tan" | "atan2" | "exp" | "ln" | "log2";

// pi/2 split in three parts, so k·PIO2_1 is exact for the quadrant counts we see.
const PIO2_1 = 1.57079632673412561417e0;
const PIO2_2 = 6.0771005063039659766e-11;
const PIO2_3 = 2.0222662487111664558e-21;
const S = [-1.66666666666666324348e-1, 8.33333333332248946124e-3, -1.98412698298579493134e-4, 2.75573137070700676789e-6, -2.50507602534068634195e-8, 1.58969099521155010221e-10];
const C = [4.16666666666666019037e-2, -1.38888888888741095749e-3, 2.48015872894767294178e-5, -2.75573143513906633035e-7, 2.0875723212981748279e-9, -1.13596475577881948265e-11];

/** Name of the f64 -> f64 (atan2: (y, x) -> f64) helper, defined on first use. */
export function floatMath(g: Gen, fn: FloatMathFn): string {
  switch (fn) {
    case "sin":
    case "cos":
      return trig(g, fn);
    case "tan":
      return g.define("fm_tan", [f64], f64, (l) => [g.m.f64.div(g.m.call(trig(g, "sin"), [g.ir.get(l, 0)], f64), g.m.call(trig(g, "cos"), [g.ir.get(l, 0)], f64))]);
    case "atan2":
      return atan2(g);
    case "exp":
      return "rt_exp";
    case "ln":
      return ln(g);
    case "log2":
      return log2(g);
  }
}

/** Horner evaluation of coefficients cs at z (cs[0] is the constant term). */
function horner(g: Gen, z: () => Ref, cs: number[]): Ref {
  const { m } = g;
  let acc: Ref = m.f64.const(cs[cs.length - 1]);
  for (let i = cs.length - 2; i >= 0; i--) acc = m.f64.add(m.f64.const(cs[i]), m.f64.mul(z(), acc));
  return acc;
}

function trig(g: Gen, which: "sin" | "cos"): string {
  const { m, ir } = g;
  return g.define(`fm_${which}`, [f64], f64, (l: Locals) => {
    const x = 0;
    const k = l.add(f64);
    const r = l.add(f64);
    const z = l.add(f64);
    const q = l.add(i32);
    const s = l.add(f64);
    const c = l.add(f64);
    const X = () => ir.get(l, x);
    const R = () => ir.get(l, r);
    const Z = () => ir.get(l, z);
    const K = () => ir.get(l, k);
    // sin(r) = r + r·z·(S1 + z·(S2 + …)); cos(r) = 1 - z/2 + z²·(C1 + z·(C2 + …)) on |r| <= pi/4.
    const sinK = m.f64.add(R(), m.f64.mul(m.f64.mul(Z(), R()), horner(g, Z, S)));
    const hz = () => m.f64.mul(m.f64.const(0.5), Z());
    const cosK = m.f64.add(m.f64.sub(m.f64.const(1), hz()), m.f64.mul(m.f64.mul(Z(), Z()), horner(g, Z, C)));
    // Quadrant q: sin = [s, c, -s, -c][q], cos = [c, -s, -c, s][q].
    const pick = (a: () => Ref, b: () => Ref): Ref =>
      m.if(
        m.i32.eqz(ir.get(l, q)),
        a(),
        m.if(m.i32.eq(ir.get(l, q), ir.c32(1)), b(), m.if(m.i32.eq(ir.get(l, q), ir.c32(2)), m.f64.neg(a()), m.f64.neg(b()))),
      );
    const S_ = () => ir.get(l, s);
    const C_ = () => ir.get(l, c);
    return [
      m.if(m.f64.ge(m.f64.abs(X()), m.f64.const(Infinity)), m.return(m.f64.const(NaN))),
      m.if(m.f64.ne(X(), X()), m.return(X())),
      ir.set(k, m.f64.nearest(m.f64.mul(X(), m.f64.const(2 / Math.PI)))),
      ir.set(r, m.f64.sub(m.f64.sub(m.f64.sub(X(), m.f64.mul(K(), m.f64.const(PIO2_1))), m.f64.mul(K(), m.f64.const(PIO2_2))), m.f64.mul(K(), m.f64.const(PIO2_3)))),
      ir.set(q, m.i32.wrap(m.i64.and(m.i64.trunc_s_sat.f64(K()), ir.c64(3)))),
      ir.set(z, m.f64.mul(R(), R())),
      ir.set(s, sinK),
      ir.set(c, cosK),
      which === "sin" ? pick(S_, C_) : pick(C_, () => m.f64.neg(S_())),
    ];
  });
}

/** atan(t) for any t: reduce to |t| <= tan(pi/12), then the odd series. */
function atan(g: Gen): string {
  const { m, ir } = g;
  return g.define("fm_atan", [f64], f64, (l) => {
    const t = 0;
    const a = l.add(f64);
    const base = l.add(f64);
    const inv = l.add(i32);
    const a2 = l.add(f64);
    const term = l.add(f64);
    const sum = l.add(f64);
    const i = l.add(i32);
    const A = () => ir.get(l, a);
    const sqrt3 = Math.sqrt(3);
    return [
      m.if(m.f64.ne(ir.get(l, t), ir.get(l, t)), m.return(ir.get(l, t))),
      ir.set(a, m.f64.abs(ir.get(l, t))),
      ir.set(inv, m.f64.gt(A(), m.f64.const(1))),
      m.if(ir.get(l, inv), ir.set(a, m.f64.div(m.f64.const(1), A()))),
      ir.set(base, m.f64.const(0)),
      m.if(
        m.f64.gt(A(), m.f64.const(0.2679491924311227)),
        m.block(null, [ir.set(a, m.f64.div(m.f64.sub(m.f64.mul(A(), m.f64.const(sqrt3)), m.f64.const(1)), m.f64.add(A(), m.f64.const(sqrt3)))), ir.set(base, m.f64.const(Math.PI / 6))]),
      ),
      ir.set(a2, m.f64.mul(A(), A())),
      ir.set(term, A()),
      ir.set(sum, m.f64.const(0)),
      ir.set(i, ir.c32(1)),
      m.loop(
        "series",
        m.if(
          m.i32.lt_s(ir.get(l, i), ir.c32(40)),
          m.block(null, [
            ir.set(sum, m.f64.add(ir.get(l, sum), m.f64.div(ir.get(l, term), m.f64.convert_s.i32(ir.get(l, i))))),
            ir.set(term, m.f64.neg(m.f64.mul(ir.get(l, term), ir.get(l, a2)))),
            ir.set(i, m.i32.add(ir.get(l, i), ir.c32(2))),
            m.br("series"),
          ]),
        ),
      ),
      ir.set(sum, m.f64.add(ir.get(l, sum), ir.get(l, base))),
      m.if(ir.get(l, inv), ir.set(sum, m.f64.sub(m.f64.const(Math.PI / 2), ir.get(l, sum)))),
      m.f64.copysign(ir.get(l, sum), ir.get(l, t)),
    ];
  });
}

function atan2(g: Gen): string {
  const { m, ir } = g;
  return g.define("fm_atan2", [f64, f64], f64, (l) => {
    const [y, x] = [0, 1];
    const Y = () => ir.get(l, y);
    const X = () => ir.get(l, x);
    const inf = (v: () => Ref) => m.f64.eq(m.f64.abs(v()), m.f64.const(Infinity));
    const xNegative = () => m.i64.lt_s(m.i64.reinterpret(X()), ir.c64(0));
    return [
      m.if(m.i32.or(m.f64.ne(X(), X()), m.f64.ne(Y(), Y())), m.return(m.f64.add(X(), Y()))),
      // Both infinite: the diagonal of the quadrant.
      m.if(
        m.i32.and(inf(Y), inf(X)),
        m.return(m.f64.copysign(m.select(xNegative(), m.f64.const((3 * Math.PI) / 4), m.f64.const(Math.PI / 4)), Y())),
      ),
      // On the y axis (x = ±0): ±pi/2, or for y = ±0 too, ±0 / ±pi by the sign of x.
      m.if(
        m.f64.eq(X(), m.f64.const(0)),
        m.return(
          m.if(
            m.f64.eq(Y(), m.f64.const(0)),
            m.f64.copysign(m.select(xNegative(), m.f64.const(Math.PI), m.f64.const(0)), Y()),
            m.f64.copysign(m.f64.const(Math.PI / 2), Y()),
          ),
        ),
      ),
      m.if(
        xNegative(),
        m.return(m.f64.add(m.call(atan(g), [m.f64.div(Y(), X())], f64), m.f64.copysign(m.f64.const(Math.PI), Y()))),
      ),
      m.call(atan(g), [m.f64.div(Y(), X())], f64),
    ];
  });
}

/** ln with subnormal inputs scaled first and negative inputs giving NaN. */
function ln(g: Gen): string {
  const { m, ir } = g;
  return g.define("fm_ln", [f64], f64, (l) => {
    const X = () => ir.get(l, 0);
    return [
      m.if(m.f64.lt(X(), m.f64.const(0)), m.return(m.f64.const(NaN))),
      m.if(
        m.i32.and(m.f64.gt(X(), m.f64.const(0)), m.f64.lt(X(), m.f64.const(2.2250738585072014e-308))),
        m.return(m.f64.sub(m.call("rt_ln", [m.f64.mul(X(), m.f64.const(2 ** 54))], f64), m.f64.const(54 * Math.LN2))),
      ),
      m.call("rt_ln", [X()], f64),
    ];
  });
}

/** log2(x) = k + ln(m)/ln 2 for x = m·2^k, m in [1, 2): exact for powers of two. */
function log2(g: Gen): string {
  const { m, ir } = g;
  return g.define("fm_log2", [f64], f64, (l) => {
    const x = 0;
    const k = l.add(i64);
    const mnt = l.add(f64);
    const X = () => ir.get(l, x);
    return [
      m.if(m.f64.ne(X(), X()), m.return(X())),
      m.if(m.f64.lt(X(), m.f64.const(0)), m.return(m.f64.const(NaN))),
      m.if(m.f64.eq(X(), m.f64.const(0)), m.return(m.f64.const(-Infinity))),
      m.if(m.f64.eq(X(), m.f64.const(Infinity)), m.return(X())),
      ir.set(k, ir.c64(0)),
      m.if(m.f64.lt(X(), m.f64.const(2.2250738585072014e-308)), m.block(null, [ir.set(x, m.f64.mul(X(), m.f64.const(2 ** 54))), ir.set(k, ir.c64(-54))])),
      ir.set(k, m.i64.add(ir.get(l, k), m.i64.sub(m.i64.and(m.i64.shr_u(m.i64.reinterpret(X()), ir.c64(52)), ir.c64(0x7ff)), ir.c64(1023)))),
      ir.set(mnt, m.f64.reinterpret(m.i64.or(m.i64.and(m.i64.reinterpret(X()), ir.c64(0x000f_ffff_ffff_ffffn)), ir.c64(0x3ff0_0000_0000_0000n)))),
      m.f64.add(m.f64.convert_s.i64(ir.get(l, k)), m.f64.div(m.call("rt_ln", [ir.get(l, mnt)], f64), m.f64.const(Math.LN2))),
    ];
  });
}

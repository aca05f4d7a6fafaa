// f-string holes: Display rendering, plus `{x:spec}` format specs
// (`[[fill]align][0][width][.precision][type]`): radix for integers, precision for floats,
// padding/alignment for everything (right-aligned by default, as karac does).

import type { FormatSpec, TExpr } from "../../tir/nodes.js";
import type { Gen } from "../context.js";
import { f64, i32, i64, none, MEM, type Ref } from "../ir.js";
import { HDR } from "../layout.js";
import { STR } from "../runtime/strings.js";
import type { Lowerer } from "./lowerer.js";
import { fmtValue } from "./typeops.js";

export function fmtHole(fl: Lowerer, sb: Ref, e: TExpr, spec?: FormatSpec): Ref {
  const { m, ir, g } = fl;
  if (!spec) return fmtValue(g, e.type, sb, fl.borrow(e));
  emitFormatRuntime(g);
  const t = e.type;
  const tmp = fl.tmp(i32);
  const T = () => ir.get(fl.locals, tmp);
  const out: Ref[] = [ir.set(tmp, m.call(STR.new, [ir.c32(16)], i32))];
  const v = fl.borrow(e);
  if (t.kind === "int" && spec.radix && spec.radix !== "d") {
    const radix = { x: 16, X: 16, o: 8, b: 2 }[spec.radix];
    const u = t.bits === 64 ? v : m.i64.extend_u(t.bits === 32 ? v : m.i32.and(v, ir.c32(t.bits === 8 ? 0xff : 0xffff)));
    out.push(m.call("rt_push_radix", [T(), u, ir.c32(radix), ir.c32(spec.radix === "X" ? 1 : 0)], none));
  } else if (t.kind === "float" && spec.precision !== undefined) {
    out.push(m.call("rt_push_fixed", [T(), t.bits === 32 ? m.f64.promote(v) : v, ir.c32(spec.precision)], none));
  } else {
    out.push(fmtValue(g, t, T(), v));
  }
  const align = spec.align === "<" ? 0 : spec.align === "^" ? 2 : 1;
  const fill = spec.fill ? spec.fill.codePointAt(0) ?? 32 : 32;
  const numeric = t.kind === "int" || t.kind === "float";
  out.push(m.call("rt_pad", [sb, T(), ir.c32(spec.width ?? 0), ir.c32(fill), ir.c32(align), ir.c32(spec.zero && numeric ? 1 : 0)], none));
  out.push(m.call(STR.free, [T()], none));
  return m.block(null, out);
}

function emitFormatRuntime(g: Gen): void {
  const { m, ir } = g;
  g.define("rt_push_radix", [i32, i64, i32, i32], none, (l) => {
    const [s, v, radix, upper] = [0, 1, 2, 3];
    const n = l.add(i32);
    const t = l.add(i64);
    const p = l.add(i32);
    const d = l.add(i32);
    const R = () => m.i64.extend_u(ir.get(l, radix));
    return [
      ir.set(n, ir.c32(1)),
      ir.set(t, ir.get(l, v)),
      m.loop(
        "count",
        m.if(
          m.i64.ge_u(ir.get(l, t), R()),
          m.block(null, [ir.set(t, m.i64.div_u(ir.get(l, t), R())), ir.set(n, m.i32.add(ir.get(l, n), ir.c32(1))), m.br("count")]),
        ),
      ),
      m.call(STR.reserve, [ir.get(l, s), ir.get(l, n)], none),
      ir.set(p, m.i32.add(m.i32.add(ir.load32(ir.get(l, s), HDR.DATA), ir.load32(ir.get(l, s), HDR.LEN)), ir.get(l, n))),
      ir.store32(ir.get(l, s), m.i32.add(ir.load32(ir.get(l, s), HDR.LEN), ir.get(l, n)), HDR.LEN),
      ir.set(t, ir.get(l, v)),
      m.loop(
        "digits",
        m.block(null, [
          ir.set(p, m.i32.sub(ir.get(l, p), ir.c32(1))),
          ir.set(d, m.i32.wrap(m.i64.rem_u(ir.get(l, t), R()))),
          m.i32.store8(
            0,
            1,
            ir.get(l, p),
            m.select(
              m.i32.lt_u(ir.get(l, d), ir.c32(10)),
              m.i32.add(ir.get(l, d), ir.c32(48)),
              m.i32.add(ir.get(l, d), m.select(ir.get(l, upper), ir.c32(55), ir.c32(87))),
            ),
            MEM,
          ),
          ir.set(t, m.i64.div_u(ir.get(l, t), R())),
          m.br("digits", m.i64.ne(ir.get(l, t), ir.c64(0))),
        ]),
      ),
    ];
  });

  // Fixed-point rendering with `prec` digits after the point (round half to even on the
  // scaled value).
  g.define("rt_push_fixed", [i32, f64, i32], none, (l) => {
    const [s, x, prec] = [0, 1, 2];
    const scale = l.add(i64);
    const y = l.add(f64);
    const big = l.add(i64);
    const frac = l.add(i64);
    const i = l.add(i32);
    const digits = l.add(i32);
    const t = l.add(i64);
    const X = () => ir.get(l, x);
    return [
      m.if(
        m.i32.or(m.f64.ne(X(), X()), m.f64.eq(m.f64.abs(X()), m.f64.const(Infinity))),
        m.block(null, [m.call(STR.pushF64, [ir.get(l, s), X()], none), m.return()]),
      ),
      m.if(
        m.i64.lt_s(m.i64.reinterpret(X()), ir.c64(0)),
        m.call(STR.pushByte, [ir.get(l, s), ir.c32(45)], none),
      ),
      ir.set(scale, ir.c64(1)),
      m.loop(
        "scale",
        m.if(
          m.i32.lt_s(ir.get(l, i), ir.get(l, prec)),
          m.block(null, [ir.set(scale, m.i64.mul(ir.get(l, scale), ir.c64(10))), ir.set(i, m.i32.add(ir.get(l, i), ir.c32(1))), m.br("scale")]),
        ),
      ),
      // Round |x|·10^prec to an integer exactly: the product is computed as hi + lo
      // (Dekker's two-product), and a tie in hi is broken by the sign of lo.
      ir.set(y, m.call("rt_round_scaled", [m.f64.abs(X()), m.f64.convert_u.i64(ir.get(l, scale))], f64)),
      m.if(
        m.i32.or(m.f64.ge(ir.get(l, y), m.f64.const(9.2e18)), m.i32.gt_s(ir.get(l, prec), ir.c32(18))),
        m.block(null, [
          // Too large for the integer path: the host's digits are exact for integers.
          m.call(STR.pushF64, [ir.get(l, s), m.f64.nearest(m.f64.abs(X()))], none),
          m.if(ir.get(l, prec), m.call(STR.pushByte, [ir.get(l, s), ir.c32(46)], none)),
          ir.set(i, ir.c32(0)),
          m.loop(
            "zeros",
            m.if(
              m.i32.lt_s(ir.get(l, i), ir.get(l, prec)),
              m.block(null, [m.call(STR.pushByte, [ir.get(l, s), ir.c32(48)], none), ir.set(i, m.i32.add(ir.get(l, i), ir.c32(1))), m.br("zeros")]),
            ),
          ),
          m.return(),
        ]),
      ),
      ir.set(big, m.i64.trunc_u_sat.f64(ir.get(l, y))),
      m.call(STR.pushU64, [ir.get(l, s), m.i64.div_u(ir.get(l, big), ir.get(l, scale))], none),
      m.if(m.i32.eqz(ir.get(l, prec)), m.return()),
      m.call(STR.pushByte, [ir.get(l, s), ir.c32(46)], none),
      ir.set(frac, m.i64.rem_u(ir.get(l, big), ir.get(l, scale))),
      // leading zeros of the fraction
      ir.set(digits, ir.c32(1)),
      ir.set(t, ir.get(l, frac)),
      m.loop(
        "cnt",
        m.if(
          m.i64.ge_u(ir.get(l, t), ir.c64(10)),
          m.block(null, [ir.set(t, m.i64.div_u(ir.get(l, t), ir.c64(10))), ir.set(digits, m.i32.add(ir.get(l, digits), ir.c32(1))), m.br("cnt")]),
        ),
      ),
      m.loop(
        "pad",
        m.if(
          m.i32.lt_s(ir.get(l, digits), ir.get(l, prec)),
          m.block(null, [m.call(STR.pushByte, [ir.get(l, s), ir.c32(48)], none), ir.set(digits, m.i32.add(ir.get(l, digits), ir.c32(1))), m.br("pad")]),
        ),
      ),
      m.call(STR.pushU64, [ir.get(l, s), ir.get(l, frac)], none),
    ];
  });

  g.define("rt_round_scaled", [f64, f64], f64, (l) => {
    const [a, b] = [0, 1];
    const [p, ah, al, bh, bl, c, lo, y] = [l.add(f64), l.add(f64), l.add(f64), l.add(f64), l.add(f64), l.add(f64), l.add(f64), l.add(f64)];
    const G = (k: number) => ir.get(l, k);
    const o = m.f64;
    const split = (x: number, hi: number, lw: number) => [
      ir.set(c, o.mul(o.const(134217729), G(x))),
      ir.set(hi, o.sub(G(c), o.sub(G(c), G(x)))),
      ir.set(lw, o.sub(G(x), G(hi))),
    ];
    return [
      ir.set(p, o.mul(G(a), G(b))),
      m.if(o.ge(G(p), o.const(1e300)), m.return(o.nearest(G(p)))),
      ...split(a, ah, al),
      ...split(b, bh, bl),
      ir.set(lo, o.add(o.add(o.add(o.sub(o.mul(G(ah), G(bh)), G(p)), o.mul(G(ah), G(bl))), o.mul(G(al), G(bh))), o.mul(G(al), G(bl)))),
      ir.set(y, o.nearest(G(p))),
      m.if(
        o.eq(o.abs(o.sub(G(p), G(y))), o.const(0.5)),
        m.if(
          o.lt(G(lo), o.const(0)),
          ir.set(y, o.floor(G(p))),
          m.if(o.gt(G(lo), o.const(0)), ir.set(y, o.ceil(G(p)))),
        ),
      ),
      G(y),
    ];
  });

  // rt_pad(sb, s, width, fill, align 0<|1>|2^, zero): append s padded to width chars.
  g.define("rt_pad", [i32, i32, i32, i32, i32, i32], none, (l) => {
    const [sb, s, width, fill, align, zero] = [0, 1, 2, 3, 4, 5];
    const n = l.add(i32);
    const pad = l.add(i32);
    const left = l.add(i32);
    const i = l.add(i32);
    const first = l.add(i32);
    const push = (c: Ref, count: number, label: string) =>
      m.block(null, [
        ir.set(i, ir.c32(0)),
        m.loop(
          label,
          m.if(
            m.i32.lt_s(ir.get(l, i), ir.get(l, count)),
            m.block(null, [m.call(STR.pushChar, [ir.get(l, sb), c], none), ir.set(i, m.i32.add(ir.get(l, i), ir.c32(1))), m.br(label)]),
          ),
        ),
      ]);
    return [
      ir.set(n, m.i32.wrap(m.call("rt_string_char_count", [ir.get(l, s)], i64))),
      m.if(m.i32.ge_s(ir.get(l, n), ir.get(l, width)), m.block(null, [m.call(STR.pushStr, [ir.get(l, sb), ir.get(l, s)], none), m.return()])),
      ir.set(pad, m.i32.sub(ir.get(l, width), ir.get(l, n))),
      m.if(
        ir.get(l, zero),
        m.block(null, [
          ir.set(first, m.if(ir.load32(ir.get(l, s), HDR.LEN), m.i32.load8_u(0, 1, ir.load32(ir.get(l, s), HDR.DATA), MEM), ir.c32(0))),
          m.if(
            m.i32.or(m.i32.eq(ir.get(l, first), ir.c32(45)), m.i32.eq(ir.get(l, first), ir.c32(43))),
            m.block(null, [
              m.call(STR.pushByte, [ir.get(l, sb), ir.get(l, first)], none),
              push(ir.c32(48), pad, "zpad1"),
              m.call(
                STR.pushBytes,
                [ir.get(l, sb), m.i32.add(ir.load32(ir.get(l, s), HDR.DATA), ir.c32(1)), m.i32.sub(ir.load32(ir.get(l, s), HDR.LEN), ir.c32(1))],
                none,
              ),
            ]),
            m.block(null, [push(ir.c32(48), pad, "zpad2"), m.call(STR.pushStr, [ir.get(l, sb), ir.get(l, s)], none)]),
          ),
          m.return(),
        ]),
      ),
      ir.set(left, m.select(m.i32.eqz(ir.get(l, align)), ir.c32(0), m.select(m.i32.eq(ir.get(l, align), ir.c32(1)), ir.get(l, pad), m.i32.shr_u(ir.get(l, pad), ir.c32(1))))),
      push(ir.get(l, fill), left, "lpad"),
      m.call(STR.pushStr, [ir.get(l, sb), ir.get(l, s)], none),
      ir.set(pad, m.i32.sub(ir.get(l, pad), ir.get(l, left))),
      push(ir.get(l, fill), pad, "rpad"),
    ];
  });
}

// Small runtime helpers: float remainder/rounding/min/max/pow, saturating narrow casts,
// UTF-8 decoding, integer parsing, and String/char utilities used by builtins.

import type { Gen } from "../context.js";
import { f32, f64, i32, i64, none, MEM } from "../ir.js";
import { HDR } from "../layout.js";
import { H } from "./names.js";
import { STR } from "./strings.js";
import { charBoundaryPanic, panicCall } from "./panics.js";

export function emitMisc(g: Gen): void {
  const { m, ir } = g;
  m.addGlobal("g_ovf", i32, true, ir.c32(0));
  g.define("rt_ovf_flag", [], i32, () => [m.global.get("g_ovf", i32)]);

  // Remainder with the dividend's sign (C fmod), exact for finite operands via repeated
  // subtraction of scaled divisors.
  for (const [name, w, o] of [
    ["rt_fmod64", f64, m.f64],
    ["rt_fmod32", f32, m.f32],
  ] as const) {
    g.define(name, [w, w], w, (l) => {
      const [a, b] = [0, 1];
      const x = l.add(w);
      const y = l.add(w);
      const t = l.add(w);
      const A = () => ir.get(l, a);
      return [
        m.if(
          m.i32.or(m.i32.or(o.ne(A(), A()), o.ne(ir.get(l, b), ir.get(l, b))), m.i32.or(o.eq(o.abs(A()), o.const(Infinity)), o.eq(ir.get(l, b), o.const(0)))),
          m.return(o.const(NaN)),
        ),
        m.if(o.eq(o.abs(ir.get(l, b)), o.const(Infinity)), m.return(A())),
        ir.set(x, o.abs(A())),
        ir.set(y, o.abs(ir.get(l, b))),
        m.loop(
          "outer",
          m.if(
            o.ge(ir.get(l, x), ir.get(l, y)),
            m.block(null, [
              ir.set(t, ir.get(l, y)),
              m.loop("grow", m.if(o.le(o.mul(ir.get(l, t), o.const(2)), ir.get(l, x)), m.block(null, [ir.set(t, o.mul(ir.get(l, t), o.const(2))), m.br("grow")]))),
              ir.set(x, o.sub(ir.get(l, x), ir.get(l, t))),
              m.br("outer"),
            ]),
          ),
        ),
        o.copysign(ir.get(l, x), A()),
      ];
    });
  }

  // Round half away from zero (Rust's f64::round).
  for (const [name, w, o] of [
    ["rt_round64", f64, m.f64],
    ["rt_round32", f32, m.f32],
  ] as const) {
    g.define(name, [w], w, (l) => {
      const r = l.add(w);
      return [
        ir.set(r, o.trunc(ir.get(l, 0))),
        m.if(o.ge(o.abs(o.sub(ir.get(l, 0), ir.get(l, r))), o.const(0.5)), ir.set(r, o.add(ir.get(l, r), o.copysign(o.const(1), ir.get(l, 0))))),
        ir.get(l, r),
      ];
    });
  }

  // min/max ignoring NaN operands (Rust semantics).
  for (const [bits, w, o] of [
    [64, f64, m.f64],
    [32, f32, m.f32],
  ] as const) {
    for (const kind of ["min", "max"] as const) {
      g.define(`rt_f${bits}_${kind}`, [w, w], w, (l) => [
        m.if(o.ne(ir.get(l, 0), ir.get(l, 0)), m.return(ir.get(l, 1))),
        m.if(o.ne(ir.get(l, 1), ir.get(l, 1)), m.return(ir.get(l, 0))),
        kind === "min" ? o.min(ir.get(l, 0), ir.get(l, 1)) : o.max(ir.get(l, 0), ir.get(l, 1)),
      ]);
    }
  }

  // x^y: exact repeated squaring for integral y; sqrt for y = ±0.5; otherwise exp(y·ln x).
  g.define("rt_pow", [f64, f64], f64, (l) => {
    const [x, y] = [0, 1];
    const r = l.add(f64);
    const b = l.add(f64);
    const n = l.add(i64);
    const neg = l.add(i32);
    const X = () => ir.get(l, x);
    const Y = () => ir.get(l, y);
    return [
      m.if(m.f64.eq(Y(), m.f64.const(0)), m.return(m.f64.const(1))),
      m.if(m.f64.eq(Y(), m.f64.const(0.5)), m.return(m.f64.sqrt(X()))),
      m.if(
        m.i32.and(m.f64.eq(m.f64.trunc(Y()), Y()), m.f64.lt(m.f64.abs(Y()), m.f64.const(9.2e18))),
        m.block(null, [
          ir.set(neg, m.f64.lt(Y(), m.f64.const(0))),
          ir.set(n, m.i64.trunc_s_sat.f64(m.f64.abs(Y()))),
          ir.set(r, m.f64.const(1)),
          ir.set(b, X()),
          m.loop(
            "sq",
            m.if(
              m.i64.ne(ir.get(l, n), ir.c64(0)),
              m.block(null, [
                m.if(m.i32.wrap(m.i64.and(ir.get(l, n), ir.c64(1))), ir.set(r, m.f64.mul(ir.get(l, r), ir.get(l, b)))),
                ir.set(b, m.f64.mul(ir.get(l, b), ir.get(l, b))),
                ir.set(n, m.i64.shr_u(ir.get(l, n), ir.c64(1))),
                m.br("sq"),
              ]),
            ),
          ),
          m.return(m.select(ir.get(l, neg), m.f64.div(m.f64.const(1), ir.get(l, r)), ir.get(l, r))),
        ]),
      ),
      m.if(m.f64.lt(X(), m.f64.const(0)), m.return(m.f64.const(NaN))),
      m.call("rt_exp", [m.f64.mul(Y(), m.call("rt_ln", [X()], f64))], f64),
    ];
  });

  // ln(x) for x > 0: reduce to m·2^k with m in [1, 2), then the atanh series.
  g.define("rt_ln", [f64], f64, (l) => {
    const x = 0;
    const k = l.add(i64);
    const mnt = l.add(f64);
    const s = l.add(f64);
    const s2 = l.add(f64);
    const term = l.add(f64);
    const sum = l.add(f64);
    const i = l.add(i32);
    return [
      m.if(m.f64.eq(ir.get(l, x), m.f64.const(0)), m.return(m.f64.const(-Infinity))),
      m.if(m.i32.or(m.f64.ne(ir.get(l, x), ir.get(l, x)), m.f64.eq(ir.get(l, x), m.f64.const(Infinity))), m.return(ir.get(l, x))),
      ir.set(k, m.i64.sub(m.i64.and(m.i64.shr_u(m.i64.reinterpret(ir.get(l, x)), ir.c64(52)), ir.c64(0x7ff)), ir.c64(1023))),
      ir.set(mnt, m.f64.reinterpret(m.i64.or(m.i64.and(m.i64.reinterpret(ir.get(l, x)), ir.c64(0x000f_ffff_ffff_ffffn)), ir.c64(0x3ff0_0000_0000_0000n)))),
      ir.set(s, m.f64.div(m.f64.sub(ir.get(l, mnt), m.f64.const(1)), m.f64.add(ir.get(l, mnt), m.f64.const(1)))),
      ir.set(s2, m.f64.mul(ir.get(l, s), ir.get(l, s))),
      ir.set(term, ir.get(l, s)),
      ir.set(sum, m.f64.const(0)),
      ir.set(i, ir.c32(1)),
      m.loop(
        "series",
        m.if(
          m.i32.lt_s(ir.get(l, i), ir.c32(60)),
          m.block(null, [
            ir.set(sum, m.f64.add(ir.get(l, sum), m.f64.div(ir.get(l, term), m.f64.convert_s.i32(ir.get(l, i))))),
            ir.set(term, m.f64.mul(ir.get(l, term), ir.get(l, s2))),
            ir.set(i, m.i32.add(ir.get(l, i), ir.c32(2))),
            m.br("series"),
          ]),
        ),
      ),
      m.f64.add(m.f64.mul(m.f64.const(2), ir.get(l, sum)), m.f64.mul(m.f64.convert_s.i64(ir.get(l, k)), m.f64.const(Math.LN2))),
    ];
  });

  const pow2 = (k: ReturnType<typeof ir.c32>) =>
    m.f64.reinterpret(m.i64.shl(m.i64.add(m.i64.trunc_s_sat.f64(k), ir.c64(1023)), ir.c64(52)));
  // exp(x): x = k·ln2 + r, Taylor series for e^r, scaled by 2^k.
  g.define("rt_exp", [f64], f64, (l) => {
    const x = 0;
    const k = l.add(f64);
    const r = l.add(f64);
    const term = l.add(f64);
    const sum = l.add(f64);
    const i = l.add(i32);
    return [
      m.if(m.f64.ne(ir.get(l, x), ir.get(l, x)), m.return(ir.get(l, x))),
      m.if(m.f64.gt(ir.get(l, x), m.f64.const(709.8)), m.return(m.f64.const(Infinity))),
      m.if(m.f64.lt(ir.get(l, x), m.f64.const(-745.2)), m.return(m.f64.const(0))),
      ir.set(k, m.f64.nearest(m.f64.div(ir.get(l, x), m.f64.const(Math.LN2)))),
      ir.set(r, m.f64.sub(ir.get(l, x), m.f64.mul(ir.get(l, k), m.f64.const(Math.LN2)))),
      ir.set(term, m.f64.const(1)),
      ir.set(sum, m.f64.const(1)),
      ir.set(i, ir.c32(1)),
      m.loop(
        "taylor",
        m.if(
          m.i32.lt_s(ir.get(l, i), ir.c32(30)),
          m.block(null, [
            ir.set(term, m.f64.div(m.f64.mul(ir.get(l, term), ir.get(l, r)), m.f64.convert_s.i32(ir.get(l, i)))),
            ir.set(sum, m.f64.add(ir.get(l, sum), ir.get(l, term))),
            ir.set(i, m.i32.add(ir.get(l, i), ir.c32(1))),
            m.br("taylor"),
          ]),
        ),
      ),
      // multiply by 2^k in two halves so very small/large results keep their range
      ir.set(r, m.f64.trunc(m.f64.div(ir.get(l, k), m.f64.const(2)))),
      ir.set(k, m.f64.sub(ir.get(l, k), ir.get(l, r))),
      m.f64.mul(m.f64.mul(ir.get(l, sum), pow2(ir.get(l, r))), pow2(ir.get(l, k))),
    ];
  });

  // Clamp an i32 into [lo, hi] (saturating float → narrow int casts).
  g.define("rt_clamp_s", [i32, i32, i32], i32, (l) => [
    m.if(m.i32.lt_s(ir.get(l, 0), ir.get(l, 1)), m.return(ir.get(l, 1))),
    m.if(m.i32.gt_s(ir.get(l, 0), ir.get(l, 2)), m.return(ir.get(l, 2))),
    ir.get(l, 0),
  ]);
  g.define("rt_clamp_u", [i32, i32, i32], i32, (l) => [
    m.if(m.i32.gt_u(ir.get(l, 0), ir.get(l, 2)), m.return(ir.get(l, 2))),
    ir.get(l, 0),
  ]);

  // UTF-8: sequence length from the lead byte, and decoding at ptr.
  g.define("rt_utf8_len", [i32], i32, (l) => [
    m.if(m.i32.lt_u(ir.get(l, 0), ir.c32(0x80)), m.return(ir.c32(1))),
    m.if(m.i32.lt_u(ir.get(l, 0), ir.c32(0xe0)), m.return(ir.c32(2))),
    m.if(m.i32.lt_u(ir.get(l, 0), ir.c32(0xf0)), m.return(ir.c32(3))),
    ir.c32(4),
  ]);
  g.define("rt_utf8_decode", [i32, i32], i32, (l) => {
    const [p, n] = [0, 1];
    const c = l.add(i32);
    const i = l.add(i32);
    const byte = (k: ReturnType<typeof ir.c32>) => m.i32.load8_u(0, 1, m.i32.add(ir.get(l, p), k), MEM);
    return [
      ir.set(c, byte(ir.c32(0))),
      m.if(m.i32.eq(ir.get(l, n), ir.c32(1)), m.return(ir.get(l, c))),
      ir.set(c, m.i32.and(ir.get(l, c), m.i32.shr_u(ir.c32(0x7f), ir.get(l, n)))),
      ir.set(i, ir.c32(1)),
      m.loop(
        "cont",
        m.if(
          m.i32.lt_u(ir.get(l, i), ir.get(l, n)),
          m.block(null, [
            ir.set(c, m.i32.or(m.i32.shl(ir.get(l, c), ir.c32(6)), m.i32.and(byte(ir.get(l, i)), ir.c32(0x3f)))),
            ir.set(i, m.i32.add(ir.get(l, i), ir.c32(1))),
            m.br("cont"),
          ]),
        ),
      ),
      ir.get(l, c),
    ];
  });

  // Parse a decimal integer (optional sign, no spaces). Sets g_ovf on failure; value in i64
  // (unsigned values above i64.MAX wrap, callers range-check).
  g.define("rt_parse_int", [i32, i32], i64, (l) => {
    const [s, signed] = [0, 1];
    const i = l.add(i32);
    const n = l.add(i32);
    const p = l.add(i32);
    const d = l.add(i32);
    const neg = l.add(i32);
    const v = l.add(i64);
    const fail = m.block(null, [m.global.set("g_ovf", ir.c32(1)), m.return(ir.c64(0))]);
    const at = () => m.i32.load8_u(0, 1, m.i32.add(ir.get(l, p), ir.get(l, i)), MEM);
    return [
      m.global.set("g_ovf", ir.c32(0)),
      ir.set(p, ir.load32(ir.get(l, s), HDR.DATA)),
      ir.set(n, ir.load32(ir.get(l, s), HDR.LEN)),
      m.if(m.i32.eqz(ir.get(l, n)), fail),
      m.if(m.i32.eq(at(), ir.c32(45)), m.block(null, [m.if(m.i32.eqz(ir.get(l, signed)), fail), ir.set(neg, ir.c32(1)), ir.set(i, ir.c32(1))])),
      m.if(m.i32.eq(at(), ir.c32(43)), ir.set(i, ir.c32(1))),
      m.if(m.i32.ge_u(ir.get(l, i), ir.get(l, n)), fail),
      m.loop(
        "digits",
        m.if(
          m.i32.lt_u(ir.get(l, i), ir.get(l, n)),
          m.block(null, [
            ir.set(d, m.i32.sub(at(), ir.c32(48))),
            m.if(m.i32.gt_u(ir.get(l, d), ir.c32(9)), fail),
            // overflow of the magnitude beyond u64
            m.if(m.i64.gt_u(ir.get(l, v), ir.c64(1844674407370955161n)), fail),
            ir.set(v, m.i64.add(m.i64.mul(ir.get(l, v), ir.c64(10)), m.i64.extend_u(ir.get(l, d)))),
            m.if(m.i64.lt_u(ir.get(l, v), m.i64.extend_u(ir.get(l, d))), fail),
            ir.set(i, m.i32.add(ir.get(l, i), ir.c32(1))),
            m.br("digits"),
          ]),
        ),
      ),
      m.if(
        ir.get(l, signed),
        m.block(null, [
          m.if(m.i64.gt_u(ir.get(l, v), m.select(ir.get(l, neg), ir.c64(1n << 63n), ir.c64((1n << 63n) - 1n))), fail),
          m.if(ir.get(l, neg), ir.set(v, m.i64.sub(ir.c64(0), ir.get(l, v)))),
        ]),
      ),
      ir.get(l, v),
    ];
  });

  // String predicates
  const D = (s: number, l: Parameters<typeof ir.get>[0]) => ir.load32(ir.get(l, s), HDR.DATA);
  const N = (s: number, l: Parameters<typeof ir.get>[0]) => ir.load32(ir.get(l, s), HDR.LEN);
  g.define("rt_string_starts_with", [i32, i32], i32, (l) => [
    m.if(m.i32.gt_u(N(1, l), N(0, l)), m.return(ir.c32(0))),
    m.i32.eqz(m.call(STR.memcmp, [D(0, l), D(1, l), N(1, l)], i32)),
  ]);
  g.define("rt_string_ends_with", [i32, i32], i32, (l) => [
    m.if(m.i32.gt_u(N(1, l), N(0, l)), m.return(ir.c32(0))),
    m.i32.eqz(m.call(STR.memcmp, [m.i32.add(D(0, l), m.i32.sub(N(0, l), N(1, l))), D(1, l), N(1, l)], i32)),
  ]);
  g.define("rt_string_contains", [i32, i32], i32, (l) => {
    const i = l.add(i32);
    return [
      m.loop(
        "scan",
        m.if(
          m.i32.le_u(m.i32.add(ir.get(l, i), N(1, l)), N(0, l)),
          m.block(null, [
            m.if(m.i32.eqz(m.call(STR.memcmp, [m.i32.add(D(0, l), ir.get(l, i)), D(1, l), N(1, l)], i32)), m.return(ir.c32(1))),
            ir.set(i, m.i32.add(ir.get(l, i), ir.c32(1))),
            m.br("scan"),
          ]),
        ),
      ),
      ir.c32(0),
    ];
  });
  g.define("rt_string_char_count", [i32], i64, (l) => {
    const i = l.add(i32);
    const c = l.add(i32);
    return [
      m.loop(
        "scan",
        m.if(
          m.i32.lt_u(ir.get(l, i), N(0, l)),
          m.block(null, [
            m.if(
              m.i32.ne(m.i32.and(m.i32.load8_u(0, 1, m.i32.add(D(0, l), ir.get(l, i)), MEM), ir.c32(0xc0)), ir.c32(0x80)),
              ir.set(c, m.i32.add(ir.get(l, c), ir.c32(1))),
            ),
            ir.set(i, m.i32.add(ir.get(l, i), ir.c32(1))),
            m.br("scan"),
          ]),
        ),
      ),
      m.i64.extend_u(ir.get(l, c)),
    ];
  });
  // ' ' or \t..\r, written as one unsigned range test so `b` is used once.
  const isSpace = (b: ReturnType<typeof ir.c32>) =>
    m.call("rt_is_ascii_space", [b], i32);
  g.define("rt_is_ascii_space", [i32], i32, (l) => [
    m.i32.or(m.i32.eq(ir.get(l, 0), ir.c32(32)), m.i32.lt_u(m.i32.sub(ir.get(l, 0), ir.c32(9)), ir.c32(5))),
  ]);
  g.define("rt_string_trim", [i32], i32, (l) => {
    const a = l.add(i32);
    const b = l.add(i32);
    const at = (k: number) => m.i32.load8_u(0, 1, m.i32.add(D(0, l), ir.get(l, k)), MEM);
    return [
      ir.set(b, N(0, l)),
      m.loop("lead", m.if(m.i32.lt_u(ir.get(l, a), ir.get(l, b)), m.if(isSpace(at(a)), m.block(null, [ir.set(a, m.i32.add(ir.get(l, a), ir.c32(1))), m.br("lead")])))),
      m.loop(
        "trail",
        m.if(
          m.i32.gt_u(ir.get(l, b), ir.get(l, a)),
          m.if(
            isSpace(m.i32.load8_u(0, 1, m.i32.add(D(0, l), m.i32.sub(ir.get(l, b), ir.c32(1))), MEM)),
            m.block(null, [ir.set(b, m.i32.sub(ir.get(l, b), ir.c32(1))), m.br("trail")]),
          ),
        ),
      ),
      m.call(STR.from, [m.i32.add(D(0, l), ir.get(l, a)), m.i32.sub(ir.get(l, b), ir.get(l, a))], i32),
    ];
  });
  for (const [name, lo, hi, delta] of [
    ["rt_string_to_uppercase", 97, 122, -32],
    ["rt_string_to_lowercase", 65, 90, 32],
  ] as const) {
    g.define(name, [i32], i32, (l) => {
      const r = l.add(i32);
      const i = l.add(i32);
      const c = l.add(i32);
      const at = () => m.i32.add(ir.load32(ir.get(l, r), HDR.DATA), ir.get(l, i));
      return [
        ir.set(r, m.call(STR.clone, [ir.get(l, 0)], i32)),
        m.loop(
          "map",
          m.if(
            m.i32.lt_u(ir.get(l, i), N(0, l)),
            m.block(null, [
              ir.set(c, m.i32.load8_u(0, 1, at(), MEM)),
              m.if(
                m.i32.and(m.i32.ge_u(ir.get(l, c), ir.c32(lo)), m.i32.le_u(ir.get(l, c), ir.c32(hi))),
                m.i32.store8(0, 1, at(), m.i32.add(ir.get(l, c), ir.c32(delta)), MEM),
              ),
              ir.set(i, m.i32.add(ir.get(l, i), ir.c32(1))),
              m.br("map"),
            ]),
          ),
        ),
        ir.get(l, r),
      ];
    });
  }
  g.define("rt_string_repeat", [i32, i64], i32, (l) => {
    const r = l.add(i32);
    const n = l.add(i64);
    return [
      ir.set(r, m.call(STR.new, [ir.c32(0)], i32)),
      ir.set(n, ir.get(l, 1)),
      m.loop(
        "rep",
        m.if(
          m.i64.gt_s(ir.get(l, n), ir.c64(0)),
          m.block(null, [m.call(STR.pushStr, [ir.get(l, r), ir.get(l, 0)], none), ir.set(n, m.i64.sub(ir.get(l, n), ir.c64(1))), m.br("rep")]),
        ),
      ),
      ir.get(l, r),
    ];
  });
  // digit value of c in radix, or -1
  g.define("rt_char_digit", [i32, i32], i32, (l) => {
    const [c, radix] = [0, 1];
    const d = l.add(i32);
    return [
      ir.set(d, ir.c32(-1)),
      m.if(m.i32.and(m.i32.ge_u(ir.get(l, c), ir.c32(48)), m.i32.le_u(ir.get(l, c), ir.c32(57))), ir.set(d, m.i32.sub(ir.get(l, c), ir.c32(48)))),
      m.if(m.i32.and(m.i32.ge_u(ir.get(l, c), ir.c32(97)), m.i32.le_u(ir.get(l, c), ir.c32(122))), ir.set(d, m.i32.sub(ir.get(l, c), ir.c32(87)))),
      m.if(m.i32.and(m.i32.ge_u(ir.get(l, c), ir.c32(65)), m.i32.le_u(ir.get(l, c), ir.c32(90))), ir.set(d, m.i32.sub(ir.get(l, c), ir.c32(55)))),
      m.if(m.i32.ge_s(ir.get(l, d), ir.get(l, radix)), ir.set(d, ir.c32(-1))),
      ir.get(l, d),
    ];
  });
  g.define("rt_char_is_alpha", [i32], i32, (l) => [
    m.if(m.i32.ge_u(ir.get(l, 0), ir.c32(0x80)), m.return(ir.c32(1))),
    m.i32.lt_u(m.i32.sub(m.i32.or(ir.get(l, 0), ir.c32(32)), ir.c32(97)), ir.c32(26)),
  ]);
  g.define("rt_char_is_space", [i32], i32, (l) => [
    m.i32.or(isSpace(ir.get(l, 0)), m.i32.or(m.i32.eq(ir.get(l, 0), ir.c32(0x85)), m.i32.or(m.i32.eq(ir.get(l, 0), ir.c32(0xa0)), m.i32.eq(ir.get(l, 0), ir.c32(0x3000))))),
  ]);
  // Vec[String].join(sep)
  g.define("rt_vec_join", [i32, i32], i32, (l) => {
    const [v, sep] = [0, 1];
    const r = l.add(i32);
    const i = l.add(i32);
    return [
      ir.set(r, m.call(STR.new, [ir.c32(16)], i32)),
      m.loop(
        "join",
        m.if(
          m.i32.lt_u(ir.get(l, i), N(v, l)),
          m.block(null, [
            m.if(ir.get(l, i), m.call(STR.pushStr, [ir.get(l, r), ir.get(l, sep)], none)),
            m.call(STR.pushStr, [ir.get(l, r), ir.load32(m.i32.add(D(v, l), m.i32.shl(ir.get(l, i), ir.c32(2))))], none),
            ir.set(i, m.i32.add(ir.get(l, i), ir.c32(1))),
            m.br("join"),
          ]),
        ),
      ),
      ir.get(l, r),
    ];
  });
  // Mutex word: 0 unlocked, 1 locked, 2 locked with waiters. Waiting goes through the host
  // (never memory.atomic.wait in wasm).
  g.define("rt_mutex_lock", [i32], none, (l) => {
    const c = l.add(i32);
    return [
      ir.set(c, m.i32.atomic.rmw.cmpxchg(0, ir.get(l, 0), ir.c32(0), ir.c32(1), MEM)),
      m.if(m.i32.eqz(ir.get(l, c)), m.return()),
      m.if(m.i32.ne(ir.get(l, c), ir.c32(2)), ir.set(c, m.i32.atomic.rmw.xchg(0, ir.get(l, 0), ir.c32(2), MEM))),
      m.loop(
        "wait",
        m.if(
          ir.get(l, c),
          m.block(null, [
            m.call(H.wait, [ir.get(l, 0), ir.c32(2)], none),
            ir.set(c, m.i32.atomic.rmw.xchg(0, ir.get(l, 0), ir.c32(2), MEM)),
            m.br("wait"),
          ]),
        ),
      ),
    ];
  });
  g.define("rt_mutex_unlock", [i32], none, (l) => [
    m.if(m.i32.eq(m.i32.atomic.rmw.xchg(0, ir.get(l, 0), ir.c32(0), MEM), ir.c32(2)), m.call(H.notify, [ir.get(l, 0), ir.c32(1)], none)),
  ]);

  // Substring by byte offsets [a, b) (already range-checked); both ends must be char boundaries.
  g.define("rt_str_sub", [i32, i32, i32, i32], i32, (l) => {
    const [s, a, b, site] = [0, 1, 2, 3];
    const cont = (k: number) =>
      m.i32.and(
        m.i32.lt_u(ir.get(l, k), N(s, l)),
        m.i32.eq(m.i32.and(m.i32.load8_u(0, 1, m.i32.add(D(s, l), ir.get(l, k)), MEM), ir.c32(0xc0)), ir.c32(0x80)),
      );
    return [
      m.if(
        m.i32.or(cont(a), cont(b)),
        panicCall(g, charBoundaryPanic(g), ir.get(l, site), [m.i64.extend_u(ir.get(l, a)), m.i64.extend_u(ir.get(l, b))]),
      ),
      m.call(STR.from, [m.i32.add(D(s, l), ir.get(l, a)), m.i32.sub(ir.get(l, b), ir.get(l, a))], i32),
    ];
  });
}

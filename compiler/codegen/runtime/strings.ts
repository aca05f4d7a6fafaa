// String support: UTF-8 byte strings behind a {data, len, cap} header (see layout.ts).
// A String value owns both the header and the data; static headers (cap 0, in the data
// segment) are read-only borrowed values.

import type { Gen } from "../context.js";
import { f64, i32, i64, none, MEM } from "../ir.js";
import { HDR } from "../layout.js";
import { ALLOC, FREE, REALLOC } from "./alloc.js";
import { H } from "./names.js";

export const STR = {
  new: "rt_str_new",
  from: "rt_str_from",
  reserve: "rt_str_reserve",
  pushBytes: "rt_str_push_bytes",
  pushStr: "rt_str_push_str",
  pushByte: "rt_str_push_byte",
  pushChar: "rt_str_push_char",
  pushU64: "rt_str_push_u64",
  pushI64: "rt_str_push_i64",
  pushF64: "rt_str_push_f64",
  free: "rt_str_free",
  clone: "rt_str_clone",
  concat: "rt_str_concat",
  eq: "rt_str_eq",
  cmp: "rt_str_cmp",
  memcmp: "rt_memcmp",
} as const;

export function emitStrings(g: Gen): void {
  const { m, ir } = g;

  g.define(STR.new, [i32], i32, (l) => {
    const cap = 0;
    const s = l.add(i32);
    return [
      ir.set(s, m.call(ALLOC, [ir.c32(HDR.SIZE)], i32)),
      ir.store32(ir.get(l, s), m.if(ir.get(l, cap), m.call(ALLOC, [ir.get(l, cap)], i32), ir.c32(0)), HDR.DATA),
      ir.store32(ir.get(l, s), ir.c32(0), HDR.LEN),
      ir.store32(ir.get(l, s), ir.get(l, cap), HDR.CAP),
      m.return(ir.get(l, s)),
    ];
  });

  // Make room for `extra` more bytes (amortised doubling).
  g.define(STR.reserve, [i32, i32], none, (l) => {
    const s = 0;
    const extra = 1;
    const need = l.add(i32);
    const cap = l.add(i32);
    return [
      ir.set(need, m.i32.add(ir.load32(ir.get(l, s), HDR.LEN), ir.get(l, extra))),
      ir.set(cap, ir.load32(ir.get(l, s), HDR.CAP)),
      m.if(m.i32.le_u(ir.get(l, need), ir.get(l, cap)), m.return()),
      ir.set(cap, m.i32.shl(ir.get(l, cap), ir.c32(1))),
      m.if(m.i32.lt_u(ir.get(l, cap), ir.get(l, need)), ir.set(cap, ir.get(l, need))),
      m.if(m.i32.lt_u(ir.get(l, cap), ir.c32(16)), ir.set(cap, ir.c32(16))),
      ir.store32(ir.get(l, s), m.call(REALLOC, [ir.load32(ir.get(l, s), HDR.DATA), ir.get(l, cap)], i32), HDR.DATA),
      ir.store32(ir.get(l, s), ir.get(l, cap), HDR.CAP),
    ];
  });

  g.define(STR.pushBytes, [i32, i32, i32], none, (l) => {
    const [s, p, n] = [0, 1, 2];
    return [
      m.call(STR.reserve, [ir.get(l, s), ir.get(l, n)], none),
      m.memory.copy(
        m.i32.add(ir.load32(ir.get(l, s), HDR.DATA), ir.load32(ir.get(l, s), HDR.LEN)),
        ir.get(l, p),
        ir.get(l, n),
        MEM,
        MEM,
      ),
      ir.store32(ir.get(l, s), m.i32.add(ir.load32(ir.get(l, s), HDR.LEN), ir.get(l, n)), HDR.LEN),
    ];
  });

  g.define(STR.from, [i32, i32], i32, (l) => {
    const [p, n] = [0, 1];
    const s = l.add(i32);
    return [
      ir.set(s, m.call(STR.new, [ir.get(l, n)], i32)),
      m.call(STR.pushBytes, [ir.get(l, s), ir.get(l, p), ir.get(l, n)], none),
      m.return(ir.get(l, s)),
    ];
  });

  g.define(STR.pushStr, [i32, i32], none, (l) => [
    m.call(
      STR.pushBytes,
      [ir.get(l, 0), ir.load32(ir.get(l, 1), HDR.DATA), ir.load32(ir.get(l, 1), HDR.LEN)],
      none,
    ),
  ]);

  g.define(STR.pushByte, [i32, i32], none, (l) => [
    m.call(STR.reserve, [ir.get(l, 0), ir.c32(1)], none),
    m.i32.store8(0, 1, m.i32.add(ir.load32(ir.get(l, 0), HDR.DATA), ir.load32(ir.get(l, 0), HDR.LEN)), ir.get(l, 1), MEM),
    ir.store32(ir.get(l, 0), m.i32.add(ir.load32(ir.get(l, 0), HDR.LEN), ir.c32(1)), HDR.LEN),
  ]);

  // UTF-8 encode a Unicode scalar value.
  g.define(STR.pushChar, [i32, i32], none, (l) => {
    const [s, c] = [0, 1];
    const byte = (v: ReturnType<typeof ir.c32>) => m.call(STR.pushByte, [ir.get(l, s), v], none);
    const cont = (shift: number) => m.i32.or(ir.c32(0x80), m.i32.and(m.i32.shr_u(ir.get(l, c), ir.c32(shift)), ir.c32(0x3f)));
    return [
      m.if(m.i32.lt_u(ir.get(l, c), ir.c32(0x80)), m.block(null, [byte(ir.get(l, c)), m.return()])),
      m.if(
        m.i32.lt_u(ir.get(l, c), ir.c32(0x800)),
        m.block(null, [byte(m.i32.or(ir.c32(0xc0), m.i32.shr_u(ir.get(l, c), ir.c32(6)))), byte(cont(0)), m.return()]),
      ),
      m.if(
        m.i32.lt_u(ir.get(l, c), ir.c32(0x10000)),
        m.block(null, [
          byte(m.i32.or(ir.c32(0xe0), m.i32.shr_u(ir.get(l, c), ir.c32(12)))),
          byte(cont(6)),
          byte(cont(0)),
          m.return(),
        ]),
      ),
      byte(m.i32.or(ir.c32(0xf0), m.i32.shr_u(ir.get(l, c), ir.c32(18)))),
      byte(cont(12)),
      byte(cont(6)),
      byte(cont(0)),
    ];
  });

  // Decimal digits of an unsigned 64-bit value.
  g.define(STR.pushU64, [i32, i64], none, (l) => {
    const [s, v] = [0, 1];
    const n = l.add(i32);
    const t = l.add(i64);
    const p = l.add(i32);
    return [
      // count digits
      ir.set(n, ir.c32(1)),
      ir.set(t, ir.get(l, v)),
      m.loop(
        "count",
        m.if(
          m.i64.ge_u(ir.get(l, t), ir.c64(10)),
          m.block(null, [ir.set(t, m.i64.div_u(ir.get(l, t), ir.c64(10))), ir.set(n, m.i32.add(ir.get(l, n), ir.c32(1))), m.br("count")]),
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
          m.i32.store8(0, 1, ir.get(l, p), m.i32.add(ir.c32(48), m.i32.wrap(m.i64.rem_u(ir.get(l, t), ir.c64(10)))), MEM),
          ir.set(t, m.i64.div_u(ir.get(l, t), ir.c64(10))),
          m.br("digits", m.i64.ne(ir.get(l, t), ir.c64(0))),
        ]),
      ),
    ];
  });

  g.define(STR.pushI64, [i32, i64], none, (l) => [
    m.if(
      m.i64.lt_s(ir.get(l, 1), ir.c64(0)),
      m.block(null, [
        m.call(STR.pushByte, [ir.get(l, 0), ir.c32(45)], none),
        m.call(STR.pushU64, [ir.get(l, 0), m.i64.sub(ir.c64(0), ir.get(l, 1))], none),
      ]),
      m.call(STR.pushU64, [ir.get(l, 0), ir.get(l, 1)], none),
    ),
  ]);

  // Floats are rendered by the host (shortest round-trip digits, Kāra's positional style).
  g.define(STR.pushF64, [i32, f64], none, (l) => [
    m.call(STR.reserve, [ir.get(l, 0), ir.c32(400)], none),
    ir.store32(
      ir.get(l, 0),
      m.i32.add(
        ir.load32(ir.get(l, 0), HDR.LEN),
        m.call(H.f64_to_str, [ir.get(l, 1), m.i32.add(ir.load32(ir.get(l, 0), HDR.DATA), ir.load32(ir.get(l, 0), HDR.LEN))], i32),
      ),
      HDR.LEN,
    ),
  ]);

  g.define(STR.free, [i32], none, (l) => [
    m.if(m.i32.eqz(ir.get(l, 0)), m.return()),
    m.call(FREE, [ir.load32(ir.get(l, 0), HDR.DATA)], none),
    m.call(FREE, [ir.get(l, 0)], none),
  ]);

  g.define(STR.clone, [i32], i32, (l) => [
    m.return(m.call(STR.from, [ir.load32(ir.get(l, 0), HDR.DATA), ir.load32(ir.get(l, 0), HDR.LEN)], i32)),
  ]);

  g.define(STR.concat, [i32, i32], i32, (l) => {
    const s = l.add(i32);
    return [
      ir.set(s, m.call(STR.new, [m.i32.add(ir.load32(ir.get(l, 0), HDR.LEN), ir.load32(ir.get(l, 1), HDR.LEN))], i32)),
      m.call(STR.pushStr, [ir.get(l, s), ir.get(l, 0)], none),
      m.call(STR.pushStr, [ir.get(l, s), ir.get(l, 1)], none),
      m.return(ir.get(l, s)),
    ];
  });

  // memcmp(a, b, n) -> -1 / 0 / 1 (bytes unsigned)
  g.define(STR.memcmp, [i32, i32, i32], i32, (l) => {
    const [a, b, n] = [0, 1, 2];
    const i = l.add(i32);
    const x = l.add(i32);
    const y = l.add(i32);
    return [
      m.block("done", [
        m.loop(
          "scan",
          m.block(null, [
            m.br("done", m.i32.ge_u(ir.get(l, i), ir.get(l, n))),
            ir.set(x, m.i32.load8_u(0, 1, m.i32.add(ir.get(l, a), ir.get(l, i)), MEM)),
            ir.set(y, m.i32.load8_u(0, 1, m.i32.add(ir.get(l, b), ir.get(l, i)), MEM)),
            m.if(m.i32.ne(ir.get(l, x), ir.get(l, y)), m.return(m.select(m.i32.lt_u(ir.get(l, x), ir.get(l, y)), ir.c32(-1), ir.c32(1)))),
            ir.set(i, m.i32.add(ir.get(l, i), ir.c32(1))),
            m.br("scan"),
          ]),
        ),
      ]),
      m.return(ir.c32(0)),
    ];
  });

  g.define(STR.eq, [i32, i32], i32, (l) => [
    m.if(m.i32.ne(ir.load32(ir.get(l, 0), HDR.LEN), ir.load32(ir.get(l, 1), HDR.LEN)), m.return(ir.c32(0))),
    m.return(
      m.i32.eqz(
        m.call(STR.memcmp, [ir.load32(ir.get(l, 0), HDR.DATA), ir.load32(ir.get(l, 1), HDR.DATA), ir.load32(ir.get(l, 0), HDR.LEN)], i32),
      ),
    ),
  ]);

  // Byte-lexicographic comparison.
  g.define(STR.cmp, [i32, i32], i32, (l) => {
    const [a, b] = [0, 1];
    const la = l.add(i32);
    const lb = l.add(i32);
    const c = l.add(i32);
    return [
      ir.set(la, ir.load32(ir.get(l, a), HDR.LEN)),
      ir.set(lb, ir.load32(ir.get(l, b), HDR.LEN)),
      ir.set(
        c,
        m.call(
          STR.memcmp,
          [ir.load32(ir.get(l, a), HDR.DATA), ir.load32(ir.get(l, b), HDR.DATA), m.select(m.i32.lt_u(ir.get(l, la), ir.get(l, lb)), ir.get(l, la), ir.get(l, lb))],
          i32,
        ),
      ),
      m.if(ir.get(l, c), m.return(ir.get(l, c))),
      m.return(m.i32.sub(m.i32.gt_u(ir.get(l, la), ir.get(l, lb)), m.i32.lt_u(ir.get(l, la), ir.get(l, lb)))),
    ];
  });
}

// Vec / Array / Slice support: a {data, len, cap} header over `len` element slots of a fixed
// byte size. Index checks are inline (Ir.boundsChecked) and panic through runtime/panics.ts, naming the length and the index.

import type { Gen } from "../context.js";
import { i32, i64, none } from "../ir.js";
import { HDR } from "../layout.js";
import { ALLOC, FREE, OOM, REALLOC } from "./alloc.js";

const VEC_BYTES_CHECK = "rt_vec_bytes_check";

export const VEC = {
  new: "rt_vec_new",
  reserve: "rt_vec_reserve",
  pushSlot: "rt_vec_push_slot",
  freeShallow: "rt_vec_free_shallow",
} as const;

export function emitVec(g: Gen): void {
  const { m, ir } = g;

  // rt_vec_bytes_check(cap, elemSize): a block of cap × elemSize bytes must be addressable;
  // larger requests end in the out-of-memory panic instead of wrapping around in i32.
  g.define(VEC_BYTES_CHECK, [i32, i32], none, (l) => {
    const bytes = l.add(i64);
    return [
      ir.set(bytes, m.i64.mul(m.i64.extend_u(ir.get(l, 0)), m.i64.extend_u(ir.get(l, 1)))),
      m.if(m.i64.gt_u(ir.get(l, bytes), ir.c64(0x7fff_ffff)), m.call(OOM, [ir.get(l, bytes)], none)),
    ];
  });

  // rt_vec_new(cap, elemSize)
  g.define(VEC.new, [i32, i32], i32, (l) => {
    const [cap, es] = [0, 1];
    const v = l.add(i32);
    const bytes = () => m.i32.mul(ir.get(l, cap), ir.get(l, es));
    return [
      m.call(VEC_BYTES_CHECK, [ir.get(l, cap), ir.get(l, es)], none),
      ir.set(v, m.call(ALLOC, [ir.c32(HDR.SIZE)], i32)),
      ir.store32(ir.get(l, v), m.if(bytes(), m.call(ALLOC, [bytes()], i32), ir.c32(0)), HDR.DATA),
      ir.store32(ir.get(l, v), ir.c32(0), HDR.LEN),
      ir.store32(ir.get(l, v), ir.get(l, cap), HDR.CAP),
      m.return(ir.get(l, v)),
    ];
  });

  // rt_vec_reserve(v, extra, elemSize)
  g.define(VEC.reserve, [i32, i32, i32], none, (l) => {
    const [v, extra, es] = [0, 1, 2];
    const need = l.add(i32);
    const cap = l.add(i32);
    return [
      ir.set(need, m.i32.add(ir.load32(ir.get(l, v), HDR.LEN), ir.get(l, extra))),
      ir.set(cap, ir.load32(ir.get(l, v), HDR.CAP)),
      m.if(m.i32.le_u(ir.get(l, need), ir.get(l, cap)), m.return()),
      ir.set(cap, m.i32.shl(ir.get(l, cap), ir.c32(1))),
      m.if(m.i32.lt_u(ir.get(l, cap), ir.get(l, need)), ir.set(cap, ir.get(l, need))),
      m.if(m.i32.lt_u(ir.get(l, cap), ir.c32(4)), ir.set(cap, ir.c32(4))),
      m.call(VEC_BYTES_CHECK, [ir.get(l, cap), ir.get(l, es)], none),
      ir.store32(
        ir.get(l, v),
        m.call(REALLOC, [ir.load32(ir.get(l, v), HDR.DATA), m.i32.mul(ir.get(l, cap), ir.get(l, es))], i32),
        HDR.DATA,
      ),
      ir.store32(ir.get(l, v), ir.get(l, cap), HDR.CAP),
    ];
  });

  // rt_vec_push_slot(v, elemSize) -> address of a new last slot
  g.define(VEC.pushSlot, [i32, i32], i32, (l) => {
    const [v, es] = [0, 1];
    const len = l.add(i32);
    return [
      m.call(VEC.reserve, [ir.get(l, v), ir.c32(1), ir.get(l, es)], none),
      ir.set(len, ir.load32(ir.get(l, v), HDR.LEN)),
      ir.store32(ir.get(l, v), m.i32.add(ir.get(l, len), ir.c32(1)), HDR.LEN),
      m.return(ir.elemAtDynamic(ir.load32(ir.get(l, v), HDR.DATA), ir.get(l, len), ir.get(l, es))),
    ];
  });

  g.define(VEC.freeShallow, [i32], none, (l) => [
    m.if(m.i32.eqz(ir.get(l, 0)), m.return()),
    m.call(FREE, [ir.load32(ir.get(l, 0), HDR.DATA)], none),
    m.call(FREE, [ir.get(l, 0)], none),
  ]);
}

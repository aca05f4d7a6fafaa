// `v.windows(n)` / `v.chunks(n)` on a receiver that lives in a variable: karac's Vec[Slice[T]] of
// views. Each run is a slice header {data into v's element block, len, cap 0} (layout.ts HDR), so
// no element is copied; dropping the result frees the headers and the outer block only (a slice
// owns nothing but its header, typeops.ts). The checker keeps v unchanged while the views are
// used (check/borrow-conflicts.ts). The panics and the runs are those of the copying form
// (seq-ops.ts): windows i..i+n for i in 0..=len-n, chunks of n with the last possibly shorter.

import type { TExpr } from "../../tir/nodes.js";
import { i32, type Ref } from "../ir.js";
import { HDR } from "../layout.js";
import { ALLOC } from "../runtime/alloc.js";
import { VEC } from "../runtime/vec.js";
import type { Lowerer } from "./lowerer.js";
import { recv } from "./receiver.js";

type BuiltinExpr = Extract<TExpr, { kind: "builtin" }>;

export function lowerSeqViews(fl: Lowerer, e: BuiltinExpr): Ref {
  const { m, ir, L } = fl;
  const lo = fl.locals;
  const G = (x: number) => ir.get(lo, x);
  const windows = e.op === "vec.windows_view";
  const es = L.elem(e.typeArgs[0]).bytes;
  const v = fl.tmp(i32);
  const n64 = fl.tmp(L.wasm(e.args[0].type));
  const n = fl.tmp(i32);
  const len = fl.tmp(i32);
  const count = fl.tmp(i32);
  const out = fl.tmp(i32);
  const i = fl.tmp(i32);
  const start = fl.tmp(i32);
  const h = fl.tmp(i32);
  const top = fl.label("views");
  return m.block(
    null,
    [
      ir.set(v, recv(fl, e.receiver)),
      ir.set(n64, fl.expr(e.args[0])),
      m.if(m.i64.le_s(G(n64), ir.c64(0)), fl.panic(e.span, windows ? "window size must be positive" : "chunk size must be positive")),
      ir.set(len, ir.load32(G(v), HDR.LEN)),
      // A size beyond the length is len + 1: no window, one chunk of everything.
      ir.set(n, m.select(m.i64.gt_u(G(n64), m.i64.extend_u(G(len))), m.i32.add(G(len), ir.c32(1)), m.i32.wrap(G(n64)))),
      ir.set(
        count,
        windows
          ? m.select(m.i32.gt_u(m.i32.add(G(len), ir.c32(1)), G(n)), m.i32.sub(m.i32.add(G(len), ir.c32(1)), G(n)), ir.c32(0))
          : m.i32.div_u(m.i32.sub(m.i32.add(G(len), G(n)), ir.c32(1)), G(n)),
      ),
      ir.set(out, m.call(VEC.new, [G(count), ir.c32(4)], i32)),
      ir.set(i, ir.c32(0)),
      m.loop(
        top,
        m.if(
          m.i32.lt_u(G(i), G(count)),
          m.block(null, [
            ir.set(start, windows ? G(i) : m.i32.mul(G(i), G(n))),
            ir.set(h, m.call(ALLOC, [ir.c32(HDR.SIZE)], i32)),
            ir.store32(G(h), m.i32.add(ir.load32(G(v), HDR.DATA), m.i32.mul(G(start), ir.c32(es))), HDR.DATA),
            ir.store32(
              G(h),
              windows ? G(n) : m.select(m.i32.lt_u(m.i32.sub(G(len), G(start)), G(n)), m.i32.sub(G(len), G(start)), G(n)),
              HDR.LEN,
            ),
            ir.store32(G(h), ir.c32(0), HDR.CAP),
            ir.store32(m.i32.add(ir.load32(G(out), HDR.DATA), m.i32.mul(G(i), ir.c32(4))), G(h)),
            ir.set(i, m.i32.add(G(i), ir.c32(1))),
            m.br(top),
          ]),
        ),
      ),
      ir.store32(G(out), G(count), HDR.LEN),
      G(out),
    ],
    i32,
  );
}

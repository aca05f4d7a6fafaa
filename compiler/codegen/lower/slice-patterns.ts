// Slice patterns (`[a, .., z]`, `[h, ..rest]`) on Vec / Array / Slice values. All three are a
// pointer to a {data, len, cap} header, so one lowering serves them: the length decides whether the
// pattern can match, then prefix elements are read from the front and suffix elements from the back.

import type { TPattern } from "../../tir/nodes.js";
import { i32, none, type Ref } from "../ir.js";
import { HDR } from "../layout.js";
import { ALLOC } from "../runtime/alloc.js";
import type { Lowerer } from "./lowerer.js";

type SlicePattern = Extract<TPattern, { kind: "slice" }>;

/** Element readers for each prefix and suffix sub-pattern of the header read by `get`. */
function elements(f: Lowerer, p: SlicePattern, get: () => Ref): { pattern: TPattern; read: () => Ref }[] {
  const { m, ir, L } = f;
  const slot = L.elem(p.elem);
  if (slot.wasm === none) return [];
  const es = slot.bytes;
  const data = (): Ref => ir.load32(get(), HDR.DATA);
  const out: { pattern: TPattern; read: () => Ref }[] = [];
  p.prefix.forEach((sp, k) => out.push({ pattern: sp, read: () => ir.loadSlot(slot, data(), k * es) }));
  const n = p.suffix.length;
  p.suffix.forEach((sp, j) =>
    out.push({
      pattern: sp,
      // data + (len - n + j) * es
      read: () => ir.loadSlot(slot, m.i32.add(data(), m.i32.mul(m.i32.sub(ir.load32(get(), HDR.LEN), ir.c32(n - j)), ir.c32(es)))),
    }),
  );
  return out;
}

/** Length condition first, then each element's own test (only evaluated once the length fits). */
export function slicePatTest(f: Lowerer, p: SlicePattern, get: () => Ref): Ref {
  const { m, ir } = f;
  const fixed = p.prefix.length + p.suffix.length;
  const len = ir.load32(get(), HDR.LEN);
  let c: Ref = p.rest ? m.i32.ge_u(len, ir.c32(fixed)) : m.i32.eq(len, ir.c32(fixed));
  for (const el of elements(f, p, get)) {
    const t = f.patTest(el.pattern, el.read);
    if (t !== undefined) c = m.if(c, t, ir.c32(0));
  }
  if (p.rest) {
    const t = f.patTest(p.rest, get);
    if (t !== undefined) c = m.if(c, t, ir.c32(0));
  }
  return c;
}

/** Bind the elements' variables; a named rest gets a fresh Slice header over the middle elements. */
export function sliceBind(f: Lowerer, p: SlicePattern, get: () => Ref): Ref[] {
  const { m, ir, L } = f;
  const out: Ref[] = [];
  for (const el of elements(f, p, get)) out.push(...f.bindPattern(el.pattern, el.read));
  const rest = p.rest;
  if (rest && rest.kind === "bind") {
    const es = L.elemBytes(p.elem);
    const h = f.tmp(i32);
    const before = p.prefix.length;
    const fixed = before + p.suffix.length;
    out.push(
      ir.set(h, m.call(ALLOC, [ir.c32(HDR.SIZE)], i32)),
      ir.store32(ir.get(f.locals, h), m.i32.add(ir.load32(get(), HDR.DATA), ir.c32(before * es)), HDR.DATA),
      ir.store32(ir.get(f.locals, h), m.i32.sub(ir.load32(get(), HDR.LEN), ir.c32(fixed)), HDR.LEN),
      ir.store32(ir.get(f.locals, h), ir.c32(0), HDR.CAP),
      f.writeLocal(rest.local, ir.get(f.locals, h)),
    );
    if (rest.sub) out.push(...f.bindPattern(rest.sub, () => ir.get(f.locals, h)));
  }
  return out;
}

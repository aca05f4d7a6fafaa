// Panic lines that name the values involved, in the wording of karac's interpreter: an index past
// the end names the index and the length, a bad range names both bounds and the length, a string
// cut inside a character names the byte range. An index is shown as karac shows it, as an
// unsigned number (a negative i64 index reads as a huge one). Each helper is defined the first time a program needs it; the
// line is built on the heap (a panic ends the task, so nothing is freed) and handed to rt_panic
// with the call site's `panic at FILE:LINE:COL in FN: ` prefix.

import type { Gen } from "../context.js";
import { i32, i64, none, type Locals, type Ref } from "../ir.js";
import { STR } from "./strings.js";
import { RTT } from "./tasks.js";

/** The fixed texts, also what tests and docs quote. */
export const PANIC_TEXT = {
  indexLead: "index ",
  indexMid: " out of bounds (len ",
  rangeLead: "slice bounds ",
  strRangeLead: "string slice bounds ",
  rangeMid: " out of range (len ",
  charBoundaryLead: "E_STRING_SLICE_NOT_AT_CHAR_BOUNDARY: byte range ",
  charBoundaryTail: " does not fall on UTF-8 char boundaries",
} as const;

/** Appends text pieces and i64 values to a fresh string, then raises it through rt_panic. */
function raise(g: Gen, l: Locals, site: number, parts: (string | { i64: number } | { u64: number })[]): Ref[] {
  const { m, ir } = g;
  const s = l.add(i32);
  const body: Ref[] = [ir.set(s, m.call(STR.new, [ir.c32(96)], i32))];
  for (const p of parts) {
    if (typeof p === "string") body.push(m.call(STR.pushStr, [ir.get(l, s), ir.c32(g.staticString(p))], none));
    else if ("i64" in p) body.push(m.call(STR.pushI64, [ir.get(l, s), ir.get(l, p.i64)], none));
    else body.push(m.call(STR.pushU64, [ir.get(l, s), ir.get(l, p.u64)], none));
  }
  body.push(m.call(RTT.panic, [ir.get(l, site), ir.get(l, s)], none), m.unreachable());
  return body;
}

/** `rt_panic_index(site, index, len)`: `index I out of bounds (len L)`. */
export function indexPanic(g: Gen): string {
  return g.define("rt_panic_index", [i32, i64, i64], none, (l) =>
    raise(g, l, 0, [PANIC_TEXT.indexLead, { u64: 1 }, PANIC_TEXT.indexMid, { i64: 2 }, ")"]),
  );
}

/** `rt_panic_range(site, start, end, len, isString)`: `[string ]slice bounds A..B out of range (len L)`. */
export function rangePanic(g: Gen, isString: boolean): string {
  const name = isString ? "rt_panic_str_range" : "rt_panic_range";
  return g.define(name, [i32, i64, i64, i64], none, (l) =>
    raise(g, l, 0, [isString ? PANIC_TEXT.strRangeLead : PANIC_TEXT.rangeLead, { i64: 1 }, "..", { i64: 2 }, PANIC_TEXT.rangeMid, { i64: 3 }, ")"]),
  );
}

/** `rt_panic_char_boundary(site, start, end)`: a string cut whose ends are not both char boundaries. */
export function charBoundaryPanic(g: Gen): string {
  return g.define("rt_panic_char_boundary", [i32, i64, i64], none, (l) =>
    raise(g, l, 0, [PANIC_TEXT.charBoundaryLead, { i64: 1 }, "..", { i64: 2 }, PANIC_TEXT.charBoundaryTail]),
  );
}

/** A call of one of the helpers above followed by `unreachable`, as a statement of type unreachable. */
export function panicCall(g: Gen, fn: string, site: Ref, values: Ref[]): Ref {
  return g.m.block(null, [g.m.call(fn, [site, ...values], none), g.m.unreachable()]);
}

// Slice patterns on Vec / Array / Slice values (core.md F11.2): `[]`, `[x]`, `[first, ..]`,
// `[.., last]`, `[first, .., last]`, `[h, ..rest]` / `[h, rest @ ..]` (rest is a Slice view).
// Strings never match slice patterns.

import type { Pattern } from "../syntax/ast.js";
import type { CheckContext } from "./context.js";
import { asType } from "./builder.js";
import { Codes } from "./codes.js";
import type { TPattern } from "../tir/nodes.js";
import { ERROR, isError, resolve, show, type Ty } from "./types.js";

/** A `..` element: bare, `..name`, or `name @ ..`. Returns the bound name ("" when none), or undefined. */
function restOf(p: Pattern): { name: string } | undefined {
  if (p.kind === "rest") return { name: p.binding ?? "" };
  if (p.kind === "bind" && p.sub?.kind === "rest" && !p.sub.binding) return { name: p.name };
  return undefined;
}

export function checkSlicePattern(c: CheckContext, p: Pattern & { kind: "slice" | "rest" }, ty: Ty, irrefutable: boolean): TPattern {
  const wild = (): TPattern => ({ kind: "wild", type: asType(ty), span: p.span }) as TPattern;
  if (p.kind === "rest") {
    c.err(Codes.BadSlicePattern, "`..` is only allowed inside a slice pattern `[..]`", p.span);
    return wild();
  }
  const r = resolve(ty);
  const elems = p.elems;
  const restAt = elems.map((e, i) => (restOf(e) ? i : -1)).filter((i) => i >= 0);
  let elem: Ty = ERROR;
  let ok = true;
  if (r.kind === "vec" || r.kind === "array" || r.kind === "slice") elem = r.elem;
  else if (r.kind === "var" && !r.lit) {
    c.err(Codes.NeedsAnnotation, "type annotations needed: a slice pattern needs the value's type (Vec, Array or Slice) to be known", p.span);
    ok = false;
  } else if (!isError(r)) {
    const what = r.kind === "string" ? "String values (use `.chars()` or `.bytes()` first)" : show(r);
    c.err(Codes.BadSlicePattern, `slice patterns apply to Vec, Array and Slice values, not ${what}`, p.span);
    ok = false;
  } else ok = false;
  if (restAt.length > 1) {
    c.err(Codes.BadSlicePattern, "a slice pattern may contain `..` only once", elems[restAt[1]].span);
    ok = false;
  }
  const rest = restAt.length ? restAt[0] : -1;
  const fixed = rest < 0 ? elems.length : elems.length - 1;
  if (ok && r.kind === "array") {
    if (rest < 0 ? fixed !== r.len : fixed > r.len) {
      c.err(Codes.Mismatch, `mismatched types: expected an array of ${r.len} elements, found a slice pattern of ${rest < 0 ? "" : "at least "}${fixed}`, p.span);
      ok = false;
    }
  }
  if (ok && irrefutable) {
    const always = r.kind === "array" || (rest >= 0 && fixed === 0);
    if (!always) c.err(Codes.RefutablePattern, "refutable pattern in a `let`: use `match` or `if let`", p.span);
  }
  // Check every element even after an error, so the names are bound and their uses do not report again.
  const sub = (x: Pattern): TPattern => (restOf(x) ? ({ kind: "wild", type: asType(elem), span: x.span } as TPattern) : c.checkPattern(x, elem, irrefutable));
  const prefix = elems.slice(0, rest < 0 ? elems.length : rest).map(sub);
  let restPat: TPattern | undefined;
  if (rest >= 0) {
    const info = restOf(elems[rest])!;
    const sliceTy: Ty = { kind: "slice", elem, mut: false };
    restPat = info.name
      ? c.checkPattern({ kind: "bind", name: info.name, mut: false, id: elems[rest].id, span: elems[rest].span }, sliceTy, irrefutable)
      : ({ kind: "wild", type: asType(sliceTy), span: elems[rest].span } as TPattern);
  }
  const suffix = rest < 0 ? [] : elems.slice(rest + 1).map(sub);
  if (!ok) return wild();
  return { kind: "slice", prefix, rest: restPat, suffix, elem: asType(elem), type: asType(ty), span: p.span } as TPattern;
}

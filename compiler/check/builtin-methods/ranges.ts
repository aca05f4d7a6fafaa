// Methods of a range value (`let r = 0..n;`, a `Range[T]` / `RangeInclusive[T]` parameter):
// membership, length and emptiness. Iterating a range value (`for i in r`, `r.rev()`,
// `r.step_by(k)`, `r.map(f).sum()`) goes through the pipelines (pipeline.ts), which read its bounds.

import { type CheckContext } from "../context.js";
import type { TExpr } from "../../tir/nodes.js";
import { BOOL, I64, type Ty } from "../types.js";
import type { MethodSite } from "./site.js";

export function checkRangeValueMethod(cx: CheckContext, s: MethodSite, rt: Extract<Ty, { kind: "range" }>): TExpr | undefined {
  const { m, args, asValue, b, arity, fail } = s;
  const family = rt.inclusive ? "range_inclusive" : "range";
  switch (m) {
    case "contains": {
      if (!arity(1)) return fail();
      const x = cx.expectArg(args[0].value, rt.elem);
      return b(`${family}.contains`, asValue, [x], BOOL, [rt.elem]);
    }
    case "len":
    case "is_empty":
      if (!arity(0)) return fail();
      return b(`${family}.${m}`, asValue, [], m === "len" ? I64 : BOOL, [rt.elem]);
    case "clone":
      // A range value is a plain pair of bounds: its clone is a copy.
      if (!arity(0) || asValue.kind !== "value") return fail();
      return cx.own(asValue.value);
  }
  return undefined;
}

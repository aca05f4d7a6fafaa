// Display of a range value (`println(r)`, `f"{r}"`, `r.to_string()`): karac prints the bounds
// around the operator, `0..5` or `1..=3`. The typed program holds a range as the pair of its
// bounds (check/types.ts zonk), which no longer says whether the range is inclusive, so the
// checker renders it here, where the range type is still known: the value is bound once and
// becomes the String `f"{lo}..{hi}"` (or `..=`).

import type { LocalId, TExpr, TPattern, TPlace } from "../../tir/nodes.js";
import { asType } from "../builder.js";
import { type CheckContext, mk, T } from "../context.js";
import { I64, STRING, resolve, unify, type Ty } from "../types.js";

/** `v` rendered as a String when it is a range value; undefined for any other value. */
export function displayRange(cx: CheckContext, v: TExpr): TExpr | undefined {
  const r = resolve(T(v));
  if (r.kind !== "range") return undefined;
  // A range of bare literals (`1..=3`) prints its bounds as i64, as a `let` would fix them.
  const elem = resolve(r.elem);
  if (elem.kind === "var" && elem.lit === "int") unify(elem, I64);
  const span = v.span;
  const id: LocalId = cx.b.newLocal("$range", r, "temp", false, "owned", span);
  const whole: TPlace = { kind: "local", local: id, type: asType(r), span };
  const bound = (index: number): TExpr => mk({ kind: "read", place: { kind: "tupleField", base: { ...whole }, index, type: asType(r.elem), span } }, r.elem, span);
  const text = mk(
    {
      kind: "fstring",
      parts: [
        { kind: "hole", value: bound(0), span },
        { kind: "text", text: r.inclusive ? "..=" : ".." },
        { kind: "hole", value: bound(1), span },
      ],
    },
    STRING,
    span,
  );
  const bind: TPattern = { kind: "bind", local: id, type: asType(r as Ty), span } as TPattern;
  return { kind: "block", stmts: [{ kind: "let", pattern: bind, init: v, span }], tail: text, drops: [id], type: asType(STRING), span } as TExpr;
}

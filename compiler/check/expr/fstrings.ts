// f-strings and the Display / hash-key requirements they and map keys impose.

import type { Expr, Span } from "../../syntax/ast.js";
import { Codes } from "../codes.js";
import { parseFormatSpec } from "../format.js";
import { paramHas } from "../trait-bounds.js";
import type { FStringPart, TExpr } from "../../tir/nodes.js";
import { STRING, resolve, show, type Ty } from "../types.js";
import { type CheckContext, mk, T } from "../context.js";
import { displayRange } from "../builtin-methods/range-display.js";

export function checkFString(cx: CheckContext, e: Expr & { kind: "fstr" }): TExpr {
  const parts: FStringPart[] = [];
  for (const p of e.parts) {
    if (typeof p === "string") {
      if (p.length) parts.push({ kind: "text", text: p });
      continue;
    }
    const checked = cx.checkExpr(p.expr);
    const v = displayRange(cx, checked) ?? checked;
    let spec = undefined;
    if (p.spec !== undefined) {
      const s = parseFormatSpec(p.spec);
      if (typeof s === "string") cx.err(Codes.BadFormatSpec, s, p.span);
      else {
        spec = s;
        cx.deferred.push(() => checkSpecFits(cx, s, T(v), p.span));
      }
    }
    requireDisplay(cx, T(v), p.expr.span);
    parts.push({ kind: "hole", value: v, spec, span: p.span });
  }
  return mk({ kind: "fstring", parts }, STRING, e.span);
}

export function checkSpecFits(cx: CheckContext, spec: import("../../tir/nodes.js").FormatSpec, t: Ty, span: Span): void {
  const r = resolve(t);
  const isFloat = r.kind === "float" || (r.kind === "var" && r.lit === "float");
  const isInt = r.kind === "int" || (r.kind === "var" && r.lit === "int");
  if (spec.radix && spec.radix !== "d" && !isInt) {
    cx.err(Codes.BadFormatSpec, `format type \`${spec.radix}\` needs an integer, found ${show(r)}`, span);
  } else if (isFloat && spec.width !== undefined && spec.precision === undefined) {
    cx.err(Codes.BadFormatSpec, "a float with a width needs a precision too, e.g. {x:8.2}", span);
  } else if (spec.precision !== undefined && !isFloat && r.kind !== "error") {
    cx.err(Codes.BadFormatSpec, `precision applies only to floats, found ${show(r)}`, span);
  }
}

/** Map keys and Set elements need Hash + Eq: no floats, functions or concurrency cells. */
export function requireHashKey(cx: CheckContext, t: Ty, span: Span): void {
  cx.deferred.push(() => {
    const bad = (x: Ty): boolean => {
      const r = resolve(x);
      switch (r.kind) {
        case "float": case "fn": case "atomic": case "mutex": case "taskGroup": case "taskHandle": case "map": case "set":
          return true;
        case "tuple":
          return r.elems.some(bad);
        case "vec": case "array":
          return bad(r.elem);
        default:
          return false;
      }
    };
    if (bad(t)) cx.err(Codes.BadOperand, `${show(t)} cannot be a Map key or Set element: it is not Hash + Eq${resolve(t).kind === "float" ? " (wrap floats with F64.from)" : ""}`, span);
  });
}

/** Display-ability is checked once the body's types are solved. */
export function requireDisplay(cx: CheckContext, t: Ty, span: Span): void {
  cx.deferred.push(() => {
    const bad = notDisplay(cx, t);
    if (bad) cx.err(Codes.NotDisplay, `${show(bad)} does not implement Display${resolve(bad).kind === "struct" || resolve(bad).kind === "enum" ? "; add #[derive(Display)] or impl Display" : ""}`, span);
  });
}

/** The first non-Display component of t, or undefined when t prints. */
export function notDisplay(cx: CheckContext, t: Ty): Ty | undefined {
  const r = resolve(t);
  switch (r.kind) {
    case "int": case "float": case "bool": case "char": case "string": case "error": case "var": case "never":
      return undefined;
    case "param":
      return paramHas(r, "Display") ? undefined : r;
    case "vec": case "array": case "slice": case "set":
      return notDisplay(cx, r.elem);
    case "map":
      return notDisplay(cx, r.key) ?? notDisplay(cx, r.value);
    case "tuple":
      for (const x of r.elems) {
        const b = notDisplay(cx, x);
        if (b) return b;
      }
      return undefined;
    case "struct": {
      const info = cx.table.structs.get(r.name)!;
      return info.derives.includes("Display") || cx.table.displayImpls.has(r.name) ? undefined : r;
    }
    case "enum": {
      const info = cx.table.enums.get(r.name)!;
      if (cx.table.displayImpls.has(r.name)) return undefined;
      if (!info.derives.includes("Display")) return r;
      for (const a of r.args) {
        const b = notDisplay(cx, a);
        if (b) return b;
      }
      return undefined;
    }
    default:
      return r;
  }
}

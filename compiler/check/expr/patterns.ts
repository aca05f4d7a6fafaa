// Patterns in `let`, `match`, `if let`, `for` and parameters.

import type { Pattern, Span } from "../../syntax/ast.js";
import { Codes } from "../codes.js";
import { asType } from "../builder.js";
import { checkSlicePattern } from "../patterns-slice.js";
import { bindOrAlternative, checkOrAlternatives } from "../patterns-or.js";
import type { EnumInfo } from "../items.js";
import type { TPattern } from "../../tir/nodes.js";
import { ERROR, UNIT, freshVar, resolve, show, unify, type Ty } from "../types.js";
import { type CheckContext, T } from "../context.js";
import { patternNames } from "../syntax-helpers.js";

export function checkPattern(cx: CheckContext, p: Pattern, ty: Ty, irrefutable: boolean): TPattern {
  const pt = (node: import("../../tir/nodes.js").TPatternNode, t: Ty = ty): TPattern => ({ ...node, type: asType(t), span: p.span }) as TPattern;
  const r = resolve(ty);
  switch (p.kind) {
    case "wild":
      return pt({ kind: "wild" });
    case "bind": {
      const shared = cx.orAlt && bindOrAlternative(cx, cx.orAlt, p.name, ty, p.span);
      const id = shared ?? cx.b.newLocal(p.name, ty, "let", p.mut, "owned", p.span);
      const sub = p.sub ? checkPattern(cx, p.sub, ty, irrefutable) : undefined;
      if (shared === undefined) cx.b.declare(p.name, id);
      return pt({ kind: "bind", local: id, sub });
    }
    case "tuple": {
      // `()` matches the unit value (`Ok(()) => ..`): it always matches and binds nothing.
      if (p.elems.length === 0 && (r.kind === "unit" || (r.kind === "var" && !r.lit && unify(ty, UNIT)))) return pt({ kind: "wild" });
      let elems: Ty[];
      if (r.kind === "tuple" && r.elems.length === p.elems.length) elems = r.elems;
      else {
        elems = p.elems.map(() => freshVar());
        if (!unify(ty, { kind: "tuple", elems })) {
          cx.err(Codes.Mismatch, `mismatched types: expected ${show(ty)}, found a tuple pattern of ${p.elems.length} elements`, p.span);
          elems = p.elems.map(() => ERROR);
        }
      }
      return pt({ kind: "tuple", elems: p.elems.map((x, i) => checkPattern(cx, x, elems[i], irrefutable)) });
    }
    case "lit": {
      if (irrefutable) cx.err(Codes.RefutablePattern, "refutable pattern in a `let`: use `match` or `if let`", p.span);
      const v = cx.checkExpr(p.value, ty);
      if (!unify(T(v), ty)) cx.mismatch(ty, T(v), p.span);
      return pt({ kind: "lit", value: v });
    }
    case "range": {
      const lo = p.lo ? cx.checkExpr(p.lo, ty) : undefined;
      const hi = p.hi ? cx.checkExpr(p.hi, ty) : undefined;
      for (const x of [lo, hi]) if (x && !unify(T(x), ty)) cx.mismatch(ty, T(x), x.span);
      return pt({ kind: "range", lo, hi, inclusive: p.inclusive });
    }
    case "variant": {
      const target = enumPatternTarget(cx, p.path, p.span, ty);
      if (!target) return pt({ kind: "wild" });
      const { en, index, ety } = target;
      if (irrefutable && en.variants.length > 1) cx.err(Codes.RefutablePattern, "refutable pattern in a `let`: use `match` or `if let`", p.span);
      const v = en.variants[index];
      const types = cx.table.variantTypes(en, v, ety.args);
      const args = p.args ?? [];
      if (v.shape === "struct") {
        cx.err(Codes.Mismatch, `variant ${v.name} has named fields: use ${v.name} { .. }`, p.span);
        return pt({ kind: "wild" });
      }
      if (args.length !== types.length) {
        cx.err(Codes.ArgCount, `this pattern has ${args.length} field${args.length === 1 ? "" : "s"}, but variant ${v.name} has ${types.length}`, p.span);
        // Bind the names anyway so their uses do not report again.
        for (const name of patternNames(p)) cx.b.declare(name, cx.b.newLocal(name, ERROR, "let", false, "owned", p.span));
        return pt({ kind: "wild" });
      }
      return pt({ kind: "variant", enum: en.name, variant: index, args: args.map((a, i) => checkPattern(cx, a, types[i], irrefutable)) }, ety);
    }
    case "struct": {
      if (p.path.length === 1 && cx.table.structs.has(p.path[0])) {
        const info = cx.table.structs.get(p.path[0])!;
        const sty = cx.table.structTy(info) as Ty & { args: Ty[] };
        if (!unify(ty, sty)) {
          cx.err(Codes.Mismatch, `mismatched types: expected ${show(ty)}, found a pattern of struct ${info.name}`, p.span);
          return pt({ kind: "wild" });
        }
        const fields = cx.table.structFields(info, sty.args);
        const out: { index: number; pattern: TPattern }[] = [];
        for (const f of p.fields) {
          const i = fields.findIndex((x) => x.name === f.name);
          if (i < 0) {
            cx.err(Codes.NoField, `struct ${info.name} has no field named \`${f.name}\``, f.span);
            continue;
          }
          out.push({ index: i, pattern: checkPattern(cx, f.pattern, fields[i].type, irrefutable) });
        }
        if (!p.rest && out.length < fields.length) {
          const missing = fields.filter((_, i) => !out.some((o) => o.index === i)).map((f) => `\`${f.name}\``);
          cx.err(Codes.MissingFields, `pattern does not mention field${missing.length > 1 ? "s" : ""} ${missing.join(", ")}; add \`..\` to ignore the rest`, p.span);
        }
        return pt({ kind: "struct", struct: info.name, fields: out }, sty);
      }
      const target = enumPatternTarget(cx, p.path, p.span, ty);
      if (!target) return pt({ kind: "wild" });
      const { en, index, ety } = target;
      const v = en.variants[index];
      const types = cx.table.variantTypes(en, v, ety.args);
      const args: TPattern[] = types.map((t) => ({ kind: "wild", type: asType(t), span: p.span }) as TPattern);
      for (const f of p.fields) {
        const i = v.names.indexOf(f.name);
        if (i < 0) {
          cx.err(Codes.NoField, `variant ${en.name}.${v.name} has no field named \`${f.name}\``, f.span);
          continue;
        }
        args[i] = checkPattern(cx, f.pattern, types[i], irrefutable);
      }
      return pt({ kind: "variant", enum: en.name, variant: index, args }, ety);
    }
    case "or":
      return pt({ kind: "or", alts: checkOrAlternatives(cx, p, ty, irrefutable) });
    case "slice":
    case "rest":
      return checkSlicePattern(cx, p, ty, irrefutable);
  }
}

/** The enum variant a tuple- or struct-shaped pattern names, once its enum type unifies with `ty`. */
function enumPatternTarget(cx: CheckContext, path: string[], span: Span, ty: Ty): { en: EnumInfo; index: number; ety: Ty & { args: Ty[] } } | undefined {
  const found = findPatternVariant(cx, path, span, ty);
  if (!found) return undefined;
  const ety = cx.table.enumTy(found.e) as Ty & { args: Ty[] };
  if (!unify(ty, ety)) {
    cx.err(Codes.Mismatch, `mismatched types: expected ${show(ty)}, found a pattern of enum ${found.e.name}`, span);
    return undefined;
  }
  return { en: found.e, index: found.index, ety };
}

export function findPatternVariant(cx: CheckContext, path: string[], span: Span, scrutinee?: Ty): { e: EnumInfo; index: number } | undefined {
  if (path.length === 2) {
    const en = cx.table.enums.get(path[0]);
    const i = en ? en.variants.findIndex((v) => v.name === path[1]) : -1;
    if (en && i >= 0) return { e: en, index: i };
    cx.err(Codes.Undefined, `undefined variant '${path.join(".")}'`, span, "resolve");
    return undefined;
  }
  const v = path.length === 1 ? cx.table.findVariant(path[0], scrutinee) : undefined;
  if (!v) cx.err(Codes.Undefined, `undefined variant '${path.join(".")}'`, span, "resolve");
  return v;
}

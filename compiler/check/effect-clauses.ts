// Lowering of effect syntax into the typed program: `with` clauses (with partition keys),
// effect variables, Fn-slot clauses, resource declarations and trait method signatures. The
// checker does not interpret effects; it hands them to the effect phase in resolved form.

import type { EffectItem, Expr, FnDecl, Program, Span, TypeExpr } from "../syntax/ast.js";
import type { TEffectItem, TFunction, TResourceDecl, TResourceKey, TTraitDecl, Type } from "../tir/nodes.js";

export function effectItems(items: EffectItem[]): TEffectItem[] {
  return items.map((it) => {
    if (it.kind === "verb") {
      return {
        kind: "verb",
        verb: it.verb,
        resources: it.resources.map((r) => (r.key ? { path: r.path, key: resourceKey(r.key), span: r.span } : { path: r.path, span: r.span })),
        span: it.span,
      };
    }
    return { kind: it.kind, name: it.name, span: it.span };
  });
}

/** A clause's partition key: only an integer literal names one partition (effects-concurrency §2.2). */
function resourceKey(e: Expr): TResourceKey {
  if (e.kind === "int") return { kind: "literal", value: e.value };
  if (e.kind === "unary" && e.op === "-" && e.operand.kind === "int") return { kind: "literal", value: -e.operand.value };
  if (e.kind === "ident") return { kind: "any", text: e.name };
  return { kind: "any", text: "_" };
}

/** Effect variables a function may name: its own `[.., with E]` and those of the impl or trait around it. */
export function effectVarsOf(program: Program, decl: FnDecl): string[] {
  const own = decl.generics.filter((g) => g.isEffectVar).map((g) => g.name);
  const outer = program.items.find((i) => (i.kind === "impl" || i.kind === "trait") && i.methods.includes(decl));
  const around = outer && (outer.kind === "impl" || outer.kind === "trait") ? outer.generics.filter((g) => g.isEffectVar).map((g) => g.name) : [];
  return [...around, ...own];
}

/** The declaration-level effect facts of a function: its clause and its effect variables. */
export function fnEffectFields(program: Program, decl: FnDecl): Pick<TFunction, "effects" | "effectVars"> {
  const out: Pick<TFunction, "effects" | "effectVars"> = {};
  if (decl.effects) out.effects = effectItems(decl.effects.items);
  const vars = effectVarsOf(program, decl);
  if (vars.length) out.effectVars = vars;
  return out;
}

/**
 * Record the clause of each Fn-typed parameter's type on the checked function (the slots the
 * effect phase compares arguments against). Parameters are matched by name; the receiver has
 * no slot.
 */
export function annotateSlots(fn: TFunction, decl: FnDecl): void {
  for (const p of decl.params) {
    const t = slotType(p.type);
    if (!t || t.kind !== "fn" || !t.effects) continue;
    const param = fn.params.findIndex((q) => q.name === p.name.name);
    if (param >= 0) (fn.slots ??= []).push({ param, effects: effectItems(t.effects.items) });
  }
}

function slotType(t: TypeExpr): TypeExpr | undefined {
  return t.kind === "ref" ? slotType(t.inner) : t;
}

/** Trait method signatures, for the effect phase's provider-resource checks. */
export function traitDecls(program: Program): TTraitDecl[] {
  return program.items.flatMap((i) =>
    i.kind === "trait"
      ? [{
          name: i.name.name,
          span: i.span,
          methods: i.methods.map((m) => ({
            name: m.name.name,
            receiver: m.receiver,
            effects: m.effects ? effectItems(m.effects.items) : undefined,
            effectVars: effectVarsOf(program, m),
            hasBody: !!m.body,
            span: m.span,
          })),
        }]
      : [],
  );
}

/** A declared resource with its key parameter and provider bounds (the first declaration of the name). */
export function resourceDecl(program: Program, name: string, span: Span, typeOf: (te: TypeExpr) => Type): TResourceDecl {
  const decl = program.items.find((i) => i.kind === "effectResource" && i.name.name === name);
  if (!decl || decl.kind !== "effectResource") return { name, bounds: [], span };
  const out: TResourceDecl = {
    name,
    bounds: decl.bounds.flatMap((b) => (b.kind === "named" ? [b.path[b.path.length - 1]] : [])),
    span,
  };
  if (decl.keyParam) out.keyParam = { name: decl.keyParam.name.name, type: typeOf(decl.keyParam.type) };
  return out;
}

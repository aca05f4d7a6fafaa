// Lowering of effect syntax into the typed program: `with` clauses (with partition keys),
// effect variables, Fn-slot clauses, resource declarations and trait method signatures. The
// checker does not interpret effects; it hands them to the effect phase in resolved form.

import type { EffectItem, Expr, FnDecl, ImplDecl, Program, Span, TraitDecl, TypeExpr } from "../syntax/ast.js";
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
  const outer = enclosingBlock(program, decl);
  const around = outer ? outer.generics.filter((g) => g.isEffectVar).map((g) => g.name) : [];
  return [...around, ...own];
}

/**
 * The impl or trait block that declares a method, from an index built once per program (the first
 * block listing it, as a scan of the items would find). Scanning the items for every function made
 * checking quadratic in the number of functions.
 */
const enclosingIndex = new WeakMap<Program, { items: number; of: Map<FnDecl, ImplDecl | TraitDecl> }>();
function enclosingBlock(program: Program, decl: FnDecl): ImplDecl | TraitDecl | undefined {
  let index = enclosingIndex.get(program);
  if (!index || index.items !== program.items.length) {
    const of = new Map<FnDecl, ImplDecl | TraitDecl>();
    for (const it of program.items) if (it.kind === "impl" || it.kind === "trait") for (const m of it.methods) if (!of.has(m)) of.set(m, it);
    index = { items: program.items.length, of };
    enclosingIndex.set(program, index);
  }
  return index.of.get(decl);
}

/** The declaration-level effect facts of a function: its clause and its effect variables. */
export function fnEffectFields(program: Program, decl: FnDecl, owner?: string): Pick<TFunction, "effects" | "effectVars" | "traitImpl" | "noEffect"> {
  const out: Pick<TFunction, "effects" | "effectVars" | "traitImpl" | "noEffect"> = {};
  const forbidden = decl.attrs.filter((a) => a.name === "no_effect").flatMap((a) => a.args.map(noEffectItem));
  if (forbidden.length) out.noEffect = forbidden;
  if (decl.effects) out.effects = effectItems(decl.effects.items);
  const vars = effectVarsOf(program, decl);
  if (vars.length) out.effectVars = vars;
  const impl = traitImplOf(program, decl, owner);
  if (impl) out.traitImpl = impl;
  return out;
}

/** One argument of `#[no_effect(..)]`: a bare verb (`panics`, `allocates`) or a verb with resources (`allocates(Heap)`). */
function noEffectItem(text: string): { verb: string; resources: string[]; text: string } {
  const m = /^([A-Za-z_][A-Za-z0-9_]*)(?:\((.*)\))?$/.exec(text.replace(/\s+/g, ""));
  if (!m) return { verb: text, resources: [], text };
  return { verb: m[1], resources: m[2] ? m[2].split(",").filter((r) => r.length > 0) : [], text };
}

/** The trait method a method implements (or whose default body it is), for the ceiling checks. */
function traitImplOf(program: Program, decl: FnDecl, owner: string | undefined): TFunction["traitImpl"] {
  const it = enclosingBlock(program, decl);
  if (it) {
    if (it.kind === "impl") {
      const t = it.trait?.kind === "named" ? it.trait.path[it.trait.path.length - 1] : undefined;
      if (!t && !it.effects) return undefined;
      const out: NonNullable<TFunction["traitImpl"]> = { trait: t ?? "", method: decl.name.name, isDefault: false };
      if (it.effects) out.implEffects = effectItems(it.effects.items);
      return out;
    }
    if (it.kind === "trait" && owner !== undefined) {
      // A default body, used for `owner`: the impl of the trait for it may carry its own ceiling.
      const impl = program.items.find(
        (i) => i.kind === "impl" && i.trait?.kind === "named" && i.trait.path[i.trait.path.length - 1] === it.name.name && i.target.kind === "named" && i.target.path[i.target.path.length - 1] === owner,
      );
      const out: NonNullable<TFunction["traitImpl"]> = { trait: it.name.name, method: decl.name.name, isDefault: true };
      if (impl?.kind === "impl" && impl.effects) out.implEffects = effectItems(impl.effects.items);
      return out;
    }
  }
  return undefined;
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
          ...(i.effects ? { effects: effectItems(i.effects.items), effectVars: i.generics.filter((g) => g.isEffectVar).map((g) => g.name) } : {}),
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

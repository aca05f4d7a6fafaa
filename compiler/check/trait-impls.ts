// Conformance of `impl Trait for T` blocks to user trait declarations (F16.1): every required
// (body-less) method is defined, no method the trait does not declare, and each method's receiver,
// parameters and return type match the trait's (with `Self` meaning T). Also records which types
// implement which user traits, for bounds like `fn report[T: Area]`.

import type { DiagnosticBag } from "../diagnostics.js";
import type { FnDecl, ImplDecl, Program, TraitDecl, TypeExpr } from "../syntax/ast.js";
import { Codes } from "./codes.js";
import { methodOwnerKey, type FnInfo, type ItemTable } from "./items.js";
import { defaultLiterals, ERROR, resolve, show, type Ty } from "./types.js";

/** Trait name -> names of the types with an `impl Trait for Type`. */
const implsByTable = new WeakMap<ItemTable, Map<string, Set<string>>>();

/** The user traits declared in the program (builtin trait names are not judged by this module). */
const traitsByTable = new WeakMap<ItemTable, Set<string>>();

/** The declarations of those traits, for the methods a bounded type parameter offers. */
const traitDeclsByTable = new WeakMap<ItemTable, Map<string, TraitDecl>>();

/** Every user trait the program declares. */
export function userTraitDecls(table: ItemTable): TraitDecl[] {
  return [...(traitDeclsByTable.get(table)?.values() ?? [])];
}

/** The declaration of user trait `name`, if the program declares one. */
export function userTraitDecl(table: ItemTable, name: string): TraitDecl | undefined {
  return traitDeclsByTable.get(table)?.get(name);
}

export function checkTraitImpls(program: Program, table: ItemTable, diags: DiagnosticBag): void {
  const traits = new Map<string, TraitDecl>();
  for (const item of program.items) if (item.kind === "trait" && !traits.has(item.name.name)) traits.set(item.name.name, item);
  const impls = new Map<string, Set<string>>();
  implsByTable.set(table, impls);
  traitsByTable.set(table, new Set(traits.keys()));
  traitDeclsByTable.set(table, traits);
  for (const item of program.items) {
    if (item.kind !== "impl" || !item.trait || item.trait.kind !== "named") continue;
    const trait = traits.get(item.trait.path[item.trait.path.length - 1]);
    if (!trait) continue;
    const target = implKey(item.target, table);
    if (target !== undefined) {
      let set = impls.get(trait.name.name);
      if (!set) impls.set(trait.name.name, (set = new Set()));
      set.add(target);
    }
    checkImpl(item, trait, table, diags);
  }
  // Supertraits are judged once every impl is known: `impl Named for Sq` needs `impl Shape for Sq`.
  for (const item of program.items) {
    if (item.kind !== "impl" || !item.trait || item.trait.kind !== "named") continue;
    const trait = traits.get(item.trait.path[item.trait.path.length - 1]);
    const target = trait?.supertraits ? implKey(item.target, table) : undefined;
    if (!trait || target === undefined) continue;
    for (const sup of trait.supertraits ?? []) {
      const name = sup.kind === "named" ? sup.path[sup.path.length - 1] : undefined;
      if (name === undefined || implementsUserTrait(table, name, target) !== false) continue;
      diags.error(
        Codes.UnsatisfiedBound,
        "type",
        `${target} implements ${trait.name.name} but not its supertrait ${name}: add \`impl ${name} for ${target}\``,
        item.span,
      );
    }
  }
}

/** The name an impl's target is known by: a declared type's name, or a builtin type printed (`u8`, `Vec[i64]`). */
function implKey(target: TypeExpr, table: ItemTable): string | undefined {
  if (target.kind !== "named") return undefined;
  const name = target.path[target.path.length - 1];
  if (table.structs.has(name) || table.enums.has(name)) return name;
  table.quiet++;
  try {
    return methodOwnerKey(table.resolveType(target));
  } finally {
    table.quiet--;
  }
}

/** Whether `typeName` implements the user trait `trait`; undefined when `trait` is not a user trait. */
export function implementsUserTrait(table: ItemTable, trait: string, typeName: string | undefined): boolean | undefined {
  if (!traitsByTable.get(table)?.has(trait)) return undefined;
  return typeName !== undefined && !!implsByTable.get(table)?.get(trait)?.has(typeName);
}

function checkImpl(impl: ImplDecl, trait: TraitDecl, table: ItemTable, diags: DiagnosticBag): void {
  const target = impl.target.kind === "named" ? impl.target.path[impl.target.path.length - 1] : "Self";
  const declared = new Map(trait.methods.map((m) => [m.name.name, m] as [string, FnDecl]));
  const missing = trait.methods.filter((d) => !d.body && !impl.methods.some((m) => m.name.name === d.name.name)).map((d) => `\`${d.name.name}\``);
  if (missing.length) {
    diags.error(
      Codes.MissingTraitMethod,
      "type",
      `not all trait items implemented: impl ${trait.name.name} for ${target} is missing ${missing.join(", ")}`,
      impl.span,
    );
  }
  // Impl generics stand for any type: they resolve to the error type, which matches anything.
  const env = new Map<string, Ty>(impl.generics.map((g) => [g.name, ERROR] as [string, Ty]));
  table.quiet++;
  try {
    const self = table.resolveType(impl.target, env);
    for (const m of impl.methods) {
      const d = declared.get(m.name.name);
      if (!d) {
        diags.error(Codes.NotTraitMethod, "type", `method \`${m.name.name}\` is not a member of trait ${trait.name.name}`, m.name.span);
        continue;
      }
      const why = signatureDifference(d, m, table, env, self);
      if (why) diags.error(Codes.TraitMethodSignature, "type", `method \`${m.name.name}\` does not match trait ${trait.name.name}: ${why}`, m.name.span);
    }
  } finally {
    table.quiet--;
  }
}

const RECEIVER: Record<string, string> = { self: "self", ref: "ref self", mutref: "mut ref self" };

/** Why the impl method's signature differs from the trait's, or undefined when they agree. */
function signatureDifference(d: FnDecl, m: FnDecl, table: ItemTable, outer: Map<string, Ty>, self: Ty): string | undefined {
  if (d.receiver !== m.receiver) {
    const want = d.receiver ? `a \`${RECEIVER[d.receiver]}\` receiver` : "no receiver";
    return `the trait declares ${want}`;
  }
  if (d.params.length !== m.params.length) return `the trait declares ${d.params.length} parameter${d.params.length === 1 ? "" : "s"}, the impl has ${m.params.length}`;
  if (d.generics.length !== m.generics.length) return `the trait declares ${d.generics.length} type parameter${d.generics.length === 1 ? "" : "s"}`;
  // Method-level generics are matched by position.
  const envD = new Map(outer);
  const envM = new Map(outer);
  d.generics.forEach((g) => envD.set(g.name, ERROR));
  m.generics.forEach((g) => envM.set(g.name, ERROR));
  const ty = (te: TypeExpr | undefined, env: Map<string, Ty>): string => (te ? show(table.resolveType(te, env, self)) : "()");
  for (let i = 0; i < d.params.length; i++) {
    const a = d.params[i];
    const b = m.params[i];
    const ta = ty(a.type, envD);
    const tb = ty(b.type, envM);
    if (a.mode !== b.mode || !sameType(ta, tb)) return `parameter \`${b.name.name}\` should be ${modeText(a.mode)}${ta}, found ${modeText(b.mode)}${tb}`;
  }
  const ra = ty(d.ret, envD);
  const rb = ty(m.ret, envM);
  if (!sameType(ra, rb)) return `expected return type ${ra}, found ${rb}`;
  return undefined;
}

/** Types shown as text; a part that could not be resolved (trait generics, impl generics) matches anything. */
function sameType(a: string, b: string): boolean {
  return a === b || a.includes("{error}") || b.includes("{error}");
}

function modeText(mode: string): string {
  return mode === "ref" ? "ref " : mode === "mutref" ? "mut ref " : "";
}

/**
 * The user method `m` of a receiver's type, including those of `impl Trait for u8 / Vec[i64] / ..`
 * (filed under the printed type). A receiver whose type still holds unsettled number literals
 * (`5.double()`, `[1, 2].total()`) gets the method of the type those literals default to (i64,
 * f64), as karac types a literal that has no other context; the literals are then settled to
 * those defaults so the call and the receiver agree.
 */
export function userMethodOf(table: ItemTable, receiver: Ty, m: string): { owner: string; info: FnInfo } | undefined {
  const owner = methodOwnerKey(receiver);
  const direct = owner !== undefined ? table.methods.get(owner)?.get(m) : undefined;
  if (owner !== undefined && direct) return { owner, info: direct };
  const defaulted = literalDefaultedKey(receiver);
  const info = defaulted !== undefined ? table.methods.get(defaulted)?.get(m) : undefined;
  if (defaulted === undefined || !info) return undefined;
  defaultLiterals(receiver);
  return { owner: defaulted, info };
}

/** The printed type with its number literals at their defaults; undefined when it has none. */
function literalDefaultedKey(t: Ty): string | undefined {
  const r = resolve(t);
  if (r.kind === "var") return r.lit === "int" ? "i64" : r.lit === "float" ? "f64" : undefined;
  const shown = methodOwnerKey(r);
  if (shown === undefined || !/\{(integer|float)\}/.test(shown)) return undefined;
  // `show` prints an unsettled literal as `{integer}` / `{float}`, and nothing else that way.
  return shown.replace(/\{integer\}/g, "i64").replace(/\{float\}/g, "f64");
}

/**
 * A parameter's bounds with the supertraits of its user-trait bounds added, transitively
 * (`T: Named` where `trait Named: Shape` also gives T what Shape declares). Declared bounds come
 * first, in their order; a cycle of supertraits ends where it closes.
 */
export function withSupertraits(table: ItemTable, bounds: string[]): string[] {
  const all = [...bounds];
  const seen = new Set(bounds);
  for (let i = 0; i < all.length; i++) {
    for (const sup of userTraitDecl(table, all[i])?.supertraits ?? []) {
      if (sup.kind !== "named") continue;
      const name = sup.path[sup.path.length - 1];
      if (!seen.has(name)) {
        seen.add(name);
        all.push(name);
      }
    }
  }
  return all;
}

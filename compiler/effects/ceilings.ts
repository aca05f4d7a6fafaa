// Effect ceilings of traits and impls (karac's verify_impl_trait_ceilings and
// verify_trait_default_bodies). A trait method's ceiling is its own clause, or else the clause of
// `trait T with ..`; a method without either is unbounded (a private trait's ceiling is what its
// impls do). Everything an impl method does must be within the ceiling of the trait method it
// implements (E0230), and within the clause of `impl .. with ..` around it (E0230 too); a default
// body must be within its own method's ceiling (E0231). As for `pub fn`, atoms match per (verb,
// resource), allocates(Heap) is never demanded and transparent verbs are erased. A ceiling with
// `_` or an effect variable leaves the impl free.

import type { Diagnostic } from "../diagnostics.js";
import type { TFunction, TProgram, TTraitDecl } from "../tir/nodes.js";
import { renderAtom, verbResourceKey, type EffectAtom } from "./atoms.js";
import type { EffectDecls, ResolvedClause } from "./declarations.js";
import { effectError } from "./diag.js";
import type { Inference } from "./infer.js";

/** The ceiling of `Trait.method`: its clause, else the trait-level clause; undefined when unbounded. */
export function traitMethodCeiling(program: TProgram, decls: EffectDecls, trait: string, method: string): { clause: ResolvedClause; source: "method" | "trait" } | undefined {
  const t = (program.traits ?? []).find((x) => x.name === trait);
  const m = t?.methods.find((x) => x.name === method);
  if (!t || !m) return undefined;
  if (m.effects) return { clause: decls.resolveClause(m.effects, m.effectVars, []), source: "method" };
  if (t.effects) return { clause: decls.resolveClause(t.effects, t.effectVars ?? [], []), source: "trait" };
  return undefined;
}

export function checkCeilings(program: TProgram, inf: Inference, decls: EffectDecls, diags: Diagnostic[]): void {
  const reported = new Set<string>();
  const report = (d: Diagnostic): void => {
    const key = `${d.code}@${d.span.offset}:${d.message}`;
    if (reported.has(key)) return;
    reported.add(key);
    diags.push(d);
  };
  for (const fn of program.functions) {
    const ti = fn.traitImpl;
    if (!ti) continue;
    const performed = inf.inferred[fn.id]?.atoms() ?? [];
    const shown = displayName(fn, ti.isDefault);
    if (ti.trait) {
      const ceiling = traitMethodCeiling(program, decls, ti.trait, ti.method);
      if (ceiling && !isOpen(ceiling.clause)) {
        for (const a of exceeding(performed, ceiling.clause.atoms)) {
          const c = ceilingText(ceiling.clause.atoms);
          report(
            ti.isDefault
              ? effectError(
                  "E0231",
                  `default body of '${ti.trait}.${ti.method}' performs ${renderAtom(a)} but the method ceiling is ${c}; declare the effect on the method or remove it from the default body`,
                  defaultSpan(program, ti.trait, ti.method) ?? fn.span,
                )
              : effectError(
                  "E0230",
                  `impl method '${shown}' performs ${renderAtom(a)} but trait '${ti.trait}.${ti.method}' ceiling is ${c}; narrow the impl or widen the trait ceiling`,
                  fn.span,
                  ceiling.source === "trait" ? { notes: [`the ceiling is the clause of \`trait ${ti.trait} with ..\`: '${ti.method}' declares none of its own`] } : {},
                ),
          );
        }
      }
    }
    if (ti.implEffects) {
      const clause = decls.resolveClause(ti.implEffects, fn.effectVars ?? [], []);
      if (isOpen(clause)) continue;
      for (const a of exceeding(performed, clause.atoms)) {
        report(
          effectError(
            "E0230",
            `impl method '${shown}' performs ${renderAtom(a)} but the ceiling of its impl block is ${ceilingText(clause.atoms)}; narrow the method or widen the impl's \`with\` clause`,
            fn.span,
          ),
        );
      }
    }
  }
}

function isOpen(c: ResolvedClause): boolean {
  return c.underscore || c.vars.length > 0 || !!c.unresolved;
}

/** The performed atoms the ceiling does not cover (per verb and resource). */
function exceeding(performed: EffectAtom[], ceiling: EffectAtom[]): EffectAtom[] {
  const allowed = new Set(ceiling.map(verbResourceKey));
  const seen = new Set<string>();
  const out: EffectAtom[] = [];
  for (const a of performed) {
    const k = verbResourceKey(a);
    if (allowed.has(k) || seen.has(k) || (a.verb === "allocates" && a.resource === "Heap")) continue;
    seen.add(k);
    out.push(a);
  }
  return out;
}

function ceilingText(atoms: EffectAtom[]): string {
  const shown = [...new Set(atoms.map(verbResourceKey))].sort();
  return shown.length ? `[${shown.join(", ")}]` : "pure (no effects)";
}

function displayName(fn: TFunction, isDefault: boolean): string {
  return isDefault ? fn.name : fn.panicName || fn.name;
}

function defaultSpan(program: TProgram, trait: string, method: string): TTraitDecl["span"] | undefined {
  return (program.traits ?? []).find((t) => t.name === trait)?.methods.find((m) => m.name === method)?.span;
}

/**
 * E0416: `#[no_effect(..)]` forbids effects in the function's whole (transitive) set. A bare verb
 * forbids every atom of that verb; a verb with resources forbids only those (karac's no_effect.rs).
 */
export function checkNoEffect(program: TProgram, inf: Inference, diags: Diagnostic[]): void {
  for (const fn of program.functions) {
    if (!fn.noEffect?.length) continue;
    const name = fn.panicName || fn.name;
    for (const a of inf.inferred[fn.id]?.atoms() ?? []) {
      const rule = fn.noEffect.find((r) => r.verb === a.verb && (r.resources.length === 0 || (a.resource !== undefined && r.resources.includes(a.resource))));
      if (!rule) continue;
      diags.push(
        effectError("E0416", `fn \`${name}\` declares \`#[no_effect(${rule.text})]\` but its effect set includes \`${renderAtom(a)}\``, fn.span, {
          notes: [whereFrom(inf, fn.id, a)].filter((n): n is string => n !== undefined),
        }),
      );
    }
  }
}

function whereFrom(inf: Inference, id: number, a: EffectAtom): string | undefined {
  const o = inf.inferred[id]?.originOf(a);
  if (!o) return undefined;
  return o.via ? `it comes from the call to '${o.via}' at line ${o.span.line}` : `it comes from line ${o.span.line}:${o.span.column}`;
}

// Provider resources (`effect resource Mailer: MailProvider;`): calling `Mailer.method(..)`
// performs reads(Mailer) through a `ref self` method and writes(Mailer) through `mut ref self`
// or `self` (effects-concurrency §1.4). A trait method whose receiver implies the write but
// whose clause names the resource without `writes` contradicts itself: E0412.

import type { Diagnostic, Fix } from "../diagnostics.js";
import type { TEffectItem, TExpr, TProgram, TTraitMethod, Span } from "../tir/nodes.js";
import { AtomSet, type EffectAtom } from "./atoms.js";
import { traitMethodCeiling } from "./ceilings.js";
import type { EffectDecls } from "./declarations.js";
import { effectError } from "./diag.js";

const RECEIVER_TEXT = { self: "self", mutref: "mut ref self", ref: "ref self" } as const;

export function checkProviderReceivers(program: TProgram, decls: EffectDecls, diags: Diagnostic[]): void {
  const traits = new Map((program.traits ?? []).map((t) => [t.name, t]));
  for (const r of program.resources) {
    for (const bound of r.bounds) {
      const trait = traits.get(bound);
      if (!trait) continue;
      for (const m of trait.methods) {
        if (!m.effects || (m.receiver !== "mutref" && m.receiver !== "self")) continue;
        // Resolution problems in the clause are reported where the clause is checked, not here.
        const clause = decls.resolveClause(m.effects, m.effectVars, []);
        if (clause.unresolved) continue;
        const atoms = clause.atoms;
        const names = atoms.some((a) => a.resource === r.name);
        const writes = atoms.some((a) => a.resource === r.name && a.verb === "writes");
        if (!names || writes) continue;
        diags.push(
          effectError(
            "E0412",
            `trait method '${trait.name}.${m.name}' of provider resource '${r.name}' takes \`${RECEIVER_TEXT[m.receiver]}\`, which implies writes(${r.name}), but its clause names ${r.name} without writes(${r.name}); change the receiver to \`ref self\` or declare writes(${r.name})`,
            m.span,
            { fixes: declareWrite(m, r.name) },
          ),
        );
      }
    }
  }
}

/** The machine fix: append `writes(R)` to the method's clause (the receiver keeps its meaning). */
function declareWrite(m: TTraitMethod, resource: string): Fix[] {
  const items: TEffectItem[] = m.effects ?? [];
  const last = items[items.length - 1];
  if (!last) return [];
  const end = last.span.offset + last.span.length;
  const span: Span = { offset: end, length: 0, line: last.span.line, column: last.span.column + last.span.length };
  return [{ message: `declare writes(${resource})`, span, replacement: ` writes(${resource})` }];
}

/** The trait method a `R.m(..)` call dispatches through: the first provider trait of R declaring `m` with a receiver. */
export function providerTraitMethod(program: TProgram, resource: string, method: string): { trait: string; method: TTraitMethod } | undefined {
  const r = program.resources.find((x) => x.name === resource);
  for (const bound of r?.bounds ?? []) {
    const t = (program.traits ?? []).find((x) => x.name === bound);
    const m = t?.methods.find((x) => x.name === method && x.receiver);
    if (t && m) return { trait: t.name, method: m };
  }
  return undefined;
}

const NO_EFFECTS = { atoms: [] as EffectAtom[], declared: true };

const dispatchCache = new WeakMap<TProgram, Map<string, { atoms: EffectAtom[]; declared: boolean }>>();

/**
 * What a provider call `R.m(..)` does, as karac infers it: reads(R) through a `ref self` method,
 * writes(R) through `mut ref self` or `self`, plus the trait method's declared clause. `declared`
 * says whether the method has a clause (its ceiling); without one the call also does what the
 * bound providers' methods do (the caller adds those as call edges).
 */
export function providerCallEffects(program: TProgram, decls: EffectDecls, e: TExpr & { kind: "providerCall" }): { atoms: EffectAtom[]; declared: boolean } {
  // Output is not an effect in karac (println infers nothing), whichever provider receives it; the
  // concurrency analysis keeps routed output in order on its own (concurrency/routed-output.ts).
  if (e.output) return NO_EFFECTS;
  let cache = dispatchCache.get(program);
  if (!cache) dispatchCache.set(program, (cache = new Map()));
  const key = `${e.resource}.${e.method}`;
  const hit = cache.get(key);
  if (hit) return hit;
  const found = providerTraitMethod(program, e.resource, e.method);
  const set = new AtomSet();
  set.add({ verb: e.receiver === "ref" ? "reads" : "writes", resource: e.resource });
  let declared = false;
  const ceiling = found ? traitMethodCeiling(program, decls, found.trait, found.method.name) : undefined;
  if (ceiling) {
    declared = !(ceiling.clause.underscore || ceiling.clause.vars.length);
    for (const a of ceiling.clause.atoms) set.add(a);
  }
  const out = { atoms: set.atoms(), declared };
  cache.set(key, out);
  return out;
}

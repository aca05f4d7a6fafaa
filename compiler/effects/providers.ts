// Provider resources (`effect resource Mailer: MailProvider;`): calling `Mailer.method(..)`
// performs reads(Mailer) through a `ref self` method and writes(Mailer) through `mut ref self`
// or `self` (effects-concurrency §1.4). A trait method whose receiver implies the write but
// whose clause names the resource without `writes` contradicts itself: E0412.

import type { Diagnostic, Fix } from "../diagnostics.js";
import type { TEffectItem, TProgram, TTraitMethod, Span } from "../tir/nodes.js";
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

// E0410: `requires` / `ensures` predicates must be pure. Their calls may panic (indexing,
// division, unwrap inside a helper) but may do nothing else: as karac does, each call in a
// predicate is charged with its callee's effect set (provider calls with what they do), and every
// effect but `panics` is reported at the call.

import type { Diagnostic } from "../diagnostics.js";
import type { TProgram } from "../tir/nodes.js";
import { walkExpr } from "../tir/walk.js";
import { renderAtom, type EffectAtom } from "./atoms.js";
import type { EffectDecls } from "./declarations.js";
import { effectError } from "./diag.js";
import type { Inference } from "./infer.js";
import { providerCallEffects } from "./providers.js";

export function checkContractPurity(program: TProgram, inf: Inference, decls: EffectDecls, diags: Diagnostic[]): void {
  for (const fn of program.functions) {
    // An `old(e)` of an `ensures` is checked as e, kept apart as a snapshot (check/contracts.ts).
    const predicates = [...(fn.contracts ?? []), ...(fn.contractSnapshots ?? []).map((s) => ({ kind: "ensures" as const, expr: s.value }))];
    for (const c of predicates) {
      walkExpr(c.expr, {
        expr(e) {
          let atoms: readonly EffectAtom[] = [];
          let callee = "";
          if (e.kind === "call") {
            atoms = inf.inferred[e.fn]?.atoms() ?? [];
            callee = program.functions[e.fn]?.panicName || program.functions[e.fn]?.name || "";
          } else if (e.kind === "providerCall") {
            atoms = providerCallEffects(program, decls, e).atoms;
            callee = `${e.resource}.${e.method}`;
          } else return;
          for (const a of atoms) {
            if (a.verb === "panics") continue;
            diags.push(
              effectError(
                "E0410",
                `\`${renderAtom(a)}\` is not allowed in ${c.kind === "invariant" ? "an" : "a"} \`${c.kind}\` contract: contract predicates must be pure, and only \`panics\` (indexing, division, unwrap) may happen in one; it comes from the call to '${callee}'`,
                e.span,
              ),
            );
          }
        },
      });
    }
  }
}

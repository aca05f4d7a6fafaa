// The effect phase: runs after the checker on the typed program (TIR). It resolves effect
// declarations, infers every function's effects to a fixed point over the call graph, verifies
// `pub fn` declarations, and checks the safety rules of `par` and spawned tasks.
// Its per-function sets are what automatic parallelisation consults.

import type { Diagnostic } from "../diagnostics.js";
import type { FnId, TExpr, TProgram } from "../tir/nodes.js";
import { AtomSet, renderAtom, type EffectAtom } from "./atoms.js";
import { EffectDecls, checkTraitClauses } from "./declarations.js";
import { effectNote } from "./diag.js";
import { collectFacts, displayName, inferEffects, isFirewall, type Edge, type Inference } from "./infer.js";
import { checkParSafety } from "./par-safety.js";
import { checkFrozenParams } from "./frozen.js";
import { checkProviderReceivers } from "./providers.js";
import { checkCeilings, checkNoEffect } from "./ceilings.js";
import { checkContractPurity } from "./contracts.js";
import { ceilingsOf, originsOf, programRows, providerScopesOf, type CeilingRow, type EffectOrigin, type ProviderScopeRow } from "./report.js";
import { checkPureLoops } from "./pure-loops.js";
import { checkSlotArguments, resolveSlots } from "./slots.js";
import { verifyPublicFunctions } from "./verify.js";
import { walkExpr } from "../tir/walk.js";
import { checkOnceCellCaptures } from "./once-cell.js";

export type { EffectAtom } from "./atoms.js";
export { hasLiteralKey, renderAtom } from "./atoms.js";

export interface FnEffects {
  name: string;
  /** The declared clause expanded to atoms (effect variables and `_` excluded); undefined without a clause. */
  declared?: EffectAtom[];
  /** Everything the function may do: its own operations, its callees' visible sets, and its declared clause. */
  inferred: EffectAtom[];
  /** Declared `with _` / `with E`, or calls a Fn value whose function is not known statically. */
  polymorphic: boolean;
  pub: boolean;
}

export interface EffectsResult {
  functions: Map<number /* FnId */, FnEffects>;
  diagnostics: Diagnostic[];
  /** JSON for `kara query effects FILE`. */
  report(): unknown;
  /** JSON for `kara query effects FILE.kara.fn` (source name, or `Type.method`); undefined when no such function. */
  reportFor(fnName: string): unknown | undefined;
}

/** One row of the effects report. */
export interface EffectsReportEntry {
  function: string;
  declared: string[] | null;
  inferred: string[];
  pub: boolean;
  polymorphic: boolean;
  /** Where each inferred effect comes from, in the order of `inferred`. */
  origins: EffectOrigin[];
  /** The ceilings an impl method (or a default body) is held to; only when there are some. */
  ceilings?: CeilingRow[];
  /** The provider scopes the function opens; only when there are some. */
  provider_scopes?: ProviderScopeRow[];
}

const internals = new WeakMap<EffectsResult, { inf: Inference; decls: EffectDecls }>();

export function analyzeEffects(program: TProgram): EffectsResult {
  const diagnostics: Diagnostic[] = [];
  const decls = new EffectDecls(program, diagnostics);
  checkTraitClauses(program, decls);
  checkProviderReceivers(program, decls, diagnostics);
  const inf = inferEffects(program, decls);
  checkSlotArguments(program, inf, resolveSlots(program, decls), diagnostics);
  verifyPublicFunctions(program, inf, diagnostics);
  checkCeilings(program, inf, decls, diagnostics);
  checkNoEffect(program, inf, diagnostics);
  checkContractPurity(program, inf, decls, diagnostics);
  checkParSafety(program, inf, diagnostics);
  checkFrozenParams(program, diagnostics);
  checkOnceCellCaptures(program, diagnostics);
  checkPureLoops(program, inf, diagnostics);
  mutualRecursionNotes(program, inf, diagnostics);

  const functions = new Map<number, FnEffects>();
  for (const fn of program.functions) {
    const clause = inf.clauses.get(fn.id);
    const entry: FnEffects = { name: fn.name, inferred: inf.inferred[fn.id].atoms(), polymorphic: inf.polymorphic[fn.id], pub: fn.pub };
    if (clause) entry.declared = clause.atoms;
    functions.set(fn.id, entry);
  }

  const row = (id: FnId): EffectsReportEntry => {
    const fn = program.functions[id];
    const clause = inf.clauses.get(id);
    const e = functions.get(id)!;
    const out: EffectsReportEntry = {
      function: fn.name,
      declared: clause ? clause.rendered : null,
      inferred: e.inferred.map(renderAtom),
      pub: fn.pub,
      polymorphic: e.polymorphic,
      origins: originsOf(program, inf, fn),
    };
    const ceilings = ceilingsOf(program, decls, fn);
    if (ceilings.length) out.ceilings = ceilings;
    const scopes = providerScopesOf(program, fn);
    if (scopes.length) out.provider_scopes = scopes;
    return out;
  };
  const named = program.functions.filter((f) => f.kind === "fn" || f.kind === "method");

  const result: EffectsResult = {
    functions,
    diagnostics,
    report: () => ({ file: program.file, functions: named.map((f) => row(f.id)), ...programRows(program, decls) }),
    reportFor: (fnName: string) => {
      const fn = named.find((f) => f.name === fnName) ?? named.find((f) => f.name.endsWith(`.${fnName}`));
      return fn ? row(fn.id) : undefined;
    },
  };
  internals.set(result, { inf, decls });
  return result;
}

/**
 * The effects a TIR expression performs: its own operations (division, indexing, builtins, module
 * `let mut` access) plus what the functions it calls, the branches it forks and the tasks it
 * spawns perform. The expression must come from the program `result` was computed for.
 */
export function effectsOfExpr(program: TProgram, result: EffectsResult, expr: TExpr): EffectAtom[] {
  return effectsOfExprDetailed(program, result, expr).atoms;
}

/** As effectsOfExpr, and whether the expression calls a Fn value whose function is unknown (it may do anything its type allows). */
export function effectsOfExprDetailed(program: TProgram, result: EffectsResult, expr: TExpr): { atoms: EffectAtom[]; opaque: boolean } {
  const state = internals.get(result);
  if (!state) return { atoms: [], opaque: true };
  const { inf, decls } = state;
  const facts = collectFacts(program, (v) => walkExpr(expr, v), undefined, new Map(), decls, new Map(), inf.nodeEdges);
  const out = new AtomSet();
  for (const a of facts.direct.atoms()) out.add(a);
  let opaque = facts.opaqueCall;
  for (const e of facts.edges) {
    for (const a of visibleAtoms(program, inf, e.target)) out.add(a);
    if (isPolymorphicCall(inf, e)) {
      for (const arg of e.fnArgs) {
        if (arg === null) opaque = true;
        else for (const a of visibleAtoms(program, inf, arg)) out.add(a);
      }
    }
    if (inf.polymorphic[e.target] && !isFirewall(program.functions[e.target]) && e.kind === "run") opaque = true;
  }
  return { atoms: out.atoms(), opaque };
}

function isPolymorphicCall(inf: Inference, e: Edge): boolean {
  return e.kind === "call" && inf.polymorphic[e.target];
}

function visibleAtoms(program: TProgram, inf: Inference, id: FnId): EffectAtom[] {
  const fn = program.functions[id];
  if (fn && isFirewall(fn)) return inf.clauses.get(id)?.atoms ?? [];
  return inf.inferred[id]?.atoms() ?? [];
}

function listNames(names: string[]): string {
  const shown = names.slice(0, 8).join(", ");
  return names.length > 8 ? `${shown} and ${names.length - 8} more` : shown;
}

/** L0002: one note per group of mutually recursive source functions. */
function mutualRecursionNotes(program: TProgram, inf: Inference, diags: Diagnostic[]): void {
  for (const comp of inf.cycles) {
    const named = comp.map((id) => program.functions[id]).filter((f) => f.kind === "fn" || f.kind === "method");
    if (named.length < 2) continue;
    named.sort((a, b) => a.span.offset - b.span.offset);
    diags.push(
      effectNote(
        "L0002",
        `mutual recursion group resolved by fixed-point inference: ${listNames(named.map(displayName))}`,
        named[0].span,
        { notes: ["suppress with #[allow(mutual_recursion_note)]"] },
      ),
    );
  }
}

// The `kara query effects` report: per function its declared clause, what it may do and where each
// effect comes from (its own operation, a call, a provider call, its clause), the ceiling an impl
// method is held to, and the provider scopes it opens; for the program, its resources with their
// provider traits and the provider types bound to them, and the ceilings of its traits.

import type { Span, TFunction, TProgram } from "../tir/nodes.js";
import { showSourceType } from "../tir/show-type.js";
import { walkBlock } from "../tir/walk.js";
import { fileOfSpan } from "../tir/source-files.js";
import { renderAtom, type EffectAtom } from "./atoms.js";
import { traitMethodCeiling } from "./ceilings.js";
import type { EffectDecls } from "./declarations.js";
import type { Inference } from "./infer.js";

/** Where one inferred effect entered the function. */
export interface EffectOrigin {
  effect: string;
  /** A program of several files: the file of `line` (absent in a program of one file). */
  file?: string;
  /** "declared": the function's own clause; "direct": an operation of its body; "call": a callee; "provider": a provider call. */
  from: "declared" | "direct" | "call" | "provider";
  line: number;
  column: number;
  /** The callee, or `Resource.method` for a provider call. */
  via?: string;
}

export interface ProviderScopeRow {
  /** A program of several files: the file of `line`, and of every frame of `stack` (a function is in one file). */
  file?: string;
  line: number;
  column: number;
  /** Outermost first: the resource and the type of the provider bound to it. */
  bindings: { resource: string; provider: string }[];
  /**
   * The provider stack inside the scope as far as the function itself builds it: the bindings of
   * the provider scopes around it in the function, outermost first, then its own. `shadowed`
   * marks a binding that a later one for the same resource hides; `line` / `column` are where
   * its scope starts. Frames the function's callers pushed sit below these.
   */
  stack: { resource: string; provider: string; line: number; column: number; shadowed: boolean }[];
}

export interface CeilingRow {
  /** `Trait.method` the function implements, or "impl" for the clause of `impl .. with ..`. */
  of: string;
  source: "method" | "trait" | "impl" | "default";
  effects: string[];
}

/** `{ file }` for a place of a program of several files, nothing for a program of one file. */
function inFile(program: TProgram, span: Span): { file?: string } {
  const file = fileOfSpan(program, span);
  return file === undefined ? {} : { file };
}

export function originsOf(program: TProgram, inf: Inference, fn: TFunction): EffectOrigin[] {
  const set = inf.inferred[fn.id];
  const declared = new Set((inf.clauses.get(fn.id)?.atoms ?? []).map(renderAtom));
  return set.atoms().map((a: EffectAtom) => {
    const o = set.originOf(a);
    const effect = renderAtom(a);
    const span = o?.span ?? fn.span;
    const isProvider = !!o?.via && o.via.includes(".") && program.resources.some((r) => o.via!.startsWith(`${r.name}.`));
    const from: EffectOrigin["from"] =
      declared.has(effect) && span === fn.span && !o?.via ? "declared" : o?.via ? (isProvider ? "provider" : "call") : "direct";
    const row: EffectOrigin = { effect, ...inFile(program, span), from, line: span.line, column: span.column };
    if (o?.via) row.via = o.via;
    return row;
  });
}

/** Per function: the report asks for its scopes once for its row and once for the program's rows. */
const scopesCache = new WeakMap<TFunction, ProviderScopeRow[]>();

export function providerScopesOf(program: TProgram, fn: TFunction): ProviderScopeRow[] {
  let rows = scopesCache.get(fn);
  if (!rows) scopesCache.set(fn, (rows = findProviderScopes(program, fn)));
  return rows;
}

function findProviderScopes(program: TProgram, fn: TFunction): ProviderScopeRow[] {
  const scopes: { span: Span; body: Span; bindings: ProviderScopeRow["bindings"] }[] = [];
  walkBlock(fn.body, {
    expr(e) {
      if (e.kind !== "providerScope") return;
      scopes.push({
        span: e.span,
        body: e.body.span,
        bindings: e.bindings.map((b) => ({ resource: b.resource, provider: showSourceType(fn.locals[b.local].type) })),
      });
    },
  });
  // The walk meets scopes in source order, so every scope around one comes before it; a scope is
  // around another when its body's text contains the other's.
  const inside = (outer: Span, s: Span): boolean => outer.offset <= s.offset && s.offset + s.length <= outer.offset + outer.length;
  return scopes.map((s, i) => {
    const frames = [...scopes.slice(0, i).filter((o) => inside(o.body, s.span)), s];
    const stack = frames.flatMap((f) => f.bindings.map((b) => ({ ...b, line: f.span.line, column: f.span.column, shadowed: false })));
    for (let k = 0; k < stack.length; k++) stack[k].shadowed = stack.slice(k + 1).some((later) => later.resource === stack[k].resource);
    return { ...inFile(program, s.span), line: s.span.line, column: s.span.column, bindings: s.bindings, stack };
  });
}

export function ceilingsOf(program: TProgram, decls: EffectDecls, fn: TFunction): CeilingRow[] {
  const ti = fn.traitImpl;
  if (!ti) return [];
  const out: CeilingRow[] = [];
  if (ti.trait) {
    const c = traitMethodCeiling(program, decls, ti.trait, ti.method);
    if (c) out.push({ of: `${ti.trait}.${ti.method}`, source: ti.isDefault ? "default" : c.source, effects: c.clause.rendered });
  }
  if (ti.implEffects) out.push({ of: "impl", source: "impl", effects: decls.resolveClause(ti.implEffects, fn.effectVars ?? [], []).rendered });
  return out;
}

/** The program-level part: resources with their provider traits and bound provider types, and trait ceilings. */
export function programRows(program: TProgram, decls: EffectDecls): { resources: unknown[]; traits: unknown[] } {
  const bound = new Map<string, Set<string>>();
  for (const fn of program.functions) {
    for (const s of providerScopesOf(program, fn)) for (const b of s.bindings) (bound.get(b.resource) ?? bound.set(b.resource, new Set()).get(b.resource)!).add(b.provider);
  }
  const resources = program.resources.map((r) => ({
    name: r.name,
    provider_traits: r.bounds,
    providers: [...(bound.get(r.name) ?? [])],
  }));
  const traits = (program.traits ?? []).map((t) => ({
    name: t.name,
    ceiling: t.effects ? decls.resolveClause(t.effects, t.effectVars ?? [], []).rendered : null,
    methods: t.methods.map((m) => ({
      name: m.name,
      receiver: m.receiver ?? null,
      ceiling: traitMethodCeiling(program, decls, t.name, m.name)?.clause.rendered ?? null,
    })),
  }));
  return { resources, traits };
}

// Test support: run the front end on Kāra source and the effect phase on its TIR.

import type { Diagnostic } from "../diagnostics.js";
import type { TProgram } from "../tir/nodes.js";
import { parse } from "../syntax/parser.js";
import { check } from "../check/index.js";
import { analyzeEffects, renderAtom, type EffectsResult } from "./index.js";

export interface Analyzed {
  program: TProgram;
  result: EffectsResult;
}

function front(src: string): { program?: TProgram; diagnostics: Diagnostic[] } {
  const p = parse(src, "test.kara");
  const c = check(p.program);
  return { program: c.program, diagnostics: [...p.diagnostics, ...c.diagnostics] };
}

/** Parse, check and analyse; throws when the front end rejects the program. */
export function analyze(src: string): Analyzed {
  const f = front(src);
  if (!f.program) {
    const why = f.diagnostics.map((d) => `${d.code}@${d.span.line}:${d.span.column} ${d.message}`).join("\n");
    throw new Error(`front end rejected the program:\n${why}`);
  }
  return { program: f.program, result: analyzeEffects(f.program) };
}

/** Every diagnostic the pipeline up to the effect phase reports (front end, then effects when it runs). */
export function pipeline(src: string): Diagnostic[] {
  const f = front(src);
  if (!f.program) return f.diagnostics;
  return [...f.diagnostics, ...analyzeEffects(f.program).diagnostics];
}

/** The rendered inferred set of a source function (`name` or `Type.method`). */
export function inferredOf(a: Analyzed, name: string): string[] {
  const fn = a.program.functions.find((f) => f.name === name);
  if (!fn) throw new Error(`no function ${name}`);
  return a.result.functions.get(fn.id)!.inferred.map(renderAtom);
}

export function fnEffects(a: Analyzed, name: string) {
  const fn = a.program.functions.find((f) => f.name === name);
  if (!fn) throw new Error(`no function ${name}`);
  return a.result.functions.get(fn.id)!;
}

/** `CODE@line:col` of each diagnostic, in order. */
export function where(ds: Diagnostic[]): string[] {
  return ds.map((d) => `${d.code}@${d.span.line}:${d.span.column}`);
}

export function errors(ds: Diagnostic[]): Diagnostic[] {
  return ds.filter((d) => d.severity === "error");
}

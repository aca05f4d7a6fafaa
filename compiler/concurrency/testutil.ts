// Helpers for the concurrency phase's tests: real source through the real parser, checker and
// effect phase, then the concurrency phase.

import { expect } from "vitest";
import { parse } from "../syntax/parser.js";
import { check } from "../check/index.js";
import type { TFunction, TProgram } from "../tir/nodes.js";
import { analyzeEffects } from "../effects/index.js";
import { parallelize, type ConcurrencyResult } from "./index.js";
import type { FunctionReport } from "./report.js";

export function checked(src: string): TProgram {
  const p = parse(src, "t.kara");
  expect(p.diagnostics.map((d) => `${d.code} ${d.span.line}:${d.span.column} ${d.message}`)).toEqual([]);
  const c = check(p.program);
  expect(c.diagnostics.map((d) => `${d.code} ${d.span.line}:${d.span.column} ${d.message}`)).toEqual([]);
  return c.program!;
}

export function run(src: string, autoPar = true): { input: TProgram; result: ConcurrencyResult } {
  const input = checked(src);
  const effects = analyzeEffects(input);
  expect(effects.diagnostics.filter((d) => d.severity === "error").map((d) => d.message)).toEqual([]);
  return { input, result: parallelize(input, effects, { autoPar }) };
}

export function reportOf(src: string, fnName: string, autoPar = true): FunctionReport {
  const r = run(src, autoPar).result.reportFor(fnName) as FunctionReport | undefined;
  if (!r) throw new Error(`no report for ${fnName}`);
  return r;
}

export function fnNamed(p: TProgram, name: string): TFunction {
  const f = p.functions.find((x) => x.name === name);
  if (!f) throw new Error(`no function ${name}`);
  return f;
}

/** A function too costly to estimate statically, so the cost gate lets a recognised loop that calls it fan out. */
export const HEAVY = `
fn heavy(v: i64) -> i64 {
    let mut x = v;
    let mut k = 0;
    while k < 50 {
        x = (x * 31 + k) % 1000003;
        k = k + 1;
    }
    x
}
`;

// Helpers shared by the checker's tests: parse + check real source, find functions and locals,
// walk TIR nodes.

import { expect } from "vitest";
import { parse } from "../syntax/parser.js";
import { check } from "./index.js";
import type { TFunction, TLocal, TProgram } from "./tir.js";
import { showType } from "./types.js";

export function runCheck(src: string): ReturnType<typeof check> {
  const p = parse(src, "t.kara");
  expect(p.diagnostics.map((d) => `${d.code} ${d.span.line}:${d.span.column} ${d.message}`)).toEqual([]);
  return check(p.program);
}

/** Diagnostics as "CODE line:col". */
export function errs(src: string): string[] {
  return runCheck(src).diagnostics.map((d) => `${d.code} ${d.span.line}:${d.span.column}`);
}

export function messages(src: string): string[] {
  return runCheck(src).diagnostics.map((d) => d.message);
}

export function ok(src: string): TProgram {
  const r = runCheck(src);
  expect(r.diagnostics.map((d) => `${d.code} ${d.span.line}:${d.span.column} ${d.message}`)).toEqual([]);
  expect(r.program).toBeDefined();
  return r.program!;
}

export function fn(p: TProgram, name: string): TFunction {
  const f = p.functions.find((x) => x.name === name);
  if (!f) throw new Error(`no function ${name}`);
  return f;
}

export function local(f: TFunction, name: string): TLocal {
  const l = f.locals.filter((x) => x.name === name);
  if (!l.length) throw new Error(`no local ${name} in ${f.name}`);
  return l[l.length - 1];
}

export function localType(p: TProgram, fnName: string, name: string): string {
  return showType(local(fn(p, fnName), name).type);
}

/** Every object node under `root` with the given kind. */
export function nodes(root: unknown, kind: string): Record<string, unknown>[] {
  const out: Record<string, unknown>[] = [];
  const seen = new Set<unknown>();
  const visit = (x: unknown): void => {
    if (!x || typeof x !== "object" || seen.has(x)) return;
    seen.add(x);
    if (Array.isArray(x)) {
      x.forEach(visit);
      return;
    }
    const o = x as Record<string, unknown>;
    if (o.kind === kind) out.push(o);
    for (const v of Object.values(o)) visit(v);
  };
  visit(root);
  return out;
}

/** `let` statements (not locals, which share the kind name). */
export function lets(root: unknown): { init: { kind: string }; pattern: { kind: string } }[] {
  return nodes(root, "let").filter((n) => "pattern" in n) as unknown as { init: { kind: string }; pattern: { kind: string } }[];
}

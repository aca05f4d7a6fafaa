// Helpers shared by the checker's tests: parse + check real source, find functions and locals,
// walk TIR nodes.

import { expect } from "vitest";
import { parse } from "../syntax/parser.js";
import { check } from "./index.js";
import type { TFunction, TLocal, TProgram } from "../tir/nodes.js";
import { showSourceType } from "../tir/show-type.js";

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
  return showSourceType(local(fn(p, fnName), name).type);
}

/** Every object node under `root` with the given kind, in pre-order. */
export function nodes(root: unknown, kind: string): Record<string, unknown>[] {
  const out: Record<string, unknown>[] = [];
  const seen = new Set<unknown>();
  // An explicit stack (children pushed in reverse keep the pre-order): trees can be very deep.
  const stack: unknown[] = [root];
  while (stack.length) {
    const x = stack.pop();
    if (!x || typeof x !== "object" || seen.has(x)) continue;
    seen.add(x);
    const children = Array.isArray(x) ? x : Object.values(x as Record<string, unknown>);
    if (!Array.isArray(x) && (x as Record<string, unknown>).kind === kind) out.push(x as Record<string, unknown>);
    for (let i = children.length - 1; i >= 0; i--) stack.push(children[i]);
  }
  return out;
}

/** `let` statements (not locals, which share the kind name). */
export function lets(root: unknown): { init: { kind: string }; pattern: { kind: string } }[] {
  return nodes(root, "let").filter((n) => "pattern" in n) as unknown as { init: { kind: string }; pattern: { kind: string } }[];
}

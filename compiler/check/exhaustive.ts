// Match exhaustiveness over finished TIR (concrete types). The classic pattern-matrix walk:
// split the first column by the constructors of its type (enum variants, true/false, the one
// constructor of a tuple/struct); types with unbounded values (integers, strings, ...) need a
// catch-all row. Guarded arms never count towards coverage.

import type { DiagnosticBag } from "../diagnostics.js";
import { Codes } from "./codes.js";
import type { TEnumDef, TExpr, TFunction, TPattern, TStructDef, Type } from "./tir.js";
import { showType } from "./types.js";

type Row = TPattern[];

interface Defs {
  enums: Map<string, TEnumDef>;
  structs: Map<string, TStructDef>;
}

const WILD = (type: Type, span: TPattern["span"]): TPattern => ({ kind: "wild", type, span }) as TPattern;

function strip(p: TPattern): TPattern {
  while (p.kind === "bind" && p.sub) p = p.sub;
  return p;
}

function isWild(p: TPattern): boolean {
  p = strip(p);
  return p.kind === "wild" || p.kind === "bind";
}

/** Expand or-patterns in the first column into separate rows. */
function expandOr(rows: Row[]): Row[] {
  const out: Row[] = [];
  for (const r of rows) {
    const p = strip(r[0]);
    if (p.kind === "or") for (const a of p.alts) out.push(...expandOr([[a, ...r.slice(1)]]));
    else out.push(r);
  }
  return out;
}

/** Returns a witness description of an uncovered value, or undefined when exhaustive. */
function missing(rows: Row[], types: Type[], defs: Defs, depth = 0): string | undefined {
  if (types.length === 0) return rows.length > 0 ? undefined : "_";
  if (depth > 64) return undefined; // pathological nesting: do not reject
  rows = expandOr(rows);
  const [t, ...rest] = types;
  const span = rows[0]?.[0]?.span ?? { offset: 0, length: 0, line: 1, column: 1 };
  if (t.kind === "enum") {
    const def = defs.enums.get(t.name);
    if (!def) return undefined;
    for (let vi = 0; vi < def.variants.length; vi++) {
      const v = def.variants[vi];
      const ftypes = v.fields.map((f) => f.type);
      const spec: Row[] = [];
      for (const r of rows) {
        const p = strip(r[0]);
        if (isWild(p)) spec.push([...ftypes.map((ft) => WILD(ft, span)), ...r.slice(1)]);
        else if (p.kind === "variant" && p.variant === vi) spec.push([...p.args, ...r.slice(1)]);
      }
      const m = missing(spec, [...ftypes, ...rest], defs, depth + 1);
      if (m !== undefined) return v.fields.length ? `${v.name}(..)` : v.name;
    }
    return undefined;
  }
  if (t.kind === "bool") {
    for (const value of [true, false]) {
      const spec: Row[] = [];
      for (const r of rows) {
        const p = strip(r[0]);
        if (isWild(p)) spec.push(r.slice(1));
        else if (p.kind === "lit" && p.value.kind === "bool" && p.value.value === value) spec.push(r.slice(1));
      }
      if (missing(spec, rest, defs, depth + 1) !== undefined) return String(value);
    }
    return undefined;
  }
  if (t.kind === "tuple" || (t.kind === "struct" && defs.structs.has(t.name))) {
    const ftypes = t.kind === "tuple" ? t.elems : defs.structs.get(t.name)!.fields.map((f) => f.type);
    const spec: Row[] = [];
    for (const r of rows) {
      const p = strip(r[0]);
      if (isWild(p)) spec.push([...ftypes.map((ft) => WILD(ft, span)), ...r.slice(1)]);
      else if (p.kind === "tuple") spec.push([...p.elems, ...r.slice(1)]);
      else if (p.kind === "struct") {
        const cols = ftypes.map((ft) => WILD(ft, span));
        for (const f of p.fields) cols[f.index] = f.pattern;
        spec.push([...cols, ...r.slice(1)]);
      }
    }
    return missing(spec, [...ftypes, ...rest], defs, depth + 1) === undefined ? undefined : "_";
  }
  // Unbounded values: only catch-all rows cover the column.
  const spec = rows.filter((r) => isWild(r[0])).map((r) => r.slice(1));
  return missing(spec, rest, defs, depth + 1) === undefined ? undefined : "_";
}

export function checkExhaustive(fn: TFunction, defs: Defs, diags: DiagnosticBag): void {
  const visit = (x: unknown): void => {
    if (!x || typeof x !== "object") return;
    if (Array.isArray(x)) {
      x.forEach(visit);
      return;
    }
    const o = x as Record<string, unknown>;
    if (typeof o.offset === "number" && typeof o.line === "number") return;
    if (o.kind === "match" && Array.isArray(o.arms)) {
      const m = o as unknown as TExpr & { kind: "match" };
      const rows = m.arms.filter((a) => !a.guard).map((a) => [a.pattern]);
      const w = missing(rows, [m.scrutinee.type], defs);
      if (w !== undefined) {
        const what = w === "_" ? `not every value of ${showType(m.scrutinee.type)} is covered; add a \`_\` arm` : `pattern \`${w}\` not covered`;
        diags.error(Codes.NonExhaustive, "type", `non-exhaustive match: ${what}`, m.span);
      }
    }
    for (const [k, v] of Object.entries(o)) if (k !== "type" && k !== "span") visit(v);
  };
  visit(fn.body);
}

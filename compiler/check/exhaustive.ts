// Match exhaustiveness over finished TIR (concrete types). The classic pattern-matrix walk:
// split the first column by the constructors of its type (enum variants, true/false, the one
// constructor of a tuple/struct); types with unbounded values (integers, strings, ...) need a
// catch-all row. Guarded arms never count towards coverage.

import type { DiagnosticBag } from "../diagnostics.js";
import { Codes } from "./codes.js";
import type { TEnumDef, TFunction, TPattern, TStructDef, Type } from "../tir/nodes.js";
import { showSourceType } from "../tir/show-type.js";
import { walkBlock } from "../tir/walk.js";

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

/** Some value of `t` to name in a diagnostic, without looking inside it; undefined when `t` has
 *  no values (an enum without variants) or cannot be judged here. */
function witness(t: Type, defs: Defs): string | undefined {
  if (t.kind === "enum") {
    const def = defs.enums.get(t.name);
    if (!def) return undefined; // unknown here: do not reject
    const v = def.variants[0];
    if (!v) return undefined;
    return v.fields.length ? `${v.name}(..)` : v.name;
  }
  if (t.kind === "bool") return "true";
  return "_";
}

/** Returns a witness description of an uncovered value, or undefined when exhaustive. */
function missing(rows: Row[], types: Type[], defs: Defs, depth = 0): string | undefined {
  if (types.length === 0) return rows.length > 0 ? undefined : "_";
  if (depth > 64) return undefined; // pathological nesting: do not reject
  rows = expandOr(rows);
  const [t, ...rest] = types;
  const span = rows[0]?.[0]?.span ?? { offset: 0, length: 0, line: 1, column: 1 };
  // No row looks inside the first column: drop it instead of splitting by constructors. Splitting
  // would expand every field into more all-wildcard columns, which never ends (or grows
  // exponentially) for recursive types such as `shared struct Node { left: Option[Node], .. }`.
  if (rows.every((r) => isWild(r[0]))) {
    const w = witness(t, defs);
    if (w === undefined) return undefined; // uninhabited: nothing to cover
    return missing(rows.map((r) => r.slice(1)), rest, defs, depth + 1) === undefined ? undefined : w;
  }
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
  if (t.kind === "vec" || t.kind === "array" || t.kind === "slice") {
    // Slice patterns: split by length. Lengths 0..max-1 are checked one by one; every longer length
    // behaves like `max` (a `..` absorbs the extra elements), so `max` stands for all of them.
    const slices = rows.map((r) => strip(r[0])).filter((p): p is TPattern & { kind: "slice" } => p.kind === "slice");
    if (slices.length === 0) {
      const spec = rows.filter((r) => isWild(r[0])).map((r) => r.slice(1));
      return missing(spec, rest, defs, depth + 1) === undefined ? undefined : "_";
    }
    let max = 0;
    for (const p of slices) max = Math.max(max, p.rest ? p.prefix.length + p.suffix.length : p.prefix.length + 1);
    const lengths = t.kind === "array" ? [t.len] : Array.from({ length: max + 1 }, (_, n) => n);
    for (const n of lengths) {
      const cols = Array.from({ length: n }, () => t.elem);
      const spec: Row[] = [];
      for (const r of rows) {
        const p = strip(r[0]);
        if (isWild(p)) spec.push([...cols.map((ct) => WILD(ct, span)), ...r.slice(1)]);
        else if (p.kind === "slice") {
          const fixed = p.prefix.length + p.suffix.length;
          if (p.rest ? fixed > n : fixed !== n) continue;
          const middle = Array.from({ length: n - fixed }, () => WILD(t.elem, span));
          spec.push([...p.prefix, ...middle, ...p.suffix, ...r.slice(1)]);
        }
      }
      if (missing(spec, [...cols, ...rest], defs, depth + 1) !== undefined) {
        const shown = Array.from({ length: Math.min(n, max) }, () => "_");
        return t.kind !== "array" && n === max ? `[${[...shown, ".."].join(", ")}]` : `[${shown.join(", ")}]`;
      }
    }
    return undefined;
  }
  if (t.kind === "int") {
    const covered = intIntervals(rows, t);
    if (covered) return missingInt(rows, covered, t, rest, defs, depth);
  }
  // Unbounded values: only catch-all rows cover the column.
  const spec = rows.filter((r) => isWild(r[0])).map((r) => r.slice(1));
  return missing(spec, rest, defs, depth + 1) === undefined ? undefined : "_";
}

type IntType = Type & { kind: "int" };
type Interval = [bigint, bigint];

function intBounds(t: IntType): Interval {
  const bits = BigInt(t.bits);
  return t.signed ? [-(1n << (bits - 1n)), (1n << (bits - 1n)) - 1n] : [0n, (1n << bits) - 1n];
}

/**
 * The values each row's first pattern covers, as one closed interval (literals, ranges with either
 * bound left open, catch-alls); undefined when some bound is not a literal, so nothing is assumed.
 */
function intIntervals(rows: Row[], t: IntType): (Interval | undefined)[] | undefined {
  const [min, max] = intBounds(t);
  const out: (Interval | undefined)[] = [];
  for (const r of rows) {
    const p = strip(r[0]);
    if (isWild(p)) out.push([min, max]);
    else if (p.kind === "lit") {
      if (p.value.kind !== "int") return undefined;
      out.push([p.value.value, p.value.value]);
    } else if (p.kind === "range") {
      if ((p.lo && p.lo.kind !== "int") || (p.hi && p.hi.kind !== "int")) return undefined;
      const lo = p.lo && p.lo.kind === "int" ? p.lo.value : min;
      let hi = p.hi && p.hi.kind === "int" ? p.hi.value : max;
      if (p.hi && !p.inclusive) hi -= 1n;
      out.push(lo <= hi ? [lo, hi] : undefined);
    } else out.push(undefined);
  }
  return out;
}

/**
 * An integer column: the type's range is cut at every interval boundary, and each piece is checked
 * with the rows covering it (every value of a piece is covered by the same rows).
 */
function missingInt(rows: Row[], covered: (Interval | undefined)[], t: IntType, rest: Type[], defs: Defs, depth: number): string | undefined {
  const [min, max] = intBounds(t);
  if (rest.length === 0) return firstUncovered(covered, min, max);
  const cuts = new Set<bigint>([min]);
  for (const c of covered) {
    if (!c) continue;
    cuts.add(c[0] < min ? min : c[0]);
    if (c[1] < max) cuts.add(c[1] + 1n);
  }
  const starts = [...cuts].filter((v) => v >= min && v <= max).sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  for (const a of starts) {
    const spec: Row[] = [];
    rows.forEach((r, i) => {
      const c = covered[i];
      if (c && c[0] <= a && a <= c[1]) spec.push(r.slice(1));
    });
    if (missing(spec, rest, defs, depth + 1) !== undefined) return String(a);
  }
  return undefined;
}

/**
 * The last column: a value is matched when any interval holds it, so the first value outside their
 * union is the witness. Sorting keeps a match of thousands of literal arms from costing arms².
 */
function firstUncovered(covered: (Interval | undefined)[], min: bigint, max: bigint): string | undefined {
  const sorted = covered.filter((c): c is Interval => c !== undefined).sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
  let next = min; // the smallest value not yet known to be covered
  for (const [lo, hi] of sorted) {
    if (lo > next) return String(next);
    if (hi >= next) {
      if (hi >= max) return undefined;
      next = hi + 1n;
    }
  }
  return String(next);
}

export function checkExhaustive(fn: TFunction, defs: Defs, diags: DiagnosticBag): void {
  walkBlock(fn.body, {
    expr(m) {
      if (m.kind !== "match") return;
      const rows = m.arms.filter((a) => !a.guard).map((a) => [a.pattern]);
      const w = missing(rows, [m.scrutinee.type], defs);
      if (w !== undefined) {
        const what = w === "_" ? `not every value of ${showSourceType(m.scrutinee.type)} is covered; add a \`_\` arm` : `pattern \`${w}\` not covered`;
        diags.error(Codes.NonExhaustive, "type", `non-exhaustive match: ${what}`, m.span);
      }
    },
  });
}

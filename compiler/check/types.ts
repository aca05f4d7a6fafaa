// Checker-internal types: the TIR `Type` shape plus inference variables, unification,
// and the final substitution ("zonk") into concrete TIR types.

import type { Flavor, IntName, Type, ValueClass } from "../tir/nodes.js";
import { printTypeShape, showSourceType } from "../tir/show-type.js";

export type Ty =
  | { kind: "int"; name: IntName; bits: 8 | 16 | 32 | 64; signed: boolean }
  | { kind: "float"; bits: 32 | 64 }
  | { kind: "bool" }
  | { kind: "char" }
  | { kind: "string" }
  | { kind: "unit" }
  | { kind: "never" }
  | { kind: "tuple"; elems: Ty[] }
  // Nominal types by source name plus type arguments; zonk mangles them into instance names.
  | { kind: "struct"; name: string; flavor: Flavor; args: Ty[] }
  | { kind: "enum"; name: string; flavor: Flavor; args: Ty[] }
  // `deque` marks a VecDeque (a Vec's storage; front operations shift, as in karac). `iter` marks
  // an iterator value (`let mut it = v.iter()`): the items not yet taken, last one first, so
  // `next()` pops from the end (check/builtin-methods/iterators.ts).
  | { kind: "vec"; elem: Ty; deque?: true; iter?: true }
  | { kind: "array"; elem: Ty; len: number }
  | { kind: "slice"; elem: Ty; mut: boolean }
  // `sorted` marks SortedMap / SortedSet: Map / Set storage, iterated and printed in key order.
  | { kind: "map"; key: Ty; value: Ty; sorted?: true }
  | { kind: "set"; elem: Ty; sorted?: true }
  | { kind: "fn"; params: Ty[]; ret: Ty }
  | { kind: "atomic"; inner: Ty }
  | { kind: "mutex"; inner: Ty }
  | { kind: "weak"; inner: Ty }
  | { kind: "taskGroup" }
  | { kind: "taskHandle"; result: Ty }
  | { kind: "memoryOrdering" }
  | { kind: "range"; elem: Ty; inclusive: boolean }
  | { kind: "channel"; elem: Ty }
  | { kind: "sender"; elem: Ty }
  | { kind: "receiver"; elem: Ty }
  | TVar
  // A type parameter inside its generic function's body, checked once at the definition: rigid
  // (equal only to itself), with the bounds that say what may be done with its values.
  | { kind: "param"; name: string; bounds: string[] }
  // Result of an earlier error: unifies with everything and suppresses follow-on diagnostics.
  | { kind: "error" };

/** An inference variable. `lit` marks the type of an unsuffixed numeric literal (defaults i64 / f64). */
export interface TVar {
  kind: "var";
  id: number;
  ref?: Ty;
  lit?: "int" | "float";
  /** An integer literal that must stay an integer (a range's bounds): it never becomes a float. */
  intOnly?: boolean;
}

let nextVar = 1;
export function freshVar(lit?: "int" | "float"): TVar {
  return { kind: "var", id: nextVar++, lit };
}

const INT_BITS: Record<IntName, 8 | 16 | 32 | 64> = { i8: 8, i16: 16, i32: 32, i64: 64, u8: 8, u16: 16, u32: 32, u64: 64 };

export function intTy(name: IntName): Ty {
  return { kind: "int", name, bits: INT_BITS[name], signed: name.startsWith("i") };
}

export const I64 = intTy("i64");
export const U32 = intTy("u32");
export const F64: Ty = { kind: "float", bits: 64 };
export const BOOL: Ty = { kind: "bool" };
export const CHAR: Ty = { kind: "char" };
export const STRING: Ty = { kind: "string" };
export const UNIT: Ty = { kind: "unit" };
export const NEVER: Ty = { kind: "never" };
export const ERROR: Ty = { kind: "error" };

export function isIntName(s: string): s is IntName {
  return s in INT_BITS;
}

/** Follow solved variables to the representative. */
export function resolve(t: Ty): Ty {
  if (t.kind !== "var" || !t.ref) return t;
  let root = t.ref;
  while (root.kind === "var" && root.ref) root = root.ref;
  // Point every variable on the way straight at the result: a bound variable is never unbound, and
  // chains built by unifying thousands of branches one after another would otherwise be walked
  // again at every use.
  for (let at: Ty = t; at.kind === "var" && at.ref && at.ref !== root; ) {
    const next: Ty = at.ref;
    at.ref = root;
    at = next;
  }
  return root;
}

export function isError(t: Ty): boolean {
  return resolve(t).kind === "error";
}

/** Integer type, or an unsolved integer-literal variable. */
export function isIntLike(t: Ty): boolean {
  const r = resolve(t);
  return r.kind === "int" || (r.kind === "var" && r.lit === "int");
}

export function isNumLike(t: Ty): boolean {
  const r = resolve(t);
  return r.kind === "int" || r.kind === "float" || (r.kind === "var" && r.lit !== undefined);
}

function occurs(v: TVar, t: Ty): boolean {
  const r = resolve(t);
  if (r.kind === "var") return r === v;
  return children(r).some((c) => occurs(v, c));
}

function children(t: Ty): Ty[] {
  const only = soleChild(t);
  if (only !== undefined) return [only];
  switch (t.kind) {
    case "tuple":
      return t.elems;
    case "struct":
    case "enum":
      return t.args;
    case "map":
      return [t.key, t.value];
    case "fn":
      return [...t.params, t.ret];
    default:
      return NO_CHILDREN;
  }
}

/** The one type inside a type of exactly one child (element, inner value, task result). */
function soleChild(t: Ty): Ty | undefined {
  switch (t.kind) {
    case "vec":
    case "array":
    case "slice":
    case "set":
    case "range":
    case "channel":
    case "sender":
    case "receiver":
      return t.elem;
    case "atomic":
    case "mutex":
    case "weak":
      return t.inner;
    case "taskHandle":
      return t.result;
    default:
      return undefined;
  }
}

/** The children of every scalar type: one shared empty list, never written (unify and the open-variable search ask for children of every type they meet). */
const NO_CHILDREN: Ty[] = [];

/**
 * Make a and b equal. Returns false on mismatch (the caller reports). `never` unifies with anything
 * one-way through `coerceNever` at the call sites that allow divergence; here it is only equal to itself.
 */
export function unify(a: Ty, b: Ty): boolean {
  a = resolve(a);
  b = resolve(b);
  if (a === b) return true;
  if (a.kind === "error" || b.kind === "error") return true;
  if (a.kind === "var") return bindVar(a, b);
  if (b.kind === "var") return bindVar(b, a);
  if (a.kind !== b.kind) return false;
  switch (a.kind) {
    case "int":
      return a.name === (b as typeof a).name;
    case "float":
      return a.bits === (b as typeof a).bits;
    case "struct":
    case "enum":
      if (a.name !== (b as typeof a).name || a.args.length !== (b as typeof a).args.length) return false;
      break;
    case "array":
      if (a.len !== (b as typeof a).len) return false;
      break;
    case "range":
      if (a.inclusive !== (b as typeof a).inclusive) return false;
      break;
    case "vec":
      if (!a.deque !== !(b as typeof a).deque || !a.iter !== !(b as typeof a).iter) return false;
      break;
    case "map":
    case "set":
      if (!a.sorted !== !(b as typeof a).sorted) return false;
      break;
    case "tuple":
    case "fn":
      if (children(a).length !== children(b).length) return false;
      break;
    case "param":
      return a.name === (b as typeof a).name;
  }
  const ca = children(a);
  const cb = children(b);
  for (let i = 0; i < ca.length; i++) if (!unify(ca[i], cb[i])) return false;
  return true;
}

function bindVar(v: TVar, t: Ty): boolean {
  if (t.kind === "var") {
    // Merge literal-ness: an int literal var joined with a float literal var becomes float.
    if (v.lit && t.lit && v.lit !== t.lit) {
      if (v.intOnly || t.intOnly) return false;
      t.lit = "float";
    } else if (v.lit && !t.lit) {
      t.lit = v.lit;
    }
    if (v.intOnly) t.intOnly = true;
    v.ref = t;
    return true;
  }
  if (v.intOnly && t.kind === "float") return false;
  if (v.lit === "int" && t.kind !== "int" && t.kind !== "float" && t.kind !== "never") return false;
  if (v.lit === "float" && t.kind !== "float" && t.kind !== "never") return false;
  if (t.kind === "never") return true; // leave the variable open; never fits any slot
  if (occurs(v, t)) return false;
  v.ref = t;
  return true;
}

/** True when the type still contains unsolved non-literal variables. */
export function hasOpenVars(t: Ty): boolean {
  const r = resolve(t);
  if (r.kind === "var") return r.lit === undefined;
  // Types of one child are followed directly, with no list made for them: the search for
  // unsettled types asks this of every typed node of every body.
  const only = soleChild(r);
  return only !== undefined ? hasOpenVars(only) : children(r).some(hasOpenVars);
}

/** Registers the instance of a nominal type and returns its unique mangled name. */
export type InstanceHook = (kind: "struct" | "enum", name: string, args: Type[], tyArgs: Ty[]) => string;

/** Substitute solved variables; literal variables default to i64 / f64; open ones become unit. */
export function zonk(t: Ty, hook?: InstanceHook): Type {
  const r = resolve(t);
  switch (r.kind) {
    case "struct":
    case "enum": {
      if (!r.args) return r as unknown as Type; // already concrete
      const args = r.args.map((x) => zonk(x, hook));
      const name = hook ? hook(r.kind, r.name, args, r.args) : mangle(r.name, args);
      return { kind: r.kind, name, flavor: r.flavor };
    }
    case "var":
      if (r.lit === "float") return { kind: "float", bits: 64 };
      if (r.lit === "int") return { kind: "int", name: "i64", bits: 64, signed: true };
      return { kind: "unit" };
    case "error":
    case "param": // only in bodies checked at their definition, which never reach codegen
      return { kind: "unit" };
    case "tuple":
      return { kind: "tuple", elems: r.elems.map((x) => zonk(x, hook)) };
    case "vec":
      if (r.iter) return { kind: "vec", elem: zonk(r.elem, hook), iter: true };
      return r.deque ? { kind: "vec", elem: zonk(r.elem, hook), deque: true } : { kind: "vec", elem: zonk(r.elem, hook) };
    case "array":
      return { kind: "array", elem: zonk(r.elem, hook), len: r.len };
    case "slice":
      return { kind: "slice", elem: zonk(r.elem, hook), mut: r.mut };
    case "set":
      return r.sorted ? { kind: "set", elem: zonk(r.elem, hook), sorted: true } : { kind: "set", elem: zonk(r.elem, hook) };
    case "range":
      // A range value (`let r = 0..n;`) is its two bounds: the typed program holds the pair
      // (check/expr/literals.ts builds it, `for i in r` reads it back).
      return { kind: "tuple", elems: [zonk(r.elem, hook), zonk(r.elem, hook)] };
    case "channel":
    case "sender":
    case "receiver":
      return { kind: r.kind, elem: zonk(r.elem, hook) };
    case "map":
      return r.sorted ? { kind: "map", key: zonk(r.key, hook), value: zonk(r.value, hook), sorted: true } : { kind: "map", key: zonk(r.key, hook), value: zonk(r.value, hook) };
    case "fn":
      return { kind: "fn", params: r.params.map((x) => zonk(x, hook)), ret: zonk(r.ret, hook) };
    case "atomic":
    case "mutex":
    case "weak":
      return { kind: r.kind, inner: zonk(r.inner, hook) };
    case "taskHandle":
      return { kind: "taskHandle", result: zonk(r.result, hook) };
    default:
      return r as Type;
  }
}

/** Source-style rendering for diagnostics: `Vec[i64]`, `(i64, String)`, `Fn(i64) -> i64`. */
export function show(t: Ty): string {
  const r = resolve(t);
  switch (r.kind) {
    case "var":
      return r.lit === "int" ? "{integer}" : r.lit === "float" ? "{float}" : "_";
    case "error":
      return "{error}";
    case "param":
      return r.name;
    case "struct":
    case "enum":
      // Checker-side nominal types carry their type arguments; final ones a mangled name.
      if (r.args?.length) return `${r.name}[${r.args.map(show).join(", ")}]`;
      return r.name;
    default:
      return printTypeShape<Ty>(r, show, "source", (c) => resolve(c).kind === "unit");
  }
}

/** Value class of a concrete type (see compiler/tir/nodes.ts ValueClass). Enums with no payload are copy. */
export function valueClass(t: Ty, enumHasPayload: (name: string) => boolean): ValueClass {
  const r = resolve(t);
  switch (r.kind) {
    case "struct":
      return r.flavor === "plain" ? "owned" : "shared";
    case "enum":
      if (r.flavor !== "plain") return "shared";
      return enumHasPayload(r.name) ? "owned" : "copy";
    case "tuple":
      return r.elems.some((e) => valueClass(e, enumHasPayload) !== "copy") ? "owned" : "copy";
    case "string":
    case "vec":
    case "array":
    case "map":
    case "set":
    // Channel ends are move-only handles: dropping the last Sender closes the channel.
    case "sender":
    case "receiver":
      return "owned";
    default:
      return "copy";
  }
}

/** Lossless implicit conversion allowed at let/arg/return/field/element sites (F3.4). */
export function canWiden(from: Ty, to: Ty): boolean {
  const f = resolve(from);
  const t = resolve(to);
  if (f.kind === "int" && t.kind === "int") {
    if (f.name === t.name) return false;
    if (f.signed === t.signed) return t.bits > f.bits;
    return !f.signed && t.signed && t.bits > f.bits; // u32 -> i64
  }
  if (f.kind === "int" && t.kind === "float") return true;
  return false;
}

/** Does the integer value fit the integer type? */
export function intFits(value: bigint, t: Ty): boolean {
  const r = resolve(t);
  if (r.kind !== "int") return true;
  const bits = BigInt(r.bits);
  if (r.signed) return value >= -(1n << (bits - 1n)) && value < 1n << (bits - 1n);
  return value >= 0n && value < 1n << bits;
}

export function intMin(t: IntName): bigint {
  const bits = BigInt(INT_BITS[t]);
  return t.startsWith("i") ? -(1n << (bits - 1n)) : 0n;
}

export function intMax(t: IntName): bigint {
  const bits = BigInt(INT_BITS[t]);
  return t.startsWith("i") ? (1n << (bits - 1n)) - 1n : (1n << bits) - 1n;
}

/** Instance name of a nominal type: `Pair[i64, String]`; non-generic types keep their name. */
export function mangle(name: string, args: Type[]): string {
  return args.length ? `${name}[${args.map(showSourceType).join(", ")}]` : name;
}


/** Settle unsolved literal variables inside t to i64 / f64. */
export function defaultLiterals(t: Ty, depth = 0): void {
  const r = resolve(t);
  if (depth > 32) return;
  if (r.kind === "var") {
    if (r.lit) unify(r, r.lit === "int" ? I64 : F64);
    return;
  }
  switch (r.kind) {
    case "tuple":
      r.elems.forEach((x) => defaultLiterals(x, depth + 1));
      break;
    case "vec":
    case "array":
    case "slice":
    case "set":
    case "range":
      defaultLiterals(r.elem, depth + 1);
      break;
    case "map":
      defaultLiterals(r.key, depth + 1);
      defaultLiterals(r.value, depth + 1);
      break;
    case "struct":
    case "enum":
      r.args.forEach((x) => defaultLiterals(x, depth + 1));
      break;
    case "atomic":
    case "mutex":
    case "weak":
      defaultLiterals(r.inner, depth + 1);
      break;
  }
}

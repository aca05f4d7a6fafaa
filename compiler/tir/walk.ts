// The one read-only traversal of typed-program (TIR) bodies, shared by every pass after the
// checker (effects, automatic parallelisation). Keeping the shape knowledge here means a new
// TIR node is taught to one function only.
//
// Lifted bodies (closures, par branches, task thunks) are separate functions: the walker
// reports where they are created and does not enter them, so each analysis decides for itself
// what a lifted body contributes. Every place is reported with how it is used.

import type { Span, TArg, TBlock, TExpr, TPattern, TPlace, TStmt } from "./nodes.js";
import { BUILTIN_REGISTRY, type BuiltinRegistry } from "./builtins.js";

/** How a place is used: read, assigned, passed as `mut ref`, the receiver of a mutating builtin, or locked. */
export type PlaceAccess = "read" | "write" | "mutref" | "mutate" | "lock";

export interface Visitor {
  /** Called before an expression's children (nested blocks included); return false to skip them. */
  expr?(e: TExpr): boolean | void;
  /** Every place reached, outermost first, with the access of the whole place. */
  place?(p: TPlace, access: PlaceAccess, span: Span): void;
  /** Every pattern reached (let, match arms, for variables), outermost first. */
  pattern?(p: TPattern): void;
  /** Called before a statement's parts. */
  stmt?(s: TStmt): void;
  /** Where builtin facts come from (which ops modify their receiver); BUILTIN_REGISTRY by default. */
  builtins?: BuiltinRegistry;
}

/** A body: its statements and tail (the block itself is not reported as an expression). */
export function walkBlock(b: TBlock, v: Visitor): void {
  for (const s of b.stmts) walkStmt(s, v);
  if (b.tail) walkExpr(b.tail, v);
}

export function walkStmt(s: TStmt, v: Visitor): void {
  v.stmt?.(s);
  switch (s.kind) {
    case "let":
      walkPattern(s.pattern, v);
      if (s.init) walkExpr(s.init, v);
      break;
    case "assign":
    case "compoundAssign":
      walkPlace(s.place, "write", v);
      walkExpr(s.value, v);
      break;
    case "expr":
      walkExpr(s.expr, v);
      break;
  }
}

export function walkPlace(p: TPlace, access: PlaceAccess, v: Visitor): void {
  v.place?.(p, access, p.span);
  switch (p.kind) {
    case "field":
    case "tupleField":
      walkPlace(p.base, access, v);
      break;
    case "index":
      walkPlace(p.base, access, v);
      walkExpr(p.index, v);
      if (p.orInsert) walkExpr(p.orInsert, v);
      break;
    case "temp":
      walkExpr(p.value, v);
      break;
    default:
      break;
  }
}

export function walkPattern(p: TPattern, v: Visitor): void {
  v.pattern?.(p);
  switch (p.kind) {
    case "bind":
      if (p.sub) walkPattern(p.sub, v);
      break;
    case "lit":
      walkExpr(p.value, v);
      break;
    case "range":
      if (p.lo) walkExpr(p.lo, v);
      if (p.hi) walkExpr(p.hi, v);
      break;
    case "tuple":
      for (const x of p.elems) walkPattern(x, v);
      break;
    case "variant":
      for (const x of p.args) walkPattern(x, v);
      break;
    case "struct":
      for (const f of p.fields) walkPattern(f.pattern, v);
      break;
    case "or":
      for (const x of p.alts) walkPattern(x, v);
      break;
    case "slice":
      for (const x of p.prefix) walkPattern(x, v);
      if (p.rest) walkPattern(p.rest, v);
      for (const x of p.suffix) walkPattern(x, v);
      break;
    default:
      break;
  }
}

/** The place a `mut Slice[T]` argument lends to the callee for writing, if it is one. */
export function mutViewArg(a: TArg): TPlace | undefined {
  return a.mode !== "mutref" && a.value.type.kind === "slice" && a.value.type.mut ? viewedPlace(a.value) : undefined;
}

/** The place a `for` loop over a `mut Slice[T]` view lends for writing (`for x in v.iter_mut()`). */
export function mutViewLoop(it: Extract<TExpr, { kind: "for" }>["iter"]): TPlace | undefined {
  return it.kind === "seq" && it.coll.type.kind === "slice" && it.coll.type.mut ? viewedPlace(it.coll) : undefined;
}

/** The place a slice view is taken of (`v`, `v[a..b]`, `s.field` behind conversions), if any. */
export function viewedPlace(e: TExpr): TPlace | undefined {
  switch (e.kind) {
    case "read":
      return e.place;
    case "coerce":
    case "copy":
      return viewedPlace(e.value);
    case "slice":
      return viewedPlace(e.base);
    default:
      return undefined;
  }
}

/** The local or global a place is rooted at, if any. */
export function placeRoot(p: TPlace): { kind: "local"; local: number } | { kind: "global"; global: number } | undefined {
  let q: TPlace = p;
  for (;;) {
    switch (q.kind) {
      case "local":
        return { kind: "local", local: q.local };
      case "global":
        return { kind: "global", global: q.global };
      case "field":
      case "tupleField":
      case "index":
        q = q.base;
        continue;
      default:
        return undefined;
    }
  }
}

export function walkExpr(e: TExpr, v: Visitor): void {
  if (v.expr?.(e) === false) return;
  if (e.kind === "binary" || e.kind === "logical") return walkOperatorChain(e, v);
  walkChildren(e, v);
}

type OperatorNode = Extract<TExpr, { kind: "binary" | "logical" }>;

/**
 * A left-deep operator chain (`a + b + … + z`, tens of thousands of terms) is walked down its left
 * spine in a loop, then each right operand bottom-up: the order plain recursion gives (pre-order
 * visits top-down, children left to right) without a stack frame per operator.
 */
function walkOperatorChain(top: OperatorNode, v: Visitor): void {
  const spine: OperatorNode[] = [top];
  let cur: TExpr = top.left;
  for (;;) {
    if (v.expr?.(cur) === false) break;
    if (cur.kind !== "binary" && cur.kind !== "logical") {
      walkChildren(cur, v);
      break;
    }
    spine.push(cur);
    cur = cur.left;
  }
  for (let i = spine.length - 1; i >= 0; i--) walkExpr(spine[i].right, v);
}

// An optional child. A module-level function rather than a closure per call: walkChildren runs
// for every node of every analysis, and a fresh closure each time is garbage to collect.
function walkOpt(c: TExpr | undefined, v: Visitor): void {
  if (c) walkExpr(c, v);
}

function walkChildren(e: TExpr, v: Visitor): void {
  switch (e.kind) {
    case "read":
      walkPlace(e.place, "read", v);
      break;
    case "copy":
    case "coerce":
    case "cast":
    case "try":
      walkOpt(e.value, v);
      break;
    case "binary":
    case "logical":
      walkOpt(e.left, v);
      walkOpt(e.right, v);
      break;
    case "unary":
      walkOpt(e.operand, v);
      break;
    case "call":
      for (const a of e.args) {
        if (a.mode === "mutref") walkPlace(a.place, "mutref", v);
        else {
          walkOpt(a.value, v);
          // A `mut Slice[T]` argument is a view through which the callee writes the caller's
          // elements: the place it views is written, not only read.
          const viewed = mutViewArg(a);
          if (viewed) walkPlace(viewed, "mutref", v);
        }
      }
      break;
    case "callValue":
      walkOpt(e.callee, v);
      for (const a of e.args) walkOpt(a, v);
      break;
    case "providerCall":
      for (const a of e.args) {
        if (a.mode === "mutref") walkPlace(a.place, "mutref", v);
        else walkOpt(a.value, v);
      }
      break;
    case "providerScope":
      // The providers' locals are bound by the enclosing block's `let`s; only the body is a child.
      walkBlock(e.body, v);
      break;
    case "builtin":
      if (e.receiver) {
        if (e.receiver.kind === "value") walkOpt(e.receiver.value, v);
        else walkPlace(e.receiver.place, (v.builtins ?? BUILTIN_REGISTRY).mutatesReceiver(e.op) ? "mutate" : "read", v);
      }
      for (const a of e.args) walkOpt(a, v);
      break;
    case "fstring":
      for (const p of e.parts) if (p.kind === "hole") walkOpt(p.value, v);
      break;
    case "tuple":
    case "vecLit":
    case "arrayLit":
    case "setLit":
      for (const el of e.elems) walkOpt(el, v);
      break;
    case "struct":
      for (const f of e.fields) walkOpt(f.value, v);
      break;
    case "variant":
      for (const el of e.payload) walkOpt(el, v);
      break;
    case "vecRepeat":
      walkOpt(e.value, v);
      walkOpt(e.count, v);
      break;
    case "arrayRepeat":
      walkOpt(e.value, v);
      break;
    case "mapLit":
      for (const [k, val] of e.entries) {
        walkOpt(k, v);
        walkOpt(val, v);
      }
      break;
    case "range":
      walkOpt(e.lo, v);
      walkOpt(e.hi, v);
      break;
    case "slice":
      walkOpt(e.base, v);
      walkOpt(e.lo, v);
      walkOpt(e.hi, v);
      break;
    case "block":
      walkBlock(e, v);
      break;
    case "if":
      walkOpt(e.cond, v);
      walkOpt(e.then as TExpr, v);
      walkOpt(e.else, v);
      break;
    case "match":
      walkOpt(e.scrutinee, v);
      for (const arm of e.arms) {
        walkPattern(arm.pattern, v);
        walkOpt(arm.guard, v);
        walkOpt(arm.body, v);
      }
      break;
    case "while":
      walkOpt(e.cond, v);
      walkOpt(e.body as TExpr, v);
      break;
    case "loop":
      walkOpt(e.body as TExpr, v);
      break;
    case "for": {
      const it = e.iter;
      walkPattern(it.variable, v);
      switch (it.kind) {
        case "range":
          walkOpt(it.lo, v);
          walkOpt(it.hi, v);
          walkOpt(it.step, v);
          break;
        case "seq": {
          walkOpt(it.coll, v);
          const lent = mutViewLoop(it);
          if (lent) walkPlace(lent, "mutref", v);
          break;
        }
        case "chars":
          walkOpt(it.string, v);
          break;
        case "map":
          walkOpt(it.map, v);
          break;
        case "set":
          walkOpt(it.set, v);
          break;
        case "other":
          walkOpt(it.iter, v);
          break;
      }
      walkOpt(e.body as TExpr, v);
      break;
    }
    case "break":
    case "return":
      walkOpt(e.value, v);
      break;
    case "par":
      // Branches are lifted bodies; only the join expression is part of this one.
      walkOpt(e.tail, v);
      break;
    case "lock":
      walkPlace(e.mutex, "lock", v);
      walkOpt(e.body as TExpr, v);
      break;
    case "defer":
      // The cleanup body runs in this function, later: its effects are this function's.
      walkOpt(e.value, v);
      break;
    default: {
      // Literals, move, fnRef, closure (a lifted body), continue, error: no children. A node
      // kind added to the TIR later is still searched for an embedded `value` expression.
      const anyE = e as unknown as { value?: unknown };
      if (!LEAVES.has(e.kind) && anyE.value && typeof anyE.value === "object" && "kind" in (anyE.value as object)) {
        walkExpr(anyE.value as TExpr, v);
      }
      break;
    }
  }
}

const LEAVES: ReadonlySet<string> = new Set(["int", "float", "bool", "char", "string", "unit", "move", "fnRef", "closure", "continue", "error"]);

/** Every expression directly or indirectly inside `s`, in visiting order. */
export function exprsOf(s: TStmt): TExpr[] {
  const out: TExpr[] = [];
  walkStmt(s, { expr: (e) => void out.push(e) });
  return out;
}

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

function walkChildren(e: TExpr, v: Visitor): void {
  const x = (c: TExpr | undefined): void => {
    if (c) walkExpr(c, v);
  };
  switch (e.kind) {
    case "read":
      walkPlace(e.place, "read", v);
      break;
    case "copy":
    case "coerce":
    case "cast":
    case "try":
      x(e.value);
      break;
    case "binary":
    case "logical":
      x(e.left);
      x(e.right);
      break;
    case "unary":
      x(e.operand);
      break;
    case "call":
      for (const a of e.args) {
        if (a.mode === "mutref") walkPlace(a.place, "mutref", v);
        else {
          x(a.value);
          // A `mut Slice[T]` argument is a view through which the callee writes the caller's
          // elements: the place it views is written, not only read.
          const viewed = mutViewArg(a);
          if (viewed) walkPlace(viewed, "mutref", v);
        }
      }
      break;
    case "callValue":
      x(e.callee);
      for (const a of e.args) x(a);
      break;
    case "builtin":
      if (e.receiver) {
        if (e.receiver.kind === "value") x(e.receiver.value);
        else walkPlace(e.receiver.place, (v.builtins ?? BUILTIN_REGISTRY).mutatesReceiver(e.op) ? "mutate" : "read", v);
      }
      for (const a of e.args) x(a);
      break;
    case "fstring":
      for (const p of e.parts) if (p.kind === "hole") x(p.value);
      break;
    case "tuple":
    case "vecLit":
    case "arrayLit":
    case "setLit":
      for (const el of e.elems) x(el);
      break;
    case "struct":
      for (const f of e.fields) x(f.value);
      break;
    case "variant":
      for (const el of e.payload) x(el);
      break;
    case "vecRepeat":
      x(e.value);
      x(e.count);
      break;
    case "arrayRepeat":
      x(e.value);
      break;
    case "mapLit":
      for (const [k, val] of e.entries) {
        x(k);
        x(val);
      }
      break;
    case "range":
      x(e.lo);
      x(e.hi);
      break;
    case "slice":
      x(e.base);
      x(e.lo);
      x(e.hi);
      break;
    case "block":
      walkBlock(e, v);
      break;
    case "if":
      x(e.cond);
      x(e.then as TExpr);
      x(e.else);
      break;
    case "match":
      x(e.scrutinee);
      for (const arm of e.arms) {
        walkPattern(arm.pattern, v);
        x(arm.guard);
        x(arm.body);
      }
      break;
    case "while":
      x(e.cond);
      x(e.body as TExpr);
      break;
    case "loop":
      x(e.body as TExpr);
      break;
    case "for": {
      const it = e.iter;
      walkPattern(it.variable, v);
      switch (it.kind) {
        case "range":
          x(it.lo);
          x(it.hi);
          x(it.step);
          break;
        case "seq":
          x(it.coll);
          break;
        case "chars":
          x(it.string);
          break;
        case "map":
          x(it.map);
          break;
        case "set":
          x(it.set);
          break;
        case "other":
          x(it.iter);
          break;
      }
      x(e.body as TExpr);
      break;
    }
    case "break":
    case "return":
      x(e.value);
      break;
    case "par":
      // Branches are lifted bodies; only the join expression is part of this one.
      x(e.tail);
      break;
    case "lock":
      walkPlace(e.mutex, "lock", v);
      x(e.body as TExpr);
      break;
    case "defer":
      // The cleanup body runs in this function, later: its effects are this function's.
      x(e.value);
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

// A read-only traversal of TIR bodies. Lifted bodies (closures, par branches, task thunks)
// are separate functions: the walker reports where they are created and does not enter them,
// so each analysis decides for itself what a lifted body contributes.

import type { TBlock, TExpr, TForIter, TPlace, TStmt, BuiltinOp, Span } from "../check/tir.js";

/** How a place is used: read, assigned, passed as `mut ref`, or the receiver of a mutating builtin. */
export type PlaceAccess = "read" | "write" | "mutref" | "mutate" | "lock";

export interface Visitor {
  /** Called before an expression's children; return false to skip them. */
  expr?(e: TExpr): boolean | void;
  /** Every place reached, outermost first, with the access of the whole place. */
  place?(p: TPlace, access: PlaceAccess, span: Span): void;
  stmt?(s: TStmt): void;
}

/** Builtins that modify their place receiver (collection mutation). */
export const MUTATING_BUILTINS: ReadonlySet<BuiltinOp> = new Set<BuiltinOp>([
  "vec.push", "vec.pop", "vec.insert", "vec.remove", "vec.clear", "vec.truncate", "vec.reverse", "vec.sort",
  "vec.swap", "vec.extend", "string.push", "string.push_str",
  "map.insert", "map.remove", "map.clear", "set.insert", "set.remove", "set.clear",
]);

export function walkBlock(b: TBlock, v: Visitor): void {
  for (const s of b.stmts) walkStmt(s, v);
  if (b.tail) walkExpr(b.tail, v);
}

export function walkStmt(s: TStmt, v: Visitor): void {
  v.stmt?.(s);
  switch (s.kind) {
    case "let":
      if (s.init) walkExpr(s.init, v);
      break;
    case "assign":
      walkPlace(s.place, "write", v);
      walkExpr(s.value, v);
      break;
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
      break;
    case "temp":
      walkExpr(p.value, v);
      break;
    default:
      break;
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

function walkIter(it: TForIter, v: Visitor): void {
  switch (it.kind) {
    case "range":
      walkExpr(it.lo, v);
      walkExpr(it.hi, v);
      break;
    case "seq":
      walkExpr(it.coll, v);
      break;
    case "chars":
      walkExpr(it.string, v);
      break;
    case "map":
      walkExpr(it.map, v);
      break;
    case "set":
      walkExpr(it.set, v);
      break;
    case "other":
      walkExpr(it.iter, v);
      break;
  }
}

export function walkExpr(e: TExpr, v: Visitor): void {
  if (v.expr?.(e) === false) return;
  switch (e.kind) {
    case "read":
      walkPlace(e.place, "read", v);
      break;
    case "copy":
    case "coerce":
    case "cast":
    case "try":
      walkExpr(e.value, v);
      break;
    case "binary":
    case "logical":
      walkExpr(e.left, v);
      walkExpr(e.right, v);
      break;
    case "unary":
      walkExpr(e.operand, v);
      break;
    case "call":
      for (const a of e.args) {
        if (a.mode === "mutref") walkPlace(a.place, "mutref", v);
        else walkExpr(a.value, v);
      }
      break;
    case "callValue":
      walkExpr(e.callee, v);
      for (const a of e.args) walkExpr(a, v);
      break;
    case "builtin":
      if (e.receiver) {
        if (e.receiver.kind === "value") walkExpr(e.receiver.value, v);
        else walkPlace(e.receiver.place, MUTATING_BUILTINS.has(e.op) ? "mutate" : "read", v);
      }
      for (const a of e.args) walkExpr(a, v);
      break;
    case "fstring":
      for (const p of e.parts) if (p.kind === "hole") walkExpr(p.value, v);
      break;
    case "tuple":
    case "vecLit":
    case "arrayLit":
    case "setLit":
      for (const x of e.elems) walkExpr(x, v);
      break;
    case "struct":
      for (const f of e.fields) walkExpr(f.value, v);
      break;
    case "variant":
      for (const x of e.payload) walkExpr(x, v);
      break;
    case "vecRepeat":
      walkExpr(e.value, v);
      walkExpr(e.count, v);
      break;
    case "arrayRepeat":
      walkExpr(e.value, v);
      break;
    case "mapLit":
      for (const [k, x] of e.entries) {
        walkExpr(k, v);
        walkExpr(x, v);
      }
      break;
    case "range":
      if (e.lo) walkExpr(e.lo, v);
      if (e.hi) walkExpr(e.hi, v);
      break;
    case "slice":
      walkExpr(e.base, v);
      if (e.lo) walkExpr(e.lo, v);
      if (e.hi) walkExpr(e.hi, v);
      break;
    case "block":
      walkBlock(e, v);
      break;
    case "if":
      walkExpr(e.cond, v);
      walkBlock(e.then, v);
      if (e.else) walkExpr(e.else, v);
      break;
    case "match":
      walkExpr(e.scrutinee, v);
      for (const arm of e.arms) {
        if (arm.guard) walkExpr(arm.guard, v);
        walkExpr(arm.body, v);
      }
      break;
    case "while":
      walkExpr(e.cond, v);
      walkBlock(e.body, v);
      break;
    case "loop":
      walkBlock(e.body, v);
      break;
    case "for":
      walkIter(e.iter, v);
      walkBlock(e.body, v);
      break;
    case "break":
    case "return":
      if (e.value) walkExpr(e.value, v);
      break;
    case "par":
      if (e.tail) walkExpr(e.tail, v);
      break;
    case "lock":
      walkPlace(e.mutex, "lock", v);
      walkBlock(e.body, v);
      break;
    default:
      // Literals, move, fnRef, closure (a lifted body), continue, error: no children here.
      {
        // Unknown node kinds from a newer checker: look for an embedded `value` expression.
        const anyE = e as unknown as { value?: unknown };
        if (!KNOWN_LEAVES.has(e.kind) && anyE.value && typeof anyE.value === "object" && "kind" in (anyE.value as object)) {
          walkExpr(anyE.value as TExpr, v);
        }
      }
      break;
  }
}

const KNOWN_LEAVES = new Set(["int", "float", "bool", "char", "string", "unit", "move", "fnRef", "closure", "continue", "error"]);

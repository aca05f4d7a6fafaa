// Generic traversal of typed-program bodies. The analysis and the rewrite both need to see every
// expression, place and pattern inside a statement; keeping the shape knowledge here means a new
// TIR node is taught to one function only.

import type { TBlock, TExpr, TPattern, TPlace, TStmt } from "../check/tir.js";

export interface Visitor {
  expr?(e: TExpr): void;
  place?(p: TPlace): void;
  pattern?(p: TPattern): void;
  stmt?(s: TStmt): void;
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
      walkPlace(s.place, v);
      walkExpr(s.value, v);
      break;
    case "expr":
      walkExpr(s.expr, v);
      break;
  }
}

export function walkBlock(b: TBlock, v: Visitor): void {
  walkExpr(b as TExpr, v);
}

export function walkPlace(p: TPlace, v: Visitor): void {
  v.place?.(p);
  switch (p.kind) {
    case "field":
    case "tupleField":
      walkPlace(p.base, v);
      break;
    case "index":
      walkPlace(p.base, v);
      walkExpr(p.index, v);
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
      p.elems.forEach((x) => walkPattern(x, v));
      break;
    case "variant":
      p.args.forEach((x) => walkPattern(x, v));
      break;
    case "struct":
      p.fields.forEach((f) => walkPattern(f.pattern, v));
      break;
    case "or":
      p.alts.forEach((x) => walkPattern(x, v));
      break;
    default:
      break;
  }
}

export function walkExpr(e: TExpr, v: Visitor): void {
  v.expr?.(e);
  const x = (c: TExpr | undefined): void => {
    if (c) walkExpr(c, v);
  };
  switch (e.kind) {
    case "read":
      walkPlace(e.place, v);
      break;
    case "copy":
    case "coerce":
    case "cast":
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
        if (a.mode === "mutref") walkPlace(a.place, v);
        else x(a.value);
      }
      break;
    case "callValue":
      x(e.callee);
      e.args.forEach(x);
      break;
    case "builtin":
      if (e.receiver) {
        if (e.receiver.kind === "place") walkPlace(e.receiver.place, v);
        else x(e.receiver.value);
      }
      e.args.forEach(x);
      break;
    case "fstring":
      for (const p of e.parts) if (p.kind === "hole") x(p.value);
      break;
    case "tuple":
    case "vecLit":
    case "arrayLit":
    case "setLit":
      e.elems.forEach(x);
      break;
    case "struct":
      e.fields.forEach((f) => x(f.value));
      break;
    case "variant":
      e.payload.forEach(x);
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
      e.stmts.forEach((s) => walkStmt(s, v));
      x(e.tail);
      break;
    case "if":
      x(e.cond);
      x(e.then as TExpr);
      x(e.else);
      break;
    case "match":
      x(e.scrutinee);
      for (const a of e.arms) {
        walkPattern(a.pattern, v);
        x(a.guard);
        x(a.body);
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
      x(e.value);
      break;
    case "return":
    case "try":
      x(e.value);
      break;
    case "par":
      x(e.tail);
      break;
    case "lock":
      walkPlace(e.mutex, v);
      x(e.body as TExpr);
      break;
    default:
      break;
  }
}

/** Every expression directly or indirectly inside `s`, in visiting order. */
export function exprsOf(s: TStmt): TExpr[] {
  const out: TExpr[] = [];
  walkStmt(s, { expr: (e) => out.push(e) });
  return out;
}

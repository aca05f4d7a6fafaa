// A rough static cost of statements in abstract units (≈ 1 ns each), used to decide whether a
// parallel group is worth a fork and a join. Anything whose cost depends on data — a loop without a
// constant trip count, recursion, a call through a function value — is "unknown", and an unknown
// branch is assumed heavy: a thin wrapper around such a call is exactly what pays off in parallel.

import type { FnId, TExpr, TProgram, TStmt } from "../tir/nodes.js";

export const UNKNOWN_COST = Number.POSITIVE_INFINITY;

/** Below this total a group runs sequentially: a fork and a join cost more than the work. */
export const PAR_DISPATCH_MIN_COST = 2000;

const CALL_COST = 5;
const BUILTIN_COST = 5;
const OUTPUT_COST = 50;

export class CostModel {
  private fnCost = new Map<FnId, number>();
  private inProgress = new Set<FnId>();

  constructor(private readonly program: TProgram) {}

  stmt(s: TStmt): number {
    switch (s.kind) {
      case "let":
        return 1 + (s.init ? this.expr(s.init) : 0);
      case "assign":
      case "compoundAssign":
        return 1 + this.expr(s.value);
      case "expr":
        return this.expr(s.expr);
    }
  }

  /** The cost of calling `id` once (its body), UNKNOWN_COST for recursion or data-dependent loops. */
  fn(id: FnId): number {
    const known = this.fnCost.get(id);
    if (known !== undefined) return known;
    if (this.inProgress.has(id)) return UNKNOWN_COST;
    this.inProgress.add(id);
    const f = this.program.functions[id];
    const c = f ? this.expr(f.body as TExpr) : UNKNOWN_COST;
    this.inProgress.delete(id);
    this.fnCost.set(id, c);
    return c;
  }

  expr(e: TExpr): number {
    const sum = (xs: (TExpr | undefined)[]): number => xs.reduce((acc, x) => acc + (x ? this.expr(x) : 0), 0);
    switch (e.kind) {
      case "int":
      case "float":
      case "bool":
      case "char":
      case "string":
      case "unit":
      case "read":
      case "move":
      case "fnRef":
      case "continue":
      case "error":
        return 1;
      case "copy":
      case "coerce":
      case "cast":
        return 1 + this.expr(e.value);
      case "binary":
        return (e.op === "/" || e.op === "%" ? 4 : 1) + this.expr(e.left) + this.expr(e.right);
      case "logical":
        return 1 + this.expr(e.left) + this.expr(e.right);
      case "unary":
        return 1 + this.expr(e.operand);
      case "call":
        return CALL_COST + this.fn(e.fn) + sum(e.args.map((a) => (a.mode === "mutref" ? undefined : a.value)));
      case "callValue":
        return UNKNOWN_COST;
      case "providerCall":
        return CALL_COST + Math.max(0, ...e.cases.map((f) => this.fn(f))) + sum(e.args.map((a) => (a.mode === "mutref" ? undefined : a.value)));
      case "providerScope":
        return CALL_COST + this.expr(e.body as TExpr);
      case "builtin": {
        const base = e.op === "print" || e.op === "println" || e.op === "eprintln" ? OUTPUT_COST : BUILTIN_COST;
        const recv = e.receiver?.kind === "value" ? this.expr(e.receiver.value) : 0;
        return base + recv + sum(e.args);
      }
      case "fstring":
        return BUILTIN_COST + sum(e.parts.map((p) => (p.kind === "hole" ? p.value : undefined)));
      case "tuple":
      case "vecLit":
      case "arrayLit":
      case "setLit":
        return 1 + sum(e.elems);
      case "struct":
        return 1 + sum(e.fields.map((f) => f.value));
      case "variant":
        return 1 + sum(e.payload);
      case "vecRepeat":
        return BUILTIN_COST + this.expr(e.value) + this.expr(e.count);
      case "arrayRepeat":
        return BUILTIN_COST + e.count * this.expr(e.value);
      case "mapLit":
        return BUILTIN_COST + sum(e.entries.flat());
      case "range":
        return 1 + sum([e.lo, e.hi]);
      case "slice":
        return BUILTIN_COST + sum([e.base, e.lo, e.hi]);
      case "closure":
        return CALL_COST;
      case "block":
        return e.stmts.reduce((acc, s) => acc + this.stmt(s), 0) + (e.tail ? this.expr(e.tail) : 0);
      case "if":
        return this.expr(e.cond) + Math.max(this.expr(e.then as TExpr), e.else ? this.expr(e.else) : 0);
      case "match":
        return this.expr(e.scrutinee) + e.arms.reduce((m, a) => Math.max(m, this.expr(a.body) + (a.guard ? this.expr(a.guard) : 0)), 0);
      case "while":
      case "loop":
        return UNKNOWN_COST;
      case "for": {
        const it = e.iter;
        if (it.kind === "range" && !it.step && it.lo.kind === "int" && it.hi.kind === "int") {
          const trips = Number(it.hi.value - it.lo.value) + (it.inclusive ? 1 : 0);
          return Math.max(0, trips) * (2 + this.expr(e.body as TExpr));
        }
        return UNKNOWN_COST;
      }
      case "break":
      case "return":
        return 1 + (e.value ? this.expr(e.value) : 0);
      case "try":
        return 1 + this.expr(e.value);
      case "par":
        return e.branches.reduce((acc, b) => acc + this.fn(b.fn), 0) + (e.tail ? this.expr(e.tail) : 0);
      case "lock":
        return BUILTIN_COST + this.expr(e.body as TExpr);
      case "defer":
        return 1;
    }
  }
}

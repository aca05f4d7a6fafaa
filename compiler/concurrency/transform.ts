// Rewrites a dispatched group of top-level statements into an automatic `par` node: each statement
// is lifted into a "parBranch" function with an explicit capture list, exactly the shape the checker
// produces for an explicit `par { }`, so codegen lowers both the same way.
//
// Captures: outer locals a branch only reads are captured by value (a bit copy; the branch never
// mutates them and never frees them). Outer locals it writes, Atomic/Mutex cells, and the bindings
// its own `let` introduces are captured by reference. A group's `let` bindings stay locals of the
// enclosing function ("hoisted"): the branch binds fresh inner locals and moves the values out
// through the by-reference captures, so they are visible after the join.

import type { LocalId, TCaptureInit, TExpr, TFunction, TLocal, TParBranch, TProgram, TStmt, Span } from "../tir/nodes.js";
import { declaredIn, letBound } from "./facts.js";
import { walkStmt } from "../tir/walk.js";
import { PAR_DISPATCH_MIN_COST } from "./cost.js";

export function mergeSpans(a: Span, b: Span): Span {
  const end = Math.max(a.offset + a.length, b.offset + b.length);
  return { offset: a.offset, length: end - a.offset, line: a.line, column: a.column };
}

/**
 * Lifts statements `run` of `outerFn` (consecutive members of one group, so none reads another's
 * bindings) into a new parBranch function appended to `program.functions`.
 */
export function liftBranch(program: TProgram, outerFn: TFunction, run: TStmt[], name: string, written: Set<LocalId>, hoisted: LocalId[]): TParBranch {
  const span = run.map((x) => x.span).reduce(mergeSpans);
  const fn: TFunction = {
    id: program.functions.length,
    kind: "parBranch",
    name,
    panicName: outerFn.panicName,
    params: [],
    ret: { kind: "unit" },
    captures: [],
    locals: [],
    body: { kind: "block", stmts: [], drops: [], type: { kind: "unit" }, span },
    paramDrops: [],
    pub: false,
    span,
  };
  if (outerFn.owner !== undefined) fn.owner = outerFn.owner;
  program.functions.push(fn);

  const inits: TCaptureInit[] = [];
  const captureOf = new Map<LocalId, LocalId>();
  const newLocal = (l: Omit<TLocal, "id">): LocalId => {
    const id = fn.locals.length;
    fn.locals.push({ ...l, id });
    return id;
  };
  const capture = (outer: LocalId, byRef: boolean): LocalId => {
    const existing = captureOf.get(outer);
    if (existing !== undefined) return existing;
    const ol = outerFn.locals[outer];
    const id = newLocal({
      name: ol.name,
      type: ol.type,
      kind: "capture",
      mut: ol.mut || ol.mode === "mutref",
      mode: byRef ? "mutref" : "owned",
      addressTaken: false,
      owned: false,
      captureIndex: fn.captures.length,
      span: ol.span,
    });
    fn.captures.push({ name: ol.name, local: id, byRef, type: ol.type });
    inits.push({ outer, byRef });
    captureOf.set(outer, id);
    if (byRef && ol.mode !== "mutref") ol.addressTaken = true;
    return id;
  };

  // Locals declared inside the statement move into the branch function.
  const inner = new Map<LocalId, LocalId>();
  for (const id of run.flatMap((s) => [...declaredIn(s)]).sort((a, b) => a - b)) {
    const { id: _old, ...rest } = outerFn.locals[id];
    void _old;
    inner.set(id, newLocal({ ...rest }));
  }
  const map = (id: LocalId): LocalId => {
    const i = inner.get(id);
    if (i !== undefined) return i;
    const t = outerFn.locals[id].type.kind;
    return capture(id, written.has(id) || t === "atomic" || t === "mutex");
  };

  const stmts: TStmt[] = structuredClone(run);
  for (const body of stmts) remapLocals(body, map);
  const drops: LocalId[] = [];
  for (const s of run) for (const l of letBound(s)) {
    const innerId = inner.get(l)!;
    const il = fn.locals[innerId];
    if (il.owned) drops.push(innerId);
    const cap = capture(l, true);
    hoisted.push(l);
    // The value is handed over, never copied: a heap block codegen keeps per binding (a tuple, a
    // counted `shared` handle) would otherwise gain a copy that nothing frees.
    const value: TExpr = il.owned || !SCALAR_TYPES.has(il.type.kind)
      ? { kind: "move", local: innerId, type: il.type, span: il.span }
      : { kind: "read", place: { kind: "local", local: innerId, type: il.type, span: il.span }, type: il.type, span: il.span };
    stmts.push({ kind: "assign", place: { kind: "local", local: cap, type: il.type, span: il.span }, value, span: s.span });
  }
  fn.body = { kind: "block", stmts, drops, type: { kind: "unit" }, span };
  return { fn: fn.id, captures: inits, span };
}

/** Renames every local reference in a (cloned) statement. */
function remapLocals(s: TStmt, map: (id: LocalId) => LocalId): void {
  walkStmt(s, {
    place: (p) => {
      if (p.kind === "local") p.local = map(p.local);
    },
    pattern: (p) => {
      if (p.kind === "bind") p.local = map(p.local);
    },
    expr: (e) => {
      switch (e.kind) {
        case "move":
          e.local = map(e.local);
          break;
        case "closure":
          for (const c of e.captures) c.outer = map(c.outer);
          break;
        case "par":
          e.hoisted = e.hoisted.map(map);
          for (const b of e.branches) for (const c of b.captures) c.outer = map(c.outer);
          break;
        case "lock":
          e.alias = map(e.alias);
          break;
        case "providerScope":
          for (const b of e.bindings) b.local = map(b.local);
          break;
        case "block":
          e.drops = e.drops.map(map);
          break;
        default:
          break;
      }
    },
  });
}

export interface GroupToLift {
  /** Contiguous statement indices of the function body. */
  statements: number[];
  /** Outer locals each member writes (captured by reference). */
  written: Set<LocalId>[];
  /** Each member's static cost (cost.ts). */
  costs: number[];
}

/**
 * Members cheaper than a fork share a branch: consecutive cheap members are packed until their
 * cost reaches this. Without it a group of thousands of one-line statements would become as many
 * tasks, each costing more to fork than to run (and a function each in the module).
 */
export const MIN_BRANCH_COST = PAR_DISPATCH_MIN_COST / 2;

/** The group's members as runs of consecutive positions in `costs`, one run per branch. */
export function branchRuns(costs: readonly number[]): number[][] {
  const runs: number[][] = [];
  let open: number[] = [];
  let openCost = 0;
  costs.forEach((cost, k) => {
    if (cost >= MIN_BRANCH_COST) {
      // Heavy (or of unknown cost): a branch of its own, after whatever cheap run was open.
      if (open.length) runs.push(open);
      runs.push([k]);
      open = [];
      openCost = 0;
      return;
    }
    open.push(k);
    openCost += cost;
    if (openCost >= MIN_BRANCH_COST) {
      runs.push(open);
      open = [];
      openCost = 0;
    }
  });
  if (open.length) runs.push(open);
  return runs;
}

/**
 * Replaces each group's statements in `fn.body` by one automatic `par` statement. `program` is
 * mutated: it must be the phase's own copy.
 */
export function liftGroups(program: TProgram, fn: TFunction, groups: GroupToLift[]): void {
  let counter = 0;
  const ordered = [...groups].sort((a, b) => a.statements[0] - b.statements[0]);
  const replacements: { first: number; count: number; stmt: TStmt }[] = [];
  for (const g of ordered) {
    const branches: TParBranch[] = [];
    const hoisted: LocalId[] = [];
    for (const run of branchRuns(g.costs)) {
      counter++;
      const written = new Set(run.flatMap((k) => [...g.written[k]]));
      branches.push(liftBranch(program, fn, run.map((k) => fn.body.stmts[g.statements[k]]), `${fn.name}$autopar${counter}`, written, hoisted));
    }
    const first = fn.body.stmts[g.statements[0]];
    const last = fn.body.stmts[g.statements[g.statements.length - 1]];
    const span = mergeSpans(first.span, last.span);
    const par: TExpr = { kind: "par", branches, hoisted, origin: "auto", type: { kind: "unit" }, span };
    if (g.statements.some((idx) => diverges(fn.body.stmts[idx]))) {
      // A member never completes (it panics or loops forever), so neither does the group: the par
      // keeps the statement's `never` type, which a block without a value relies on, and its join
      // expression is `unreachable()`, never reached since that member's branch never finishes.
      par.type = { kind: "never" };
      par.tail = { kind: "builtin", op: "unreachable", args: [], typeArgs: [], type: { kind: "never" }, span };
    }
    replacements.push({ first: g.statements[0], count: g.statements.length, stmt: { kind: "expr", expr: par, span } });
  }
  // One pass over the body (a splice per group would move the rest of a long body each time).
  const stmts: TStmt[] = [];
  let next = 0;
  for (const r of replacements) {
    for (; next < r.first; next++) stmts.push(fn.body.stmts[next]);
    stmts.push(r.stmt);
    next = r.first + r.count;
  }
  for (; next < fn.body.stmts.length; next++) stmts.push(fn.body.stmts[next]);
  fn.body.stmts = stmts;
}

/** Does the statement never complete (its value, or the value it stores, has type `never`)? */
function diverges(s: TStmt): boolean {
  switch (s.kind) {
    case "let":
      return s.init?.type.kind === "never";
    case "assign":
    case "compoundAssign":
      return s.value.type.kind === "never";
    case "expr":
      return s.expr.type.kind === "never";
  }
}

/** Types whose values are plain bits (a read of one is a copy with nothing to free). */
const SCALAR_TYPES: ReadonlySet<string> = new Set(["int", "float", "bool", "char", "unit", "never", "memoryOrdering"]);

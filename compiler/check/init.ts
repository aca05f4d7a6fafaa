// Reads of declared-but-uninitialised bindings (karac E0505 UseOfUninitialized). `let x: T;`
// declares `x` without a value; it must be assigned on every path before it is read. The walk
// (check/flow-walk.ts) carries the set of locals that may still be unassigned: a branch that
// diverges does not count, the paths out of `if`/`match` are joined (assigned on one branch only =
// maybe unassigned), a `while`/`for` body may run zero times, and the state after a loop is the
// join of the states at its `break`s (and, for `while`/`for`, at the condition failing). Every
// read — in an expression, an f-string hole, a compound assignment, a field or index write (which
// reads its root), a closure capture by value — of a maybe-unassigned local is reported once per
// local.

import type { DiagnosticBag } from "../diagnostics.js";
import type { Span } from "../syntax/ast.js";
import { Codes } from "./codes.js";
import type { TFunction } from "../tir/nodes.js";
import { diverges, flowWalker, someNode, type Node } from "./flow-walk.js";

type Unset = Set<number>; // locals that may not be assigned yet

export function checkInitialised(fn: TFunction, diags: DiagnosticBag): void {
  // Only functions with a value-less `let` need the walk.
  if (!someNode(fn.body, (o) => o.kind === "let" && "pattern" in o && o.init === undefined)) return;
  const reported = new Set<number>();
  /** States at `break`s, per break target (loop id or block label id). */
  const breaks = new Map<number, Unset[]>();
  const exitsOf = (target: number): Unset[] => {
    const list = breaks.get(target) ?? [];
    breaks.delete(target);
    return list;
  };

  const read = (id: number, span: Span, unset: Unset): void => {
    if (!unset.has(id) || reported.has(id)) return;
    reported.add(id);
    const name = fn.locals[id].name;
    diags.error(Codes.UseOfUninitialised, "ownership", `use of possibly-uninitialized binding '${name}'`, span, {
      notes: [`'${name}' is declared without a value and is not assigned on every path before this read; assign it on every path first (or give the \`let\` a value)`],
    });
  };
  const join = (target: Unset, paths: Unset[]): void => {
    const all = paths.map((p) => [...p]);
    target.clear();
    for (const p of all) for (const id of p) target.add(id);
  };

  /** Loops, `break` and labelled blocks: the state after them is the join of the ways out. */
  const special = (o: Node, unset: Unset, walk: (x: unknown, s: Unset) => void): boolean => {
    switch (o.kind) {
      case "while":
      case "for": {
        walk(o.kind === "while" ? o.cond : o.iter, unset);
        walk(o.body, new Set(unset));
        // Zero iterations, a failed condition after some, or a break: anything assigned only in
        // the body may still be unassigned afterwards.
        join(unset, [new Set(unset), ...exitsOf(o.loopId as number)]);
        return true;
      }
      case "loop": {
        walk(o.body, new Set(unset));
        const exits = exitsOf(o.loopId as number);
        // A loop without a break never ends normally: nothing after it runs.
        if (exits.length) join(unset, exits);
        return true;
      }
      case "break": {
        walk(o.value, unset);
        const target = o.target as number;
        breaks.set(target, [...(breaks.get(target) ?? []), new Set(unset)]);
        return true;
      }
      case "block": {
        if (typeof o.labelId !== "number") return false;
        for (const s of o.stmts as unknown[]) walk(s, unset);
        walk(o.tail, unset);
        const exits = exitsOf(o.labelId);
        if (exits.length) join(unset, diverges(o) ? exits : [new Set(unset), ...exits]);
        return true;
      }
      default:
        return false;
    }
  };

  const walk = flowWalker<Unset>({
    copy: (s) => new Set(s),
    join,
    use: (_kind, id, span, unset) => read(id, span, unset),
    assigned: (place, unset, walk) => {
      // A write into `x.f` / `x[i]` reads `x` (and evaluates the index).
      if (place.kind === "local") unset.delete(place.local as number);
      else walk(place, unset);
    },
    letBound: (stmt, unset) => {
      const pat = stmt.pattern as { kind: string; local?: number };
      if (stmt.init === undefined && pat.kind === "bind" && typeof pat.local === "number") unset.add(pat.local);
    },
    captures: (node, captures, unset) => {
      // A by-reference capture is the cell itself, which the body may assign (par hoists).
      for (const c of captures) if (!c.byRef) read(c.outer, node.span as Span, unset);
      for (const id of (node.hoisted as number[] | undefined) ?? []) unset.delete(id);
    },
    special,
  });
  walk(fn.body, new Set());
}

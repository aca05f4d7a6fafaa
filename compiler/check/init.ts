// Reads of declared-but-uninitialised bindings (karac E0505 UseOfUninitialized). `let x: T;`
// declares `x` without a value; it must be assigned on every path before it is read. The walk
// carries the set of locals that may still be unassigned: a branch that diverges does not count,
// the paths out of `if`/`match` are joined (assigned on one branch only = maybe unassigned), a
// `while`/`for` body may run zero times, and the state after a loop is the join of the states at
// its `break`s (and, for `while`/`for`, at the condition failing). Every read — in an expression,
// an f-string hole, a compound assignment, a field or index write (which reads its root), a
// closure capture by value — of a maybe-unassigned local is reported once per local.

import type { DiagnosticBag } from "../diagnostics.js";
import type { Span } from "../syntax/ast.js";
import { Codes } from "./codes.js";
import type { TExpr, TFunction } from "../tir/nodes.js";

type Unset = Set<number>; // locals that may not be assigned yet

export function checkInitialised(fn: TFunction, diags: DiagnosticBag): void {
  // Only functions with a value-less `let` need the walk.
  if (!hasDeferredLet(fn.body)) return;
  const reported = new Set<number>();
  /** States at `break`s, per break target (loop id or block label id). */
  const breaks = new Map<number, Unset[]>();

  const read = (id: number, span: Span, unset: Unset): void => {
    if (!unset.has(id) || reported.has(id)) return;
    reported.add(id);
    const name = fn.locals[id].name;
    diags.error(Codes.UseOfUninitialised, "ownership", `use of possibly-uninitialized binding '${name}'`, span, {
      notes: [`'${name}' is declared without a value and is not assigned on every path before this read; assign it on every path first (or give the \`let\` a value)`],
    });
  };
  const diverges = (x: unknown): boolean => (x as { type?: { kind: string } } | undefined)?.type?.kind === "never";
  const join = (target: Unset, states: Unset[]): void => {
    target.clear();
    for (const s of states) for (const id of s) target.add(id);
  };

  const walkPlaceRoots = (place: Record<string, unknown>, unset: Unset): void => {
    // A write into `x.f` / `x[i]` reads `x` (and evaluates the index).
    walk(place, unset);
  };

  const walk = (x: unknown, unset: Unset): void => {
    if (!x || typeof x !== "object") return;
    if (Array.isArray(x)) {
      for (const y of x) walk(y, unset);
      return;
    }
    const o = x as Record<string, unknown>;
    if (typeof o.offset === "number" && typeof o.line === "number") return; // span
    switch (o.kind) {
      case "move":
        read(o.local as number, o.span as Span, unset);
        return;
      case "local":
        if (typeof o.local === "number") read(o.local, o.span as Span, unset);
        return;
      case "let":
        if ("pattern" in o) {
          walk(o.init, unset);
          const pat = o.pattern as { kind: string; local?: number };
          if (o.init === undefined && pat.kind === "bind" && typeof pat.local === "number") unset.add(pat.local);
          return;
        }
        break;
      case "assign": {
        walk(o.value, unset);
        const place = o.place as Record<string, unknown>;
        if (place.kind === "local") unset.delete(place.local as number);
        else walkPlaceRoots(place, unset);
        return;
      }
      case "while":
      case "for": {
        if (o.kind === "while") walk(o.cond, unset);
        else walk(o.iter, unset);
        const body = new Set(unset);
        walk(o.body, body);
        // Zero iterations, a failed condition after some, or a break: anything assigned only in
        // the body may still be unassigned afterwards.
        const exits = [new Set(unset), ...(breaks.get(o.loopId as number) ?? [])];
        breaks.delete(o.loopId as number);
        join(unset, exits);
        return;
      }
      case "loop": {
        const body = new Set(unset);
        walk(o.body, body);
        const exits = breaks.get(o.loopId as number) ?? [];
        breaks.delete(o.loopId as number);
        // A loop without a break never ends normally: nothing after it runs.
        if (exits.length) join(unset, exits);
        return;
      }
      case "break": {
        walk(o.value, unset);
        const target = o.target as number;
        const list = breaks.get(target) ?? [];
        list.push(new Set(unset));
        breaks.set(target, list);
        return;
      }
      case "block": {
        if (typeof o.labelId !== "number") break;
        for (const s of o.stmts as unknown[]) walk(s, unset);
        walk(o.tail, unset);
        const exits = breaks.get(o.labelId) ?? [];
        breaks.delete(o.labelId);
        if (exits.length) join(unset, diverges(o) ? exits : [new Set(unset), ...exits]);
        return;
      }
      case "closure":
      case "par": {
        const lists = o.kind === "closure" ? [o.captures] : (o.branches as { captures: unknown }[]).map((b) => b.captures);
        const hoisted = new Set((o.hoisted as number[] | undefined) ?? []);
        for (const list of lists) {
          for (const c of list as { outer: number; byRef: boolean }[]) {
            // A by-reference capture is the cell itself, which the body may assign (par hoists).
            if (!c.byRef) read(c.outer, o.span as Span, unset);
          }
        }
        for (const id of hoisted) unset.delete(id);
        if (o.kind === "par" && o.tail) walk(o.tail, unset);
        return;
      }
      case "binary":
      case "logical": {
        // Left-deep chains may be tens of thousands long: walk the left spine in a loop. The right
        // operand of `and`/`or` may not run, so its assignments do not count.
        const spine: Record<string, unknown>[] = [];
        let cur: Record<string, unknown> = o;
        while (cur.kind === "binary" || cur.kind === "logical") {
          spine.push(cur);
          cur = cur.left as Record<string, unknown>;
        }
        walk(cur, unset);
        for (let i = spine.length - 1; i >= 0; i--) {
          if (spine[i].kind === "logical") walk(spine[i].right, new Set(unset));
          else walk(spine[i].right, unset);
        }
        return;
      }
      case "if": {
        walk(o.cond, unset);
        const a = new Set(unset);
        walk(o.then, a);
        const b = new Set(unset);
        if (o.else) walk(o.else, b);
        const states = [diverges(o.then) ? undefined : a, o.else && diverges(o.else) ? undefined : b].filter((s): s is Unset => !!s);
        if (states.length) join(unset, states);
        return;
      }
      case "match": {
        walk(o.scrutinee, unset);
        const states: Unset[] = [];
        for (const arm of o.arms as { guard?: TExpr; body: TExpr }[]) {
          const s = new Set(unset);
          walk(arm.guard, s);
          walk(arm.body, s);
          if (!diverges(arm.body)) states.push(s);
        }
        if (states.length) join(unset, states);
        return;
      }
    }
    for (const k of Object.keys(o)) {
      const v = o[k];
      if (k === "span" || k === "typeArgs") continue;
      if (k === "receiver") {
        walk(v, unset);
        continue;
      }
      // Type-valued slots (never carrying a span) hold no uses.
      if (v && typeof v === "object" && !Array.isArray(v) && !("span" in v)) continue;
      walk(v, unset);
    }
  };
  walk(fn.body, new Set());
}

/** Does the body hold a `let` without a value (the only way a local starts unassigned)? */
function hasDeferredLet(root: unknown): boolean {
  const stack: unknown[] = [root];
  while (stack.length) {
    const y = stack.pop();
    if (!y || typeof y !== "object") continue;
    if (Array.isArray(y)) {
      for (const z of y) stack.push(z);
      continue;
    }
    const o = y as Record<string, unknown>;
    if (typeof o.offset === "number" && typeof o.line === "number") continue;
    if (o.kind === "let" && "pattern" in o && o.init === undefined) return true;
    // `for..in` rather than Object.entries: no array of pairs per node (every node of every body is visited).
    for (const k in o) {
      const v = o[k];
      if (k !== "type" && k !== "span" && v && typeof v === "object") stack.push(v);
    }
  }
  return false;
}

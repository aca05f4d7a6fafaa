// The forward flow walk the ownership checks share (check/init.ts, check/moves.ts): one pass over a
// typed body in evaluation order, carrying a per-path state (which locals may be unassigned, which
// are moved) that forks at `if` / `match` / short-circuit operators and joins where the paths meet.
// A branch whose type is `never` (it returns, breaks, panics) does not reach the join. Loops, labelled
// blocks and `break` differ between the checks (a loop may run zero times for one, twice for the
// other), so each check handles them in `special`; everything else — the shape of the typed tree,
// which slots hold uses, the long operator chains — is known here once.
//
// Also here: `eachNode`, the flat search over every node under a root that the same checks (and
// check/drop-bindings.ts) use to find bindings and markers without recursion.

import type { Span } from "../syntax/ast.js";
import type { TExpr } from "../tir/nodes.js";

export type Node = Record<string, unknown>;

export interface FlowChecks<S> {
  /** A fresh copy of a state, for one path of a fork. */
  copy(s: S): S;
  /** Make `target` the state where the given paths (at least one) meet. */
  join(target: S, paths: S[]): void;
  /** A whole local read (`local`) or moved out (`move`) at `span`. */
  use(kind: "local" | "move", local: number, span: Span, s: S): void;
  /** An assignment's target, after its value was walked (a write into `x.f` / `x[i]` reads `x`). */
  assigned(place: Node, s: S, walk: (x: unknown, s: S) => void): void;
  /** A `let` statement, after its initialiser was walked. */
  letBound(stmt: Node, s: S): void;
  /** The captures of a closure, or of every branch of a `par` (its tail is walked after). */
  captures(node: Node, captures: { outer: number; byRef: boolean }[], s: S): void;
  /** Entering one arm of a `match`, before its guard. */
  armEntered?(match: Node, arm: { pattern: unknown }, s: S): void;
  /** Nodes the check walks itself (loops, `break`, labelled blocks); return true when handled. */
  special?(node: Node, s: S, walk: (x: unknown, s: S) => void): boolean;
}

/** Does evaluating this node never finish normally (its type is `never`)? */
export function diverges(x: unknown): boolean {
  return (x as { type?: { kind: string } } | undefined)?.type?.kind === "never";
}

function isSpan(o: Node): boolean {
  return typeof o.offset === "number" && typeof o.line === "number";
}

/** The walk for one check: call it with a body (or any node) and the starting state. */
export function flowWalker<S>(c: FlowChecks<S>): (x: unknown, s: S) => void {
  const walk = (x: unknown, s: S): void => {
    if (!x || typeof x !== "object") return;
    if (Array.isArray(x)) {
      for (const y of x) walk(y, s);
      return;
    }
    const o = x as Node;
    if (isSpan(o)) return;
    if (c.special?.(o, s, walk)) return;
    switch (o.kind) {
      case "move":
        c.use("move", o.local as number, o.span as Span, s);
        return;
      case "local":
        // A `local` place (read) — other nodes of this kind carry no local id.
        if (typeof o.local === "number") {
          c.use("local", o.local, o.span as Span, s);
          return;
        }
        break;
      case "let":
        if ("pattern" in o) {
          walk(o.init, s);
          c.letBound(o, s);
          return;
        }
        break;
      case "assign": {
        walk(o.value, s);
        c.assigned(o.place as Node, s, walk);
        return;
      }
      case "closure":
      case "par": {
        const lists = o.kind === "closure" ? [o.captures] : (o.branches as { captures: unknown }[]).map((b) => b.captures);
        c.captures(o, (lists as { outer: number; byRef: boolean }[][]).flat(), s);
        if (o.kind === "par" && o.tail) walk(o.tail, s);
        return;
      }
      case "binary":
      case "logical": {
        // Left-deep chains may be tens of thousands long: walk the left spine in a loop. The right
        // operand of `and`/`or` may not run: the state after it is the join of both paths.
        const spine: Node[] = [];
        let cur: Node = o;
        while (cur.kind === "binary" || cur.kind === "logical") {
          spine.push(cur);
          cur = cur.left as Node;
        }
        walk(cur, s);
        for (let i = spine.length - 1; i >= 0; i--) {
          if (spine[i].kind !== "logical") {
            walk(spine[i].right, s);
            continue;
          }
          const ran = c.copy(s);
          walk(spine[i].right, ran);
          c.join(s, [c.copy(s), ran]);
        }
        return;
      }
      case "if": {
        walk(o.cond, s);
        const a = c.copy(s);
        walk(o.then, a);
        const b = c.copy(s);
        if (o.else) walk(o.else, b);
        const paths = [diverges(o.then) ? undefined : a, o.else && diverges(o.else) ? undefined : b].filter((p): p is S => !!p);
        if (paths.length) c.join(s, paths);
        return;
      }
      case "match": {
        walk(o.scrutinee, s);
        const paths: S[] = [];
        for (const arm of o.arms as { pattern: unknown; guard?: TExpr; body: TExpr }[]) {
          const p = c.copy(s);
          c.armEntered?.(o, arm, p);
          walk(arm.guard, p);
          walk(arm.body, p);
          if (!diverges(arm.body)) paths.push(p);
        }
        if (paths.length) c.join(s, paths);
        return;
      }
    }
    // `for..in` rather than Object.keys: no array of keys per node of every body, twice per function.
    for (const k in o) {
      const v = o[k];
      if (!v || typeof v !== "object" || k === "span" || k === "typeArgs") continue;
      // A builtin's receiver wrapper has no span of its own, but the value or place in it is a use.
      if (k === "receiver") {
        walk(v, s);
        continue;
      }
      // Type-valued slots (never carrying a span) hold no uses.
      if (v && typeof v === "object" && !Array.isArray(v) && !("span" in v)) continue;
      walk(v, s);
    }
  };
  return walk;
}

/**
 * Every node under `root` (types and spans skipped), in no particular order, with an explicit
 * stack: the tree may be as deep as the longest operator chain. `visit` returns true to stop.
 */
export function eachNode(root: unknown, visit: (o: Node) => boolean | void): void {
  const stack: unknown[] = [root];
  while (stack.length) {
    const y = stack.pop();
    if (!y || typeof y !== "object") continue;
    if (Array.isArray(y)) {
      for (const z of y) stack.push(z);
      continue;
    }
    const o = y as Node;
    if (isSpan(o)) continue;
    if (visit(o) === true) return;
    // `for..in` rather than Object.entries: no array of pairs per node (every node of every body is visited).
    for (const k in o) {
      const v = o[k];
      if (k !== "type" && k !== "span" && v && typeof v === "object") stack.push(v);
    }
  }
}

/** Does any node under `root` satisfy `test`? */
export function someNode(root: unknown, test: (o: Node) => boolean): boolean {
  let found = false;
  eachNode(root, (o) => (found = test(o)));
  return found;
}

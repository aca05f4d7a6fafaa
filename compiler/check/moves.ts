// Use-after-move (F17.1): once a whole owned local is moved (a `move` node), reading it again
// is an error until it is reassigned. Straight-line and branching code is tracked; a branch that
// diverges does not leak its moves. Loop bodies are walked once (moves that would only collide
// on the next iteration are not reported), so the check never rejects a valid program.

import type { DiagnosticBag } from "../diagnostics.js";
import type { Span } from "../syntax/ast.js";
import { Codes } from "./codes.js";
import type { TExpr, TFunction } from "../tir/nodes.js";

type Moved = Map<number, Span>; // local id -> where it was moved

export function checkMoves(fn: TFunction, diags: DiagnosticBag): void {
  const reported = new Set<number>();
  let inLoopAgain = false;
  const use = (id: number, span: Span, moved: Moved): void => {
    const at = moved.get(id);
    if (!at || reported.has(id)) return;
    reported.add(id);
    const msg = inLoopAgain ? `use of moved value '${fn.locals[id].name}': it was moved in a previous iteration of the loop` : `use of moved value '${fn.locals[id].name}'`;
    diags.error(Codes.UseAfterMove, "ownership", msg, span, {
      notes: [`value moved at ${at.line}:${at.column}; copy it first (e.g. .clone()) if both are needed`],
    });
  };
  const diverges = (x: unknown): boolean => {
    const t = (x as { type?: { kind: string } } | undefined)?.type;
    return t?.kind === "never";
  };
  const union = (target: Moved, states: Moved[]): void => {
    target.clear();
    for (const s of states) for (const [k, v] of s) if (!target.has(k)) target.set(k, v);
  };

  const walk = (x: unknown, moved: Moved): void => {
    if (!x || typeof x !== "object") return;
    if (Array.isArray(x)) {
      for (const y of x) walk(y, moved);
      return;
    }
    const o = x as Record<string, unknown>;
    if (typeof o.offset === "number" && typeof o.line === "number") return; // span
    switch (o.kind) {
      case "move": {
        const id = o.local as number;
        use(id, o.span as Span, moved);
        moved.set(id, o.span as Span);
        return;
      }
      case "local":
        if (typeof o.local === "number") use(o.local, o.span as Span, moved);
        return;
      case "assign": {
        walk(o.value, moved);
        const place = o.place as { kind: string; local?: number };
        if (place.kind === "local") moved.delete(place.local!);
        else walk(place, moved);
        return;
      }
      case "let":
        if ("pattern" in o) {
          walk(o.init, moved);
          for (const id of boundLocals(o.pattern)) moved.delete(id); // a fresh binding
          return;
        }
        break;
      case "while":
      case "loop":
      case "for": {
        // Walk the body twice: what the first iteration moves (and does not re-initialise) is gone
        // in the next one. Locals bound inside the body are fresh each iteration.
        if (o.kind === "while") walk(o.cond, moved);
        if (o.kind === "for") walk((o.iter as Record<string, unknown>), moved);
        const body = o.body as TExpr;
        const first = new Map(moved);
        walk(body, first);
        if (!diverges(body)) {
          const fresh = new Set(boundLocals(body));
          if (o.kind === "for") for (const id of boundLocals((o.iter as { variable: unknown }).variable)) fresh.add(id);
          const carried = new Map([...first].filter(([id]) => !fresh.has(id) && !moved.has(id)));
          if (carried.size) {
            inLoopAgain = true;
            const again = new Map([...moved, ...carried]);
            walk(body, again);
            inLoopAgain = false;
          }
        }
        for (const [k, v] of first) if (!moved.has(k)) moved.set(k, v);
        return;
      }
      case "closure":
      case "par": {
        const inits = o.kind === "closure" ? [o.captures] : (o.branches as { captures: unknown }[]).map((b) => b.captures);
        for (const list of inits) for (const c of list as { outer: number }[]) use(c.outer, o.span as Span, moved);
        if (o.kind === "par" && o.tail) walk(o.tail, moved);
        return;
      }
      case "binary":
      case "logical": {
        // Left-deep operator chains may be tens of thousands long: walk the left spine in a loop.
        const spine: Record<string, unknown>[] = [];
        let cur: Record<string, unknown> = o;
        while (cur.kind === "binary" || cur.kind === "logical") {
          spine.push(cur);
          cur = cur.left as Record<string, unknown>;
        }
        walk(cur, moved);
        for (let i = spine.length - 1; i >= 0; i--) walk(spine[i].right, moved);
        return;
      }
      case "if": {
        walk(o.cond, moved);
        const a = new Map(moved);
        walk(o.then, a);
        const b = new Map(moved);
        if (o.else) walk(o.else, b);
        const states = [diverges(o.then) ? undefined : a, o.else && diverges(o.else) ? undefined : b].filter((s): s is Moved => !!s);
        if (states.length) union(moved, states);
        return;
      }
      case "match": {
        walk(o.scrutinee, moved);
        // An arm whose pattern moves a part out of a local (check/drop-bindings.ts) moves the local.
        const scrut = o.scrutinee as { kind: string; place?: { kind: string; local?: number } };
        const root = scrut.kind === "read" && scrut.place?.kind === "local" ? scrut.place.local : undefined;
        const states: Moved[] = [];
        for (const arm of o.arms as { pattern: unknown; guard?: TExpr; body: TExpr }[]) {
          const s = new Map(moved);
          if (root !== undefined && takesPart(arm.pattern)) s.set(root, o.span as Span);
          walk(arm.guard, s);
          walk(arm.body, s);
          if (!diverges(arm.body)) states.push(s);
        }
        if (states.length) union(moved, states);
        return;
      }
    }
    for (const k of Object.keys(o)) {
      const v = o[k];
      // Type-valued slots (never carrying a span) hold no uses.
      if (k === "span" || k === "typeArgs") continue;
      // A builtin's receiver wrapper has no span of its own, but the value or place in it is a use.
      if (k === "receiver") {
        walk(v, moved);
        continue;
      }
      if (v && typeof v === "object" && !Array.isArray(v) && !("span" in v)) continue;
      walk(v, moved);
    }
  };
  walk(fn.body, new Map());
}

/** Locals bound by patterns anywhere under `x` (let, match arms, for variables). */
function boundLocals(x: unknown, out: number[] = []): number[] {
  // An explicit stack: the tree may be as deep as the longest operator chain.
  const stack: unknown[] = [x];
  while (stack.length) {
    const y = stack.pop();
    if (!y || typeof y !== "object") continue;
    if (Array.isArray(y)) {
      for (const z of y) stack.push(z);
      continue;
    }
    const o = y as Record<string, unknown>;
    if (typeof o.offset === "number" && typeof o.line === "number") continue;
    if (o.kind === "bind" && typeof o.local === "number") out.push(o.local);
    for (const [k, v] of Object.entries(o)) if (k !== "type" && k !== "span" && v && typeof v === "object") stack.push(v);
  }
  return out;
}

/** Does the pattern move a part out of its scrutinee (a `take` binding)? */
function takesPart(p: unknown): boolean {
  let found = false;
  const stack: unknown[] = [p];
  while (stack.length && !found) {
    const y = stack.pop();
    if (!y || typeof y !== "object") continue;
    if (Array.isArray(y)) {
      for (const z of y) stack.push(z);
      continue;
    }
    const o = y as Record<string, unknown>;
    if (typeof o.offset === "number" && typeof o.line === "number") continue;
    if (o.kind === "bind" && o.take === true) found = true;
    for (const [k, v] of Object.entries(o)) if (k !== "type" && k !== "span" && v && typeof v === "object") stack.push(v);
  }
  return found;
}

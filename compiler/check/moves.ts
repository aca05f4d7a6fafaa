// Use-after-move (F17.1): once a whole owned local is moved (a `move` node), reading it again
// is an error until it is reassigned. Straight-line and branching code is tracked; a branch that
// diverges does not leak its moves. Loop bodies are walked once (moves that would only collide
// on the next iteration are not reported), so the check never rejects a valid program.

import type { DiagnosticBag } from "../diagnostics.js";
import type { Span } from "../syntax/ast.js";
import { Codes } from "./codes.js";
import type { TExpr, TFunction } from "./tir.js";

type Moved = Map<number, Span>; // local id -> where it was moved

export function checkMoves(fn: TFunction, diags: DiagnosticBag): void {
  const reported = new Set<number>();
  const use = (id: number, span: Span, moved: Moved): void => {
    const at = moved.get(id);
    if (!at || reported.has(id)) return;
    reported.add(id);
    diags.error(Codes.UseAfterMove, "ownership", `use of moved value '${fn.locals[id].name}'`, span, {
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
          return;
        }
        break;
      case "closure":
      case "par": {
        const inits = o.kind === "closure" ? [o.captures] : (o.branches as { captures: unknown }[]).map((b) => b.captures);
        for (const list of inits) for (const c of list as { outer: number }[]) use(c.outer, o.span as Span, moved);
        if (o.kind === "par" && o.tail) walk(o.tail, moved);
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
        const states: Moved[] = [];
        for (const arm of o.arms as { guard?: TExpr; body: TExpr }[]) {
          const s = new Map(moved);
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
      if (v && typeof v === "object" && !Array.isArray(v) && !("span" in v)) continue;
      walk(v, moved);
    }
  };
  walk(fn.body, new Map());
}

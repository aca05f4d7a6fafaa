// Use-after-move (karac E0500): once a whole owned local is moved (a `move` node), reading it again
// is an error until it is reassigned. The walk (check/flow-walk.ts) carries the moved locals: a
// branch that diverges does not leak its moves, the paths out of `if`/`match` are joined (moved on
// one branch = maybe moved), and a loop body is walked a second time with what its first iteration
// moved, so a move of an outer value inside a loop is reported on the next iteration.

import type { DiagnosticBag } from "../diagnostics.js";
import type { Span } from "../syntax/ast.js";
import { Codes } from "./codes.js";
import type { TExpr, TFunction } from "../tir/nodes.js";
import { diverges, eachNode, flowWalker, someNode, type Node } from "./flow-walk.js";

/**
 * What is moved, and where: a whole local by its id, or a part moved out of one (check/drop-bindings.ts,
 * karac §3.6) by its path, `"local.field.field"`. After a partial move the local cannot be used as a
 * whole, nor the moved part (or anything inside it); its other fields still can, and assigning the
 * part restores it.
 */
type Moved = Map<number | string, Span>;

/** The path key of a field / tuple-element place rooted at a local, if it is one. */
function partKey(place: Node): { root: number; key: string } | undefined {
  const steps: number[] = [];
  let p = place;
  while (p.kind === "field" || p.kind === "tupleField") {
    steps.push(p.index as number);
    p = p.base as Node;
  }
  if (p.kind !== "local" || steps.length === 0) return undefined;
  return { root: p.local as number, key: [p.local as number, ...steps.reverse()].join(".") };
}

/** Is this field / tuple-element place rooted at a local (the places partKey names)? */
function rootedAtLocal(place: Node): boolean {
  let p = place;
  while (p.kind === "field" || p.kind === "tupleField") p = p.base as Node;
  return p.kind === "local";
}

/** A moved part that overlaps the part at `key` (the same, inside it, or around it). */
function overlappingPart(moved: Moved, key: string): Span | undefined {
  for (const [k, at] of moved) if (typeof k === "string" && (k === key || k.startsWith(key + ".") || key.startsWith(k + "."))) return at;
  return undefined;
}

/** A part moved out of `local`, if any. */
function movedPartOf(moved: Moved, local: number): Span | undefined {
  return overlappingPart(moved, String(local));
}

export function checkMoves(fn: TFunction, diags: DiagnosticBag): void {
  const reported = new Set<number>();
  let inLoopAgain = false;
  /** A use of local `id` as a whole, or (with `part`) of the part at that path. */
  const use = (id: number, span: Span, moved: Moved, part?: string): void => {
    const whole = moved.get(id);
    const at = whole ?? (part === undefined ? movedPartOf(moved, id) : overlappingPart(moved, part));
    if (!at || reported.has(id)) return;
    reported.add(id);
    const name = fn.locals[id].name;
    const what = whole || part !== undefined ? `use of moved value '${name}'` : `use of partially moved value '${name}'`;
    const msg = inLoopAgain ? `${what}: it was moved in a previous iteration of the loop` : what;
    diags.error(Codes.UseAfterMove, "ownership", msg, span, {
      notes: [`value moved at ${at.line}:${at.column}; copy it first (e.g. .clone()) if both are needed`],
    });
  };
  /** Forget the moves of local `id` and of its parts (it holds a new value). */
  const revive = (id: number, moved: Moved): void => {
    moved.delete(id);
    // Most bindings are made with nothing moved: no list of keys to copy then.
    if (moved.size === 0) return;
    for (const k of [...moved.keys()]) if (typeof k === "string" && k.startsWith(`${id}.`)) moved.delete(k);
  };
  /** Keeps the first move seen of each local (the earliest path's). */
  const join = (target: Moved, paths: Moved[]): void => {
    const all = paths.map((p) => [...p]);
    target.clear();
    for (const p of all) for (const [k, v] of p) if (!target.has(k)) target.set(k, v);
  };

  /** Loops: walk the body twice, so what the first iteration moves is gone in the next one. */
  const special = (o: Node, moved: Moved, walk: (x: unknown, s: Moved) => void): boolean => {
    if (o.kind === "field" || o.kind === "tupleField") {
      // With nothing moved no use conflicts: skip building the part's path key.
      if (moved.size === 0 && rootedAtLocal(o)) return true;
      // A use of a part: only the moves of the whole local and of overlapping parts conflict.
      const part = partKey(o);
      if (!part) return false;
      use(part.root, o.span as Span, moved, part.key);
      return true;
    }
    if (o.kind === "copy" && o.take === true) {
      const part = partKey((o.value as { place: Node }).place);
      if (!part) return false;
      use(part.root, o.span as Span, moved, part.key);
      moved.set(part.key, o.span as Span);
      return true;
    }
    if (o.kind !== "while" && o.kind !== "loop" && o.kind !== "for") return false;
    if (o.kind === "while") walk(o.cond, moved);
    if (o.kind === "for") walk(o.iter, moved);
    const body = o.body as TExpr;
    const first = new Map(moved);
    walk(body, first);
    if (!diverges(body)) {
      // Locals bound inside the body are fresh each iteration.
      const fresh = new Set(boundLocals(body));
      if (o.kind === "for") for (const id of boundLocals((o.iter as { variable: unknown }).variable)) fresh.add(id);
      const localOf = (k: number | string): number => (typeof k === "number" ? k : Number(k.split(".")[0]));
      const carried = new Map([...first].filter(([k]) => !fresh.has(localOf(k)) && !moved.has(k)));
      if (carried.size) {
        inLoopAgain = true;
        walk(body, new Map([...moved, ...carried]));
        inLoopAgain = false;
      }
    }
    for (const [k, v] of first) if (!moved.has(k)) moved.set(k, v);
    return true;
  };

  const walk = flowWalker<Moved>({
    copy: (s) => new Map(s),
    join,
    use: (kind, id, span, moved) => {
      use(id, span, moved);
      if (kind === "move") moved.set(id, span);
    },
    assigned: (place, moved, walk) => {
      if (place.kind === "local") return revive(place.local as number, moved);
      const part = partKey(place);
      if (!part) return walk(place, moved);
      // Assigning a moved part restores it; a part of a wholly moved value cannot be written.
      if (moved.has(part.root)) use(part.root, place.span as Span, moved);
      for (const k of [...moved.keys()]) if (typeof k === "string" && (k === part.key || k.startsWith(part.key + "."))) moved.delete(k);
    },
    letBound: (stmt, moved) => {
      for (const id of boundLocals(stmt.pattern)) revive(id, moved); // a fresh binding
    },
    captures: (node, captures, moved) => {
      for (const c of captures) use(c.outer, node.span as Span, moved);
    },
    armEntered: (match, arm, moved) => {
      // An arm whose pattern moves a part out of a local (check/drop-bindings.ts) moves the local.
      const scrut = match.scrutinee as { kind: string; place?: { kind: string; local?: number } };
      const root = scrut.kind === "read" && scrut.place?.kind === "local" ? scrut.place.local : undefined;
      if (root !== undefined && someNode(arm.pattern, (p) => p.kind === "bind" && p.take === true)) moved.set(root, match.span as Span);
    },
    special,
  });
  walk(fn.body, new Map());
}

/** Locals bound by patterns anywhere under `x` (let, match arms, for variables). */
function boundLocals(x: unknown): number[] {
  const out: number[] = [];
  eachNode(x, (o) => {
    if (o.kind === "bind" && typeof o.local === "number") out.push(o.local);
  });
  return out;
}

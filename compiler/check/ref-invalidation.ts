// A `ref` binding read after its source changed under it (E0288).
//
// `let r = ref v[i];` is a view of the element in place (check/ref-bindings.ts): codegen points `r`
// at the element's slot. A change of something that holds that slot — `v.push(x)` may move every
// element to a new buffer, `v.clear()` / `v.pop()` free them, `v = w` frees the whole old value, a
// `mut v` argument may do any of these — leaves the view pointing at memory the program no longer
// owns. So a read of `r` after such a change is an error. Writing the borrowed slot itself
// (`v[i] = y`) or something inside it changes the value in place, and the view shows the new value.
// A change after the last use of `r` is fine, and so is a change on a path that does not reach it.
//
// The walk is the ownership checks' forward flow walk (check/flow-walk.ts): the per-path state is
// the set of stale bindings, forked at branches and joined where paths meet; a loop body is walked
// again with what its first iteration made stale, so a change late in a loop is reported at a use
// early in the next iteration. A place is a local plus a path of field and "some element" steps
// (indices are not compared); a change of place Q strands a borrow of place P when Q's path is a
// strict prefix of P's: P lives inside the value Q holds, and that value is restructured.

import type { DiagnosticBag } from "../diagnostics.js";
import type { Span } from "../syntax/ast.js";
import { BUILTIN_REGISTRY } from "../tir/builtins.js";
import type { TExpr, TFunction } from "../tir/nodes.js";
import { Codes } from "./codes.js";
import { diverges, eachNode, flowWalker, type Node } from "./flow-walk.js";

/** A place rooted at a local: the local and the steps from it (`.0`, `#1` tuple element, `[]` any element). */
interface Rooted {
  root: number;
  path: string[];
}


/** The stale `ref` bindings on one path: binding → the change that made it stale. */
type Stale = Map<number, Span>;

function rooted(place: Node | undefined): Rooted | undefined {
  const steps: string[] = [];
  let p = place;
  while (p && (p.kind === "field" || p.kind === "tupleField" || p.kind === "index")) {
    steps.push(p.kind === "index" ? "[]" : `${p.kind === "field" ? "." : "#"}${p.index as number}`);
    p = p.base as Node;
  }
  if (!p || p.kind !== "local") return undefined;
  return { root: p.local as number, path: steps.reverse() };
}

/** Is `outer` a strict prefix of `inner` (the place `inner` lies inside the value at `outer`)? */
function strictlyInside(inner: string[], outer: string[]): boolean {
  if (outer.length >= inner.length) return false;
  for (let i = 0; i < outer.length; i++) if (outer[i] !== inner[i]) return false;
  return true;
}

export function checkRefInvalidation(fn: TFunction, diags: DiagnosticBag): void {
  const borrows = new Map<number, Rooted>();
  /** The `ref` bindings borrowing from each root local, so a change looks only at its own. */
  const byRoot = new Map<number, number[]>();
  const reported = new Set<number>();
  let inLoopAgain = false;

  /** The borrow a `let r = ref <place>;` makes, resolved through a `ref` binding it borrows from. */
  const borrowOf = (init: Node | undefined): Rooted | undefined => {
    if (!init || init.kind !== "read") return undefined;
    const r = rooted(init.place as Node);
    if (!r) return undefined;
    const via = borrows.get(r.root);
    return via ? { root: via.root, path: [...via.path, ...r.path] } : r;
  };

  /** A change of `place` at `span` that may restructure it: the bindings borrowing inside it are stale. */
  const changed = (place: Node | undefined, span: Span, s: Stale): void => {
    const r = rooted(place);
    if (!r) return;
    for (const id of byRoot.get(r.root) ?? []) if (strictlyInside(borrows.get(id)!.path, r.path)) s.set(id, span);
  };

  const use = (id: number, span: Span, s: Stale): void => {
    const at = s.get(id);
    if (!at || reported.has(id)) return;
    reported.add(id);
    const b = borrows.get(id)!;
    const name = fn.locals[id].name;
    const source = fn.locals[b.root].name;
    const when = inLoopAgain ? " in an earlier iteration of the loop" : ` at ${at.line}:${at.column}`;
    diags.error(
      Codes.RefUsedAfterSourceChanged,
      "ownership",
      `\`${name}\` borrows from \`${source}\`, which was changed${when} while the borrow was still in use; ` +
        `what \`${name}\` points at may have moved or been freed. Finish using \`${name}\` before changing \`${source}\`, or take a copy (\`.clone()\`) instead of a borrow`,
      span,
    );
  };

  const special = (o: Node, s: Stale, walk: (x: unknown, s: Stale) => void): boolean => {
    switch (o.kind) {
      case "builtin": {
        const recv = o.receiver as { kind: string; place?: Node; value?: unknown } | undefined;
        if (!recv || recv.kind !== "place" || !BUILTIN_REGISTRY.mutatesReceiver(o.op as string)) return false;
        walk(recv.place, s);
        walk(o.args, s);
        changed(recv.place, o.span as Span, s);
        return true;
      }
      case "call":
      case "providerCall": {
        const args = o.args as { mode?: string; place?: Node; value?: unknown }[];
        for (const a of args) walk(a.mode === "mutref" ? a.place : a.value, s);
        for (const a of args) if (a.mode === "mutref") changed(a.place, o.span as Span, s);
        return true;
      }
      case "compoundAssign":
        walk(o.value, s);
        walk(o.place, s);
        changed(o.place as Node, o.span as Span, s);
        return true;
      case "while":
      case "loop":
      case "for": {
        if (o.kind === "while") walk(o.cond, s);
        if (o.kind === "for") walk(o.iter, s);
        const body = o.body as TExpr;
        const first = new Map(s);
        walk(body, first);
        if (!diverges(body)) {
          const carried = new Map([...first].filter(([k]) => !s.has(k)));
          if (carried.size) {
            inLoopAgain = true;
            walk(body, new Map([...s, ...carried]));
            inLoopAgain = false;
          }
        }
        for (const [k, v] of first) if (!s.has(k)) s.set(k, v);
        return true;
      }
    }
    return false;
  };

  const walk = flowWalker<Stale>({
    copy: (s) => new Map(s),
    join: (target, paths) => {
      const all = paths.map((p) => [...p]);
      target.clear();
      for (const p of all) for (const [k, v] of p) if (!target.has(k)) target.set(k, v);
    },
    use: (_kind, id, span, s) => use(id, span, s),
    assigned: (place, s, walk) => {
      if (place.kind !== "local") walk(place, s);
      changed(place, place.span as Span, s);
    },
    letBound: (stmt, s) => {
      const p = stmt.pattern as Node;
      if (p.kind !== "bind" || typeof p.local !== "number") return;
      const l = fn.locals[p.local];
      s.delete(p.local); // a fresh binding on each pass through a loop
      if (l.kind !== "let" || l.mode !== "ref") return;
      const b = borrowOf(stmt.init as Node | undefined);
      if (b && !borrows.has(p.local)) {
        borrows.set(p.local, b);
        const ids = byRoot.get(b.root);
        if (ids) ids.push(p.local);
        else byRoot.set(b.root, [p.local]);
      }
    },
    captures: (node, captures, s) => {
      for (const c of captures) use(c.outer, node.span as Span, s);
    },
    special,
  });
  // Only bodies that bind a `ref` local can report anything.
  let hasRef = false;
  eachNode(fn.body, (o) => {
    if (o.kind === "bind" && typeof o.local === "number" && fn.locals[o.local]?.mode === "ref") hasRef = true;
    return hasRef;
  });
  if (hasRef) walk(fn.body, new Map());
}

// Fan-out of a proven disjoint-write loop, as a rewrite of the typed program:
//
//   for v in lo..hi { body }
//
// becomes
//
//   { let lo' = lo; let hi' = hi;
//     if 0 <= lo' && lo' < hi' && hi' < MAX {
//       par(reduce) { { chunk bounds 0; for v in start..end { body } }; ...  }
//     } else { for v in lo'..hi' { body } } }
//
// The chunks are the reduction chunks (reduce-lowering.ts) without a partial: each iteration only
// writes its own slots of the targets, so the chunks need nothing combined afterwards, and the
// slots hold exactly what the sequential loop leaves there. Targets are captured by reference.

import type { LocalId, TExpr, TFunction, TParBranch, TProgram, TStmt } from "../tir/nodes.js";
import { walkExpr } from "../tir/walk.js";
import type { FoundDisjointLoop } from "./disjoint-writes.js";
import { chunkBounds, chunkGuard, Emit } from "./reduce-lowering.js";
import { liftBranch } from "./transform.js";

/**
 * Chunks per loop. Iterations of an image row loop differ widely in cost (a Mandelbrot row through
 * the set against one outside it), so more chunks than workers let the pool even the load; the
 * chunks share one branch function, so their number costs no code.
 */
export const DISJOINT_CHUNKS = 16;

/** Can the proven loop be rewritten (its cost gate must also have said "fanout")? */
export function disjointLowerable(loop: TExpr): boolean {
  if (loop.kind !== "for") return false;
  const it = loop.iter;
  if (it.kind !== "range" || it.elem.kind !== "int" || it.reverse || it.step || it.variable.kind !== "bind") return false;
  let closure = false;
  walkExpr(loop.body as TExpr, {
    expr: (x) => {
      if (x.kind === "closure") closure = true;
    },
  });
  return !closure;
}

/** Rewrites the loop node in place (a node of `fn`, which belongs to the phase's own copy). */
export function lowerDisjointLoop(program: TProgram, fn: TFunction, d: FoundDisjointLoop, nameBase: string): void {
  const loop = d.loop;
  if (loop.kind !== "for") return;
  const it = loop.iter;
  if (it.kind !== "range" || it.elem.kind !== "int") return;
  const elem = it.elem;
  const e = new Emit(fn, loop.span);
  const lo = e.local("lo$", elem);
  const hi = e.local("hi$", elem);
  const original = structuredClone(loop);
  const written = new Set<LocalId>(d.targets);

  // One branch function for every chunk: the chunk's number is its only capture that differs.
  const chunkNo = e.local("chunk$", elem);
  const bounds = { lo, hi, n: e.local("n$", elem), start: e.local("start$", elem), end: e.local("end$", elem) };
  const chunkLoop: TExpr = {
    ...structuredClone(loop),
    iter: { ...structuredClone(it), lo: e.read(bounds.start), hi: e.read(bounds.end), inclusive: false },
  };
  const chunk: TStmt = {
    kind: "expr",
    expr: e.block([...chunkBounds(e, elem, it.inclusive, bounds, () => e.read(chunkNo), DISJOINT_CHUNKS), { kind: "expr", expr: chunkLoop, span: loop.span }]),
    span: loop.span,
  };
  const shared = liftBranch(program, fn, [chunk], `${nameBase}$chunk`, written, []);
  const numbers: TStmt[] = [];
  const branches: TParBranch[] = [];
  for (let k = 0; k < DISJOINT_CHUNKS; k++) {
    const kLocal = e.local(`chunk${k}$`, elem);
    numbers.push(e.let(kLocal, e.int(elem, BigInt(k))));
    branches.push({ ...shared, captures: shared.captures.map((c) => (c.outer === chunkNo ? { ...c, outer: kLocal } : { ...c })) });
  }
  const par: TExpr = { kind: "par", branches, hoisted: [], origin: "reduce", type: { kind: "unit" }, span: loop.span };
  const fallback: TExpr = { ...original, iter: { ...(original.iter as typeof it), lo: e.read(lo), hi: e.read(hi) } };
  const rewritten = e.block([
    e.let(lo, it.lo),
    e.let(hi, it.hi),
    {
      kind: "expr",
      expr: e.ifElse(chunkGuard(e, elem, it.inclusive, lo, hi), e.block([...numbers, { kind: "expr", expr: par, span: loop.span }]), e.block([{ kind: "expr", expr: fallback, span: loop.span }])),
      span: loop.span,
    },
  ]);
  const target = loop as unknown as Record<string, unknown>;
  for (const key of Object.keys(target)) delete target[key];
  Object.assign(target, rewritten);
}

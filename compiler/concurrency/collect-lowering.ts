// Fan-out of an order-free collect loop, as a rewrite of the typed program:
//
//   #[par_order_free] for v in lo..hi { .. acc.push(x) .. }
//
// becomes
//
//   { let lo' = lo; let hi' = hi;
//     if 0 <= lo' && lo' < hi' && hi' < MAX {
//       par(reduce) { let p0 = { chunk bounds 0; let mut buf = Vec.new(); for v in start..end { ..buf.push(x).. }; buf }; ... }
//       acc.extend(p0); acc.extend(p1); ...
//     } else { for v in lo'..hi' { .. acc.push(x) .. } } }
//
// Chunks are contiguous and in order and each keeps its iterations' pushes in order, so appending
// the buffers in chunk order leaves `acc` exactly as the sequential loop would. A tabulate (one
// unconditional push per iteration) sizes each chunk's buffer for its iteration count up front,
// so no chunk regrows its buffer. As with disjoint writes, all chunks share one branch function
// that differs only in its captured chunk number and the slot its buffer goes to.

import type { LocalId, TExpr, TFunction, TParBranch, TPlace, TProgram, TStmt } from "../tir/nodes.js";
import { walkExpr } from "../tir/walk.js";
import type { FoundCollect } from "./collect-loops.js";
import { DISJOINT_CHUNKS } from "./disjoint-lowering.js";
import { chunkBounds, chunkGuard, Emit } from "./reduce-lowering.js";
import { liftBranch } from "./transform.js";

/** Chunks per loop: the disjoint-write count, for the same reason (iterations of uneven cost). */
export const COLLECT_CHUNKS = DISJOINT_CHUNKS;

/** Can the recognised loop be rewritten (its cost gate must also have said "fanout")? */
export function collectLowerable(c: FoundCollect): boolean {
  const it = c.loop.iter;
  return it.kind === "range" && it.elem.kind === "int" && !it.reverse && !it.step && (it.variable.kind === "bind" || it.variable.kind === "wild");
}

/** Rewrites the loop node in place (a node of `fn`, which belongs to the phase's own copy). */
export function lowerCollectLoop(program: TProgram, fn: TFunction, c: FoundCollect, nameBase: string): void {
  const loop = c.loop;
  const it = loop.iter;
  if (it.kind !== "range" || it.elem.kind !== "int") return;
  const elem = it.elem;
  const e = new Emit(fn, loop.span);
  const span = loop.span;
  const vecType = c.vecType;
  const accPlace = findAccPlace(loop.body as TExpr, c.acc);
  if (!accPlace) throw new Error("collect loop without a push into its accumulator");
  const lo = e.local("lo$", elem);
  const hi = e.local("hi$", elem);
  const original = structuredClone(loop);

  // The chunk statement, lifted once: `let part = { bounds; let mut buf = ..; for ..; buf }`.
  const chunkNo = e.local("chunk$", elem);
  const bounds = { lo, hi, n: e.local("n$", elem), start: e.local("start$", elem), end: e.local("end$", elem) };
  const buf = ownedLocal(fn, e.local("buf$", vecType, true));
  const part = ownedLocal(fn, e.local("part$", vecType));
  const body = structuredClone(loop.body);
  walkExpr(body as TExpr, {
    place: (p) => {
      if (p.kind === "local" && p.local === c.acc) p.local = buf;
    },
  });
  const chunkLoop: TExpr = { ...structuredClone(loop), iter: { ...structuredClone(it), lo: e.read(bounds.start), hi: e.read(bounds.end), inclusive: false }, body };
  delete (chunkLoop as { attrs?: unknown }).attrs;
  const i64 = { kind: "int", name: "i64", bits: 64, signed: true } as const;
  let count: TExpr = e.bin("-", e.read(bounds.end), e.read(bounds.start));
  if (elem.name !== "i64") count = { kind: "cast", value: count, from: elem, to: i64, type: i64, span };
  const fresh: TExpr = c.tabulate
    ? { kind: "builtin", op: "vec.with_capacity", args: [count], typeArgs: [c.elem], type: vecType, span }
    : { kind: "builtin", op: "vec.new", args: [], typeArgs: [c.elem], type: vecType, span };
  const chunkValue: TExpr = {
    ...e.block([...chunkBounds(e, elem, it.inclusive, bounds, () => e.read(chunkNo), COLLECT_CHUNKS), e.let(buf, fresh), { kind: "expr", expr: chunkLoop, span }], { kind: "move", local: buf, type: vecType, span }),
    drops: [buf],
  };
  const hoisted: LocalId[] = [];
  const shared = liftBranch(program, fn, [e.let(part, chunkValue)], `${nameBase}$chunk`, new Set(), hoisted);

  // One branch per chunk: its own chunk number and its own slot for the buffer.
  const numbers: TStmt[] = [];
  const parts: LocalId[] = [];
  const branches: TParBranch[] = [];
  for (let k = 0; k < COLLECT_CHUNKS; k++) {
    const kLocal = e.local(`chunk${k}$`, elem);
    const pLocal = ownedLocal(fn, e.local(`part${k}$`, vecType));
    fn.locals[pLocal].addressTaken = true;
    numbers.push(e.let(kLocal, e.int(elem, BigInt(k))));
    parts.push(pLocal);
    branches.push({
      ...shared,
      captures: shared.captures.map((cap) => (cap.outer === chunkNo ? { ...cap, outer: kLocal } : cap.outer === part ? { ...cap, outer: pLocal } : { ...cap })),
    });
  }
  const par: TExpr = { kind: "par", branches, hoisted: parts, origin: "reduce", type: { kind: "unit" }, span };
  const appends: TStmt[] = parts.map((p) => ({
    kind: "expr",
    expr: { kind: "builtin", op: "vec.extend", receiver: { kind: "place", place: structuredClone(accPlace) }, args: [{ kind: "move", local: p, type: vecType, span }], typeArgs: [c.elem], type: { kind: "unit" }, span },
    span,
  }));
  const fanned: TExpr & { kind: "block" } = { ...e.block([...numbers, { kind: "expr", expr: par, span }, ...appends]), drops: parts };
  const fallback: TExpr = { ...original, iter: { ...(original.iter as typeof it), lo: e.read(lo), hi: e.read(hi) } };
  const rewritten = e.block([
    e.let(lo, it.lo),
    e.let(hi, it.hi),
    { kind: "expr", expr: e.ifElse(chunkGuard(e, elem, it.inclusive, lo, hi), fanned, e.block([{ kind: "expr", expr: fallback, span }])), span },
  ]);
  const target = loop as unknown as Record<string, unknown>;
  for (const key of Object.keys(target)) delete target[key];
  Object.assign(target, rewritten);
}

function ownedLocal(fn: TFunction, id: LocalId): LocalId {
  fn.locals[id].owned = true;
  return id;
}

/** The receiver place of a push into `acc` (its type and span serve the appends). */
function findAccPlace(body: TExpr, acc: LocalId): TPlace | undefined {
  let found: TPlace | undefined;
  walkExpr(body, {
    expr: (x) => {
      if (!found && x.kind === "builtin" && x.op === "vec.push" && x.receiver?.kind === "place" && x.receiver.place.kind === "local" && x.receiver.place.local === acc) found = x.receiver.place;
    },
  });
  return found;
}

// Fan-out of a loop reduction, as a rewrite of the typed program:
//
//   for v in lo..hi { body(acc) }
//
// becomes
//
//   { let lo' = lo; let hi' = hi;
//     if 0 <= lo' && lo' < hi' && hi' < MAX {
//       par(reduce) { let p0 = { let mut part = IDENTITY; for v in chunk(0) { body(part) }; part }; ... }
//       acc = acc op p0; acc = acc op p1; ...
//     } else { for v in lo'..hi' { body(acc) } } }
//
// Chunks are contiguous and in order, and the partials are combined in chunk order, so the
// result is what the sequential loop computes (the operators are associative). The guard keeps
// the chunk arithmetic free of overflow; any other range runs the original loop.

import type { BinOp, LocalId, TExpr, TFunction, TLocal, TProgram, TStmt, Type } from "../tir/nodes.js";
import type { FoundReduction } from "./reductions.js";
import { liftBranch } from "./transform.js";
import { walkExpr } from "../tir/walk.js";

/** Chunks per loop: enough to keep a typical pool busy when chunks take uneven time. */
export const REDUCE_CHUNKS = 8;

export type IntType = Extract<Type, { kind: "int" }>;
const BOOL: Type = { kind: "bool" };
const UNIT: Type = { kind: "unit" };

/** Can this reduction be rewritten? (Its gate must also have said "fanout".) */
export function lowerable(fn: TFunction, r: FoundReduction): boolean {
  const it = r.loop.iter;
  if (it.kind !== "range" || it.elem.kind !== "int" || it.reverse || it.step) return false;
  if (it.variable.kind !== "bind" && it.variable.kind !== "wild") return false;
  const acc = fn.locals[r.acc];
  if (acc.type.kind !== "int" || acc.kind !== "let" || acc.mode !== "owned") return false;
  // A closure in the body could capture (and later write) outer bindings by reference.
  let closure = false;
  walkExpr(r.loop.body as TExpr, {
    expr: (x) => {
      if (x.kind === "closure") closure = true;
    },
  });
  return !closure;
}

export class Emit {
  constructor(
    readonly fn: TFunction,
    readonly span: TExpr["span"],
  ) {}

  local(name: string, type: Type, mut = false): LocalId {
    const id = this.fn.locals.length;
    const l: TLocal = { id, name, type, kind: "let", mut, mode: "owned", addressTaken: false, owned: false, span: this.span };
    this.fn.locals.push(l);
    return id;
  }
  int(t: IntType, v: bigint): TExpr {
    return { kind: "int", value: v, type: t, span: this.span };
  }
  read(id: LocalId): TExpr {
    const type = this.fn.locals[id].type;
    return { kind: "read", place: { kind: "local", local: id, type, span: this.span }, type, span: this.span };
  }
  bin(op: BinOp, l: TExpr, r: TExpr): TExpr {
    const cmp = op === "==" || op === "!=" || op === "<" || op === "<=" || op === ">" || op === ">=";
    return { kind: "binary", op, left: l, right: r, operand: l.type, type: cmp ? BOOL : l.type, span: this.span };
  }
  and(l: TExpr, r: TExpr): TExpr {
    return { kind: "logical", op: "and", left: l, right: r, type: BOOL, span: this.span };
  }
  builtin(op: "min" | "max" | "int.MAX" | "int.MIN", t: IntType, args: TExpr[]): TExpr {
    return { kind: "builtin", op, args, typeArgs: [t], type: t, span: this.span };
  }
  let(id: LocalId, init: TExpr): TStmt {
    const type = this.fn.locals[id].type;
    return { kind: "let", pattern: { kind: "bind", local: id, type, span: this.span }, init, span: this.span };
  }
  assign(id: LocalId, value: TExpr): TStmt {
    const type = this.fn.locals[id].type;
    return { kind: "assign", place: { kind: "local", local: id, type, span: this.span }, value, span: this.span };
  }
  block(stmts: TStmt[], tail?: TExpr): TExpr & { kind: "block" } {
    return { kind: "block", stmts, tail, drops: [], type: tail ? tail.type : UNIT, span: this.span };
  }
  ifElse(cond: TExpr, then: TExpr & { kind: "block" }, other: TExpr): TExpr {
    return { kind: "if", cond, then, else: other, type: UNIT, span: this.span };
  }
}

/**
 * `let n = count; let start = …; let end = …;` for chunk k of `chunks` over lo..hi (..=hi when
 * inclusive): contiguous, in order, sizes differing by at most one.
 */
export function chunkBounds(
  e: Emit,
  elem: IntType,
  inclusive: boolean,
  l: { lo: LocalId; hi: LocalId; n: LocalId; start: LocalId; end: LocalId },
  k: () => TExpr,
  chunks: number,
): TStmt[] {
  const K = BigInt(chunks);
  const count = inclusive ? e.bin("+", e.bin("-", e.read(l.hi), e.read(l.lo)), e.int(elem, 1n)) : e.bin("-", e.read(l.hi), e.read(l.lo));
  // start = lo + (n / K) * k + min(k, n % K);  end = start + n / K + (k < n % K ? 1 : 0)
  const q = () => e.bin("/", e.read(l.n), e.int(elem, K));
  const rem = () => e.bin("%", e.read(l.n), e.int(elem, K));
  const startV = e.bin("+", e.bin("+", e.read(l.lo), e.bin("*", q(), k())), e.builtin("min", elem, [k(), rem()]));
  const extra: TExpr = {
    kind: "if",
    cond: e.bin("<", k(), rem()),
    then: e.block([], e.int(elem, 1n)),
    else: e.block([], e.int(elem, 0n)),
    type: elem,
    span: e.span,
  };
  const endV = e.bin("+", e.bin("+", e.read(l.start), q()), extra);
  return [e.let(l.n, count), e.let(l.start, startV), e.let(l.end, endV)];
}

/** The guard under which chunk arithmetic cannot overflow: non-negative, non-empty, an inclusive end with a successor. */
export function chunkGuard(e: Emit, elem: IntType, inclusive: boolean, lo: LocalId, hi: LocalId): TExpr {
  const max = e.builtin("int.MAX", elem, []);
  return e.and(e.and(e.bin("<=", e.int(elem, 0n), e.read(lo)), e.bin(inclusive ? "<=" : "<", e.read(lo), e.read(hi))), e.bin("<", e.read(hi), max));
}

function identity(e: Emit, op: string, t: IntType): TExpr {
  switch (op) {
    case "*":
      return e.int(t, 1n);
    case "&":
      return t.signed ? e.int(t, -1n) : e.builtin("int.MAX", t, []);
    case "min":
      return e.builtin("int.MAX", t, []);
    case "max":
      return e.builtin("int.MIN", t, []);
    default:
      return e.int(t, 0n); // + | ^
  }
}

/** `acc = acc op part`, written as the loop's own update so an overflow panics at the same place. */
function combine(e: Emit, r: FoundReduction, t: IntType, part: TExpr): TStmt {
  const op = r.report.op;
  const site = r.site ? structuredClone(r.site) : undefined;
  if (site?.kind === "compoundAssign") {
    site.value = part;
    return site;
  }
  if (site?.kind === "assign" && site.value.kind === "binary") {
    const v = site.value;
    const accOnLeft = isAccRead(v.left, r.acc);
    if (accOnLeft) v.right = part;
    else v.left = part;
    return site;
  }
  const value = op === "min" || op === "max" ? e.builtin(op, t, [e.read(r.acc), part]) : e.bin(op as BinOp, e.read(r.acc), part);
  return e.assign(r.acc, value);
}

function isAccRead(x: TExpr, acc: LocalId): boolean {
  let y = x;
  while (y.kind === "coerce" || y.kind === "copy") y = y.value;
  return y.kind === "read" && y.place.kind === "local" && y.place.local === acc;
}

/** Replaces every use of local `from` in an expression tree by local `to`. */
function renameLocal(x: TExpr, from: LocalId, to: LocalId): void {
  walkExpr(x, {
    place: (p) => {
      if (p.kind === "local" && p.local === from) p.local = to;
    },
  });
}

/**
 * Rewrites the reduction's `for` node in place (it is a node of `fn`, which belongs to `program`,
 * the phase's own copy).
 */
export function lowerReduction(program: TProgram, fn: TFunction, r: FoundReduction, nameBase: string): void {
  const loop = r.loop;
  const it = loop.iter;
  if (it.kind !== "range" || it.elem.kind !== "int") return;
  const elem = it.elem;
  const accT = fn.locals[r.acc].type as IntType;
  const e = new Emit(fn, loop.span);
  const op = opOf(r);

  const lo = e.local("lo$", elem);
  const hi = e.local("hi$", elem);
  const original = structuredClone(loop);

  // Per chunk: a statement of `fn` that the lifting moves into its own branch.
  const hoisted: LocalId[] = [];
  const branches = [];
  for (let k = 0; k < REDUCE_CHUNKS; k++) {
    const n = e.local("n$", elem);
    const start = e.local("start$", elem);
    const end = e.local("end$", elem);
    const part = e.local("part$", accT, true);
    const p = e.local(`p${k}$`, accT);
    const body = structuredClone(loop.body);
    renameLocal(body as TExpr, r.acc, part);
    const chunkLoop: TExpr = {
      ...structuredClone(loop),
      iter: { ...structuredClone(it), lo: e.read(start), hi: e.read(end), inclusive: false },
      body,
    };
    const chunk: TStmt = e.let(
      p,
      e.block(
        [...chunkBounds(e, elem, it.inclusive, { lo, hi, n, start, end }, () => e.int(elem, BigInt(k)), REDUCE_CHUNKS), e.let(part, identity(e, op, accT)), { kind: "expr", expr: chunkLoop, span: loop.span }],
        e.read(part),
      ),
    );
    branches.push(liftBranch(program, fn, [chunk], `${nameBase}$reduce${k + 1}`, new Set(), hoisted));
  }
  const par: TExpr = { kind: "par", branches, hoisted, origin: "reduce", type: UNIT, span: loop.span };
  const combines = hoisted.map((p) => combine(e, r, accT, e.read(p)));

  // The guard: non-negative, non-empty, and an inclusive end that has a successor.
  const guard = chunkGuard(e, elem, it.inclusive, lo, hi);
  const fallback: TExpr = { ...original, iter: { ...(original.iter as typeof it), lo: e.read(lo), hi: e.read(hi) } };
  const rewritten = e.block(
    [
      e.let(lo, it.lo),
      e.let(hi, it.hi),
      {
        kind: "expr",
        expr: e.ifElse(guard, e.block([{ kind: "expr", expr: par, span: loop.span }, ...combines]), e.block([{ kind: "expr", expr: fallback, span: loop.span }])),
        span: loop.span,
      },
    ],
  );
  // Replace the loop node's contents in place, so every reference to it sees the rewrite.
  const target = loop as unknown as Record<string, unknown>;
  for (const key of Object.keys(target)) delete target[key];
  Object.assign(target, rewritten);
}

function opOf(r: FoundReduction): string {
  return r.report.op;
}

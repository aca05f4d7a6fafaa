// Disjoint indexed-write loops: `for v in lo..hi` whose iterations write `out[affine index]` of
// collections declared outside the loop. The proof shows that iteration v writes each target only
// inside [base + v*stride, base + (v+1)*stride); then no two iterations touch the same slot and
// the loop can run as contiguous chunks on the pool. When the proof fails, the loop is reported
// with the tag of the obligation that failed (karac's tags).

import type { EffectsResult } from "../effects/index.js";
import { effectsOfExpr } from "../effects/index.js";
import type { FnId, LocalId, TBlock, TExpr, TFunction, TPlace, TProgram, TStmt } from "../tir/nodes.js";
import { walkExpr } from "../tir/walk.js";
import { Affine, OverflowError, Poly } from "./affine.js";
import type { CostModel } from "./cost.js";
import { hasInteriorMutability, isInert, placeRoot } from "./facts.js";
import { declaredInside, visitLoops } from "./loop-sites.js";
import { costGate } from "./reductions.js";

export interface DisjointTarget {
  name: string;
  stride: string;
  base: string;
  writes: number;
}

/** One entry of `disjoint_write_loops`, karac's keys in karac's order. */
export interface DisjointWriteLoop {
  statement: number;
  loop_line: number;
  loop_var: string;
  disjoint_writes: boolean;
  gate: string;
  fanned_out: boolean;
  cost_gate: string;
  targets: DisjointTarget[];
  reason: string;
}

export interface FoundDisjointLoop {
  report: DisjointWriteLoop;
  /** A `while` or `loop` only when declined as `unsupported_loop_form`. */
  loop: TExpr & { kind: "for" | "while" | "loop" };
  /** The outer collections written (captured by reference by the chunks). */
  targets: LocalId[];
}

export const DECLINE_REASONS: Record<string, string> = {
  unsupported_loop_form: "only `for v in lo..hi` over an integer range has a per-iteration footprint",
  no_indexed_write: "the body writes no collection declared outside the loop at an index",
  complex_write_target: "the written place is not a plain `name[index]` (nested indexing or a field path)",
  unsupported_target_type: "the written collection is a map, whose slots are placed by hash",
  indirect_index: "the index reads another collection, so no static bound exists",
  non_affine_index: "the index is not linear in the loop variables (a product of variables, `/`, `%`, a call, …)",
  index_not_invariant: "the index names a binding that is neither a loop variable nor unchanged by the loop",
  invariant_write_slot: "the index does not depend on the loop variable: every iteration writes the same slot",
  unbounded_inner_loop: "an inner loop-varying name in the index has no loop-invariant range",
  coefficient_sign_unknown: "a stride in the index could not be shown positive",
  stride_mismatch: "two writes to one collection imply different per-iteration ranges",
  footprint_overlap: "the index range of one iteration is not provably shorter than the stride",
  reads_written_target: "the body reads a collection it also writes (a possible cross-iteration dependency)",
  other_outer_write: "the body writes state declared outside the loop other than through the proven indexed writes",
  opaque_body_construct: "the body contains a construct the proof does not model (closure, `par`, `lock`, call of a function value)",
  early_exit: "the body can leave the loop early (`return`, or a `break` or `continue` of an enclosing loop)",
  symbolic_overflow: "the index arithmetic exceeds the symbolic model",
  not_cross_task_safe: "the body touches a value whose sharing is not safe across tasks",
  shares_outer_mut_borrow: "the body passes an outer binding to a callee by `mut ref`, which mutates it out of sight",
  body_emits_output: "the body prints (directly or through a callee), and chunks run without output capture",
  body_has_effects: "the body performs resource effects, which iterations would perform out of order",
};

class Decline extends Error {
  constructor(readonly tag: string) {
    super(tag);
  }
}

const isPrint = (e: TExpr): boolean =>
  (e.kind === "builtin" && (e.op === "print" || e.op === "println" || e.op === "eprintln" || e.op === "dbg")) || (e.kind === "providerCall" && e.output !== undefined);

/** Does a function print, directly or through a callee (function values count as unknown → yes)? */
export class OutputScan {
  private memo = new Map<FnId, boolean>();
  constructor(private readonly program: TProgram) {}

  expr(e: TExpr): boolean {
    let found = false;
    walkExpr(e, {
      expr: (x) => {
        if (found) return false;
        if (isPrint(x) || x.kind === "callValue") found = true;
        else if (x.kind === "call" && this.fn(x.fn)) found = true;
        else if (x.kind === "closure" && this.fn(x.fn)) found = true;
        else if (x.kind === "par") for (const b of x.branches) if (this.fn(b.fn)) found = true;
      },
    });
    return found;
  }
  fn(id: FnId): boolean {
    const known = this.memo.get(id);
    if (known !== undefined) return known;
    this.memo.set(id, false); // recursion: the cycle's other members decide
    const f = this.program.functions[id];
    const r = f ? this.expr(f.body as TExpr) : true;
    this.memo.set(id, r);
    return r;
  }
}

function strip(e: TExpr): TExpr {
  let x = e;
  while (x.kind === "coerce" || (x.kind === "cast" && x.to.kind === "int" && x.from.kind === "int")) x = x.value;
  return x;
}

interface IvBound {
  lo: Poly;
  hi: Poly;
}

interface Write {
  target: LocalId;
  index: Affine;
  /** Bounds of the inner induction variables in scope at the write. */
  ivs: Map<LocalId, IvBound | undefined>;
  /** Atoms known ≥ 1 at the write (upper bounds of enclosing inner loops that start at ≥ 0). */
  positive: Set<LocalId>;
}

/** The proof for one loop: the footprints per target, or throws a Decline. */
class Prover {
  readonly inner: Set<LocalId>;
  readonly mutated = new Set<LocalId>();
  readonly writes: Write[] = [];
  private forms = new Map<LocalId, Affine | undefined>();

  constructor(
    readonly fn: TFunction,
    readonly loopVar: LocalId,
    readonly body: TBlock,
  ) {
    this.inner = declaredInside(body);
    this.inner.add(loopVar);
    walkExpr(body as TExpr, {
      place: (p, access) => {
        if (access === "read" || p.kind !== "local") return;
        this.mutated.add(p.local);
      },
    });
  }

  invariantLocal(id: LocalId): boolean {
    return !this.inner.has(id) && !this.mutated.has(id);
  }

  form(e: TExpr, ivs: Map<LocalId, IvBound | undefined>): Affine {
    const x = strip(e);
    switch (x.kind) {
      case "int":
        return Affine.constant(Poly.constant(x.value));
      case "read": {
        const p = x.place;
        if (p.kind === "index") throw new Decline("indirect_index");
        if (p.kind !== "local") throw new Decline("non_affine_index");
        if (p.local === this.loopVar || ivs.has(p.local)) return Affine.variable(p.local);
        if (this.forms.has(p.local)) {
          const f = this.forms.get(p.local);
          if (!f) throw new Decline(this.mutated.has(p.local) ? "unbounded_inner_loop" : "index_not_invariant");
          return f;
        }
        if (this.invariantLocal(p.local) && this.fn.locals[p.local].type.kind === "int") return Affine.constant(Poly.atom(p.local));
        throw new Decline(this.mutated.has(p.local) ? "unbounded_inner_loop" : "index_not_invariant");
      }
      case "unary":
        if (x.op === "neg") return this.form(x.operand, ivs).neg();
        throw new Decline("non_affine_index");
      case "binary": {
        if (x.op === "+" || x.op === "-") {
          const l = this.form(x.left, ivs);
          const r = this.form(x.right, ivs);
          return x.op === "+" ? l.add(r) : l.add(r.neg());
        }
        if (x.op === "*") {
          const l = this.form(x.left, ivs);
          const r = this.form(x.right, ivs);
          if (l.invariant()) return r.scale(l.konst);
          if (r.invariant()) return l.scale(r.konst);
          throw new Decline("non_affine_index");
        }
        throw new Decline("non_affine_index");
      }
      default: {
        let indirect = false;
        walkExpr(x, {
          place: (p) => {
            if (p.kind === "index") indirect = true;
          },
        });
        throw new Decline(indirect ? "indirect_index" : "non_affine_index");
      }
    }
  }

  /** Walks the body in order, tracking induction variables and body-local index forms. */
  run(): void {
    this.block(this.body, new Map(), new Set());
  }

  private block(b: TBlock, ivs: Map<LocalId, IvBound | undefined>, positive: Set<LocalId>): void {
    for (const s of b.stmts) this.stmt(s, ivs, positive);
    if (b.tail) this.expr(b.tail, ivs, positive);
  }

  private stmt(s: TStmt, ivs: Map<LocalId, IvBound | undefined>, positive: Set<LocalId>): void {
    switch (s.kind) {
      case "let":
        if (s.init) this.expr(s.init, ivs, positive);
        if (s.pattern.kind === "bind") {
          const l = this.fn.locals[s.pattern.local];
          let f: Affine | undefined;
          if (s.init && !this.mutated.has(l.id) && l.type.kind === "int") {
            try {
              f = this.form(s.init, ivs);
            } catch (err) {
              if (!(err instanceof Decline)) throw err;
            }
          }
          this.forms.set(l.id, f);
        }
        return;
      case "assign":
      case "compoundAssign":
        this.write(s.place, ivs, positive);
        this.expr(s.value, ivs, positive);
        return;
      case "expr":
        this.expr(s.expr, ivs, positive);
        return;
    }
  }

  private write(p: TPlace, ivs: Map<LocalId, IvBound | undefined>, positive: Set<LocalId>): void {
    const root = placeRoot(p);
    if (root.local !== undefined && this.inner.has(root.local)) return; // private to the iteration
    if (p.kind !== "index") return; // other outer writes are declined by the body scan
    if (p.base.kind !== "local") throw new Decline("complex_write_target");
    if (p.coll === "map") throw new Decline("unsupported_target_type");
    this.writes.push({ target: p.base.local, index: this.form(p.index, ivs), ivs: new Map(ivs), positive: new Set(positive) });
  }

  private expr(e: TExpr, ivs: Map<LocalId, IvBound | undefined>, positive: Set<LocalId>): void {
    walkExpr(e, {
      expr: (x) => {
        if (x.kind === "block") {
          this.block(x, ivs, positive);
          return false;
        }
        if (x.kind === "for") {
          this.forLoop(x, ivs, positive);
          return false;
        }
        return true;
      },
    });
  }

  private forLoop(e: TExpr & { kind: "for" }, ivs: Map<LocalId, IvBound | undefined>, positive: Set<LocalId>): void {
    const it = e.iter;
    const inner = new Map(ivs);
    const pos = new Set(positive);
    if (it.kind === "range") {
      this.expr(it.lo, ivs, positive);
      this.expr(it.hi, ivs, positive);
      let bound: IvBound | undefined;
      try {
        const lo = this.form(it.lo, ivs);
        const hi = this.form(it.hi, ivs);
        if (lo.invariant() && hi.invariant() && !it.step && !it.reverse) {
          // Inclusive ranges walk lo..hi+1.
          bound = { lo: lo.konst, hi: it.inclusive ? hi.konst.add(Poly.constant(1n)) : hi.konst };
          // Inside `for x in c..w` with c ≥ 0 constant, w ≥ 1 for the body to run at all.
          const c = lo.konst.asConstant();
          const w = hi.konst;
          const atoms = [...w.terms.keys()];
          if (c !== undefined && c >= 0n && !it.inclusive && atoms.length === 1 && w.terms.get(atoms[0]) === 1n && !atoms[0].includes(",") && atoms[0] !== "") {
            pos.add(Number(atoms[0]));
          }
        }
      } catch (err) {
        if (!(err instanceof Decline)) throw err;
      }
      if (it.variable.kind === "bind") inner.set(it.variable.local, bound);
    } else {
      if ("variable" in it && it.variable.kind === "bind") inner.set(it.variable.local, undefined);
    }
    this.block(e.body, inner, pos);
  }
}

interface Footprint {
  stride: Poly;
  base: Poly;
  writes: number;
}

/** Extent (max offset + 1) of the inner-variable part of a write, or a Decline. */
function footprintOf(w: Write, loopVar: LocalId): { stride: Poly; low: Poly; extent: Poly } {
  const stride = w.index.vars.get(loopVar);
  if (!stride) throw new Decline("invariant_write_slot");
  if (!stride.isPositive(w.positive)) throw new Decline("coefficient_sign_unknown");
  let low = w.index.konst;
  const terms: { c: Poly; n: Poly }[] = [];
  for (const [v, c] of w.index.vars) {
    if (v === loopVar) continue;
    const b = w.ivs.get(v);
    if (!b) throw new Decline("unbounded_inner_loop");
    if (!c.isPositive(w.positive)) throw new Decline("coefficient_sign_unknown");
    low = low.add(c.mul(b.lo));
    terms.push({ c, n: b.hi.sub(b.lo) });
  }
  // Mixed radix: each inner variable's coefficient must step over everything below it.
  let extent = Poly.constant(1n);
  while (terms.length) {
    let pick = terms.findIndex((t) => t.c.equals(extent));
    if (pick < 0) {
      const e = extent.asConstant();
      let best: bigint | undefined;
      terms.forEach((t, i) => {
        const c = t.c.asConstant();
        if (e !== undefined && c !== undefined && c >= e && (best === undefined || c < best)) {
          best = c;
          pick = i;
        }
      });
    }
    if (pick < 0) throw new Decline("footprint_overlap");
    const [t] = terms.splice(pick, 1);
    extent = extent.add(t.c.mul(t.n)).sub(t.c);
  }
  return { stride, low, extent };
}

/** Is `a ≤ b` for every admissible value (b − a a non-negative constant)? */
function provablyLe(a: Poly, b: Poly): boolean {
  const d = b.sub(a).asConstant();
  return d !== undefined && d >= 0n;
}

function proveTargets(prover: Prover, loopVar: LocalId): Map<LocalId, Footprint> {
  const by = new Map<LocalId, { stride: Poly; low: Poly; extent: Poly }[]>();
  for (const w of prover.writes) {
    const f = footprintOf(w, loopVar);
    const list = by.get(w.target) ?? [];
    list.push(f);
    by.set(w.target, list);
  }
  const out = new Map<LocalId, Footprint>();
  for (const [target, list] of by) {
    const stride = list[0].stride;
    if (list.some((f) => !f.stride.equals(stride))) throw new Decline("stride_mismatch");
    // Offsets of the writes relative to the first must be constants, so they can be ordered.
    const rel = list.map((f) => f.low.sub(list[0].low).asConstant());
    if (rel.some((r) => r === undefined)) throw new Decline("stride_mismatch");
    const min = rel.reduce((m, r) => (r! < m! ? r : m), rel[0])!;
    const base = list[0].low.add(Poly.constant(min));
    for (let i = 0; i < list.length; i++) {
      const end = Poly.constant(rel[i]! - min).add(list[i].extent);
      if (!provablyLe(end, stride)) throw new Decline("footprint_overlap");
    }
    out.set(target, { stride, base, writes: list.length });
  }
  return out;
}

/** The body-wide obligations: no early exits, opaque constructs, other outer writes, output or effects. */
function scanBody(program: TProgram, effects: EffectsResult, fn: TFunction, loop: TExpr & { kind: "for" }, prover: Prover, output: OutputScan): void {
  const body = loop.body;
  const inner = prover.inner;
  const loopIds = new Set<number>([loop.loopId]);
  walkExpr(body as TExpr, {
    expr: (x) => {
      if (x.kind === "for" || x.kind === "while" || x.kind === "loop") loopIds.add(x.loopId);
      if (x.kind === "block" && x.labelId !== undefined) loopIds.add(x.labelId);
    },
  });
  const fail = (tag: string): never => {
    throw new Decline(tag);
  };
  walkExpr(body as TExpr, {
    expr: (x) => {
      if (x.kind === "return" || x.kind === "try") fail("early_exit");
      if ((x.kind === "break" || x.kind === "continue") && (x.target === loop.loopId ? x.kind === "break" : !loopIds.has(x.target))) fail("early_exit");
      if (x.kind === "closure" || x.kind === "par" || x.kind === "lock" || x.kind === "callValue" || x.kind === "defer") fail("opaque_body_construct");
      if (x.kind === "block" && x.seq) fail("opaque_body_construct");
    },
    place: (p, access) => {
      const root = placeRoot(p);
      if (root.global !== undefined && access !== "read") fail("other_outer_write");
      if (root.local === undefined || inner.has(root.local)) return;
      if (access === "mutref") fail("shares_outer_mut_borrow");
      if (access === "mutate" || access === "lock") fail("other_outer_write");
    },
    stmt: (s) => {
      // Indexed writes are the proof's business (Prover.write); any other assignment of outer state declines.
      if ((s.kind === "assign" || s.kind === "compoundAssign") && s.place.kind !== "index") {
        const root = placeRoot(s.place);
        if (root.global !== undefined || (root.local !== undefined && !inner.has(root.local))) fail("other_outer_write");
      }
    },
  });
  // Values with interior mutability shared into the chunks would race outside this proof.
  walkExpr(body as TExpr, {
    place: (p) => {
      const root = placeRoot(p);
      if (root.local !== undefined && !inner.has(root.local) && hasInteriorMutability(program, fn.locals[root.local].type)) fail("not_cross_task_safe");
    },
  });
  if (output.expr(body as TExpr)) fail("body_emits_output");
  const atoms = effectsOfExpr(program, effects, body as TExpr);
  const transparent = new Set(program.verbs.filter((v) => v.transparent).map((v) => v.name));
  if (atoms.some((a) => (!isInert(a) && !transparent.has(a.verb)) || a.verb === "blocks" || a.verb === "suspends")) fail("body_has_effects");
}

/** Does the body read target `id` anywhere (its own indexed writes are write accesses)? */
function readsTarget(body: TBlock, id: LocalId): boolean {
  let found = false;
  walkExpr(body as TExpr, {
    place: (p, access) => {
      if (access === "read" && placeRoot(p).local === id) found = true;
    },
  });
  return found;
}

/** Does the loop body contain an indexed write to a collection declared outside it? */
function candidate(body: TBlock): boolean {
  // One walk finds both the body's own bindings (declaredInside) and its indexed writes; the
  // writes are judged afterwards, when every binding is known. Every loop of every function is asked.
  const inner = new Set<LocalId>();
  const written: LocalId[] = [];
  walkExpr(body as TExpr, {
    pattern: (p) => {
      if (p.kind === "bind") inner.add(p.local);
    },
    place: (p, access) => {
      if (access !== "write" || p.kind !== "index") return;
      const r = placeRoot(p);
      if (r.local !== undefined) written.push(r.local);
    },
  });
  return written.some((id) => !inner.has(id));
}

function prove(program: TProgram, effects: EffectsResult, fn: TFunction, loop: TExpr & { kind: "for" }, output: OutputScan): { targets: Map<LocalId, Footprint>; loopVar: LocalId } {
  const it = loop.iter;
  if (it.kind !== "range" || it.elem.kind !== "int" || it.reverse || it.step || it.variable.kind !== "bind") throw new Decline("unsupported_loop_form");
  const loopVar = it.variable.local;
  const prover = new Prover(fn, loopVar, loop.body);
  if (prover.mutated.has(loopVar)) throw new Decline("loop_var_mutated");
  try {
    scanBody(program, effects, fn, loop, prover, output);
    prover.run();
    if (prover.writes.length === 0) throw new Decline("no_indexed_write");
    const targets = proveTargets(prover, loopVar);
    for (const t of targets.keys()) if (readsTarget(loop.body, t)) throw new Decline("reads_written_target");
    return { targets, loopVar };
  } catch (err) {
    if (err instanceof OverflowError) throw new Decline("symbolic_overflow");
    throw err;
  }
}

export function findDisjointLoops(program: TProgram, effects: EffectsResult, fn: TFunction, autoPar: boolean, cost: CostModel): FoundDisjointLoop[] {
  const out: FoundDisjointLoop[] = [];
  const output = new OutputScan(program);
  const name = (id: LocalId): string => fn.locals[id].name;
  const visitLoop = (e: TExpr & { kind: "for" }, statement: number): boolean => {
    if (!candidate(e.body)) return false;
    const it = e.iter;
    const loopVar = "variable" in it && it.variable.kind === "bind" ? name(it.variable.local) : "_";
    const entry: DisjointWriteLoop = {
      statement,
      loop_line: e.span.line,
      loop_var: loopVar,
      disjoint_writes: false,
      gate: "",
      fanned_out: false,
      cost_gate: "n/a",
      targets: [],
      reason: "",
    };
    try {
      const proof = prove(program, effects, fn, e, output);
      entry.disjoint_writes = true;
      entry.gate = "proven";
      entry.targets = [...proof.targets]
        .map(([id, f]) => ({ name: name(id), stride: f.stride.render(name), base: f.base.render(name), writes: f.writes }))
        .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
      const ranges = entry.targets.map((t) => {
        const base = t.base === "0" ? "" : `${t.base} + `;
        return `\`${t.name}\` only within [${base}${loopVar} * (${t.stride}), ${base}(${loopVar} + 1) * (${t.stride}))`;
      });
      entry.reason = `iteration \`${loopVar}\` writes ${ranges.join(", ")}`;
      entry.cost_gate = autoPar ? costGate(fn, e, cost) : "declined_auto_par_disabled";
      out.push({ report: entry, loop: e, targets: [...proof.targets.keys()] });
      return true;
    } catch (err) {
      if (!(err instanceof Decline)) throw err;
      entry.gate = err.tag;
      entry.reason = DECLINE_REASONS[err.tag] ?? err.tag;
      out.push({ report: entry, loop: e, targets: [] });
      return false;
    }
  };
  visitLoops(fn, {
    // Once an outer loop is proven, its inner loops are part of its chunks.
    forLoop: visitLoop,
    // A loop that writes a collection but has no per-iteration variable is worth naming.
    otherLoop: (e, statement) => {
      if (!candidate(e.body)) return;
      out.push({
        report: { statement, loop_line: e.span.line, loop_var: "", disjoint_writes: false, gate: "unsupported_loop_form", fanned_out: false, cost_gate: "n/a", targets: [], reason: DECLINE_REASONS.unsupported_loop_form },
        loop: e,
        targets: [],
      });
    },
  });
  return out;
}

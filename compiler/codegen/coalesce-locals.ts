// Sharing of wasm locals between values whose lifetimes do not overlap, in functions with very
// many locals. The lowering gives every Kāra variable and every temporary a local of its own, so
// a function of tens of thousands of statements (generated code, data tables, long test `main`s)
// would pass the engines' limit of 50 000 locals per function and fail to compile in V8.
// Binaryen's coalesce-locals pass builds an interference matrix of locals × locals, which for
// such functions takes minutes and gigabytes; this linear scan over one walk of the body takes
// time linear in its size.
//
// The walk numbers every local access in evaluation order. A local's range runs from its first to
// its last access, widened to cover the whole outermost loop around any of its accesses (a value
// may flow around a loop's back edge). A local may take over the slot of one whose range ended
// only if its first access is a write that dominates all its other accesses: the write sits in the
// same innermost region (an `if` arm, a loop body or a labelled block a branch may leave early)
// as every later access. Any other local may read the zero a wasm local starts with, so it keeps
// a slot to itself from the function's entry to its last access. Parameters never move.

import binaryen from "binaryen";
import type { Ref, WType } from "./ir.js";
import { children } from "./outline-loops.js";

type Get = (e: Ref) => Ref;
interface Accessors {
  Block: { getName(e: Ref): string | null; getNumChildren(e: Ref): number; getChildAt(e: Ref, i: number): Ref };
  If: { getCondition: Get; getIfTrue: Get; getIfFalse: Get };
  Loop: { getBody: Get };
  LocalGet: { getIndex(e: Ref): number; setIndex(e: Ref, i: number): void };
  LocalSet: { getIndex(e: Ref): number; setIndex(e: Ref, i: number): void; getValue: Get };
  TupleMake: { getNumOperands(e: Ref): number; getOperandAt(e: Ref, i: number): Ref };
  Binary: { getLeft: Get; getRight: Get };
  Unary: { getValue: Get };
  Load: { getPtr: Get };
  Store: { getPtr: Get; getValue: Get };
  Drop: { getValue: Get };
  Call: { getNumOperands(e: Ref): number; getOperandAt(e: Ref, i: number): Ref };
  TupleExtract: { getTuple: Get };
}
const b = binaryen as typeof binaryen & Accessors;

/**
 * Functions with more locals than this share them; smaller ones are left exactly as lowered (the
 * walk costs about as much as lowering the function, so it is spent only where the engines'
 * limit comes near).
 */
export const COALESCE_LOCALS_ABOVE = 20_000;

/**
 * Renumbers the locals of `body` (changed in place) so that locals with disjoint lifetimes share a
 * slot, when the function has more than `above` locals. Returns the new var types
 * (the vars unchanged when the function is small or holds an expression kind the walk does not know).
 */
export function coalesceLocals(params: readonly WType[], vars: readonly WType[], body: Ref, above = COALESCE_LOCALS_ABOVE): WType[] {
  if (params.length + vars.length <= above) return [...vars];
  const scan = new LiveRanges(params.length, params.length + vars.length);
  if (!scan.walk(body)) return [...vars];
  return scan.assign([...params, ...vars]);
}

const NONE = -1;

class LiveRanges {
  private pos = 0;
  /** Every local.get / local.set / local.tee of a var, to renumber. */
  private readonly accesses: Ref[] = [];
  private readonly accessLocal: number[] = [];
  private readonly accessWrites: boolean[] = [];
  private readonly first: Int32Array;
  private readonly last: Int32Array;
  /** The outermost loop around the latest access (NONE outside loops). */
  private readonly lastLoop: Int32Array;
  /** Region of the first access when it is a write, else NONE (the local keeps its own slot). */
  private readonly ownRegion: Int32Array;
  private readonly ownDepth: Int32Array;
  /** Vars in order of first access. */
  private readonly order: number[] = [];
  private readonly loopStart: number[] = [];
  private readonly loopEnd: number[] = [];
  private readonly loops: number[] = [];
  private readonly regions: number[] = [0];
  private regionCount = 1;

  constructor(
    private readonly nParams: number,
    nLocals: number,
  ) {
    this.first = new Int32Array(nLocals).fill(NONE);
    this.last = new Int32Array(nLocals).fill(NONE);
    this.lastLoop = new Int32Array(nLocals).fill(NONE);
    this.ownRegion = new Int32Array(nLocals).fill(NONE);
    this.ownDepth = new Int32Array(nLocals);
  }

  /** False when the body holds an expression kind the walk does not know. */
  walk(e: Ref): boolean {
    const id = b.getExpressionId(e);
    switch (id) {
      case b.LocalGetId:
        this.access(e, b.LocalGet.getIndex(e), false);
        return true;
      case b.LocalSetId:
        if (!this.walk(b.LocalSet.getValue(e))) return false;
        this.access(e, b.LocalSet.getIndex(e), true);
        return true;
      case b.BlockId: {
        const labelled = b.Block.getName(e) !== null;
        if (labelled) this.enterRegion();
        const n = b.Block.getNumChildren(e);
        for (let i = 0; i < n; i++) if (!this.walk(b.Block.getChildAt(e, i))) return false;
        if (labelled) this.regions.pop();
        return true;
      }
      case b.IfId: {
        if (!this.walk(b.If.getCondition(e))) return false;
        for (const arm of [b.If.getIfTrue(e), b.If.getIfFalse(e)]) {
          if (!arm) continue;
          this.enterRegion();
          const ok = this.walk(arm);
          this.regions.pop();
          if (!ok) return false;
        }
        return true;
      }
      case b.LoopId: {
        const loop = this.loopStart.length;
        this.loopStart.push(this.pos++);
        this.loopEnd.push(NONE);
        this.loops.push(loop);
        this.enterRegion();
        const ok = this.walk(b.Loop.getBody(e));
        this.regions.pop();
        this.loops.pop();
        this.loopEnd[loop] = this.pos++;
        return ok;
      }
      // The commonest kinds without the generic accessor's arrays: this walk is linear, but it
      // crosses into Binaryen once per call below.
      case b.ConstId:
        return true;
      case b.BinaryId:
        return this.walk(b.Binary.getLeft(e)) && this.walk(b.Binary.getRight(e));
      case b.UnaryId:
        return this.walk(b.Unary.getValue(e));
      case b.LoadId:
        return this.walk(b.Load.getPtr(e));
      case b.StoreId:
        return this.walk(b.Store.getPtr(e)) && this.walk(b.Store.getValue(e));
      case b.DropId:
        return this.walk(b.Drop.getValue(e));
      case b.CallId: {
        const n = b.Call.getNumOperands(e);
        for (let i = 0; i < n; i++) if (!this.walk(b.Call.getOperandAt(e, i))) return false;
        return true;
      }
      case b.TupleMakeId: {
        const n = b.TupleMake.getNumOperands(e);
        for (let i = 0; i < n; i++) if (!this.walk(b.TupleMake.getOperandAt(e, i))) return false;
        return true;
      }
      case b.TupleExtractId:
        return this.walk(b.TupleExtract.getTuple(e));
      default: {
        const kids = children(e, id);
        if (kids === undefined) return false;
        for (const c of kids) if (!this.walk(c)) return false;
        return true;
      }
    }
  }

  private enterRegion(): void {
    this.regions.push(this.regionCount++);
  }

  private access(e: Ref, k: number, write: boolean): void {
    if (k < this.nParams) return;
    const at = this.pos++;
    this.accesses.push(e);
    this.accessLocal.push(k);
    this.accessWrites.push(write);
    const outer = this.loops.length ? this.loops[0] : NONE;
    if (this.first[k] === NONE) {
      this.first[k] = outer === NONE ? at : this.loopStart[outer];
      this.order.push(k);
      if (write) {
        this.ownDepth[k] = this.regions.length - 1;
        this.ownRegion[k] = this.regions[this.regions.length - 1];
      }
    } else if (this.ownRegion[k] !== NONE) {
      // A later access outside the first write's region may be reached without that write.
      const d = this.ownDepth[k];
      if (this.regions.length <= d || this.regions[d] !== this.ownRegion[k]) this.ownRegion[k] = NONE;
    }
    this.last[k] = at;
    this.lastLoop[k] = outer;
  }

  /** Linear scan over the ranges in order of their start; renumbers the accesses. */
  assign(types: readonly WType[]): WType[] {
    const n = types.length;
    const end = new Int32Array(n);
    for (const k of this.order) end[k] = this.lastLoop[k] === NONE ? this.last[k] : Math.max(this.last[k], this.loopEnd[this.lastLoop[k]]);
    // Locals that may read their initial zero start at the entry: they come first.
    const own = this.order.filter((k) => this.ownRegion[k] === NONE);
    const shared = this.order.filter((k) => this.ownRegion[k] !== NONE).sort((x, y) => this.first[x] - this.first[y]);
    const slotOf = new Int32Array(n).fill(NONE);
    const slotTypes: WType[] = [];
    const free = new Map<WType, number[]>();
    const active = new EndHeap();
    const take = (k: number, reuse: boolean): void => {
      const pool = free.get(types[k]);
      const s = reuse && pool?.length ? pool.pop()! : this.nParams + slotTypes.push(types[k]) - 1;
      slotOf[k] = s;
      active.push(end[k], k);
    };
    for (const k of own) take(k, false);
    for (const k of shared) {
      while (active.size && active.minEnd() < this.first[k]) {
        const done = active.pop();
        let pool = free.get(types[done]);
        if (!pool) free.set(types[done], (pool = []));
        pool.push(slotOf[done]);
      }
      take(k, true);
    }
    for (let i = 0; i < this.accesses.length; i++) {
      const e = this.accesses[i];
      const s = slotOf[this.accessLocal[i]];
      if (this.accessWrites[i]) b.LocalSet.setIndex(e, s);
      else b.LocalGet.setIndex(e, s);
    }
    return slotTypes;
  }
}

/** A binary min-heap of (end, local). */
class EndHeap {
  private readonly ends: number[] = [];
  private readonly locals: number[] = [];
  get size(): number {
    return this.ends.length;
  }
  minEnd(): number {
    return this.ends[0];
  }
  push(end: number, local: number): void {
    const { ends, locals } = this;
    let i = ends.length;
    ends.push(end);
    locals.push(local);
    while (i > 0) {
      const p = (i - 1) >> 1;
      if (ends[p] <= end) break;
      ends[i] = ends[p];
      locals[i] = locals[p];
      i = p;
    }
    ends[i] = end;
    locals[i] = local;
  }
  pop(): number {
    const { ends, locals } = this;
    const top = locals[0];
    const lastEnd = ends.pop()!;
    const lastLocal = locals.pop()!;
    const n = ends.length;
    if (n === 0) return top;
    let i = 0;
    for (;;) {
      const l = 2 * i + 1;
      if (l >= n) break;
      const c = l + 1 < n && ends[l + 1] < ends[l] ? l + 1 : l;
      if (ends[c] >= lastEnd) break;
      ends[i] = ends[c];
      locals[i] = locals[c];
      i = c;
    }
    ends[i] = lastEnd;
    locals[i] = lastLocal;
    return top;
  }
}

// Splitting of very long functions. V8 refuses to compile a function body larger than 7 654 321
// bytes, and its compilers slow down on huge bodies anyway; a `main` of a hundred thousand
// statements (generated code, data tables) lowers to about ten megabytes. Such a body is cut
// into parts: runs of consecutive statements of one block move into functions of their own,
// `<parent>$part<k>`, called in their place, so the body keeps its order and only shrinks.
//
// The pass works on the Binaryen IR of one finished body, after loop outlining and before local
// sharing, with the machinery of outline-loops.ts: a part's locals are renumbered into its
// function; those it may read before writing come in as parameters, those it writes that the
// rest of the function references go back as results (a tuple when several) and are written
// back at the call site; every other local is private to the part. A plain branch out of a part
// (`return`, which is a branch to the function's exit, a `break` or `continue` of an enclosing
// loop, a failed `?`) makes the part return an exit code that the call site branches on. Memory,
// globals, the shadow stack of `mut ref` cells and panics (which trap across frames) need
// nothing, so drops, reference counts, defers and cancellation behave exactly as in place.
//
// What stays in place: a statement that returns (`return` with a value, a tail call), branches
// with a value or through a `br_table` to a label outside itself, the value-producing last
// statement of a block with a value, and any part that would carry more than MAX_CARRIED locals
// in plus out. A statement too large to be a part by itself is split inside, recursively.
//
// Cost: one survey walk over the body (node counts, references per local, which statements may
// not move), one analysis walk over the statements that move, and one walk over what stays, to
// renumber the enclosing function's remaining locals densely (its other locals moved out, so
// local sharing has nothing left to do there). A part's own locals are not shared: a part has a
// few thousand, whose indices past 127 take two bytes in the code (about 12 % more code than a
// shared body), and sharing them cost a walk of every part, a sixth of the generation time of a
// long function, for a fifth less emission time.

import binaryen from "binaryen";
import type { Gen } from "./context.js";
import type { Ref, WType } from "./ir.js";
import { children, moveToFunction, PART_MARK, StatementUse } from "./outline-loops.js";

type Get = (e: Ref) => Ref;
interface Accessors {
  Block: { getName(e: Ref): string | null; getNumChildren(e: Ref): number; getChildAt(e: Ref, i: number): Ref; setChildAt(e: Ref, i: number, c: Ref): void; removeChildAt(e: Ref, i: number): Ref };
  Loop: { getName(e: Ref): string | null; getBody: Get };
  Break: { getName(e: Ref): string; getValue: Get; getCondition: Get };
  Switch: { getNumNames(e: Ref): number; getNameAt(e: Ref, i: number): string; getDefaultName(e: Ref): string };
  Call: { getNumOperands(e: Ref): number; getOperandAt(e: Ref, i: number): Ref; isReturn(e: Ref): boolean };
  CallIndirect: { isReturn(e: Ref): boolean };
  LocalGet: { getIndex(e: Ref): number; setIndex(e: Ref, i: number): void };
  LocalSet: { getIndex(e: Ref): number; setIndex(e: Ref, i: number): void; getValue: Get };
  Binary: { getLeft: Get; getRight: Get };
  Unary: { getValue: Get };
  Load: { getPtr: Get };
  Store: { getPtr: Get; getValue: Get };
  Drop: { getValue: Get };
}
const b = binaryen as typeof binaryen & Accessors;

/** Bodies of more expression nodes than this are split (a node takes about 2–3 bytes of wasm). */
export const SPLIT_ABOVE_NODES = 250_000;
/** The size a part aims at, in expression nodes. */
const PART_NODES = 25_000;
/** A run of statements smaller than this is not worth a function of its own. */
const MIN_PART_NODES = 2_000;
/** Locals in plus out of one part: V8 allows 1 000 parameters and 1 000 results. */
const MAX_CARRIED = 900;

/** Functions whose Kāra source is shorter than this are never split (no walk at all). */
const SOURCE_CHARS_WORTH_A_LOOK = 50_000;
/** … unless they have this many locals (each variable and temporary has its own). */
const LOCALS_WORTH_A_LOOK = 20_000;

/** Splitting turned off (`GenerateOptions.splitFunctionsAbove: Infinity`), or a lower threshold for tests. */
const thresholds = new WeakMap<Gen, number>();

export function setSplitThreshold(g: Gen, nodes: number | undefined): void {
  if (nodes !== undefined) thresholds.set(g, nodes);
}

export interface SplitResult {
  /** The function's var types after splitting (renumbered densely when anything moved). */
  vars: WType[];
  functions: binaryen.FunctionRef[];
}

/**
 * Splits the body `body` (changed in place) of function `name` when it is larger than the
 * threshold. `sourceChars` is the length of the function's source text, a cheap first estimate.
 */
export function splitLongFunction(g: Gen, name: string, params: readonly WType[], vars: readonly WType[], body: Ref, sourceChars: number): SplitResult {
  const unchanged = { vars: [...vars], functions: [] };
  const above = thresholds.get(g) ?? SPLIT_ABOVE_NODES;
  if (!Number.isFinite(above)) return unchanged;
  if (above === SPLIT_ABOVE_NODES && sourceChars < SOURCE_CHARS_WORTH_A_LOOK && params.length + vars.length < LOCALS_WORTH_A_LOOK) return unchanged;
  const part = Math.max(16, Math.min(PART_NODES, Math.floor(above / 10)));
  const survey = new SizeSurvey(params.length + vars.length, part);
  const total = survey.visit(body);
  if (survey.unknownKind || total <= above) return unchanged;
  const splitter = new Splitter(g, name, [...params, ...vars], params.length, survey, part, Math.min(MIN_PART_NODES, part >> 2));
  splitter.split(body);
  if (splitter.added.length === 0) return unchanged;
  return { vars: compactLocals(body, params.length, splitter.types), functions: splitter.added };
}

// ------------------------------------------------------------------------------------- survey

/** One walk: the size of every expression, references per local, and what may not move. */
class SizeSurvey {
  /** References (get, set, tee) per local in the whole function; kept current as parts move out. */
  refs: Int32Array;
  /** Expressions larger than a part. */
  readonly big = new Set<Ref>();
  /** For each large block: its statements' sizes, and which of them may not leave it. */
  readonly kidSizes = new Map<Ref, Int32Array>();
  readonly kidPinned = new Map<Ref, Uint8Array>();
  unknownKind = false;
  /** Enclosing labels, innermost last. */
  private readonly labels: string[] = [];
  /** After visit(e): the outermost label depth e branches to in a way a part cannot (-1: returns). */
  private escape = Infinity;
  private stack = new Int32Array(1024);
  private stackTop = 0;

  private reserve(n: number): void {
    if (n <= this.stack.length) return;
    const grown = new Int32Array(Math.max(n, this.stack.length * 2));
    grown.set(this.stack);
    this.stack = grown;
  }

  constructor(
    nLocals: number,
    private readonly part: number,
  ) {
    this.refs = new Int32Array(nLocals);
  }

  /** The number of expression nodes in e. */
  visit(e: Ref): number {
    const id = b.getExpressionId(e);
    let size = 1;
    let escape = Infinity;
    // Children in the order visited; most kinds have at most two, kept out of arrays.
    let c1: Ref = 0;
    let c2: Ref = 0;
    let more: Ref[] | undefined;
    switch (id) {
      case b.LocalGetId:
        this.refs[b.LocalGet.getIndex(e)]++;
        break;
      case b.LocalSetId:
        this.refs[b.LocalSet.getIndex(e)]++;
        c1 = b.LocalSet.getValue(e);
        break;
      case b.ConstId:
      case b.GlobalGetId:
      case b.NopId:
      case b.UnreachableId:
        break;
      case b.BinaryId:
        c1 = b.Binary.getLeft(e);
        c2 = b.Binary.getRight(e);
        break;
      case b.UnaryId:
        c1 = b.Unary.getValue(e);
        break;
      case b.LoadId:
        c1 = b.Load.getPtr(e);
        break;
      case b.StoreId:
        c1 = b.Store.getPtr(e);
        c2 = b.Store.getValue(e);
        break;
      case b.DropId:
        c1 = b.Drop.getValue(e);
        break;
      case b.CallId: {
        if (b.Call.isReturn(e)) escape = -1;
        const n = b.Call.getNumOperands(e);
        if (n === 1) c1 = b.Call.getOperandAt(e, 0);
        else if (n === 2) {
          c1 = b.Call.getOperandAt(e, 0);
          c2 = b.Call.getOperandAt(e, 1);
        } else if (n > 2) more = children(e, id);
        break;
      }
      case b.BlockId: {
        const label = b.Block.getName(e);
        if (label) this.labels.push(label);
        const depth = this.labels.length;
        const n = b.Block.getNumChildren(e);
        // Statement sizes go on a stack shared by all blocks; only a large block keeps a copy.
        const base = this.stackTop;
        this.reserve(base + n);
        this.stackTop = base + n;
        for (let i = 0; i < n; i++) {
          const s = this.visit(b.Block.getChildAt(e, i));
          // A statement that branches unsafely to this block or beyond must stay inside it
          // (marked by a negative size).
          this.stack[base + i] = this.escape < depth ? -s : s;
          size += s;
          if (this.escape < escape) escape = this.escape;
        }
        if (label) this.labels.pop();
        if (size > this.part) {
          const sizes = new Int32Array(n);
          const pinned = new Uint8Array(n);
          for (let i = 0; i < n; i++) {
            const s = this.stack[base + i];
            sizes[i] = Math.abs(s);
            pinned[i] = s < 0 ? 1 : 0;
          }
          this.kidSizes.set(e, sizes);
          this.kidPinned.set(e, pinned);
        }
        this.stackTop = base;
        break;
      }
      case b.LoopId: {
        const label = b.Loop.getName(e);
        if (label) this.labels.push(label);
        size += this.visit(b.Loop.getBody(e));
        escape = this.escape;
        if (label) this.labels.pop();
        break;
      }
      case b.BreakId: {
        const value = b.Break.getValue(e);
        c1 = value;
        c2 = b.Break.getCondition(e);
        if (value) escape = this.labels.lastIndexOf(b.Break.getName(e));
        break;
      }
      case b.SwitchId: {
        more = children(e, id);
        const n = b.Switch.getNumNames(e);
        escape = this.labels.lastIndexOf(b.Switch.getDefaultName(e));
        for (let i = 0; i < n; i++) escape = Math.min(escape, this.labels.lastIndexOf(b.Switch.getNameAt(e, i)));
        break;
      }
      case b.ReturnId:
        more = children(e, id);
        escape = -1;
        break;
      default:
        if (id === b.CallIndirectId && b.CallIndirect.isReturn(e)) escape = -1;
        more = children(e, id);
        if (more === undefined) {
          this.unknownKind = true;
          escape = -1;
        }
    }
    if (c1) {
      size += this.visit(c1);
      if (this.escape < escape) escape = this.escape;
    }
    if (c2) {
      size += this.visit(c2);
      if (this.escape < escape) escape = this.escape;
    }
    if (more) {
      for (const c of more) {
        size += this.visit(c);
        if (this.escape < escape) escape = this.escape;
      }
    }
    if (size > this.part) this.big.add(e);
    this.escape = escape;
    return size;
  }
}

// ----------------------------------------------------------------------------------- splitter

class Splitter {
  private count = 0;
  readonly added: binaryen.FunctionRef[] = [];

  constructor(
    private readonly g: Gen,
    private readonly name: string,
    /** Types of the function's locals (params first); grows with the call sites' locals. */
    readonly types: WType[],
    private readonly nParams: number,
    private readonly survey: SizeSurvey,
    private readonly part: number,
    private readonly minPart: number,
  ) {}

  /** Splits inside e, an expression larger than a part. */
  split(e: Ref): void {
    const id = b.getExpressionId(e);
    if (id === b.BlockId) return this.splitBlock(e);
    for (const c of children(e, id) ?? []) if (this.survey.big.has(c)) this.split(c);
  }

  private splitBlock(e: Ref): void {
    const sizes = this.survey.kidSizes.get(e)!;
    const pinned = this.survey.kidPinned.get(e)!;
    const n = b.Block.getNumChildren(e);
    // The last statement of a block with a value is that value.
    const movable = b.getExpressionType(e) === b.none ? n : n - 1;
    /** The new statement list, when a part has moved out. */
    const out: Ref[] = [];
    let changed = false;
    let run: number[] = [];
    let use = new StatementUse();
    let nodes = 0;
    const flush = (): void => {
      const moved = nodes >= this.minPart ? this.move(run.map((i) => b.Block.getChildAt(e, i)), use) : undefined;
      if (moved !== undefined) {
        out.push(moved);
        changed = true;
      } else for (const i of run) out.push(b.Block.getChildAt(e, i));
      run = [];
      use = new StatementUse();
      nodes = 0;
    };
    for (let i = 0; i < n; i++) {
      const c = b.Block.getChildAt(e, i);
      if (this.survey.big.has(c) || i >= movable || pinned[i]) {
        flush();
        if (this.survey.big.has(c)) this.split(c);
        out.push(c);
        continue;
      }
      if (nodes + sizes[i] > this.part && run.length) flush();
      use.add(c);
      run.push(i);
      nodes += sizes[i];
    }
    flush();
    if (!changed) return;
    // Rewritten in place (the block may be a child of anything): the new list is shorter.
    for (let i = 0; i < out.length; i++) b.Block.setChildAt(e, i, out[i]);
    for (let i = n - 1; i >= out.length; i--) b.Block.removeChildAt(e, i);
  }

  /** Moves a run of statements into a new function; the code that replaces them, or undefined. */
  private move(stmts: Ref[], use: StatementUse): Ref | undefined {
    if (use.unsafe) return undefined;
    const { refs } = this.survey;
    const outside = (k: number): boolean => k < this.nParams || refs[k] > (use.refs.get(k) ?? 0);
    const fnName = `${this.name}${PART_MARK}${this.count}`;
    const s = this.g.m.block(null, stmts, b.none);
    const moved = moveToFunction(this.g, fnName, this.name, this.types, s, use, outside, MAX_CARRIED);
    if (!moved) return undefined;
    this.count++;
    this.added.push(moved.fn);
    // Keep the reference counts current: the part's accesses left, the call site's came in.
    if (refs.length < this.types.length) {
      const grown = new Int32Array(this.types.length * 2);
      grown.set(refs);
      this.survey.refs = grown;
    }
    const now = this.survey.refs;
    for (const [k, c] of use.refs) now[k] -= c;
    for (const k of moved.params) now[k]++;
    for (const k of moved.results) now[k]++;
    // A run with a statement that never completes never falls through its call site either,
    // and the enclosing block's type may rest on that.
    if (stmts.some((x) => b.getExpressionType(x) === b.unreachable)) return this.g.m.block(null, [moved.call, this.g.m.unreachable()], b.unreachable);
    return moved.call;
  }
}

// ------------------------------------------------------------------------------------ compact

/**
 * Renumbers the vars still referenced in `body` densely, after parts took most of them away
 * (an engine would otherwise still see every one of them declared). Returns the new var types.
 */
function compactLocals(body: Ref, nParams: number, types: readonly WType[]): WType[] {
  const accesses: Ref[] = [];
  const visit = (e: Ref): void => {
    const id = b.getExpressionId(e);
    if (id === b.LocalGetId) {
      accesses.push(e);
      return;
    }
    if (id === b.LocalSetId) accesses.push(e);
    for (const c of children(e, id) ?? []) visit(c);
  };
  visit(body);
  const renumber = new Int32Array(types.length).fill(-1);
  const vars: WType[] = [];
  for (const a of accesses) {
    const get = b.getExpressionId(a) === b.LocalGetId;
    const k = get ? b.LocalGet.getIndex(a) : b.LocalSet.getIndex(a);
    if (k < nParams) continue;
    if (renumber[k] < 0) {
      renumber[k] = nParams + vars.length;
      vars.push(types[k]);
    }
    if (get) b.LocalGet.setIndex(a, renumber[k]);
    else b.LocalSet.setIndex(a, renumber[k]);
  }
  return vars;
}

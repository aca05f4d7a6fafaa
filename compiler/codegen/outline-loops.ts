// Outlining of inner loops. No wasm engine replaces a running function's code on the stack
// (on-stack replacement), so a loop nest inside a function that is entered once — `main`,
// typically — runs to its end in the engine's baseline tier however hot it is. Moving each
// loop that sits inside another loop into a function of its own, called once per iteration of
// the enclosing loop, gives the engine calls to count: after a few of them it compiles the
// outlined function with its optimising tier and the remaining iterations run in that code.
//
// The pass works on the Binaryen IR of one finished function body, before the function is
// added to the module (`outlineInnerLoops`, called from `FnLower.build`), and only in functions
// that run a few times (entered-once.ts): in a function called often, the engine optimises the
// function itself, and an outlined inner loop of a few iterations measured about 8 % slower
// there (a call per outer iteration). What it outlines:
//
// - a loop statement (a child of a block, of type `none`, that is a loop or a block with a loop
//   among its own children — the shape every Kāra loop lowers to) inside at least one loop of
//   the function. The first one on the way down from the outermost loops is taken whole (so in
//   a nest of three loops the second loop, with the third inside it, becomes one function) and
//   nothing inside an outlined statement is outlined again: the innermost loops keep running
//   without a call per iteration. Only the loop itself moves, not the enclosing loop's whole
//   body, so an inner loop behind a rarely true `if` costs a call only when it is reached;
// - provided that it contains no `return`, no tail call, no branch carrying a value or a
//   `br_table` to a label outside itself, only expression kinds the pass knows (anything else
//   makes the whole function ineligible, since an unknown kind could hide local accesses), and
//   that it carries at most MAX_CARRIED locals in and out.
//
// How: the statement's locals are renumbered into the new function. A local becomes a parameter
// when the statement may read it before writing it (a forward "definitely written" analysis over
// the structured control flow) or when it must be returned; it is returned when the statement
// writes it and it is a parameter of the enclosing function, is referenced outside the
// statement, or may be read before written (its value then flows into the next execution of the
// statement). Every other local is private to the new function, which starts it at zero as the
// statement would have found it on every path that reads it. Several results travel as a tuple
// (multi-value). A plain branch (`br`, `br_if`) to a label outside the statement — a labelled
// `break`/`continue` of an outer loop, `return` (lowered as a branch to the function's exit) or
// the exit of a cancelled `par` branch — makes the new function return an exit code as its
// first result; the caller writes the locals back, then takes the branch the code names.
//
// Everything else is untouched: memory (the stack of `mut ref` cells, shared-memory atomics),
// globals (current task, stack pointer, capture), the abort and cancellation polls on every
// back-edge and the panic calls, which end the run by trapping across any number of frames.
// Outlined functions are named `<parent>$loop<k>`; `outlinedParents` lets the site table name
// them after the source function they came from.

import binaryen from "binaryen";
import type { Gen } from "./context.js";
import type { Ref, WType } from "./ir.js";
import { outliningCandidates } from "./entered-once.js";

type Get = (e: Ref) => Ref;
type Count = (e: Ref) => number;
type At = (e: Ref, i: number) => Ref;
/** The per-kind expression accessors binaryen.js has and its type declarations leave out. */
interface Accessors {
  Block: { getName(e: Ref): string | null; getNumChildren: Count; getChildAt: At; setChildAt(e: Ref, i: number, c: Ref): void };
  If: { getCondition: Get; getIfTrue: Get; getIfFalse: Get };
  Loop: { getName(e: Ref): string | null; getBody: Get };
  Break: { getName(e: Ref): string; getCondition: Get; getValue: Get };
  Switch: { getNumNames: Count; getNameAt(e: Ref, i: number): string; getDefaultName(e: Ref): string; getCondition: Get; getValue: Get };
  Call: { getNumOperands: Count; getOperandAt: At; isReturn(e: Ref): boolean };
  CallIndirect: { getNumOperands: Count; getOperandAt: At; getTarget: Get; isReturn(e: Ref): boolean };
  LocalGet: { getIndex: Count; setIndex(e: Ref, i: number): void };
  LocalSet: { getIndex: Count; setIndex(e: Ref, i: number): void; getValue: Get };
  GlobalSet: { getValue: Get };
  Load: { getPtr: Get };
  Store: { getPtr: Get; getValue: Get };
  Unary: { getValue: Get };
  Binary: { getLeft: Get; getRight: Get };
  Select: { getIfTrue: Get; getIfFalse: Get; getCondition: Get };
  Drop: { getValue: Get };
  Return: { getValue: Get };
  MemoryGrow: { getDelta: Get };
  AtomicRMW: { getPtr: Get; getValue: Get };
  AtomicCmpxchg: { getPtr: Get; getExpected: Get; getReplacement: Get };
  AtomicWait: { getPtr: Get; getExpected: Get; getTimeout: Get };
  AtomicNotify: { getPtr: Get; getNotifyCount: Get };
  MemoryInit: { getDest: Get; getOffset: Get; getSize: Get };
  MemoryCopy: { getDest: Get; getSource: Get; getSize: Get };
  MemoryFill: { getDest: Get; getValue: Get; getSize: Get };
  TupleMake: { getNumOperands: Count; getOperandAt: At };
  TupleExtract: { getTuple: Get };
}

const b = binaryen as typeof binaryen & Accessors;

/** Locals passed in plus locals returned, beyond which a statement is left in place. */
const MAX_CARRIED = 64;

/** Per module: outlined function name → the function it was taken from. */
const parentsOf = new WeakMap<Gen, Map<string, string>>();

export function outlinedParents(g: Gen): ReadonlyMap<string, string> {
  return parentsOf.get(g) ?? new Map();
}

/** Outlined functions are named `<parent>$loop<k>`: no Kāra name contains `$`. */
const OUTLINED_MARK = "$loop";
/** The parts of a split function (split-function.ts) are named `<parent>$part<k>`. */
export const PART_MARK = "$part";

/**
 * Keeps Binaryen's optimiser from inlining outlined loops back into their only caller, which it
 * does for any function with one call site: that would undo the point of outlining them.
 */
export function keepOutlinedOutOfLine(g: Gen): void {
  if (!parentsOf.get(g)?.size) return;
  const before = binaryen.getPassArgument("no-inline");
  try {
    // One pattern per run of the pass. Inlining a split part back would recreate the body the
    // engines refuse.
    for (const mark of [OUTLINED_MARK, PART_MARK]) {
      binaryen.setPassArgument("no-inline", `*${mark}*`);
      g.m.runPasses(["no-inline"]);
    }
  } finally {
    binaryen.setPassArgument("no-inline", before ?? null);
  }
}

/** What outlining did to one function. */
export interface Outlined {
  /** The function's var types, with the locals its call sites of outlined loops need. */
  vars: WType[];
  /** The functions the loops moved into. */
  functions: binaryen.FunctionRef[];
}

/** Generations that outline nothing (`GenerateOptions.outlineLoops: false`, for comparisons). */
const keptInPlace = new WeakSet<Gen>();

export function keepLoopsInPlace(g: Gen): void {
  keptInPlace.add(g);
}

/**
 * Outline the inner loops of the function `name` (TIR function `fnId`, negative for one the code
 * generator makes up, such as the initialiser of module-level bindings, which runs once) whose
 * body is `body` (changed in place). `loopTargets` counts the loops (and labelled blocks) the
 * lowering made: with fewer than two nothing can be nested, and nothing more is looked at.
 * Returns the function's var types, extended with the locals the call sites need, and the
 * functions made.
 */
export function outlineInnerLoops(g: Gen, fnId: number, name: string, params: readonly WType[], vars: readonly WType[], body: Ref, loopTargets: number): Outlined {
  const unchanged = { vars: [...vars], functions: [] };
  if (keptInPlace.has(g) || loopTargets < 2) return unchanged;
  // The typed program tells cheaply which functions qualify; walking Binaryen IR costs a call
  // into Binaryen per node, so only their bodies are walked.
  if (fnId >= 0 && !outliningCandidates(g.program).has(fnId)) return unchanged;
  const survey = new Survey();
  survey.visit(body, 0);
  if (!survey.nested || survey.unknownKind) return unchanged;
  const fn = new Outliner(g, name, [...params, ...vars], params.length, survey);
  fn.place(body, 0);
  return { vars: fn.types.slice(params.length), functions: fn.added };
}

// ------------------------------------------------------------------------------------ children

/** The operands of an expression in evaluation order, or undefined for a kind the pass does not know. */
export function children(e: Ref, id: number): Ref[] | undefined {
  const some = (...xs: Ref[]): Ref[] => xs.filter((x) => x !== 0);
  switch (id) {
    case b.BlockId: {
      const n = b.Block.getNumChildren(e);
      const out: Ref[] = new Array(n);
      for (let i = 0; i < n; i++) out[i] = b.Block.getChildAt(e, i);
      return out;
    }
    case b.IfId:
      return some(b.If.getCondition(e), b.If.getIfTrue(e), b.If.getIfFalse(e));
    case b.LoopId:
      return [b.Loop.getBody(e)];
    case b.BreakId:
      return some(b.Break.getValue(e), b.Break.getCondition(e));
    case b.SwitchId:
      return some(b.Switch.getValue(e), b.Switch.getCondition(e));
    case b.CallId: {
      const n = b.Call.getNumOperands(e);
      const out: Ref[] = new Array(n);
      for (let i = 0; i < n; i++) out[i] = b.Call.getOperandAt(e, i);
      return out;
    }
    case b.CallIndirectId: {
      const n = b.CallIndirect.getNumOperands(e);
      const out: Ref[] = [];
      for (let i = 0; i < n; i++) out.push(b.CallIndirect.getOperandAt(e, i));
      out.push(b.CallIndirect.getTarget(e));
      return out;
    }
    case b.LocalGetId:
    case b.GlobalGetId:
    case b.ConstId:
    case b.NopId:
    case b.UnreachableId:
    case b.MemorySizeId:
    case b.AtomicFenceId:
    case b.DataDropId:
      return [];
    case b.LocalSetId:
      return [b.LocalSet.getValue(e)];
    case b.GlobalSetId:
      return [b.GlobalSet.getValue(e)];
    case b.LoadId:
      return [b.Load.getPtr(e)];
    case b.StoreId:
      return [b.Store.getPtr(e), b.Store.getValue(e)];
    case b.UnaryId:
      return [b.Unary.getValue(e)];
    case b.BinaryId:
      return [b.Binary.getLeft(e), b.Binary.getRight(e)];
    case b.SelectId:
      return [b.Select.getIfTrue(e), b.Select.getIfFalse(e), b.Select.getCondition(e)];
    case b.DropId:
      return [b.Drop.getValue(e)];
    case b.ReturnId:
      return some(b.Return.getValue(e));
    case b.MemoryGrowId:
      return [b.MemoryGrow.getDelta(e)];
    case b.AtomicRMWId:
      return [b.AtomicRMW.getPtr(e), b.AtomicRMW.getValue(e)];
    case b.AtomicCmpxchgId:
      return [b.AtomicCmpxchg.getPtr(e), b.AtomicCmpxchg.getExpected(e), b.AtomicCmpxchg.getReplacement(e)];
    case b.AtomicWaitId:
      return [b.AtomicWait.getPtr(e), b.AtomicWait.getExpected(e), b.AtomicWait.getTimeout(e)];
    case b.AtomicNotifyId:
      return [b.AtomicNotify.getPtr(e), b.AtomicNotify.getNotifyCount(e)];
    case b.MemoryInitId:
      return [b.MemoryInit.getDest(e), b.MemoryInit.getOffset(e), b.MemoryInit.getSize(e)];
    case b.MemoryCopyId:
      return [b.MemoryCopy.getDest(e), b.MemoryCopy.getSource(e), b.MemoryCopy.getSize(e)];
    case b.MemoryFillId:
      return [b.MemoryFill.getDest(e), b.MemoryFill.getValue(e), b.MemoryFill.getSize(e)];
    case b.TupleMakeId: {
      const n = b.TupleMake.getNumOperands(e);
      const out: Ref[] = new Array(n);
      for (let i = 0; i < n; i++) out[i] = b.TupleMake.getOperandAt(e, i);
      return out;
    }
    case b.TupleExtractId:
      return [b.TupleExtract.getTuple(e)];
    default:
      return undefined;
  }
}

// ------------------------------------------------------------------------------------- survey

/** One pass over the whole body: references per local, and which expressions contain a loop. */
class Survey {
  /** How often each local is referenced (get, set or tee) in the whole function. */
  readonly refs = new Map<number, number>();
  /** Expressions with a loop somewhere inside (or that are one). */
  readonly withLoop = new Set<Ref>();
  /** A loop inside a loop exists. */
  nested = false;
  unknownKind = false;

  /** Visits e at `depth` enclosing loops; true when e contains a loop. */
  visit(e: Ref, depth: number): boolean {
    const id = b.getExpressionId(e);
    if (id === b.LocalGetId || id === b.LocalSetId) {
      const k = id === b.LocalGetId ? b.LocalGet.getIndex(e) : b.LocalSet.getIndex(e);
      this.refs.set(k, (this.refs.get(k) ?? 0) + 1);
      if (id === b.LocalGetId) return false;
    }
    const kids = children(e, id);
    if (kids === undefined) {
      this.unknownKind = true;
      return false;
    }
    const isLoop = id === b.LoopId;
    if (isLoop && depth > 0) this.nested = true;
    let has = isLoop;
    for (const c of kids) if (this.visit(c, isLoop ? depth + 1 : depth)) has = true;
    if (has) this.withLoop.add(e);
    return has;
  }
}

// ----------------------------------------------------------------------------------- analysis

/**
 * What one candidate statement (or a sequence of statements, added in order) does with locals
 * and labels. The locals definitely written on the current path are one set plus the trail of
 * the order they were added in: an `if` arm or a labelled block undoes back to where it began
 * and merges only what was added since, so the cost of the walk grows with the statement's size,
 * not with its size times the number of locals written before each branch.
 */
export class StatementUse {
  /** Every local.get / local.set / local.tee inside, to renumber, with its local and whether it is a get. */
  readonly accesses: Ref[] = [];
  readonly accessLocal: number[] = [];
  readonly accessGets: boolean[] = [];
  readonly used = new Set<number>();
  readonly written = new Set<number>();
  /** Locals possibly read before written by this statement. */
  readonly exposed = new Set<number>();
  readonly refs = new Map<number, number>();
  /** Labels outside the statement that it branches to, in first-seen order. */
  readonly exits: string[] = [];
  unsafe = false;
  /** Labels inside the statement around the current point, innermost last. */
  private readonly inner: string[] = [];
  /** For each of them: the trail's length at its start (-1 for a loop: a branch there goes back). */
  private readonly innerMark: number[] = [];
  /** Per inner block label: what was added since its start on every branch to it seen so far; ALL when only dead code branches. */
  private readonly atLabel = new Map<string, Set<number> | "all">();
  /** Locals definitely written on the current path, and the order they were added in. */
  private readonly w = new Set<number>();
  private readonly trail: number[] = [];
  /** The current point cannot be reached (after an unconditional branch or a trap). */
  private dead = false;

  constructor(root?: Ref) {
    if (root !== undefined) this.add(root);
  }

  /** Adds the statement that runs after those added so far. */
  add(e: Ref): void {
    this.walk(e);
  }

  private note(e: Ref, k: number, get: boolean): void {
    this.accesses.push(e);
    this.accessLocal.push(k);
    this.accessGets.push(get);
    this.used.add(k);
    this.refs.set(k, (this.refs.get(k) ?? 0) + 1);
  }

  private written1(k: number): void {
    if (!this.w.has(k)) {
      this.w.add(k);
      this.trail.push(k);
    }
  }

  private undo(mark: number): void {
    while (this.trail.length > mark) this.w.delete(this.trail.pop()!);
  }

  /** Back to the state at `mark`, plus what `keep` holds of what was added since (all of it when keep is undefined). */
  private restrict(mark: number, added: readonly number[], keep: ReadonlySet<number> | undefined): void {
    this.undo(mark);
    for (const k of added) if (keep === undefined || keep.has(k)) this.written1(k);
  }

  private branch(label: string, hasValue: boolean): void {
    const i = this.inner.lastIndexOf(label);
    if (i >= 0) {
      const mark = this.innerMark[i];
      if (mark < 0) return;
      const now: Set<number> | "all" = this.dead ? "all" : new Set(this.trail.slice(mark));
      const seen = this.atLabel.get(label);
      if (seen === undefined || seen === "all") this.atLabel.set(label, now);
      else if (now !== "all") for (const k of seen) if (!now.has(k)) seen.delete(k);
      return;
    }
    if (hasValue) this.unsafe = true;
    else if (!this.exits.includes(label)) this.exits.push(label);
  }

  /** Walks e in evaluation order. */
  private walk(e: Ref): void {
    if (this.unsafe) return;
    const id = b.getExpressionId(e);
    switch (id) {
      case b.LocalGetId: {
        const k = b.LocalGet.getIndex(e);
        this.note(e, k, true);
        if (!this.dead && !this.w.has(k)) this.exposed.add(k);
        return;
      }
      case b.LocalSetId: {
        this.walk(b.LocalSet.getValue(e));
        const k = b.LocalSet.getIndex(e);
        this.note(e, k, false);
        this.written.add(k);
        if (!this.dead) this.written1(k);
        return;
      }
      case b.BlockId: {
        const label = b.Block.getName(e);
        const mark = this.trail.length;
        if (label) {
          this.inner.push(label);
          this.innerMark.push(mark);
        }
        const n = b.Block.getNumChildren(e);
        for (let i = 0; i < n; i++) this.walk(b.Block.getChildAt(e, i));
        if (label) {
          this.inner.pop();
          this.innerMark.pop();
          const viaBranch = this.atLabel.get(label);
          this.atLabel.delete(label);
          if (viaBranch !== undefined && viaBranch !== "all") {
            if (this.dead) {
              this.dead = false;
              this.restrict(mark, [...viaBranch], undefined);
            } else this.restrict(mark, this.trail.slice(mark), viaBranch);
          }
        }
        return;
      }
      case b.LoopId: {
        // A branch to the loop's label goes back to its head, where at least what was written
        // on entry is written, so it does not weaken what the body's own sequence guarantees.
        const label = b.Loop.getName(e);
        if (label) {
          this.inner.push(label);
          this.innerMark.push(-1);
        }
        this.walk(b.Loop.getBody(e));
        if (label) {
          this.inner.pop();
          this.innerMark.pop();
          this.atLabel.delete(label);
        }
        return;
      }
      case b.IfId: {
        this.walk(b.If.getCondition(e));
        if (this.dead) {
          this.walk(b.If.getIfTrue(e));
          const elseArm = b.If.getIfFalse(e);
          if (elseArm) this.walk(elseArm);
          this.dead = true;
          return;
        }
        const mark = this.trail.length;
        this.walk(b.If.getIfTrue(e));
        const yesDead = this.dead;
        const yes = yesDead ? [] : this.trail.slice(mark);
        this.undo(mark);
        this.dead = false;
        const elseArm = b.If.getIfFalse(e);
        if (!elseArm) return;
        this.walk(elseArm);
        if (yesDead) return;
        if (this.dead) {
          this.dead = false;
          this.restrict(mark, yes, undefined);
        } else this.restrict(mark, yes, new Set(this.trail.slice(mark)));
        return;
      }
      case b.BreakId: {
        const value = b.Break.getValue(e);
        const cond = b.Break.getCondition(e);
        if (value) this.walk(value);
        if (cond) this.walk(cond);
        this.branch(b.Break.getName(e), value !== 0);
        if (!cond) this.dead = true;
        return;
      }
      case b.SwitchId: {
        const value = b.Switch.getValue(e);
        if (value) this.walk(value);
        this.walk(b.Switch.getCondition(e));
        const n = b.Switch.getNumNames(e);
        const names = [b.Switch.getDefaultName(e)];
        for (let i = 0; i < n; i++) names.push(b.Switch.getNameAt(e, i));
        for (const label of names) {
          if (!this.inner.includes(label)) this.unsafe = true;
          else this.branch(label, value !== 0);
        }
        this.dead = true;
        return;
      }
      case b.ReturnId:
        this.unsafe = true;
        this.dead = true;
        return;
      case b.UnreachableId:
        this.dead = true;
        return;
      // The commonest kinds without the generic accessor's arrays.
      case b.ConstId:
      case b.GlobalGetId:
        return;
      case b.BinaryId:
        this.walk(b.Binary.getLeft(e));
        this.walk(b.Binary.getRight(e));
        return;
      case b.UnaryId:
        this.walk(b.Unary.getValue(e));
        return;
      case b.LoadId:
        this.walk(b.Load.getPtr(e));
        return;
      case b.StoreId:
        this.walk(b.Store.getPtr(e));
        this.walk(b.Store.getValue(e));
        return;
      case b.DropId:
        this.walk(b.Drop.getValue(e));
        return;
      case b.CallId: {
        if (b.Call.isReturn(e)) this.unsafe = true;
        const n = b.Call.getNumOperands(e);
        for (let i = 0; i < n; i++) this.walk(b.Call.getOperandAt(e, i));
        return;
      }
      case b.CallIndirectId:
        if (b.CallIndirect.isReturn(e)) this.unsafe = true;
        break;
    }
    const kids = children(e, id);
    if (kids === undefined) {
      this.unsafe = true;
      return;
    }
    for (const c of kids) this.walk(c);
  }
}

// ----------------------------------------------------------------------------------- outliner

class Outliner {
  private count = 0;
  /** The functions made so far, in order. */
  readonly added: binaryen.FunctionRef[] = [];

  constructor(
    private readonly g: Gen,
    private readonly name: string,
    /** Types of the function's locals (params first); grows with the call sites' locals. */
    readonly types: WType[],
    private readonly nParams: number,
    private readonly survey: Survey,
  ) {}

  /** Finds candidates below e, which has `depth` enclosing loops, and outlines them. */
  place(e: Ref, depth: number): void {
    const id = b.getExpressionId(e);
    if (id === b.BlockId) {
      const n = b.Block.getNumChildren(e);
      for (let i = 0; i < n; i++) {
        const c = b.Block.getChildAt(e, i);
        if (!this.survey.withLoop.has(c)) continue;
        if (depth > 0 && this.isCandidate(c)) {
          const call = this.outline(c);
          if (call !== undefined) {
            b.Block.setChildAt(e, i, call);
            continue;
          }
        }
        this.place(c, depth);
      }
      return;
    }
    const inner = id === b.LoopId ? depth + 1 : depth;
    for (const c of children(e, id) ?? []) if (this.survey.withLoop.has(c)) this.place(c, inner);
  }

  /** A loop statement: a loop, or a block with a loop among its own statements (its break target). */
  private isCandidate(c: Ref): boolean {
    if (b.getExpressionType(c) !== b.none) return false;
    const id = b.getExpressionId(c);
    if (id === b.LoopId) return true;
    if (id !== b.BlockId) return false;
    const n = b.Block.getNumChildren(c);
    for (let i = 0; i < n; i++) if (b.getExpressionId(b.Block.getChildAt(c, i)) === b.LoopId) return true;
    return false;
  }

  /** Moves statement s into a new function; returns the call that replaces it, or undefined when s must stay. */
  private outline(s: Ref): Ref | undefined {
    const use = new StatementUse(s);
    if (use.unsafe) return undefined;
    const outside = (k: number): boolean => k < this.nParams || (this.survey.refs.get(k) ?? 0) > (use.refs.get(k) ?? 0);
    const fnName = `${this.name}${OUTLINED_MARK}${this.count}`;
    const moved = moveToFunction(this.g, fnName, this.name, this.types, s, use, outside, MAX_CARRIED);
    if (!moved) return undefined;
    this.count++;
    this.added.push(moved.fn);
    return moved.call;
  }
}

/** A statement moved into a function of its own. */
export interface Moved {
  /** What replaces the statement: the call, the write-back of the returned locals and the exits. */
  call: Ref;
  fn: binaryen.FunctionRef;
  /** The enclosing function's locals passed in and written back, by their index there. */
  params: number[];
  results: number[];
}

/**
 * Moves statement `s`, analysed as `use`, into a new function `fnName` standing for `parent` in
 * reports; the statement's local accesses are renumbered in place. `types` are the enclosing
 * function's local types (parameters first) and grow with the locals the call site needs;
 * `outside(k)` tells whether local k is a parameter or is referenced outside `s`. Undefined when
 * `s` must stay: it is unsafe to move or carries more than `maxCarried` locals in plus out.
 */
export function moveToFunction(g: Gen, fnName: string, parent: string, types: WType[], s: Ref, use: StatementUse, outside: (k: number) => boolean, maxCarried: number): Moved | undefined {
  if (use.unsafe) return undefined;
  const results = [...use.written].filter((k) => outside(k) || use.exposed.has(k)).sort((x, y) => x - y);
  const returned = new Set(results);
  const params = [...use.used].filter((k) => use.exposed.has(k) || returned.has(k)).sort((x, y) => x - y);
  if (params.length + results.length > maxCarried) return undefined;
  // A tuple-typed local (a call site's multi-value temporary) can be neither a parameter nor one
  // value of a result tuple.
  if (params.some((k) => b.expandType(types[k]).length !== 1) || results.some((k) => b.expandType(types[k]).length !== 1)) return undefined;

  const { m } = g;
  const renumber = new Map<number, number>();
  params.forEach((k, i) => renumber.set(k, i));
  const privates = [...use.used].filter((k) => !renumber.has(k)).sort((x, y) => x - y);
  privates.forEach((k, i) => renumber.set(k, params.length + i));
  use.accesses.forEach((a, i) => {
    const k = renumber.get(use.accessLocal[i])!;
    if (use.accessGets[i]) b.LocalGet.setIndex(a, k);
    else b.LocalSet.setIndex(a, k);
  });

  const paramTypes = params.map((k) => types[k]);
  const varTypes = privates.map((k) => types[k]);
  const coded = use.exits.length > 0;
  const resultTypes = [...(coded ? [b.i32] : []), ...results.map((k) => types[k])];
  const resultType = resultTypes.length === 0 ? b.none : resultTypes.length === 1 ? resultTypes[0] : b.createType(resultTypes);

  // Inside: each outside label becomes a block around the statement whose end records the
  // label's exit code; falling out of the statement leaves the code at 0.
  let inner = s;
  let codeLocal = -1;
  if (coded) {
    codeLocal = paramTypes.length + varTypes.length;
    varTypes.push(b.i32);
    const done = "outline_done";
    let nest = m.block(use.exits[0], [s, m.br(done)]);
    use.exits.forEach((label, k) => {
      const after = [m.local.set(codeLocal, m.i32.const(k + 1)), m.br(done)];
      nest = k + 1 < use.exits.length ? m.block(use.exits[k + 1], [nest, ...after]) : m.block(done, [nest, ...after]);
    });
    inner = nest;
  }
  const values = [...(coded ? [m.local.get(codeLocal, b.i32)] : []), ...results.map((k) => m.local.get(renumber.get(k)!, types[k]))];
  const fnBody = values.length === 0 ? inner : m.block(null, [inner, values.length === 1 ? values[0] : m.tuple.make(values)], resultType);
  const fn = g.addFunction(fnName, paramTypes, resultType, varTypes, fnBody);
  let parents = parentsOf.get(g);
  if (!parents) parentsOf.set(g, (parents = new Map()));
  parents.set(fnName, parent);

  // At the call site: call, write the returned locals back, take the exit named by the code.
  const call = m.call(fnName, params.map((k) => m.local.get(k, types[k])), resultType);
  if (resultTypes.length === 0) return { call, fn, params, results };
  const addLocal = (t: WType): number => types.push(t) - 1;
  const stmts: Ref[] = [];
  const targets = [...(coded ? [addLocal(b.i32)] : []), ...results];
  if (targets.length === 1) stmts.push(m.local.set(targets[0], call));
  else {
    const tuple = addLocal(resultType);
    stmts.push(m.local.set(tuple, call));
    targets.forEach((k, i) => stmts.push(m.local.set(k, m.tuple.extract(m.local.get(tuple, resultType), i))));
  }
  use.exits.forEach((label, k) => stmts.push(m.br(label, m.i32.eq(m.local.get(targets[0], b.i32), m.i32.const(k + 1)))));
  return { call: m.block(null, stmts, b.none), fn, params, results };
}

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

/**
 * Keeps Binaryen's optimiser from inlining outlined loops back into their only caller, which it
 * does for any function with one call site: that would undo the point of outlining them.
 */
export function keepOutlinedOutOfLine(g: Gen): void {
  if (!parentsOf.get(g)?.size) return;
  const before = binaryen.getPassArgument("no-inline");
  binaryen.setPassArgument("no-inline", `*${OUTLINED_MARK}*`);
  try {
    g.m.runPasses(["no-inline"]);
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

/** Locals definitely written on every path so far; ALL after an unconditional branch. */
type Written = Set<number> | "all";

function meet(a: Written, b2: Written): Written {
  if (a === "all") return b2 === "all" ? b2 : new Set(b2);
  if (b2 === "all") return new Set(a);
  const out = new Set<number>();
  for (const x of a) if (b2.has(x)) out.add(x);
  return out;
}

function copy(w: Written): Written {
  return w === "all" ? w : new Set(w);
}

/** What one candidate statement does with locals and labels. */
class StatementUse {
  /** Every local.get / local.set / local.tee inside, to renumber. */
  readonly accesses: Ref[] = [];
  readonly used = new Set<number>();
  readonly written = new Set<number>();
  /** Locals possibly read before written by this statement. */
  readonly exposed = new Set<number>();
  readonly refs = new Map<number, number>();
  /** Labels outside the statement that it branches to, in first-seen order. */
  readonly exits: string[] = [];
  unsafe = false;
  private readonly inner: string[] = [];
  /** Per inner block label: what is written on every branch to it seen so far. */
  private readonly atLabel = new Map<string, Written>();

  constructor(root: Ref) {
    this.walk(root, new Set());
  }

  private note(k: number): void {
    this.used.add(k);
    this.refs.set(k, (this.refs.get(k) ?? 0) + 1);
  }

  private branch(label: string, w: Written, hasValue: boolean): void {
    if (this.inner.includes(label)) {
      const seen = this.atLabel.get(label);
      this.atLabel.set(label, seen === undefined ? copy(w) : meet(seen, w));
      return;
    }
    if (hasValue) this.unsafe = true;
    else if (!this.exits.includes(label)) this.exits.push(label);
  }

  /** Walks e in evaluation order starting from `w`; returns what is written after it. */
  private walk(e: Ref, w: Written): Written {
    if (this.unsafe) return w;
    const id = b.getExpressionId(e);
    switch (id) {
      case b.LocalGetId: {
        const k = b.LocalGet.getIndex(e);
        this.accesses.push(e);
        this.note(k);
        if (w !== "all" && !w.has(k)) this.exposed.add(k);
        return w;
      }
      case b.LocalSetId: {
        w = this.walk(b.LocalSet.getValue(e), w);
        const k = b.LocalSet.getIndex(e);
        this.accesses.push(e);
        this.note(k);
        this.written.add(k);
        if (w !== "all") w.add(k);
        return w;
      }
      case b.BlockId: {
        const label = b.Block.getName(e);
        if (label) this.inner.push(label);
        const n = b.Block.getNumChildren(e);
        for (let i = 0; i < n; i++) w = this.walk(b.Block.getChildAt(e, i), w);
        if (label) {
          this.inner.pop();
          const viaBranch = this.atLabel.get(label);
          this.atLabel.delete(label);
          if (viaBranch !== undefined) w = meet(w, viaBranch);
        }
        return w;
      }
      case b.LoopId: {
        // A branch to the loop's label goes back to its head, where at least what was written
        // on entry is written, so it does not weaken what the body's own sequence guarantees.
        const label = b.Loop.getName(e);
        if (label) this.inner.push(label);
        w = this.walk(b.Loop.getBody(e), w);
        if (label) {
          this.inner.pop();
          this.atLabel.delete(label);
        }
        return w;
      }
      case b.IfId: {
        w = this.walk(b.If.getCondition(e), w);
        const yes = this.walk(b.If.getIfTrue(e), copy(w));
        const elseArm = b.If.getIfFalse(e);
        const no = elseArm ? this.walk(elseArm, copy(w)) : w;
        return meet(yes, no);
      }
      case b.BreakId: {
        const value = b.Break.getValue(e);
        const cond = b.Break.getCondition(e);
        if (value) w = this.walk(value, w);
        if (cond) w = this.walk(cond, w);
        this.branch(b.Break.getName(e), w, value !== 0);
        return cond ? w : "all";
      }
      case b.SwitchId: {
        const value = b.Switch.getValue(e);
        if (value) w = this.walk(value, w);
        w = this.walk(b.Switch.getCondition(e), w);
        const n = b.Switch.getNumNames(e);
        const names = [b.Switch.getDefaultName(e)];
        for (let i = 0; i < n; i++) names.push(b.Switch.getNameAt(e, i));
        for (const label of names) {
          if (!this.inner.includes(label)) this.unsafe = true;
          else this.branch(label, w, value !== 0);
        }
        return "all";
      }
      case b.ReturnId:
        this.unsafe = true;
        return "all";
      case b.UnreachableId:
        return "all";
      case b.CallId:
        if (b.Call.isReturn(e)) this.unsafe = true;
        break;
      case b.CallIndirectId:
        if (b.CallIndirect.isReturn(e)) this.unsafe = true;
        break;
    }
    const kids = children(e, id);
    if (kids === undefined) {
      this.unsafe = true;
      return w;
    }
    for (const c of kids) w = this.walk(c, w);
    return w;
  }
}

// ----------------------------------------------------------------------------------- outliner

class Outliner {
  private count = 0;
  /** The functions made so far, in order. */
  readonly added: binaryen.FunctionRef[] = [];
  private readonly m: binaryen.Module;

  constructor(
    private readonly g: Gen,
    private readonly name: string,
    /** Types of the function's locals (params first); grows with the call sites' locals. */
    readonly types: WType[],
    private readonly nParams: number,
    private readonly survey: Survey,
  ) {
    this.m = g.m;
  }

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
    const results = [...use.written].filter((k) => outside(k) || use.exposed.has(k)).sort((x, y) => x - y);
    const returned = new Set(results);
    const params = [...use.used].filter((k) => use.exposed.has(k) || returned.has(k)).sort((x, y) => x - y);
    if (params.length + results.length > MAX_CARRIED) return undefined;

    const { m } = this;
    const renumber = new Map<number, number>();
    params.forEach((k, i) => renumber.set(k, i));
    const privates = [...use.used].filter((k) => !renumber.has(k)).sort((x, y) => x - y);
    privates.forEach((k, i) => renumber.set(k, params.length + i));
    for (const a of use.accesses) {
      if (b.getExpressionId(a) === b.LocalGetId) b.LocalGet.setIndex(a, renumber.get(b.LocalGet.getIndex(a))!);
      else b.LocalSet.setIndex(a, renumber.get(b.LocalSet.getIndex(a))!);
    }

    const paramTypes = params.map((k) => this.types[k]);
    const varTypes = privates.map((k) => this.types[k]);
    const coded = use.exits.length > 0;
    const resultTypes = [...(coded ? [b.i32] : []), ...results.map((k) => this.types[k])];
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
    const values = [...(coded ? [m.local.get(codeLocal, b.i32)] : []), ...results.map((k) => m.local.get(renumber.get(k)!, this.types[k]))];
    const fnBody = values.length === 0 ? inner : m.block(null, [inner, values.length === 1 ? values[0] : m.tuple.make(values)], resultType);
    const fnName = `${this.name}${OUTLINED_MARK}${this.count++}`;
    this.added.push(this.g.addFunction(fnName, paramTypes, resultType, varTypes, fnBody));
    let parents = parentsOf.get(this.g);
    if (!parents) parentsOf.set(this.g, (parents = new Map()));
    parents.set(fnName, this.name);

    // At the call site: call, write the returned locals back, take the exit named by the code.
    const call = m.call(fnName, params.map((k) => m.local.get(k, this.types[k])), resultType);
    if (resultTypes.length === 0) return call;
    const stmts: Ref[] = [];
    const targets = [...(coded ? [this.addLocal(b.i32)] : []), ...results];
    if (targets.length === 1) stmts.push(m.local.set(targets[0], call));
    else {
      const tuple = this.addLocal(resultType);
      stmts.push(m.local.set(tuple, call));
      targets.forEach((k, i) => stmts.push(m.local.set(k, m.tuple.extract(m.local.get(tuple, resultType), i))));
    }
    use.exits.forEach((label, k) => stmts.push(m.br(label, m.i32.eq(m.local.get(targets[0], b.i32), m.i32.const(k + 1)))));
    return m.block(null, stmts, b.none);
  }

  private addLocal(t: WType): number {
    this.types.push(t);
    return this.types.length - 1;
  }
}

// Lowering of one TIR function body to Binaryen IR.
//
// Conventions (see layout.ts for representations):
//  - expr(e) of an owned type yields a *fresh* value (the caller owns it) unless e is a
//    `read`, which yields a borrowed alias. consume(e) always yields a fresh value (copying a
//    read); borrow(e) yields a value valid until the end of the current statement (fresh
//    temporaries are registered and dropped there).
//  - Locals whose address escapes live in an 8-byte heap cell; their wasm local holds the
//    cell address ("indirect"), as do `mut ref` params and by-reference captures.
//  - Owned locals are dropped at scope exit, and on break/continue/return out of the scope;
//    a moved-out or dropped local is zeroed, and every drop is null-safe.

import binaryen from "binaryen";
import type {
  LocalId,
  Span,
  TBlock,
  TExpr,
  TFunction,
  TMatchArm,
  TPattern,
  TPlace,
  TStmt,
  Type,
  BinOp,
  TCaptureInit,
  TForIter,
} from "../../tir/nodes.js";
import type { Gen } from "../context.js";
import { f32, f64, i32, i64, Locals, MEM, none, TABLE, wasmSize, type Ref, type WType } from "../ir.js";
import { HDR, type ElemSlot, type Layouts } from "../layout.js";
import { ALLOC, FREE, OOM } from "../runtime/alloc.js";
import { checkedNeg, intMax, intMin, normalize32, type IntT } from "../runtime/arith.js";
import { RT } from "../runtime/memory.js";
import { G, H } from "../runtime/names.js";
import { LAYOUT, TASK } from "../../abi.js";
import { STR } from "../runtime/strings.js";
import { VEC } from "../runtime/vec.js";
import { cmpValue, copyFn, dropFn, ENV, eqValue } from "./typeops.js";
import { lowerBuiltin } from "./builtins.js";
import { lowerCollectionLit, mapSlotAddr } from "./maps.js";
import { groupRuntime } from "../runtime/groups.js";
import { cancelledFn, lowerEscape, lowerPar, lowerSpawn, parFailFn } from "./concurrency.js";
import { fmtHole } from "./format.js";
import { checkedArith } from "./arith-inline.js";
import { sliceBind, slicePatTest } from "./slice-patterns.js";

interface Target {
  brk: string;
  cont?: string;
  depth: number;
  type: WType;
}

export class CodegenError extends Error {
  constructor(
    message: string,
    readonly span?: Span,
  ) {
    super(message);
  }
}

/** Environment layout of a lifted function: one slot per capture. */
export function envLayout(g: Gen, fn: TFunction): { size: number; slots: { offset: number; wasm: WType }[] } {
  // A closure can be copied and dropped as a value: its environment starts with its operations.
  let off = fn.kind === "closure" ? ENV.CAPTURES : 0;
  const slots = fn.captures.map((c) => {
    const w = c.byRef ? i32 : g.layouts.wasm(c.type);
    const sz = wasmSize(w);
    if (sz > 0) off = (off + sz - 1) & ~(sz - 1);
    const s = { offset: off, wasm: w };
    off += sz;
    return s;
  });
  return { size: (off + 7) & ~7, slots };
}

export function isLifted(fn: TFunction): boolean {
  return fn.kind === "closure" || fn.kind === "parBranch" || fn.kind === "thunk";
}

/** Wasm signature of a TIR function: lifted bodies take their environment first. */
export function signature(g: Gen, fn: TFunction): { params: WType[]; result: WType } {
  const params: WType[] = isLifted(fn) ? [i32] : [];
  for (const p of fn.params) {
    const w = p.mode === "mutref" ? i32 : g.layouts.wasm(p.type);
    if (w !== none) params.push(w);
  }
  return { params, result: g.layouts.wasm(fn.ret) };
}

type DeferNode = TExpr & { kind: "defer" };
export const SCALAR_KINDS = new Set(["unit", "int", "float", "bool", "char"]);

export class FnLower {
  readonly m: binaryen.Module;
  readonly L: Layouts;
  readonly ir: Gen["ir"];
  readonly locals: Locals;
  private readonly slot: number[] = [];
  private readonly indirect: boolean[] = [];
  /**
   * Open scopes: owned locals to drop, the `defer`s registered so far (a defer is a statement of
   * its block, so at any exit point exactly those lowered before it have been reached), and (for
   * `lock` bodies) the mutex to release.
   */
  private readonly scopes: { drops: LocalId[]; defers: DeferNode[]; unlock?: number }[] = [];
  private readonly temps: { local: number; type: Type }[][] = [];
  private readonly targets = new Map<number, Target>();
  private readonly prologue: Ref[] = [];
  private readonly cells: number[] = [];
  private keepCells = false;
  /** Par branch bodies observe their par's cancel word (checked at loop back-edges and calls). */
  readonly cancellable: boolean;
  private inCleanup = 0;
  private ret = -1;
  private labels = 0;

  constructor(
    readonly g: Gen,
    readonly fn: TFunction,
    /** Wasm name, when the function is synthetic (not in program.functions). */
    private readonly symbol?: string,
  ) {
    this.m = g.m;
    this.ir = g.ir;
    this.L = g.layouts;
    const sig = signature(g, fn);
    this.locals = new Locals(sig.params);
    // A task thunk stops early only when its result is a plain scalar (a cancelled task's result
    // is left zero, which must not be a dangling pointer).
    this.cancellable = fn.kind === "parBranch" || (fn.kind === "thunk" && SCALAR_KINDS.has(fn.ret.kind));
    this.assignLocals();
  }

  // ---------------------------------------------------------------- locals

  private assignLocals(): void {
    const { fn, L, m, ir } = this;
    const forced = addressNeeds(fn);
    const aliases = lockAliases(fn);
    const lifted = isLifted(fn);
    const paramIndex = new Map<LocalId, number>();
    let pi = lifted ? 1 : 0;
    for (const p of fn.params) {
      const w = p.mode === "mutref" ? i32 : L.wasm(p.type);
      if (w !== none) paramIndex.set(p.local, pi++);
    }
    const env = envLayout(this.g, fn);
    for (const loc of fn.locals) {
      const w = L.wasm(loc.type);
      const wantsCell = loc.addressTaken || forced.has(loc.id);
      if (loc.kind === "param") {
        const idx = paramIndex.get(loc.id);
        const param = fn.params.find((p) => p.local === loc.id);
        if (idx === undefined) {
          this.slot[loc.id] = -1;
        } else if (param?.mode === "mutref") {
          this.slot[loc.id] = idx;
          this.indirect[loc.id] = true;
        } else if (wantsCell) {
          const c = this.locals.add(i32);
          this.slot[loc.id] = c;
          this.indirect[loc.id] = true;
          this.cells.push(c);
          this.prologue.push(ir.set(c, m.call(ALLOC, [ir.c32(8)], i32)), ir.store(w, ir.get(this.locals, c), m.local.get(idx, w)));
        } else {
          this.slot[loc.id] = idx;
        }
        continue;
      }
      if (loc.kind === "capture" && loc.captureIndex !== undefined) {
        const cap = fn.captures[loc.captureIndex];
        const s = env.slots[loc.captureIndex];
        if (s.wasm === none) {
          this.slot[loc.id] = -1;
          continue;
        }
        const c = this.locals.add(s.wasm);
        this.slot[loc.id] = c;
        this.indirect[loc.id] = cap.byRef;
        this.prologue.push(ir.set(c, ir.load(s.wasm, m.local.get(0, i32), s.offset)));
        continue;
      }
      if (aliases.has(loc.id)) {
        // Set at the `lock` to the address of the mutex's value.
        this.slot[loc.id] = w === none ? -1 : this.locals.add(i32);
        this.indirect[loc.id] = true;
        continue;
      }
      if (wantsCell) {
        const c = this.locals.add(i32);
        this.slot[loc.id] = c;
        this.indirect[loc.id] = true;
        this.cells.push(c);
        this.prologue.push(ir.set(c, m.call(ALLOC, [ir.c32(8)], i32)), ir.store64(ir.get(this.locals, c), ir.c64(0)));
        continue;
      }
      this.slot[loc.id] = w === none ? -1 : this.locals.add(w);
    }
  }

  readLocal(id: LocalId): Ref {
    const s = this.slot[id];
    const w = this.L.wasm(this.fn.locals[id].type);
    if (s < 0 || w === none) return this.m.nop();
    if (this.indirect[id]) return this.ir.load(w, this.ir.get(this.locals, s));
    return this.ir.get(this.locals, s);
  }

  writeLocal(id: LocalId, v: Ref): Ref {
    const s = this.slot[id];
    const w = this.L.wasm(this.fn.locals[id].type);
    if (s < 0 || w === none) return this.stmtize(v);
    if (this.indirect[id]) return this.ir.store(w, this.ir.get(this.locals, s), v);
    return this.ir.set(s, v);
  }

  /** Address of a local's storage (it must live in a cell or be a reference). */
  localAddr(id: LocalId): Ref {
    if (!this.indirect[id]) throw new CodegenError(`local ${this.fn.locals[id].name} has no address`, this.fn.locals[id].span);
    return this.ir.get(this.locals, this.slot[id]);
  }

  tmp(w: WType): number {
    return this.locals.add(w);
  }

  label(kind: string): string {
    return `${kind}${this.labels++}`;
  }

  // ---------------------------------------------------------------- function

  build(): void {
    const { m, g, fn } = this;
    const sig = signature(g, fn);
    if (sig.result !== none) this.ret = this.tmp(sig.result);
    const body = this.blockExpr(fn.body);
    const main: Ref[] = [...this.prologue];
    main.push(m.block("fn_exit", [this.ret >= 0 ? this.ir.set(this.ret, body) : this.stmtize(body)]));
    for (const p of fn.paramDrops) main.push(this.dropLocal(p));
    // A task thunk runs once and owns the copies of owned values captured by value (see
    // makeEnv); whatever the body did not move out is freed here.
    if (fn.kind === "thunk") {
      for (const c of fn.captures) if (!c.byRef) main.push(this.dropLocal(c.local));
    }
    if (!this.keepCells) for (const c of this.cells) main.push(m.call(FREE, [this.ir.get(this.locals, c)], none));
    if (this.ret >= 0) main.push(m.return(this.ir.get(this.locals, this.ret)));
    g.addFunction(this.symbol ?? g.fnSymbol(fn.id), sig.params, sig.result, this.locals.varTypes(), m.block(null, main, none === sig.result ? none : binaryen.auto));
  }

  // ---------------------------------------------------------------- helpers

  /** Turn any expression into a statement (dropping its value). */
  stmtize(r: Ref): Ref {
    const t = binaryen.getExpressionType(r);
    if (t === none || t === binaryen.unreachable) return r;
    return this.m.drop(r);
  }

  site(span: Span): Ref {
    return this.ir.c32(this.g.panicSite(span, this.fn.panicName));
  }

  panic(span: Span, msg: string): Ref {
    return this.m.block(null, [
      this.m.call("rt_panic", [this.site(span), this.ir.c32(this.g.staticString(msg))], none),
      this.m.unreachable(),
    ]);
  }

  dropValue(t: Type, v: Ref): Ref {
    const d = dropFn(this.g, t);
    return d ? this.m.call(d, [v], none) : this.stmtize(v);
  }

  copyValue(t: Type, v: Ref): Ref {
    const c = copyFn(this.g, t);
    return c ? this.m.call(c, [v], this.L.wasm(t)) : v;
  }

  dropLocal(id: LocalId): Ref {
    const t = this.fn.locals[id].type;
    // Leaving a TaskGroup's scope joins the children not joined yet (effects-concurrency §3.6).
    if (t.kind === "taskGroup") return this.slot[id] < 0 ? this.m.nop() : this.m.call(groupRuntime(this.g).end, [this.readLocal(id)], none);
    if (!this.L.owned(t) || this.slot[id] < 0) return this.m.nop();
    return this.m.block(null, [this.dropValue(t, this.readLocal(id)), this.writeLocal(id, this.ir.zero(this.L.wasm(t)))]);
  }

  /**
   * Cleanup for leaving scopes[depth..], innermost first. When `result` reads the value the
   * function is returning, the error path (it matches the errdefers' `Err` pattern) first runs
   * every reached errdefer LIFO; then each scope runs its defers LIFO, drops its locals and
   * releases its lock (core.md F12.5, effects-concurrency §4.3).
   */
  private dropScopesFrom(depth: number, result?: () => Ref, cancelled = false): Ref[] {
    const { m, ir } = this;
    const out: Ref[] = [];
    if (cancelled) {
      // A cancelled branch leaves on the error path with no error value of its own: errdefers
      // that bind one are skipped (§4.3).
      for (let k = this.scopes.length - 1; k >= depth; k--) {
        const ds = this.scopes[k].defers;
        for (let j = ds.length - 1; j >= 0; j--) {
          const p = ds[j].errPattern;
          if (ds[j].err && !(p?.kind === "variant" && p.args[0]?.kind === "bind")) out.push(this.deferBody(ds[j]));
        }
      }
    } else if (result) {
      const errs: DeferNode[] = [];
      for (let k = this.scopes.length - 1; k >= depth; k--) {
        const ds = this.scopes[k].defers;
        for (let j = ds.length - 1; j >= 0; j--) if (ds[j].err && ds[j].errPattern) errs.push(ds[j]);
      }
      if (errs.length) {
        const test = this.patTest(errs[0].errPattern!, result);
        const body = errs.flatMap((d) => this.errDeferBody(d, result));
        out.push(test === undefined ? m.block(null, body) : m.if(test, m.block(null, body)));
      }
    }
    for (let k = this.scopes.length - 1; k >= depth; k--) {
      const { drops, defers, unlock } = this.scopes[k];
      for (let j = defers.length - 1; j >= 0; j--) if (!defers[j].err) out.push(this.deferBody(defers[j]));
      for (let j = drops.length - 1; j >= 0; j--) out.push(this.dropLocal(drops[j]));
      if (unlock !== undefined) out.push(m.call("rt_mutex_unlock", [ir.get(this.locals, unlock)], none));
    }
    return out;
  }

  /**
   * Cancellation point of a par branch / task body (effects-concurrency §4.2): when the task's
   * cancel word is set, run the cleanup of every open scope on the error path and return.
   */
  cancelPoint(): Ref {
    if (!this.cancellable || this.inCleanup > 0) return this.m.nop();
    const { m, ir } = this;
    const task = () => m.global.get(G.TASK, i32);
    // Inline fast path: a task with no cancel word (the common case) costs two loads.
    return m.if(
      task(),
      m.if(
        ir.load32(task(), TASK.CANCEL),
        m.if(m.call(cancelledFn(this), [], i32), m.block(null, [...this.dropScopesFrom(0, undefined, true), m.br("fn_exit")])),
      ),
    );
  }

  /** One copy of a defer body, lowered at an exit point (its value, if any, is discarded). */
  private deferBody(d: DeferNode): Ref {
    // Cleanup itself is never a cancellation point (it is what cancellation runs).
    this.inCleanup++;
    const r = this.stmt({ kind: "expr", expr: d.value, span: d.span });
    this.inCleanup--;
    return r;
  }

  private errDeferBody(d: DeferNode, result: () => Ref): Ref[] {
    const p = d.errPattern!;
    const binds = this.bindPattern(p, result);
    const bound = p.kind === "variant" && p.args[0]?.kind === "bind" ? p.args[0].local : undefined;
    return [...binds, this.deferBody(d), ...(bound !== undefined ? [this.dropLocal(bound)] : [])];
  }

  /** The returned value's reader for the error path, when the function can return `Err`. */
  private resultReader(local: number): (() => Ref) | undefined {
    if (local < 0 || this.fn.ret.kind !== "enum") return undefined;
    return () => this.ir.get(this.locals, local);
  }

  pushTemps(): void {
    this.temps.push([]);
  }

  popTemps(): Ref[] {
    const ts = this.temps.pop() ?? [];
    return ts.map((t) =>
      this.m.block(null, [this.dropValue(t.type, this.ir.get(this.locals, t.local)), this.ir.set(t.local, this.ir.zero(this.L.wasm(t.type)))]),
    );
  }

  /** Evaluate `inner` within its own temporary scope; its value is preserved across the drops. */
  scoped(w: WType, inner: () => Ref): Ref {
    this.pushTemps();
    const v = inner();
    const drops = this.popTemps();
    if (drops.length === 0) return v;
    const vt = binaryen.getExpressionType(v);
    if (w === none || vt === none || vt === binaryen.unreachable) return this.m.block(null, [this.stmtize(v), ...drops]);
    const t = this.tmp(w);
    return this.m.block(null, [this.ir.set(t, v), ...drops, this.ir.get(this.locals, t)], w);
  }

  /** Is e a borrowed alias (as opposed to a fresh value)? */
  isBorrowed(e: TExpr): boolean {
    return e.kind === "read";
  }

  expr(e: TExpr): Ref {
    return this.lowerExpr(e);
  }

  consume(e: TExpr): Ref {
    const v = this.lowerExpr(e);
    if (this.isBorrowed(e) && this.L.owned(e.type)) return this.copyValue(e.type, v);
    return v;
  }

  borrow(e: TExpr): Ref {
    if (e.kind === "string") return this.ir.c32(this.g.staticString(e.value));
    const v = this.lowerExpr(e);
    if (!this.isBorrowed(e) && this.L.owned(e.type) && this.temps.length > 0) {
      const w = this.L.wasm(e.type);
      const t = this.tmp(w);
      this.temps[this.temps.length - 1].push({ local: t, type: e.type });
      return this.m.local.tee(t, v, w);
    }
    return v;
  }

  /** Register an already-evaluated fresh value as a temporary of the current statement. */
  registerTemp(t: Type, v: Ref): Ref {
    if (!this.L.owned(t) || this.temps.length === 0) return v;
    const w = this.L.wasm(t);
    const l = this.tmp(w);
    this.temps[this.temps.length - 1].push({ local: l, type: t });
    return this.m.local.tee(l, v, w);
  }

  // ---------------------------------------------------------------- places

  /**
   * Address of a place's storage. Every tuple value is its binding's own block (layout.ts
   * boxedCopy), so a tuple field is written in place.
   */
  addr(p: TPlace, _forWrite = false): Ref {
    const { m, ir, L } = this;
    switch (p.kind) {
      case "local":
        return this.localAddr(p.local);
      case "global":
        return ir.c32(RT.GLOBALS + 8 * this.globalIndex(p.global));
      case "field": {
        const bt = p.base.type;
        if (bt.kind !== "struct") throw new CodegenError("field of a non-struct", p.span);
        const f = L.structLayout(bt.name).fields[p.index];
        return m.i32.add(this.read(p.base), ir.c32(f.offset));
      }
      case "tupleField": {
        const bt = p.base.type;
        if (bt.kind !== "tuple") throw new CodegenError("tuple field of a non-tuple", p.span);
        const f = L.tupleLayout(bt.elems).fields[p.index];
        return m.i32.add(this.read(p.base), ir.c32(f.offset));
      }
      case "index":
        if (p.coll === "map") return mapSlotAddr(this, p);
        return this.elemAddr(this.read(p.base), this.expr(p.index), p.type, p.coll, p.span);
      case "temp": {
        const c = this.tmp(i32);
        const w = L.wasm(p.type);
        return m.block(
          null,
          [
            ir.set(c, m.call(ALLOC, [ir.c32(8)], i32)),
            w === none ? this.stmtize(this.expr(p.value)) : ir.store(w, ir.get(this.locals, c), this.borrow(p.value)),
            ir.get(this.locals, c),
          ],
          i32,
        );
      }
    }
  }

  globalIndex(id: number): number {
    const k = this.g.program.globals.findIndex((gl) => gl.id === id);
    return k < 0 ? id : k;
  }

  elemAddr(hdr: Ref, index: Ref, elem: Type, coll: "vec" | "array" | "slice" | "map", span: Span): Ref {
    const { m, ir } = this;
    const es = this.L.elemBytes(elem);
    const h = this.tmp(i32);
    const i = this.tmp(i64);
    // Inline: indexing dominates array loops, and the check is one compare on the fast path.
    const check = ir.boundsChecked(() => ir.get(this.locals, h), () => ir.get(this.locals, i), es, this.panic(span, `${coll} index out of bounds`), HDR.LEN, HDR.DATA);
    return m.block(null, [ir.set(h, hdr), ir.set(i, index), check], i32);
  }

  /** How a place's storage is accessed: element slots at their natural width, the rest at full width. */
  placeSlot(p: TPlace): ElemSlot {
    if (p.kind === "index") return this.L.elem(p.type);
    const w = this.L.wasm(p.type);
    return { bytes: wasmSize(w), wasm: w, signed: false };
  }

  read(p: TPlace): Ref {
    const w = this.L.wasm(p.type);
    if (p.kind === "local") return this.readLocal(p.local);
    if (p.kind === "temp") return this.borrow(p.value);
    if (w === none) return this.stmtize(this.addr(p));
    return this.ir.loadSlot(this.placeSlot(p), this.addr(p));
  }

  /** Store v into place p; when dropOld, the previous owned value is freed first. */
  write(p: TPlace, v: Ref, dropOld: boolean): Ref {
    const { m, ir, L } = this;
    const w = L.wasm(p.type);
    const owned = dropOld && L.owned(p.type);
    if (p.kind === "local" && !this.indirect[p.local]) {
      if (!owned) return this.writeLocal(p.local, v);
      const t = this.tmp(w);
      return m.block(null, [ir.set(t, v), this.dropValue(p.type, this.readLocal(p.local)), this.writeLocal(p.local, ir.get(this.locals, t))]);
    }
    if (w === none) return m.block(null, [this.stmtize(v)]);
    const a = this.tmp(i32);
    const t = this.tmp(w);
    return m.block(null, [
      ir.set(t, v),
      ir.set(a, this.addr(p, true)),
      owned ? this.dropValue(p.type, ir.load(w, ir.get(this.locals, a))) : m.nop(),
      ir.storeSlot(this.placeSlot(p), ir.get(this.locals, a), ir.get(this.locals, t)),
    ]);
  }

  // ---------------------------------------------------------------- statements

  stmt(s: TStmt): Ref {
    this.pushTemps();
    const r = this.stmtInner(s);
    const drops = this.popTemps();
    return drops.length ? this.m.block(null, [r, ...drops]) : r;
  }

  private stmtInner(s: TStmt): Ref {
    const { m, L } = this;
    switch (s.kind) {
      case "let": {
        const p = s.pattern;
        if (!s.init) return p.kind === "bind" ? this.writeLocal(p.local, this.ir.zero(L.wasm(p.type))) : m.nop();
        if (p.kind === "bind" && !p.sub) return this.writeLocal(p.local, this.consume(s.init));
        if (p.kind === "wild") return this.exprStmt(s.init);
        const w = L.wasm(s.init.type);
        if (w === none) return this.stmtize(this.expr(s.init));
        const t = this.tmp(w);
        return m.block(null, [this.ir.set(t, this.borrow(s.init)), ...this.bindPattern(p, () => this.ir.get(this.locals, t))]);
      }
      case "assign":
        return this.write(s.place, this.consume(s.value), true);
      case "compoundAssign":
        return this.compoundAssign(s.place, s.op, s.value, s.operand, s.span);
      case "expr":
        return this.exprStmt(s.expr);
    }
  }

  exprStmt(e: TExpr): Ref {
    if (e.kind === "builtin" && (e.op === "spawn" || e.op === "taskgroup.spawn")) {
      const group = e.op === "taskgroup.spawn" && e.receiver ? (e.receiver.kind === "place" ? this.read(e.receiver.place) : this.borrow(e.receiver.value)) : undefined;
      return this.m.drop(lowerSpawn(this, e.args[0], group, e.span, true));
    }
    const v = this.expr(e);
    if (this.L.owned(e.type) && !this.isBorrowed(e)) return this.dropValue(e.type, v);
    return this.stmtize(v);
  }

  private compoundAssign(p: TPlace, op: BinOp, value: TExpr, operand: Type, span: Span): Ref {
    const { m, ir, L } = this;
    if (operand.kind === "string" && op === "+") {
      return m.call(STR.pushStr, [this.read(p), this.borrow(value)], none);
    }
    const w = L.wasm(p.type);
    if (p.kind === "local" && !this.indirect[p.local]) {
      return this.writeLocal(p.local, this.binary(op, operand, this.readLocal(p.local), this.borrow(value), span));
    }
    const a = this.tmp(i32);
    const v = this.tmp(w);
    const slot = this.placeSlot(p);
    return m.block(null, [
      ir.set(v, this.borrow(value)),
      ir.set(a, this.addr(p, true)),
      ir.storeSlot(slot, ir.get(this.locals, a), this.binary(op, operand, ir.loadSlot(slot, ir.get(this.locals, a)), ir.get(this.locals, v), span)),
    ]);
  }

  // ---------------------------------------------------------------- patterns

  /** Condition under which the value (read by get) matches p; undefined = always. */
  patTest(p: TPattern, get: () => Ref): Ref | undefined {
    const { m, ir, L } = this;
    const and = (a: Ref | undefined, b: Ref | undefined): Ref | undefined =>
      a === undefined ? b : b === undefined ? a : m.if(a, b, ir.c32(0));
    switch (p.kind) {
      case "wild":
        return undefined;
      case "bind":
        return p.sub ? this.patTest(p.sub, get) : undefined;
      case "lit":
        if (p.value.kind === "string") return m.call(STR.eq, [get(), ir.c32(this.g.staticString(p.value.value))], i32);
        return eqValue(this.g, p.type, get(), this.expr(p.value));
      case "range": {
        let c: Ref | undefined;
        if (p.lo) c = this.compare(">=", p.type, get(), this.expr(p.lo));
        if (p.hi) c = and(c, this.compare(p.inclusive ? "<=" : "<", p.type, get(), this.expr(p.hi)));
        return c;
      }
      case "tuple": {
        if (p.type.kind !== "tuple") return undefined;
        const lay = L.tupleLayout(p.type.elems);
        let c: Ref | undefined;
        p.elems.forEach((sp, k) => {
          const f = lay.fields[k];
          if (f.wasm === none) return;
          c = and(c, this.patTest(sp, () => ir.load(f.wasm, get(), f.offset)));
        });
        return c;
      }
      case "struct": {
        const lay = L.structLayout(p.type.kind === "struct" ? p.type.name : p.struct);
        let c: Ref | undefined;
        for (const fp of p.fields) {
          const f = lay.fields[fp.index];
          if (f.wasm === none) continue;
          c = and(c, this.patTest(fp.pattern, () => ir.load(f.wasm, get(), f.offset)));
        }
        return c;
      }
      case "variant": {
        const en = p.type.kind === "enum" ? p.type.name : p.enum;
        const boxed = L.enumBoxed(en);
        const tag = boxed ? ir.load32(get()) : get();
        let c: Ref | undefined = m.i32.eq(tag, ir.c32(p.variant));
        if (boxed) {
          const lay = L.variantLayouts(en)[p.variant];
          p.args.forEach((ap, k) => {
            const f = lay.fields[k];
            if (!f || f.wasm === none) return;
            c = and(c, this.patTest(ap, () => ir.load(f.wasm, get(), f.offset)));
          });
        }
        return c;
      }
      case "slice":
        return slicePatTest(this, p, get);
      case "or": {
        let c: Ref | undefined = ir.c32(0);
        for (const alt of p.alts) {
          const t = this.patTest(alt, get);
          if (t === undefined) return undefined;
          c = m.if(c, ir.c32(1), t);
        }
        return c;
      }
    }
  }

  /** Bind the pattern's variables (owned parts are copied out of the matched value). */
  bindPattern(p: TPattern, get: () => Ref): Ref[] {
    const { m, ir, L } = this;
    switch (p.kind) {
      case "wild":
      case "lit":
      case "range":
        return [];
      case "bind": {
        const t = this.fn.locals[p.local].type;
        const out = [this.writeLocal(p.local, L.wasm(t) === none ? m.nop() : this.copyValue(t, get()))];
        if (p.sub) out.push(...this.bindPattern(p.sub, get));
        return out;
      }
      case "tuple": {
        if (p.type.kind !== "tuple") return [];
        const lay = L.tupleLayout(p.type.elems);
        return p.elems.flatMap((sp, k) => {
          const f = lay.fields[k];
          return f.wasm === none ? [] : this.bindPattern(sp, () => ir.load(f.wasm, get(), f.offset));
        });
      }
      case "struct": {
        const lay = L.structLayout(p.type.kind === "struct" ? p.type.name : p.struct);
        return p.fields.flatMap((fp) => {
          const f = lay.fields[fp.index];
          return f.wasm === none ? [] : this.bindPattern(fp.pattern, () => ir.load(f.wasm, get(), f.offset));
        });
      }
      case "variant": {
        const en = p.type.kind === "enum" ? p.type.name : p.enum;
        if (!L.enumBoxed(en)) return [];
        const lay = L.variantLayouts(en)[p.variant];
        return p.args.flatMap((ap, k) => {
          const f = lay.fields[k];
          return !f || f.wasm === none ? [] : this.bindPattern(ap, () => ir.load(f.wasm, get(), f.offset));
        });
      }
      case "slice":
        return sliceBind(this, p, get);
      case "or": {
        // Bind through whichever alternative matches.
        let chain: Ref = m.nop();
        for (let k = p.alts.length - 1; k >= 0; k--) {
          const binds = this.bindPattern(p.alts[k], get);
          const test = this.patTest(p.alts[k], get);
          const body = m.block(null, binds.length ? binds : [m.nop()]);
          chain = test === undefined ? body : m.if(test, body, chain);
        }
        return [chain];
      }
    }
  }

  // ---------------------------------------------------------------- expressions

  blockExpr(b: TBlock): Ref {
    const { m, ir, L } = this;
    const w = L.wasm(b.type);
    const depth = this.scopes.length;
    const scope = { drops: this.scopeDrops(b), defers: [] as DeferNode[] };
    this.scopes.push(scope);
    const label = b.labelId !== undefined ? this.label("blk") : null;
    if (b.labelId !== undefined && label) this.targets.set(b.labelId, { brk: label, depth, type: w });
    const children: Ref[] = b.stmts.map((s) => this.stmt(s));
    const pr = b === this.fn.body ? this.fn.parResult : undefined;
    if (pr && children.length) {
      // Right after the branch's `let`: an Err cancels the siblings and records this branch.
      const test = this.patTest(pr.errPattern, () => this.readLocal(pr.local));
      if (test) children.splice(1, 0, m.if(test, m.call(parFailFn(this), [ir.c32(pr.index)], none)));
    }
    let tail: Ref | undefined;
    if (b.tail) tail = this.scoped(L.wasm(b.tail.type), () => this.consume(b.tail!));
    const tt = tail !== undefined ? binaryen.getExpressionType(tail) : none;
    const valued = tail !== undefined && w !== none && tt !== none && tt !== binaryen.unreachable;
    const cleans = scope.drops.length > 0 || scope.defers.length > 0;
    const t = valued && cleans ? this.tmp(w) : -1;
    // A function body's tail `Err` is an error exit: its errdefers run (§4.3).
    const drops = this.dropScopesFrom(depth, b === this.fn.body ? this.resultReader(t) : undefined);
    this.scopes.pop();
    if (tail !== undefined) {
      if (w === none || tt === none) {
        children.push(this.stmtize(tail), ...drops);
      } else if (t >= 0) {
        children.push(ir.set(t, tail), ...drops, ir.get(this.locals, t));
      } else {
        children.push(tail, ...drops);
      }
    } else {
      children.push(...drops);
      if (w !== none && b.type.kind !== "never") children.push(m.unreachable());
    }
    if (children.length === 0) children.push(m.nop());
    return m.block(label, children, w === none ? none : w);
  }

  /**
   * Locals a block cleans up at exit: owned values (the checker's, and the copy-class values
   * kept in heap blocks, layout.ts boxedCopy) and TaskGroups. `drops` lists every by-value local.
   */
  private scopeDrops(b: TBlock): LocalId[] {
    return b.drops.filter((id) => this.L.owned(this.fn.locals[id].type) || this.fn.locals[id].type.kind === "taskGroup");
  }

  lowerExpr(e: TExpr): Ref {
    const { m, ir, L } = this;
    const w = L.wasm(e.type);
    switch (e.kind) {
      case "int":
        return w === i64 ? ir.c64(e.value) : ir.c32(Number(BigInt.asIntN(32, e.value)));
      case "float":
        return w === f32 ? m.f32.const(e.value) : m.f64.const(e.value);
      case "bool":
        return ir.c32(e.value ? 1 : 0);
      case "char":
        return ir.c32(e.value);
      case "string": {
        const b = this.g.bytes(e.value);
        return m.call(STR.from, [ir.c32(b.ptr), ir.c32(b.len)], i32);
      }
      case "unit":
        return m.nop();
      case "read":
        return this.read(e.place);
      case "move": {
        if (!L.owned(e.type)) return this.readLocal(e.local);
        const t = this.tmp(w);
        return m.block(null, [ir.set(t, this.readLocal(e.local)), this.writeLocal(e.local, ir.zero(w)), ir.get(this.locals, t)], w);
      }
      case "copy":
        return this.consume(e.value);
      case "coerce":
      case "cast":
        return this.convert(this.expr(e.value), e.from, e.to);
      case "binary":
        return this.binaryExpr(e.op, e.operand, e.left, e.right, e.span);
      case "logical":
        return e.op === "and"
          ? m.if(this.expr(e.left), this.expr(e.right), ir.c32(0))
          : m.if(this.expr(e.left), ir.c32(1), this.expr(e.right));
      case "unary":
        return this.unary(e.op, e.operand, e.span);
      case "call":
        return this.withCancelPoint(this.call(e.fn, e.args, e.type));
      case "callValue":
        return this.withCancelPoint(this.callValue(e.callee, e.args, e.type));
      case "fnRef":
        return this.fnValue(this.fnRefAdapter(e.fn), ir.c32(0));
      case "closure":
        return this.fnValue(this.g.fnSymbol(e.fn), this.makeEnv(e.fn, e.captures));
      case "builtin":
        if (e.op === "print" || e.op === "println" || e.op === "eprintln") return this.withCancelPoint(lowerBuiltin(this, e));
        return lowerBuiltin(this, e);
      case "fstring": {
        const sb = this.tmp(i32);
        const parts: Ref[] = [ir.set(sb, m.call(STR.new, [ir.c32(16)], i32))];
        for (const part of e.parts) {
          if (part.kind === "text") {
            if (part.text.length) parts.push(m.call(STR.pushStr, [ir.get(this.locals, sb), ir.c32(this.g.staticString(part.text))], none));
          } else {
            parts.push(this.scoped(none, () => fmtHole(this, ir.get(this.locals, sb), part.value, part.spec)));
          }
        }
        parts.push(ir.get(this.locals, sb));
        return m.block(null, parts, i32);
      }
      case "tuple": {
        if (e.type.kind !== "tuple") throw new CodegenError("tuple literal of a non-tuple type", e.span);
        const lay = L.tupleLayout(e.type.elems);
        return this.aggregate(lay.size, e.elems.map((v, k) => ({ value: v, offset: lay.fields[k].offset, wasm: lay.fields[k].wasm })));
      }
      case "struct": {
        const lay = L.structLayout(e.type.kind === "struct" ? e.type.name : e.struct);
        return this.aggregate(lay.size, e.fields.map((f) => ({ value: f.value, offset: lay.fields[f.index].offset, wasm: lay.fields[f.index].wasm })));
      }
      case "variant": {
        // The expression's type names the instance (`Option[i64]`); prefer it to e.enum.
        const en = e.type.kind === "enum" ? e.type.name : e.enum;
        if (!L.enumBoxed(en)) return ir.c32(e.variant);
        const lay = L.variantLayouts(en)[e.variant];
        return this.aggregate(
          L.enumBlockSize(en),
          e.payload.map((v, k) => ({ value: v, offset: lay.fields[k].offset, wasm: lay.fields[k].wasm })),
          e.variant,
        );
      }
      case "vecLit":
      case "arrayLit":
        return this.seqLiteral(e.type, e.elems);
      case "vecRepeat":
      case "arrayRepeat":
        return this.seqRepeat(e.type, e.value, e.kind === "vecRepeat" ? this.expr(e.count) : ir.c64(e.count));
      case "block":
        return this.blockExpr(e);
      case "if": {
        const cond = this.scoped(i32, () => this.expr(e.cond));
        const then = this.blockExpr(e.then);
        const els = e.else ? this.scoped(w, () => this.consume(e.else!)) : undefined;
        if (w === none) return m.if(cond, this.stmtize(then), els === undefined ? undefined : this.stmtize(els));
        return m.if(cond, then, els);
      }
      case "match":
        return this.match(e.scrutinee, e.arms, e.type);
      case "while": {
        const brk = this.label("brk");
        const cont = this.label("cont");
        const top = this.label("top");
        this.targets.set(e.loopId, { brk, cont, depth: this.scopes.length, type: none });
        const cond = this.scoped(i32, () => this.expr(e.cond));
        const body = this.stmtize(this.blockExpr(e.body));
        return m.block(brk, [m.loop(top, m.block(null, [m.br(brk, m.i32.eqz(cond)), m.block(cont, [body]), this.backEdge(top)]))]);
      }
      case "loop": {
        const brk = this.label("brk");
        const cont = this.label("cont");
        const top = this.label("top");
        const bw = e.type.kind === "never" ? none : w;
        this.targets.set(e.loopId, { brk, cont, depth: this.scopes.length, type: bw });
        const body = this.stmtize(this.blockExpr(e.body));
        const lp = m.loop(top, m.block(null, [m.block(cont, [body]), this.backEdge(top)]));
        if (e.type.kind === "never") return m.block(brk, [lp]);
        return m.block(brk, [lp, ...(bw === none ? [] : [m.unreachable()])], bw);
      }
      case "for":
        return this.forLoop(e.loopId, e.iter, e.body);
      case "break": {
        const t = this.targets.get(e.target);
        if (!t) throw new CodegenError("break outside a loop", e.span);
        const drops = this.dropScopesFrom(t.depth);
        if (e.value && t.type !== none) {
          const v = this.tmp(t.type);
          return m.block(null, [ir.set(v, this.consume(e.value)), ...drops, m.br(t.brk, undefined, ir.get(this.locals, v))]);
        }
        const pre = e.value ? [this.stmtize(this.expr(e.value))] : [];
        return m.block(null, [...pre, ...drops, m.br(t.brk)]);
      }
      case "continue": {
        const t = this.targets.get(e.target);
        if (!t || !t.cont) throw new CodegenError("continue outside a loop", e.span);
        return m.block(null, [...this.dropScopesFrom(t.depth), m.br(t.cont)]);
      }
      case "return": {
        if (e.escape) return lowerEscape(this, e.value!, e.escape, (v) => this.dropScopesFrom(0, v));
        const pre: Ref[] = [];
        if (e.value) {
          const v = this.consume(e.value);
          pre.push(this.ret >= 0 ? ir.set(this.ret, v) : this.stmtize(v));
        }
        return m.block(null, [...pre, ...this.dropScopesFrom(0, e.value ? this.resultReader(this.ret) : undefined), m.br("fn_exit")]);
      }
      case "par":
        return lowerPar(this, e);
      case "lock":
        return this.lock(e.mutex, e.alias, e.body, e.type);
      case "defer":
        // Registered here; lowered at each exit of the enclosing block (dropScopesFrom).
        this.scopes[this.scopes.length - 1].defers.push(e);
        return m.nop();
      case "slice":
        return this.slice(e.base, e.lo, e.hi, e.inclusive, e.span);
      case "mapLit":
      case "setLit":
        return lowerCollectionLit(this, e);
      case "range":
        return lowerBuiltin(this, e);
      case "try":
        throw new CodegenError("`?` reached code generation unlowered", e.span);
      case "error":
        throw new CodegenError("typed hole reached code generation", e.span);
    }
  }

  /**
   * `lock m alias { body }`: acquire the mutex, make `alias` a reference to its value, run the
   * body, release. break/continue/return out of the body release it too.
   */
  private lock(mutex: TPlace, alias: LocalId, body: TBlock, type: Type): Ref {
    const { m, ir, L } = this;
    const mp = this.tmp(i32);
    const w = L.wasm(type);
    const out: Ref[] = [ir.set(mp, this.read(mutex)), m.call("rt_mutex_lock", [ir.get(this.locals, mp)], none)];
    if (this.slot[alias] >= 0) out.push(ir.set(this.slot[alias], m.i32.add(ir.get(this.locals, mp), ir.c32(8))));
    this.scopes.push({ drops: [], defers: [], unlock: mp });
    const v = this.blockExpr(body);
    this.scopes.pop();
    const release = m.call("rt_mutex_unlock", [ir.get(this.locals, mp)], none);
    const vt = binaryen.getExpressionType(v);
    if (w === none || vt === none || vt === binaryen.unreachable) {
      out.push(this.stmtize(v), release);
      return m.block(null, out);
    }
    const t = this.tmp(w);
    out.push(ir.set(t, v), release, ir.get(this.locals, t));
    return m.block(null, out, w);
  }

  /** `s[a..b]` on a String copies the bytes; on a sequence it makes a Slice view. */
  private slice(base: TExpr, lo: TExpr | undefined, hi: TExpr | undefined, inclusive: boolean, span: Span): Ref {
    const { m, ir } = this;
    const b = this.tmp(i32);
    const a = this.tmp(i64);
    const z = this.tmp(i64);
    const L = this.locals;
    const isStr = base.type.kind === "string";
    const out: Ref[] = [
      ir.set(b, this.borrow(base)),
      ir.set(a, lo ? this.expr(lo) : ir.c64(0)),
      ir.set(z, hi ? (inclusive ? m.i64.add(this.expr(hi), ir.c64(1)) : this.expr(hi)) : m.i64.extend_u(ir.load32(ir.get(L, b), HDR.LEN))),
      m.if(
        m.i32.or(m.i64.gt_u(ir.get(L, z), m.i64.extend_u(ir.load32(ir.get(L, b), HDR.LEN))), m.i64.gt_u(ir.get(L, a), ir.get(L, z))),
        this.panic(span, isStr ? "string slice index out of bounds" : "slice index out of bounds"),
      ),
    ];
    if (isStr) {
      out.push(
        m.call(
          "rt_str_sub",
          [ir.get(L, b), m.i32.wrap(ir.get(L, a)), m.i32.wrap(ir.get(L, z)), this.site(span)],
          i32,
        ),
      );
      return m.block(null, out, i32);
    }
    const el = this.seqElemType(base.type);
    const es = this.L.elemBytes(el);
    const h = this.tmp(i32);
    out.push(
      ir.set(h, m.call(ALLOC, [ir.c32(HDR.SIZE)], i32)),
      ir.store32(ir.get(L, h), ir.elemAt(ir.load32(ir.get(L, b), HDR.DATA), m.i32.wrap(ir.get(L, a)), es), HDR.DATA),
      ir.store32(ir.get(L, h), m.i32.wrap(m.i64.sub(ir.get(L, z), ir.get(L, a))), HDR.LEN),
      ir.store32(ir.get(L, h), ir.c32(0), HDR.CAP),
      ir.get(L, h),
    );
    return m.block(null, out, i32);
  }

  /** Allocate a block and store the given values (consumed) at their offsets. */
  aggregate(size: number, fields: { value: TExpr; offset: number; wasm: WType }[], tag?: number): Ref {
    const { m, ir } = this;
    const p = this.tmp(i32);
    const out: Ref[] = [];
    // Evaluate fields in source order before allocating, so a panic leaks nothing observable.
    const vals = fields.map((f) => {
      if (f.wasm === none) return { f, local: -1, eff: this.stmtize(this.expr(f.value)) };
      const l = this.tmp(f.wasm);
      return { f, local: l, eff: ir.set(l, this.consume(f.value)) };
    });
    for (const v of vals) out.push(v.eff);
    out.push(ir.set(p, m.call(ALLOC, [ir.c32(size)], i32)));
    if (tag !== undefined) out.push(ir.store32(ir.get(this.locals, p), ir.c32(tag)));
    for (const v of vals) if (v.local >= 0) out.push(ir.store(v.f.wasm, ir.get(this.locals, p), ir.get(this.locals, v.local), v.f.offset));
    out.push(ir.get(this.locals, p));
    return m.block(null, out, i32);
  }

  seqElemType(t: Type): Type {
    if (t.kind === "vec" || t.kind === "array" || t.kind === "slice") return t.elem;
    throw new CodegenError(`not a sequence type: ${t.kind}`);
  }

  private seqLiteral(t: Type, elems: TExpr[]): Ref {
    const { m, ir, L } = this;
    const el = this.seqElemType(t);
    const slot = L.elem(el);
    const es = slot.bytes;
    const v = this.tmp(i32);
    const out: Ref[] = [ir.set(v, m.call(VEC.new, [ir.c32(elems.length), ir.c32(es)], i32))];
    elems.forEach((x, k) => {
      const data = ir.load32(ir.get(this.locals, v), HDR.DATA);
      out.push(slot.wasm === none ? this.stmtize(this.expr(x)) : ir.storeSlot(slot, data, this.consume(x), k * es));
    });
    out.push(ir.store32(ir.get(this.locals, v), ir.c32(elems.length), HDR.LEN));
    out.push(ir.get(this.locals, v));
    return m.block(null, out, i32);
  }

  private seqRepeat(t: Type, value: TExpr, count: Ref): Ref {
    const { m, ir, L } = this;
    const el = this.seqElemType(t);
    const w = L.wasm(el);
    const slot = L.elem(el);
    const es = slot.bytes;
    const n = this.tmp(i32);
    const v = this.tmp(i32);
    const x = w === none ? -1 : this.tmp(w);
    const i = this.tmp(i32);
    const cnt = this.tmp(i64);
    const top = this.label("rep");
    const lo = this.locals;
    const fillLoop = (): Ref =>
      m.loop(
        top,
        m.if(
          m.i32.lt_u(ir.get(lo, i), ir.get(lo, n)),
          m.block(null, [
            x >= 0
              ? ir.storeSlot(slot, ir.elemAt(ir.load32(ir.get(lo, v), HDR.DATA), ir.get(lo, i), es), this.copyValue(el, ir.get(lo, x)))
              : m.nop(),
            ir.set(i, m.i32.add(ir.get(lo, i), ir.c32(1))),
            this.backEdge(top),
          ]),
        ),
      );
    return m.block(
      null,
      [
        x >= 0 ? ir.set(x, this.consume(value)) : this.stmtize(this.expr(value)),
        // A negative count makes an empty sequence.
        ir.set(cnt, count),
        ir.set(n, m.select(m.i64.lt_s(ir.get(lo, cnt), ir.c64(0)), ir.c32(0), m.i32.wrap(ir.get(lo, cnt)))),
        // A count beyond 32 bits cannot be addressed: report it whole rather than wrapped.
        m.if(m.i64.gt_s(ir.get(lo, cnt), ir.c64(0x7fff_ffff)), m.call(OOM, [m.i64.mul(ir.get(lo, cnt), ir.c64(es))], none)),
        ir.set(v, m.call(VEC.new, [ir.get(lo, n), ir.c32(es)], i32)),
        ir.set(i, ir.c32(0)),
        // Byte-wide elements are never owned: one memory.fill writes them all. Wider bit-copied
        // elements whose value is all zero bits (`Vec.filled(n, 0)`) are one fill too.
        x >= 0 && es === 1
          ? m.memory.fill(ir.load32(ir.get(lo, v), HDR.DATA), ir.get(lo, x), ir.get(lo, n), MEM)
          : x >= 0 && !copyFn(this.g, el)
            ? m.if(
                zeroBits(this, w, ir.get(lo, x)),
                m.memory.fill(ir.load32(ir.get(lo, v), HDR.DATA), ir.c32(0), m.i32.mul(ir.get(lo, n), ir.c32(es)), MEM),
                fillLoop(),
              )
            : fillLoop(),
        ir.store32(ir.get(lo, v), ir.get(lo, n), HDR.LEN),
        x >= 0 ? this.dropValue(el, ir.get(lo, x)) : m.nop(),
        ir.get(lo, v),
      ],
      i32,
    );
  }

  private match(scrutinee: TExpr, arms: TMatchArm[], type: Type): Ref {
    const { m, ir, L } = this;
    const sw = L.wasm(scrutinee.type);
    const w = L.wasm(type);
    const s = sw === none ? -1 : this.tmp(sw);
    const get = () => (s >= 0 ? ir.get(this.locals, s) : ir.c32(0));
    const done = this.label("match");
    const out: Ref[] = [s >= 0 ? ir.set(s, this.borrow(scrutinee)) : this.stmtize(this.expr(scrutinee))];
    for (const arm of arms) {
      const next = this.label("arm");
      const code: Ref[] = [];
      const test = s >= 0 ? this.patTest(arm.pattern, get) : undefined;
      if (test !== undefined) code.push(m.br(next, m.i32.eqz(test)));
      if (s >= 0) code.push(...this.bindPattern(arm.pattern, get));
      if (arm.guard) code.push(m.br(next, m.i32.eqz(this.scoped(i32, () => this.expr(arm.guard!)))));
      const body = this.scoped(w, () => this.consume(arm.body));
      if (w === none) code.push(this.stmtize(body), m.br(done));
      else code.push(m.br(done, undefined, body));
      out.push(m.block(next, code));
    }
    out.push(m.unreachable());
    return m.block(done, out, w);
  }

  private forLoop(loopId: number, iter: TForIter, body: TBlock): Ref {
    const { m, ir, L } = this;
    const brk = this.label("brk");
    const cont = this.label("cont");
    const top = this.label("top");
    this.targets.set(loopId, { brk, cont, depth: this.scopes.length, type: none });
    const lo = this.locals;
    switch (iter.kind) {
      case "range": {
        // Walk [first, last] (inclusive) forward or backward by `step`; the distance left is
        // compared before each step so the counter never overflows.
        const w = L.wasm(iter.elem);
        const t = iter.elem;
        const o = w === i64 ? m.i64 : m.i32;
        const one = w === i64 ? ir.c64(1) : ir.c32(1);
        const [i, lo2, hi2, st] = [this.tmp(w), this.tmp(w), this.tmp(w), this.tmp(i64)];
        const G = (k: number) => ir.get(lo, k);
        const dist = (a: Ref, b: Ref) => (w === i64 ? o.sub(a, b) : m.i64.extend_u(o.sub(a, b)));
        const init: Ref[] = [
          ir.set(lo2, this.expr(iter.lo)),
          ir.set(hi2, this.expr(iter.hi)),
          ir.set(st, iter.step ? this.toI64(iter.step) : ir.c64(1)),
        ];
        if (iter.step) init.push(m.if(m.i64.le_s(G(st), ir.c64(0)), this.panic(iter.step.span, "assertion failed: step != 0")));
        // empty range → skip; exclusive upper bound → last = hi - 1
        init.push(m.br(brk, iter.inclusive ? this.compare(">", t, G(lo2), G(hi2)) : this.compare(">=", t, G(lo2), G(hi2))));
        if (!iter.inclusive) init.push(ir.set(hi2, o.sub(G(hi2), one)));
        init.push(ir.set(i, iter.reverse ? G(hi2) : G(lo2)));
        const b = this.stmtize(this.blockExpr(body));
        const left = iter.reverse ? dist(G(i), G(lo2)) : dist(G(hi2), G(i));
        const advance = iter.reverse ? o.sub(G(i), w === i64 ? G(st) : m.i32.wrap(G(st))) : o.add(G(i), w === i64 ? G(st) : m.i32.wrap(G(st)));
        return m.block(brk, [
          ...init,
          m.loop(
            top,
            m.block(null, [
              ...this.bindPattern(iter.variable, () => G(i)),
              m.block(cont, [b]),
              m.br(brk, m.i64.lt_u(left, G(st))),
              ir.set(i, advance),
              this.backEdge(top),
            ]),
          ),
        ]);
      }
      case "seq": {
        const el = iter.elem;
        const slot = L.elem(el);
        const v = this.tmp(i32);
        const i = this.tmp(i32);
        const init = ir.set(v, this.borrow(iter.coll));
        const get = () =>
          slot.wasm === none ? m.nop() : ir.loadSlot(slot, ir.elemAt(ir.load32(ir.get(lo, v), HDR.DATA), ir.get(lo, i), slot.bytes));
        const b = this.stmtize(this.blockExpr(body));
        return m.block(brk, [
          init,
          ir.set(i, ir.c32(0)),
          m.loop(
            top,
            m.block(null, [
              m.br(brk, m.i32.ge_u(ir.get(lo, i), ir.load32(ir.get(lo, v), HDR.LEN))),
              ...this.bindPattern(iter.variable, get),
              m.block(cont, [b]),
              ir.set(i, m.i32.add(ir.get(lo, i), ir.c32(1))),
              this.backEdge(top),
            ]),
          ),
        ]);
      }
      case "chars": {
        const s = this.tmp(i32);
        const i = this.tmp(i32);
        const c = this.tmp(i32);
        const n = this.tmp(i32);
        const b = this.stmtize(this.blockExpr(body));
        const at = () => m.i32.add(ir.load32(ir.get(lo, s), HDR.DATA), ir.get(lo, i));
        return m.block(brk, [
          ir.set(s, this.borrow(iter.string)),
          ir.set(i, ir.c32(0)),
          m.loop(
            top,
            m.block(null, [
              m.br(brk, m.i32.ge_u(ir.get(lo, i), ir.load32(ir.get(lo, s), HDR.LEN))),
              ir.set(n, m.call("rt_utf8_len", [m.i32.load8_u(0, 1, at(), "mem")], i32)),
              ir.set(c, m.call("rt_utf8_decode", [at(), ir.get(lo, n)], i32)),
              ir.set(i, m.i32.add(ir.get(lo, i), ir.get(lo, n))),
              ...this.bindPattern(iter.variable, () => ir.get(lo, c)),
              m.block(cont, [b]),
              this.backEdge(top),
            ]),
          ),
        ]);
      }
      case "map":
      case "set":
      case "other":
        throw new CodegenError("this kind of `for` loop is not supported yet", body.span);
    }
  }

  // ---------------------------------------------------------------- operators

  compare(op: "==" | "!=" | "<" | "<=" | ">" | ">=", t: Type, a: Ref, b: Ref): Ref {
    const { m } = this;
    const ints = (o: typeof m.i32 | typeof m.i64, signed: boolean) => {
      switch (op) {
        case "==":
          return o.eq(a, b);
        case "!=":
          return o.ne(a, b);
        case "<":
          return signed ? o.lt_s(a, b) : o.lt_u(a, b);
        case "<=":
          return signed ? o.le_s(a, b) : o.le_u(a, b);
        case ">":
          return signed ? o.gt_s(a, b) : o.gt_u(a, b);
        case ">=":
          return signed ? o.ge_s(a, b) : o.ge_u(a, b);
      }
    };
    if (t.kind === "int") return ints(t.bits === 64 ? m.i64 : m.i32, t.signed);
    if (t.kind === "bool" || t.kind === "char") return ints(m.i32, false);
    if (t.kind === "float") {
      const o = t.bits === 64 ? m.f64 : m.f32;
      return { "==": o.eq, "!=": o.ne, "<": o.lt, "<=": o.le, ">": o.gt, ">=": o.ge }[op](a, b);
    }
    if (t.kind === "enum" && !this.L.enumBoxed(t.name) && (op === "==" || op === "!=")) return ints(m.i32, false);
    if (op === "==") return eqValue(this.g, t, a, b);
    if (op === "!=") return m.i32.eqz(eqValue(this.g, t, a, b));
    const c = cmpValue(this.g, t, a, b);
    return { "<": m.i32.lt_s, "<=": m.i32.le_s, ">": m.i32.gt_s, ">=": m.i32.ge_s }[op](c, this.ir.c32(0));
  }

  private binaryExpr(op: BinOp, t: Type, left: TExpr, right: TExpr, span: Span): Ref {
    if (t.kind === "string" && op === "+") return this.m.call(STR.concat, [this.borrow(left), this.borrow(right)], i32);
    return this.binary(op, t, this.borrow(left), this.borrow(right), span);
  }

  binary(op: BinOp, t: Type, a: Ref, b: Ref, span: Span): Ref {
    const { m } = this;
    switch (op) {
      case "==":
      case "!=":
      case "<":
      case "<=":
      case ">":
      case ">=":
        return this.compare(op, t, a, b);
    }
    if (t.kind === "int") {
      const o = t.bits === 64 ? m.i64 : m.i32;
      switch (op) {
        case "&":
          return o.and(a, b);
        case "|":
          return o.or(a, b);
        case "^":
          return o.xor(a, b);
        default:
          return checkedArith(this, op, t, a, b, span);
      }
    }
    if (t.kind === "float") {
      const o = t.bits === 64 ? m.f64 : m.f32;
      switch (op) {
        case "+":
          return o.add(a, b);
        case "-":
          return o.sub(a, b);
        case "*":
          return o.mul(a, b);
        case "/":
          return o.div(a, b);
        case "%":
          return m.call(t.bits === 64 ? "rt_fmod64" : "rt_fmod32", [a, b], t.bits === 64 ? f64 : f32);
      }
    }
    if (t.kind === "bool") {
      if (op === "&") return m.i32.and(a, b);
      if (op === "|") return m.i32.or(a, b);
      if (op === "^") return m.i32.xor(a, b);
    }
    if (t.kind === "string" && op === "+") return m.call(STR.concat, [a, b], i32);
    throw new CodegenError(`operator ${op} on ${t.kind} is not supported`, span);
  }

  private unary(op: "neg" | "not" | "bitnot", operand: TExpr, span: Span): Ref {
    const { m, ir } = this;
    const t = operand.type;
    const v = this.expr(operand);
    if (op === "not") return m.i32.eqz(v);
    if (t.kind === "float") return t.bits === 64 ? m.f64.neg(v) : m.f32.neg(v);
    if (t.kind !== "int") throw new CodegenError(`unary ${op} on ${t.kind}`, span);
    if (op === "neg") return m.call(checkedNeg(this.g, t), [v, this.site(span)], t.bits === 64 ? i64 : i32);
    if (t.bits === 64) return m.i64.xor(v, ir.c64(-1));
    return normalize32(this.g, t, m.i32.xor(v, ir.c32(-1)));
  }

  convert(v: Ref, from: Type, to: Type): Ref {
    const { m, ir } = this;
    if (from.kind === "int" && to.kind === "int") {
      if (from.bits === 64 && to.bits === 64) return v;
      if (from.bits === 64) return normalize32(this.g, to, m.i32.wrap(v));
      if (to.bits === 64) return from.signed ? m.i64.extend_s(v) : m.i64.extend_u(v);
      return normalize32(this.g, to, v);
    }
    if ((from.kind === "int" || from.kind === "bool" || from.kind === "char") && to.kind === "float") {
      const signed = from.kind === "int" && from.signed;
      const wide = from.kind === "int" && from.bits === 64;
      const o = to.bits === 64 ? m.f64 : m.f32;
      const c = signed ? o.convert_s : o.convert_u;
      return wide ? c.i64(v) : c.i32(v);
    }
    if (from.kind === "float" && to.kind === "int") {
      const src = from.bits === 64 ? "f64" : "f32";
      if (to.bits === 64) return (to.signed ? m.i64.trunc_s_sat : m.i64.trunc_u_sat)[src](v);
      const x = (to.signed ? m.i32.trunc_s_sat : m.i32.trunc_u_sat)[src](v);
      if (to.bits === 32) return x;
      return m.call(to.signed ? "rt_clamp_s" : "rt_clamp_u", [x, ir.c32(Number(intMin(to))), ir.c32(Number(intMax(to)))], i32);
    }
    if (from.kind === "float" && to.kind === "float") {
      if (from.bits === to.bits) return v;
      return to.bits === 64 ? m.f64.promote(v) : m.f32.demote(v);
    }
    if ((from.kind === "bool" || from.kind === "char") && to.kind === "int") {
      return to.bits === 64 ? m.i64.extend_u(v) : normalize32(this.g, to as IntT, v);
    }
    if (to.kind === "char" && from.kind === "int") return from.bits === 64 ? m.i32.wrap(v) : v;
    return v;
  }

  // ---------------------------------------------------------------- calls and closures

  private call(fnId: number, args: import("../../tir/nodes.js").TArg[], type: Type): Ref {
    const { m, L } = this;
    const callee = this.g.program.functions[fnId];
    const ops: Ref[] = [];
    const pre: Ref[] = [];
    const post: Ref[] = [];
    args.forEach((a, k) => {
      const p = callee.params[k];
      let v: Ref;
      if (a.mode === "mutref") v = this.mutrefArg(a.place, post);
      else if (p && p.mode === "owned" && !L.boxedCopy(p.type)) v = this.consume(a.value);
      else if (isWholeView(a.value)) v = this.borrow(a.value.base);
      else v = this.borrow(a.value);
      const pw = p ? (p.mode === "mutref" ? i32 : L.wasm(p.type)) : binaryen.getExpressionType(v);
      if (pw === none) pre.push(this.stmtize(v));
      else ops.push(v);
    });
    const rw = L.wasm(callee.ret);
    let r = m.call(this.g.fnSymbol(fnId), ops, rw);
    if (post.length) {
      const res = rw === none ? -1 : this.tmp(rw);
      r = m.block(null, [res < 0 ? r : this.ir.set(res, r), ...post, res < 0 ? m.nop() : this.ir.get(this.locals, res)], rw);
    }
    const out = pre.length ? m.block(null, [...pre, r], rw) : r;
    if (type.kind === "never" || callee.ret.kind === "never") return m.block(null, [this.stmtize(out), m.unreachable()]);
    return out;
  }

  /**
   * The address passed for a `mut` argument. A callee accesses its `mut` parameters at full
   * width, so a narrow element slot (Vec[u8] element, …) goes through a full-width cell: copied
   * in here, written back by `post` after the call.
   */
  private mutrefArg(place: TPlace, post: Ref[]): Ref {
    const { m, ir } = this;
    const slot = this.placeSlot(place);
    if (slot.bytes >= wasmSize(slot.wasm)) return this.addr(place, true);
    const at = this.tmp(i32);
    const cell = this.tmp(i32);
    post.push(ir.storeSlot(slot, ir.get(this.locals, at), ir.load(slot.wasm, ir.get(this.locals, cell))), m.call(FREE, [ir.get(this.locals, cell)], none));
    return m.block(
      null,
      [
        ir.set(at, this.addr(place, true)),
        ir.set(cell, m.call(ALLOC, [ir.c32(8)], i32)),
        ir.store(slot.wasm, ir.get(this.locals, cell), ir.loadSlot(slot, ir.get(this.locals, at))),
        ir.get(this.locals, cell),
      ],
      i32,
    );
  }

  private callValue(callee: TExpr, args: TExpr[], type: Type): Ref {
    const { m, ir, L } = this;
    const f = this.tmp(i64);
    const ops: Ref[] = [m.i32.wrap(ir.get(this.locals, f))];
    const types: WType[] = [i32];
    for (const a of args) {
      const w = L.wasm(a.type);
      if (w === none) continue;
      ops.push(L.boxedCopy(a.type) ? this.borrow(a) : this.consume(a));
      types.push(w);
    }
    const rw = L.wasm(type);
    const target = m.i32.wrap(m.i64.shr_u(ir.get(this.locals, f), ir.c64(32)));
    const c = m.call_indirect(TABLE, target, ops, binaryen.createType(types), rw);
    return m.block(null, [ir.set(f, this.borrow(callee)), c], rw);
  }

  /**
   * Loop back-edge. When another task has panicked (or the run was stopped) the host raises
   * the abort flag; `wait(flag, 0)` then returns at once in a host that keeps going, and
   * unwinds this task in the worker pool, so long loops stop promptly. The flag is read on every
   * iteration: an atomic i32 load is a plain load on current hardware, and measured faster than
   * polling it every N iterations from a counter local (the counter's add/and/branch cost more).
   */
  backEdge(top: string): Ref {
    const { m, ir } = this;
    return m.block(null, [
      m.if(m.i32.atomic.load(0, ir.c32(LAYOUT.ABORT_FLAG), "mem"), m.call(H.wait, [ir.c32(LAYOUT.ABORT_FLAG), ir.c32(0)], none)),
      this.cancelPoint(),
      m.br(top),
    ]);
  }

  /** A call in a par branch body is preceded by a cancellation point. */
  private withCancelPoint(call: Ref): Ref {
    if (!this.cancellable || this.inCleanup > 0) return call;
    const t = binaryen.getExpressionType(call);
    return this.m.block(null, [this.cancelPoint(), call], t === binaryen.unreachable ? binaryen.auto : t);
  }

  toI64(e: TExpr): Ref {
    const v = this.expr(e);
    if (e.type.kind === "int" && e.type.bits < 64) return e.type.signed ? this.m.i64.extend_s(v) : this.m.i64.extend_u(v);
    return v;
  }

  fnValue(name: string, env: Ref): Ref {
    const { m, ir } = this;
    return m.i64.or(m.i64.shl(ir.c64(this.g.slot(name)), ir.c64(32)), m.i64.extend_u(env));
  }

  /** A table entry taking (env, params…) that forwards to a named function. */
  private fnRefAdapter(fnId: number): string {
    const g = this.g;
    const fn = g.program.functions[fnId];
    if (isLifted(fn)) return g.fnSymbol(fnId);
    const sig = signature(g, fn);
    return g.define(`val:${g.fnSymbol(fnId)}`, [i32, ...sig.params], sig.result, () => [
      g.m.call(g.fnSymbol(fnId), sig.params.map((w, k) => g.m.local.get(k + 1, w)), sig.result),
    ]);
  }

  /** Allocate and fill the environment of a lifted function. */
  makeEnv(fnId: number, inits: TCaptureInit[]): Ref {
    const { m, ir, L } = this;
    const lifted = this.g.program.functions[fnId];
    const lay = envLayout(this.g, lifted);
    if (lay.slots.length === 0) return ir.c32(0);
    if (inits.some((c) => c.byRef) && lifted.kind === "closure") this.keepCells = true;
    const env = this.tmp(i32);
    const out: Ref[] = [ir.set(env, m.call(ALLOC, [ir.c32(Math.max(8, lay.size))], i32))];
    if (lifted.kind === "closure") {
      const ops = envOps(this.g, lifted);
      out.push(
        ir.store32(ir.get(this.locals, env), ir.c32(this.g.slot(ops.drop)), ENV.DROP),
        ir.store32(ir.get(this.locals, env), ir.c32(this.g.slot(ops.copy)), ENV.COPY),
      );
    }
    inits.forEach((c, k) => {
      const s = lay.slots[k];
      if (!s || s.wasm === none) return;
      // A closure or task may outlive the captured binding's scope: owned values are copied.
      const t = lifted.captures[k]?.type;
      const v = c.byRef
        ? this.localAddr(c.outer)
        : lifted.kind !== "parBranch" && t && L.owned(t)
          ? this.copyValue(t, this.readLocal(c.outer))
          : this.readLocal(c.outer);
      out.push(ir.store(s.wasm, ir.get(this.locals, env), v, s.offset));
    });
    out.push(ir.get(this.locals, env));
    return m.block(null, out, i32);
  }
}

/**
 * Drop and copy of a closure's environment, reached through its header: the captured-by-value
 * owned values are the environment's own (makeEnv copies them); by-reference slots hold cell
 * addresses, which the copy shares.
 */
function envOps(g: Gen, fn: TFunction): { drop: string; copy: string } {
  const { m, ir, layouts: L } = g;
  const lay = envLayout(g, fn);
  const size = Math.max(8, lay.size);
  const owned = fn.captures.flatMap((c, k) => (!c.byRef && lay.slots[k].wasm !== none && L.owned(c.type) ? [{ type: c.type, slot: lay.slots[k] }] : []));
  const sym = g.fnSymbol(fn.id);
  const drop = g.define(`envdrop:${sym}`, [i32], none, (l) => [
    ...owned.map((o) => m.call(dropFn(g, o.type)!, [ir.load(o.slot.wasm, ir.get(l, 0), o.slot.offset)], none)),
    m.call(FREE, [ir.get(l, 0)], none),
  ]);
  const copy = g.define(`envcopy:${sym}`, [i32], i32, (l) => {
    const r = l.add(i32);
    return [
      ir.set(r, m.call(ALLOC, [ir.c32(size)], i32)),
      m.memory.copy(ir.get(l, r), ir.get(l, 0), ir.c32(size), "mem", "mem"),
      ...owned.map((o) =>
        ir.store(o.slot.wasm, ir.get(l, r), m.call(copyFn(g, o.type)!, [ir.load(o.slot.wasm, ir.get(l, 0), o.slot.offset)], o.slot.wasm), o.slot.offset),
      ),
      ir.get(l, r),
    ];
  });
  return { drop, copy };
}

/**
 * `v[..]` of a whole Vec/Array (how a collection is passed to a Slice parameter): the collection's
 * header starts with the {data, len} of a slice header, and a borrowed parameter is never freed or
 * resized, so the callee can take the collection's own header instead of a new one.
 */
function isWholeView(e: TExpr): e is TExpr & { kind: "slice" } {
  return e.kind === "slice" && !e.lo && !e.hi && (e.base.type.kind === "vec" || e.base.type.kind === "array");
}

/** Calls `visit` on every object node under `root` once (spans and types are not descended). */
function forEachNode(root: unknown, visit: (o: Record<string, unknown>) => void): void {
  const seen = new Set<object>();
  const walk = (x: unknown): void => {
    if (!x || typeof x !== "object" || seen.has(x)) return;
    seen.add(x);
    if (Array.isArray(x)) {
      for (const y of x) walk(y);
      return;
    }
    const o = x as Record<string, unknown>;
    visit(o);
    for (const k of Object.keys(o)) if (k !== "span" && k !== "type") walk(o[k]);
  };
  walk(root);
}

/** Locals bound by `lock` blocks (references to a mutex's value). */
function lockAliases(fn: TFunction): Set<LocalId> {
  const out = new Set<LocalId>();
  forEachNode(fn.body, (o) => {
    if (o.kind === "lock" && typeof o.alias === "number") out.add(o.alias);
  });
  return out;
}

/** Locals whose address is needed although the checker did not flag them (defensive). */
function addressNeeds(fn: TFunction): Set<LocalId> {
  const out = new Set<LocalId>();
  forEachNode(fn.body, (o) => {
    if (Array.isArray(o.captures) && (o.kind === "closure" || "fn" in o)) {
      for (const c of o.captures as TCaptureInit[]) if (c && c.byRef && typeof c.outer === "number") out.add(c.outer);
    }
    if (o.mode === "mutref" && o.place && typeof o.place === "object") {
      const p = o.place as TPlace;
      if (p.kind === "local") out.add(p.local);
    }
  });
  return out;
}

/** 1 when a value of wasm type w is all zero bits (so -0.0 is not). */
function zeroBits(f: FnLower, w: WType, v: Ref): Ref {
  const m = f.m;
  if (w === i64) return m.i64.eqz(v);
  if (w === f64) return m.i64.eqz(m.i64.reinterpret(v));
  if (w === f32) return m.i32.eqz(m.i32.reinterpret(v));
  return m.i32.eqz(v);
}

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
import type { LocalId, Span, TBlock, TCaptureInit, TExpr, TFunction, TPattern, TPlace, TProviderBinding, TStmt, Type, BinOp } from "../../tir/nodes.js";
import type { Gen } from "../context.js";
import { f32, i32, i64, Locals, none, wasmSize, type Ref, type WType } from "../ir.js";
import { HDR, type ElemSlot, type Layouts } from "../layout.js";
import { ALLOC, FREE } from "../runtime/alloc.js";
import { RT } from "../runtime/memory.js";
import { G, H } from "../runtime/names.js";
import { LAYOUT, TASK } from "../../abi.js";
import { STR } from "../runtime/strings.js";
import { indexPanic, panicCall } from "../runtime/panics.js";
import { copyFn, dropFn } from "./typeops.js";
import { CodegenError } from "./errors.js";
import type { Lowerer, Target } from "./lowerer.js";
import { envLayout, isLifted, SCALAR_KINDS, signature } from "./signature.js";
import { lowerBuiltin } from "./builtins.js";
import { lowerCollectionLit, mapSlotAddr } from "./maps.js";
import { groupRuntime } from "../runtime/groups.js";
import { cancelledFn, lowerEscape, lowerPar, lowerSpawn, parFailFn } from "./concurrency.js";
import { fmtHole } from "./format.js";
import { localPlacement } from "./local-analysis.js";
import { call, callValue, fnRefAdapter, fnValue, makeEnv } from "./calls.js";
import { lowerProviderCall, popProviders, providerTop, pushProviders } from "./providers.js";
import { forLoop, loopExpr, whileLoop } from "./loops.js";
import { binary, binaryExpr, compare, convert, unary, type CompareOp } from "./operators.js";
import { longChain, lowerChain } from "./chains.js";
import { bindPattern, match, patTest } from "./patterns.js";
import { aggregate, seqLiteral, seqRepeat, slice } from "./sequences.js";
import { contractEntry, contractExit } from "./contracts.js";
import { outlineInnerLoops } from "../outline-loops.js";
import { coalesceLocals } from "../coalesce-locals.js";
import { splitLongFunction } from "../split-function.js";
import { uncancellableBranches } from "./uncancellable.js";
import { loopFacts } from "./loop-invariants.js";

type DeferNode = TExpr & { kind: "defer" };

export class FnLower implements Lowerer {
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
  private readonly scopes: { drops: LocalId[]; defers: DeferNode[]; unlock?: number; providers?: { saved: number; count: number } }[] = [];
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
  /** Statements and the spans they were lowered from, when positions are recorded (Gen.recordPositions). */
  private readonly positions: { ref: Ref; span: Span }[] = [];

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
    this.cancellable =
      (fn.kind === "parBranch" && !uncancellableBranches(g.program).has(fn.id)) || (fn.kind === "thunk" && SCALAR_KINDS.has(fn.ret.kind));
    this.assignLocals();
  }

  // ---------------------------------------------------------------- locals

  private assignLocals(): void {
    const { fn, L, m, ir } = this;
    const { addressNeeds: forced, lockAliases: aliases } = localPlacement(fn);
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
      if (aliases.has(loc.id) || (loc.kind === "let" && loc.mode !== "owned")) {
        // Set at the `lock` to the address of the mutex's value, or by a pattern binding through
        // a `mut ref` scrutinee to the address of the payload slot it names (check/mutref-patterns.ts).
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

  /** Point an alias local (a `lock` alias or a `mut ref` pattern binding) at an address. */
  setAlias(id: LocalId, addr: Ref): Ref {
    return this.slot[id] >= 0 ? this.ir.set(this.slot[id], addr) : this.m.drop(addr);
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

  retainCells(): void {
    this.keepCells = true;
  }

  patTest(p: TPattern, get: () => Ref): Ref | undefined {
    return patTest(this, p, get);
  }

  bindPattern(p: TPattern, get: () => Ref, addr?: () => Ref): Ref[] {
    return bindPattern(this, p, get, addr);
  }

  compare(op: CompareOp, t: Type, a: Ref, b: Ref): Ref {
    return compare(this, op, t, a, b);
  }

  makeEnv(fnId: number, inits: TCaptureInit[]): Ref {
    return makeEnv(this, fnId, inits);
  }

  fnValue(name: string, env: Ref): Ref {
    return fnValue(this, name, env);
  }

  setTarget(loopId: number, target: Target): void {
    this.targets.set(loopId, target);
  }

  scopeDepth(): number {
    return this.scopes.length;
  }

  // ---------------------------------------------------------------- function

  build(): void {
    const { m, g, fn } = this;
    const sig = signature(g, fn);
    if (sig.result !== none) this.ret = this.tmp(sig.result);
    const entryChecks = contractEntry(this);
    const body = this.blockExpr(fn.body);
    const main: Ref[] = [...this.prologue, ...entryChecks];
    main.push(m.block("fn_exit", [this.ret >= 0 ? this.ir.set(this.ret, body) : this.stmtize(body)]));
    main.push(...contractExit(this, this.ret >= 0 ? () => this.ir.get(this.locals, this.ret) : undefined));
    for (const p of fn.paramDrops) main.push(this.dropLocal(p));
    // A task thunk runs once and owns the copies of owned values captured by value (see
    // makeEnv); whatever the body did not move out is freed here.
    if (fn.kind === "thunk") {
      for (const c of fn.captures) if (!c.byRef) main.push(this.dropLocal(c.local));
    }
    if (!this.keepCells) for (const c of this.cells) main.push(m.call(FREE, [this.ir.get(this.locals, c)], none));
    if (this.ret >= 0) main.push(m.return(this.ir.get(this.locals, this.ret)));
    const name = this.symbol ?? g.fnSymbol(fn.id);
    const code = m.block(null, main, none === sig.result ? none : binaryen.auto);
    const outlined = outlineInnerLoops(g, fn.id, name, sig.params, this.locals.varTypes(), code, this.targets.size);
    const split = splitLongFunction(g, name, sig.params, outlined.vars, code, fn.span.length);
    const added = g.addFunction(name, sig.params, sig.result, coalesceLocals(sig.params, split.vars, code, g.shareLocalsAbove), code);
    // A position's expression may have moved into an outlined loop function or a split part;
    // Binaryen keys locations by expression, so giving every one of them the whole list is enough.
    for (const f of [added, ...outlined.functions, ...split.functions]) {
      for (const { ref, span } of this.positions) m.setDebugLocation(f, ref, g.debugFileIndex(span.offset), span.line, span.column);
    }
  }

  // ---------------------------------------------------------------- helpers

  /**
   * An expression of type `never` as Binaryen must see it: typed `unreachable`, so that it fits
   * any expected value type. Lowerings that end in a branch already are; anything else (a block
   * given an explicit type, a block some branch targets) gets a trailing `unreachable`.
   */
  diverge(r: Ref): Ref {
    if (binaryen.getExpressionType(r) === binaryen.unreachable) return r;
    return this.m.block(null, [this.stmtize(r), this.m.unreachable()], binaryen.unreachable);
  }

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
      const { drops, defers, unlock, providers } = this.scopes[k];
      for (let j = defers.length - 1; j >= 0; j--) if (!defers[j].err) out.push(this.deferBody(defers[j]));
      for (let j = drops.length - 1; j >= 0; j--) out.push(this.dropLocal(drops[j]));
      if (unlock !== undefined) out.push(m.call("rt_mutex_unlock", [ir.get(this.locals, unlock)], none));
      if (providers) out.push(popProviders(this, providers.saved, providers.count));
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
    const r = loopFacts(this).suspend(() => this.stmt({ kind: "expr", expr: d.value, span: d.span }));
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
        return loopFacts(this).elemAddr(this, p) ?? this.elemAddr(this.read(p.base), this.expr(p.index), p.type, p.coll, p.span);
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
    // The panic names the length and the index (karac's wording, whatever the collection `coll`).
    void coll;
    const fail = panicCall(this.g, indexPanic(this.g), this.site(span), [ir.get(this.locals, i), m.i64.extend_u(ir.load32(ir.get(this.locals, h), HDR.LEN))]);
    const check = ir.boundsChecked(() => ir.get(this.locals, h), () => ir.get(this.locals, i), es, fail, HDR.LEN, HDR.DATA);
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
    const lowered = drops.length ? this.m.block(null, [r, ...drops]) : r;
    if (this.g.recordPositions) {
      // The inner ref too, so the position outlives the optimiser removing the wrapping block.
      this.positions.push({ ref: lowered, span: s.span });
      if (lowered !== r) this.positions.push({ ref: r, span: s.span });
    }
    return lowered;
  }

  private stmtInner(s: TStmt): Ref {
    const { m, L } = this;
    switch (s.kind) {
      case "let": {
        const p = s.pattern;
        if (!s.init) return p.kind === "bind" ? this.writeLocal(p.local, this.ir.zero(L.wasm(p.type))) : m.nop();
        if (p.kind === "bind" && !p.sub && this.fn.locals[p.local].mode === "ref" && this.indirect[p.local] && s.init.kind === "read") return this.refBinding(p.local, s.init.place);
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

  /**
   * `let x = ref place;` (check/ref-bindings.ts): x aliases the place's storage, so it reads the
   * element as it is now, never a copy. A whole local (which lives in a wasm local, not memory) or
   * a packed element (bool, 8/16-bit integers) binds its value instead: a heap value's handle, read
   * without copying and never dropped, or the scalar itself.
   */
  private refBinding(id: LocalId, place: TPlace): Ref {
    const w = this.L.wasm(this.fn.locals[id].type);
    if (this.slot[id] < 0 || w === none) return this.stmtize(this.read(place));
    const slot = this.placeSlot(place);
    if (place.kind !== "temp" && place.kind !== "local" && slot.bytes >= wasmSize(slot.wasm) && slot.wasm === w) return this.setAlias(id, this.addr(place));
    if (w !== i32) throw new CodegenError("a `ref` binding of a packed scalar element", place.span);
    this.indirect[id] = false;
    return this.ir.set(this.slot[id], this.read(place));
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
      return this.writeLocal(p.local, binary(this, op, operand, this.readLocal(p.local), this.borrow(value), span));
    }
    const a = this.tmp(i32);
    const v = this.tmp(w);
    const slot = this.placeSlot(p);
    return m.block(null, [
      ir.set(v, this.borrow(value)),
      ir.set(a, this.addr(p, true)),
      ir.storeSlot(slot, ir.get(this.locals, a), binary(this, op, operand, ir.loadSlot(slot, ir.get(this.locals, a)), ir.get(this.locals, v), span)),
    ]);
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
    const block = m.block(label, children, w === none ? none : w);
    return b.type.kind === "never" ? this.diverge(block) : block;
  }

  /**
   * Locals a block cleans up at exit: owned values (the checker's, and the copy-class values
   * kept in heap blocks, layout.ts boxedCopy) and TaskGroups. `drops` lists every by-value local.
   */
  private scopeDrops(b: TBlock): LocalId[] {
    return b.drops.filter((id) => this.L.owned(this.fn.locals[id].type) || this.fn.locals[id].type.kind === "taskGroup");
  }

  lowerExpr(e: TExpr): Ref {
    const r = this.lowerExprOf(e);
    return e.type.kind === "never" ? this.diverge(r) : r;
  }

  private lowerExprOf(e: TExpr): Ref {
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
        // A `take` copy moves the value out of its place (check/drop-bindings.ts): the slot is
        // left empty, so the owner's drop (or the overwrite that follows) skips it.
        if ((e as { take?: boolean }).take && e.value.kind === "read" && (e.value.place.kind !== "local" || this.indirect[e.value.place.local]) && w !== none) {
          const a = this.tmp(i32);
          const t = this.tmp(w);
          const slot = this.placeSlot(e.value.place);
          return m.block(null, [ir.set(a, this.addr(e.value.place, true)), ir.set(t, ir.loadSlot(slot, ir.get(this.locals, a))), ir.storeSlot(slot, ir.get(this.locals, a), ir.zero(w)), ir.get(this.locals, t)], w);
        }
        return this.consume(e.value);
      case "coerce":
      case "cast":
        return convert(this, this.expr(e.value), e.from, e.to);
      case "binary":
      case "logical": {
        const spine = longChain(e);
        if (spine) return lowerChain(this, spine);
        if (e.kind === "binary") return binaryExpr(this, e.op, e.operand, e.left, e.right, e.span);
        return e.op === "and"
          ? m.if(this.expr(e.left), this.expr(e.right), ir.c32(0))
          : m.if(this.expr(e.left), ir.c32(1), this.expr(e.right));
      }
      case "unary":
        return unary(this, e.op, e.operand, e.span);
      case "call":
        return this.withCancelPoint(call(this, e.fn, e.args, e.type));
      case "callValue":
        return this.withCancelPoint(callValue(this, e.callee, e.args, e.type));
      case "fnRef":
        return this.fnValue(fnRefAdapter(this, e.fn), ir.c32(0));
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
        return aggregate(this, lay.size, e.elems.map((v, k) => ({ value: v, offset: lay.fields[k].offset, wasm: lay.fields[k].wasm })));
      }
      case "struct": {
        const lay = L.structLayout(e.type.kind === "struct" ? e.type.name : e.struct);
        return aggregate(this, lay.size, e.fields.map((f) => ({ value: f.value, offset: lay.fields[f.index].offset, wasm: lay.fields[f.index].wasm })), undefined, L.isRc(e.type) ? e.type : undefined);
      }
      case "variant": {
        // The expression's type names the instance (`Option[i64]`); prefer it to e.enum.
        const en = e.type.kind === "enum" ? e.type.name : e.enum;
        if (!L.enumBoxed(en)) return ir.c32(e.variant);
        const lay = L.variantLayouts(en)[e.variant];
        return aggregate(this, 
          L.enumBlockSize(en),
          e.payload.map((v, k) => ({ value: v, offset: lay.fields[k].offset, wasm: lay.fields[k].wasm })),
          e.variant,
          L.isRc(e.type) ? e.type : undefined,
        );
      }
      case "vecLit":
      case "arrayLit":
        return seqLiteral(this, e.type, e.elems);
      case "vecRepeat":
      case "arrayRepeat":
        return seqRepeat(this, e.type, e.value, e.kind === "vecRepeat" ? this.expr(e.count) : ir.c64(e.count), e.span);
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
        return match(this, e.scrutinee, e.arms, e.type);
      case "while":
        return whileLoop(this, e);
      case "loop":
        return loopExpr(this, e);
      case "for":
        return forLoop(this, e.loopId, e.iter, e.body);
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
      case "providerCall":
        return this.withCancelPoint(lowerProviderCall(this, e));
      case "providerScope":
        return this.providerScope(e.bindings, e.body, e.type);
      case "defer":
        // Registered here; lowered at each exit of the enclosing block (dropScopesFrom).
        this.scopes[this.scopes.length - 1].defers.push(e);
        return m.nop();
      case "slice":
        return slice(this, e.base, e.lo, e.hi, e.inclusive, e.span);
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

  /**
   * A provider scope: save the provider stack's top, push the providers, run the body; every way
   * out of the body (its value, break/continue/return, cancellation) pops them (dropScopesFrom).
   */
  private providerScope(bindings: TProviderBinding[], body: TBlock, type: Type): Ref {
    const { m, ir, L } = this;
    const saved = this.tmp(i32);
    const w = L.wasm(type);
    const out: Ref[] = [ir.set(saved, providerTop(this)), ...pushProviders(this, bindings)];
    this.scopes.push({ drops: [], defers: [], providers: { saved, count: bindings.length } });
    const v = this.blockExpr(body);
    this.scopes.pop();
    const restore = popProviders(this, saved, bindings.length);
    const vt = binaryen.getExpressionType(v);
    if (w === none || vt === none || vt === binaryen.unreachable) {
      out.push(this.stmtize(v), restore);
      return m.block(null, out);
    }
    const t = this.tmp(w);
    out.push(ir.set(t, v), restore, ir.get(this.locals, t));
    return m.block(null, out, w);
  }

  seqElemType(t: Type): Type {
    if (t.kind === "vec" || t.kind === "array" || t.kind === "slice") return t.elem;
    throw new CodegenError(`not a sequence type: ${t.kind}`);
  }

  // ---------------------------------------------------------------- loops and calls

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
}

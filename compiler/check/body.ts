// The checker of function bodies: per-function state, expression dispatch, coercion and ownership
// markers. Each language feature lives in expr/*.ts as functions over CheckContext.

import type { Arg, Block, Expr, Pattern, Span, Stmt } from "../syntax/ast.js";
import type { DiagnosticBag } from "../diagnostics.js";
import { Codes } from "./codes.js";
import { Builder, asType, type LiftKind, type LoopCtx } from "./builder.js";
import { checkOptionalChain } from "./operators-optional.js";
import type { EnumInfo, FnInfo, ItemTable, ParamSig } from "./items.js";
import type { BinOp, LocalId, MemoryOrdering, TArg, TBlock, TExpr, TFunction, TPattern, TPlace, TStmt } from "../tir/nodes.js";
import { BOOL, CHAR, ERROR, NEVER, STRING, UNIT, canWiden, intTy, isError, resolve, show, unify, type Ty } from "./types.js";
import { type CheckContext, type OrAltState, mk, T } from "./context.js";
import * as literals from "./expr/literals.js";
import * as statements from "./expr/statements.js";
import * as places from "./expr/places.js";
import * as operators from "./expr/operators.js";
import * as fstrings from "./expr/fstrings.js";
import * as calls from "./expr/calls.js";
import * as generics from "./expr/generics.js";
import * as methods from "./expr/methods.js";
import * as builtinMethods from "./builtin-methods/dispatch.js";
import * as aggregates from "./expr/aggregates.js";
import * as controlFlow from "./expr/control-flow.js";
import { keepLoopAttrs } from "./loop-attrs.js";
import * as closures from "./expr/closures.js";
import * as concurrency from "./expr/concurrency.js";
import * as patterns from "./expr/patterns.js";
import { toWeak } from "./weak.js";
import { checkContracts } from "./contracts.js";

export class BodyChecker implements CheckContext {
  b!: Builder;

  deferred: (() => void)[] = [];

  /** Bodies lifted so far per source function (closures, par branches, tasks), for their names. */
  private lambdaCount = new Map<string, number>();

  constructor(
    readonly table: ItemTable,
    readonly diags: DiagnosticBag,
    readonly functions: TFunction[],
    readonly globals: Map<string, { id: number; ty: Ty; mut: boolean }>,
  ) {}

  // ------------------------------------------------------------ diagnostics

  err(code: string, message: string, span: Span, phase: "resolve" | "type" | "effect" = "type"): void {
    this.diags.error(code, phase, message, span);
  }

  mismatch(expected: Ty, found: Ty, span: Span): void {
    if (isError(expected) || isError(found)) return;
    this.err(Codes.Mismatch, `mismatched types: expected ${show(expected)}, found ${show(found)}`, span);
  }

  // ------------------------------------------------------------ functions

  /** Generic environment of the function being checked (instances of generic functions). */
  tenv?: Map<string, Ty>;

  /** Calls to generic functions waiting for their instance (filled in by instantiatePending). */
  pendingGeneric: { node: TExpr & { kind: "call" | "fnRef" }; info: FnInfo; args: Ty[]; span: Span }[] = [];

  /** `Self` of the function being checked (instances of generic impls carry their own). */
  selfTy?: Ty;

  resolveTy(te: import("../syntax/ast.js").TypeExpr): Ty {
    return this.table.resolveType(te, this.tenv, this.selfTy ?? (this.b?.fn.owner ? this.ownerTy() : undefined));
  }

  private ownerTy(): Ty | undefined {
    const o = this.b.fn.owner;
    if (!o) return undefined;
    const s = this.table.structs.get(o);
    if (s) return this.table.structTy(s, []);
    const e = this.table.enums.get(o);
    return e ? this.table.enumTy(e, []) : undefined;
  }

  checkFunction(info: FnInfo, fn: TFunction): void {
    const b = new Builder(fn, info.sig.ret);
    this.b = b;
    this.tenv = info.env;
    this.selfTy = info.ownerTy;
    b.pushScope();
    for (const p of info.sig.params) {
      const id = b.newLocal(p.name, p.type, "param", false, p.mode, p.span);
      fn.params.push({ local: id, name: p.name, mode: p.mode, type: asType(p.type), span: p.span, ...(p.frozen ? { frozen: true as const } : {}) });
      b.declare(p.name, id);
      if (p.mode === "owned") fn.paramDrops.push(id);
    }
    checkContracts(this, info.decl, info.sig.ret, fn);
    const body = info.decl.body!;
    fn.body = this.checkBodyBlock(body, info.sig.ret);
    b.popScope();
  }

  /** A function or closure body: the tail flows out (moved) and must fit the return type. */
  checkBodyBlock(body: Block, ret: Ty): TBlock {
    const blk = statements.checkBlock(this, body, ret);
    if (blk.tail) {
      blk.tail = this.coerce(this.own(blk.tail), ret, blk.tail.span);
      blk.type = blk.tail.type;
    } else if (resolve(T(blk)).kind !== "never" && !unify(ret, UNIT)) {
      const at = body.stmts.length ? body.stmts[body.stmts.length - 1].span : body.span;
      this.mismatch(ret, UNIT, at);
    }
    return blk;
  }

  newLifted(kind: LiftKind, span: Span, ret: Ty, siblingNames?: Set<string>): Builder {
    const outer = this.b;
    let root = outer.fn;
    const count = (this.lambdaCount.get(root.name) ?? 0) + 1;
    this.lambdaCount.set(root.name, count);
    const suffix = kind === "parBranch" ? "par" : kind === "thunk" ? "task" : "closure";
    const fn: TFunction = {
      id: this.functions.length,
      kind,
      name: `${root.name}$${suffix}${count}`,
      panicName: root.panicName,
      params: [],
      ret: asType(ret),
      captures: [],
      locals: [],
      body: { kind: "block", stmts: [], drops: [], type: asType(UNIT), span },
      paramDrops: [],
      pub: false,
      span,
    };
    if (root.owner) fn.owner = root.owner;
    this.functions.push(fn);
    return new Builder(fn, ret, outer, kind, siblingNames);
  }

  // ------------------------------------------------------------ names

  /** Resolve a local name, creating captures through enclosing lifted bodies. */
  lookupLocal(b: Builder, name: string, span: Span): LocalId | undefined | "sibling" {
    const own = b.findOwn(name);
    if (own !== undefined) return own;
    if (!b.parent) return undefined;
    if (b.siblingNames?.has(name)) return "sibling";
    const outer = this.lookupLocal(b.parent, name, span);
    if (outer === undefined || outer === "sibling") return outer;
    return b.captureOf(outer);
  }

  // ------------------------------------------------------------ coercion & ownership

  /** Fit `e` into a slot of type `to`: unify, or insert an implicit lossless widening (F3.4). */
  coerce(e: TExpr, to: Ty, span: Span): TExpr {
    const from = resolve(T(e));
    const target = resolve(to);
    if (from.kind === "never" || from.kind === "error" || target.kind === "error") return e;
    if (from.kind !== "var" && target.kind !== "var" && canWiden(from, target)) {
      if (e.kind === "int" && target.kind === "float") return mk({ kind: "float", value: Number(e.value) }, target, e.span);
      return mk({ kind: "coerce", value: e, from: asType(from), to: asType(target) }, target, e.span);
    }
    // A `weak T` slot takes a T (downgraded) or an Option[T] (check/weak.ts).
    if (target.kind === "weak" && from.kind !== "weak" && from.kind !== "var") {
      const w = toWeak(e, from, target);
      if (w) return w;
    }
    if (!unify(from, target)) this.mismatch(target, from, span);
    return e;
  }

  /** Mark a value as flowing into an owning site (binding, owned argument, field, element, return). */
  own(e: TExpr): TExpr {
    if ((e as { kind: string }).kind === "$own") return e;
    switch (e.kind) {
      case "read":
        return mk({ kind: "$own", value: e }, T(e), e.span);
      case "block":
        if (e.tail) e.tail = this.own(e.tail);
        return e;
      case "if":
        e.then = this.own(e.then) as TBlock;
        if (e.else) e.else = this.own(e.else);
        return e;
      case "match":
        for (const a of e.arms) a.body = this.own(a.body);
        return e;
      default:
        return e;
    }
  }

  // ------------------------------------------------------------ expressions

  checkExpr(e: Expr, expected?: Ty): TExpr {
    const r = this.checkExprInner(e, expected);
    return r;
  }

  private checkExprInner(e: Expr, expected?: Ty): TExpr {
    const exp = expected ? resolve(expected) : undefined;
    switch (e.kind) {
      case "int":
        return literals.checkIntLiteral(this, e, exp);
      case "float":
        return literals.checkFloatLiteral(this, e, exp);
      case "str":
        return mk({ kind: "string", value: e.value }, STRING, e.span);
      case "char":
        return mk({ kind: "char", value: e.value }, CHAR, e.span);
      case "byte":
        return mk({ kind: "int", value: BigInt(e.value) }, intTy("u8"), e.span);
      case "bool":
        return mk({ kind: "bool", value: e.value }, BOOL, e.span);
      case "unit":
        return mk({ kind: "unit" }, UNIT, e.span);
      case "fstr":
        return fstrings.checkFString(this, e);
      case "ident":
        return places.checkIdent(this, e, exp);
      case "binary":
        return operators.checkBinary(this, e, exp);
      case "unary":
        return operators.checkUnary(this, e, exp);
      case "cast":
        return operators.checkCast(this, e);
      case "call":
        return calls.checkCall(this, e, exp);
      case "methodCall":
        return e.optional ? checkOptionalChain(this, e, exp) : methods.checkMethodCall(this, e, exp);
      case "field":
        return places.checkField(this, e, exp);
      case "index":
        return places.checkIndex(this, e, exp);
      case "range":
        return literals.checkRange(this, e, exp);
      case "tuple":
        return literals.checkTuple(this, e, exp);
      case "list":
        return aggregates.checkList(this, e, exp);
      case "structLit":
        return aggregates.checkStructLit(this, e);
      case "block": {
        const blk = statements.checkBlock(this, e, exp);
        return blk;
      }
      case "if":
        return controlFlow.checkIf(this, e, exp);
      case "ifLet":
        return controlFlow.checkIfLet(this, e, exp);
      case "while":
        return keepLoopAttrs(e, controlFlow.checkWhile(this, e));
      case "whileLet":
        return keepLoopAttrs(e, controlFlow.checkWhileLet(this, e));
      case "loop":
        return keepLoopAttrs(e, controlFlow.checkLoop(this, e, exp));
      case "for":
        return keepLoopAttrs(e, controlFlow.checkFor(this, e));
      case "match":
        return controlFlow.checkMatch(this, e, exp);
      case "closure":
        return closures.checkClosure(this, e, exp, "closure");
      case "return": {
        if (this.b.deferDepth > 0) this.err(Codes.BadBreak, "`return` cannot leave a `defer` body", e.span);
        const ret = this.b.ret;
        let value: TExpr | undefined;
        if (e.value) value = this.coerce(this.own(this.checkExpr(e.value, ret)), ret, e.value.span);
        else if (!unify(ret, UNIT)) this.mismatch(ret, UNIT, e.span);
        return mk({ kind: "return", value }, NEVER, e.span);
      }
      case "break":
        return controlFlow.checkBreak(this, e);
      case "continue": {
        const target = controlFlow.findLoop(this, e.label, e.span, true);
        return mk({ kind: "continue", target: target?.id ?? 0 }, NEVER, e.span);
      }
      case "par":
        return concurrency.checkPar(this, e, exp);
      case "seq": {
        const block = statements.checkBlock(this, e.body, exp);
        block.seq = true;
        return block;
      }
      case "lock":
        return concurrency.checkLock(this, e, exp);
      case "try":
        return controlFlow.checkTry(this, e);
      case "bytestr":
        this.err(Codes.Unsupported, "byte strings are not supported yet", e.span);
        return mk({ kind: "error" }, ERROR, e.span);
      case "error":
        return mk({ kind: "error" }, ERROR, e.span);
    }
  }

  /** While a later alternative of an `|` pattern is checked: the first alternative's bindings to share. */
  orAlt?: OrAltState;

  // ------------------------------------------------------------ entry points of feature modules

  binaryOperands(op: BinOp, lt: Ty, rt: Ty, span: Span, _rspan: Span): Ty {
    return operators.binaryOperands(this, op, lt, rt, span, _rspan);
  }

  callGeneric(f: FnInfo, args: Arg[], span: Span, explicit?: Ty[], recv?: Expr): TExpr {
    return generics.callGeneric(this, f, args, span, explicit, recv);
  }

  callUser(f: FnInfo, args: Arg[], span: Span, name: string, recv: { expr: Expr } | undefined): TExpr {
    return calls.callUser(this, f, args, span, name, recv);
  }

  callUserOnPlace(f: FnInfo, place: TPlace, e: Expr & { kind: "methodCall" }, name: string): TExpr {
    return calls.callUserOnPlace(this, f, place, e, name);
  }

  checkArg(p: ParamSig, a: Arg, isReceiver: boolean, fname: string): TArg {
    return calls.checkArg(this, p, a, isReceiver, fname);
  }

  checkArgsLoose(args: Arg[]): void {
    return calls.checkArgsLoose(this, args);
  }

  checkBlock(block: Block, expected?: Ty): TBlock {
    return statements.checkBlock(this, block, expected);
  }

  checkBuiltinMethod(e: Expr & { kind: "methodCall" }, exp?: Ty): TExpr {
    return builtinMethods.checkBuiltinMethod(this, e, exp);
  }

  checkClosure(e: Expr & { kind: "closure" }, exp: Ty | undefined, kind: LiftKind): TExpr {
    return closures.checkClosure(this, e, exp, kind);
  }

  checkList(e: Expr & { kind: "list" }, exp?: Ty): TExpr {
    return aggregates.checkList(this, e, exp);
  }

  checkPattern(p: Pattern, ty: Ty, irrefutable: boolean): TPattern {
    return patterns.checkPattern(this, p, ty, irrefutable);
  }

  checkPlace(e: Expr): TPlace | undefined {
    return places.checkPlace(this, e);
  }

  checkStmt(s: Stmt): TStmt | undefined {
    return statements.checkStmt(this, s);
  }

  checkThunk(e: Expr): TExpr {
    return calls.checkThunk(this, e);
  }

  expectArg(e: Expr, t: Ty): TExpr {
    return methods.expectArg(this, e, t);
  }

  genericFnRef(f: FnInfo, explicit: Ty[] | undefined, span: Span, exp?: Ty): TExpr {
    return generics.genericFnRef(this, f, explicit, span, exp);
  }

  isTypeLike(e: Expr): boolean {
    return places.isTypeLike(this, e);
  }

  lookupLocalQuiet(name: string): boolean {
    return places.lookupLocalQuiet(this, name);
  }

  mixError(a: Ty, b: Ty, span: Span): void {
    return operators.mixError(this, a, b, span);
  }

  notDisplay(t: Ty): Ty | undefined {
    return fstrings.notDisplay(this, t);
  }

  optionOf(t: Ty): Ty {
    return methods.optionOf(this, t);
  }

  orderings(args: Arg[], n: number, what: string, span: Span): MemoryOrdering[] {
    return methods.orderings(this, args, n, what, span);
  }

  parEscape(ty: Ty, sp: Span): { slot: LocalId; index: number } | undefined {
    return concurrency.parEscape(this, ty, sp);
  }

  placeOrTemp(e: Expr): TPlace | undefined {
    return places.placeOrTemp(this, e);
  }

  probeType(e: Expr): Ty | undefined {
    return methods.probeType(this, e);
  }

  requireDisplay(t: Ty, span: Span): void {
    return fstrings.requireDisplay(this, t, span);
  }

  requireHashKey(t: Ty, span: Span): void {
    return fstrings.requireHashKey(this, t, span);
  }

  requireMutable(place: TPlace, span: Span, what: "assign" | "borrow"): boolean {
    return places.requireMutable(this, place, span, what);
  }

  resultOf(t: Ty, e: Ty): Ty {
    return methods.resultOf(this, t, e);
  }

  selfName(): string | undefined {
    return methods.selfName(this);
  }

  undefinedName(name: string, span: Span): void {
    return places.undefinedName(this, name, span);
  }

  variantValue(en: EnumInfo, index: number, args: Arg[], span: Span, exp: Ty | undefined, calleeSpan: Span): TExpr {
    return places.variantValue(this, en, index, args, span, exp, calleeSpan);
  }

  withLoop<R>(ctx: LoopCtx, f: () => R): R {
    return controlFlow.withLoop(this, ctx, f);
  }
}

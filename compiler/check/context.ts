// The interface between the checker's feature modules, and the helpers every one of them uses to
// build typed nodes.

import type { Arg, Block, Expr, Pattern, Span, Stmt } from "../syntax/ast.js";
import { Builder, asType, tyOf, type LiftKind, type LoopCtx } from "./builder.js";
import type { EnumInfo, FnInfo, ItemTable, ParamSig } from "./items.js";
import type { BinOp, LocalId, MemoryOrdering, TArg, TBlock, TExpr, TExprNode, TFunction, TPattern, TPlace, TStmt } from "../tir/nodes.js";
import type { Ty } from "./types.js";

/** Marker wrapped around values flowing into an owning site; finalize turns it into move/copy/nothing. */
export type OwnMarker = { kind: "$own"; value: TExpr; copyOnly?: boolean };

/** A TIR node with its (checker) type and span. */
export const mk = (node: TExprNode | OwnMarker, ty: Ty, span: Span): TExpr => ({ ...(node as TExprNode), type: asType(ty), span }) as TExpr;
/** The checker type of a TIR expression. */
export const T = (e: TExpr): Ty => tyOf(e.type);
/**
 * `value` marked as flowing into an owning site (finalize makes it a move, a copy or nothing).
 * `copyOnly`: the site keeps the original usable, so a whole local is copied, never moved.
 */
export const ownMarker = (value: TExpr, copyOnly = false, ty: Ty = T(value), span: Span = value.span): TExpr =>
  mk(copyOnly ? { kind: "$own", value, copyOnly } : { kind: "$own", value }, ty, span);
/** Whether `e` is an ownership marker (only the checker ever sees one). */
export const isOwnMarker = (e: TExpr): boolean => (e as TExpr | OwnMarker).kind === "$own";
/** The value inside an ownership marker, or `e` itself. */
export const unOwn = (e: TExpr): TExpr => {
  const x = e as TExpr | OwnMarker;
  return x.kind === "$own" ? x.value : e;
};

/** State of the innermost `|` pattern being checked (see patterns-or.ts). */
export interface OrAltState {
  /** Names bound by the first alternative, with their local and type. */
  shared: Map<string, { id: LocalId; ty: Ty }>;
  /** Names this alternative has bound so far. */
  seen: Set<string>;
  /** The enclosing `|` pattern's state when this one is nested in a later alternative. */
  parent?: OrAltState;
}

/**
 * What the checker's feature modules (expr/*.ts, builtin-methods/*.ts and the helpers beside this
 * file) need from the checker and from each other. Each feature is a set of functions taking this
 * context; only BodyChecker implements it, so no feature module imports the checker, and a feature
 * reaches another one only through the entry points listed here.
 */
export interface CheckContext {
  // ---- state of the body being checked
  /** Locals, scopes, loops and captures of the function (or lifted body) being checked. */
  b: Builder;
  table: ItemTable;
  globals: Map<string, { id: number; ty: Ty; mut: boolean }>;
  /** Generic environment of the function being checked (instances of generic functions). */
  tenv?: Map<string, Ty>;
  /** `Self` of the function being checked. */
  selfTy?: Ty;
  /** While a later alternative of an `|` pattern is checked: the first alternative's bindings. */
  orAlt?: OrAltState;
  /** Checks that need every body's types solved first (run after all bodies). */
  deferred: (() => void)[];
  /** Calls to generic functions waiting for their instance. */
  pendingGeneric: { node: TExpr & { kind: "call" | "fnRef" }; info: FnInfo; args: Ty[]; span: Span }[];

  // ---- diagnostics and types
  err(code: string, message: string, span: Span, phase?: "resolve" | "type" | "effect"): void;
  mismatch(expected: Ty, found: Ty, span: Span): void;
  mixError(a: Ty, b: Ty, span: Span): void;
  resolveTy(te: import("../syntax/ast.js").TypeExpr): Ty;
  optionOf(t: Ty): Ty;
  resultOf(t: Ty, e: Ty): Ty;
  requireDisplay(t: Ty, span: Span): void;
  notDisplay(t: Ty): Ty | undefined;
  requireHashKey(t: Ty, span: Span): void;

  // ---- expressions, statements, values
  checkExpr(e: Expr, expected?: Ty): TExpr;
  /** Check `e` against `t`, reporting a mismatch. */
  expectArg(e: Expr, t: Ty): TExpr;
  checkBlock(block: Block, expected?: Ty): TBlock;
  checkBodyBlock(body: Block, ret: Ty): TBlock;
  checkStmt(s: Stmt): TStmt | undefined;
  checkList(e: Expr & { kind: "list" }, exp?: Ty): TExpr;
  coerce(e: TExpr, to: Ty, span: Span): TExpr;
  own(e: TExpr): TExpr;
  binaryOperands(op: BinOp, lt: Ty, rt: Ty, span: Span, _rspan: Span): Ty;
  withLoop<R>(ctx: LoopCtx, f: () => R): R;
  checkPattern(p: Pattern, ty: Ty, irrefutable: boolean): TPattern;

  // ---- names and places
  lookupLocal(b: Builder, name: string, span: Span): LocalId | undefined | "sibling";
  lookupLocalQuiet(name: string): boolean;
  isTypeLike(e: Expr): boolean;
  undefinedName(name: string, span: Span): void;
  checkPlace(e: Expr): TPlace | undefined;
  placeOrTemp(e: Expr): TPlace | undefined;
  requireMutable(place: TPlace, span: Span, what: "assign" | "borrow"): boolean;
  variantValue(en: EnumInfo, index: number, args: Arg[], span: Span, exp: Ty | undefined, calleeSpan: Span): TExpr;

  // ---- calls, methods, generics
  checkArg(p: ParamSig, a: Arg, isReceiver: boolean, fname: string): TArg;
  checkArgsLoose(args: Arg[]): void;
  callUser(f: FnInfo, args: Arg[], span: Span, name: string, recv: { expr: Expr } | undefined): TExpr;
  callUserOnPlace(f: FnInfo, place: TPlace, e: Expr & { kind: "methodCall" }, name: string): TExpr;
  callGeneric(f: FnInfo, args: Arg[], span: Span, explicit?: Ty[], recv?: Expr): TExpr;
  genericFnRef(f: FnInfo, explicit: Ty[] | undefined, span: Span, exp?: Ty): TExpr;
  checkFunction(info: FnInfo, fn: TFunction): void;
  checkBuiltinMethod(e: Expr & { kind: "methodCall" }, exp?: Ty): TExpr;
  orderings(args: Arg[], n: number, what: string, span: Span): MemoryOrdering[];
  selfName(): string | undefined;
  /** The type of a name or field path, peeked at without checking it (no diagnostics, no captures). */
  probeType(e: Expr): Ty | undefined;

  // ---- lifted bodies: closures, par branches, task thunks
  newLifted(kind: LiftKind, span: Span, ret: Ty, siblingNames?: Set<string>): Builder;
  checkClosure(e: Expr & { kind: "closure" }, exp: Ty | undefined, kind: LiftKind): TExpr;
  checkThunk(e: Expr): TExpr;
  parEscape(ty: Ty, sp: Span): { slot: LocalId; index: number } | undefined;
}

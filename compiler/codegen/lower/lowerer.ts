// What the lowering of one feature (builtins, patterns, loops, calls, …) needs from the lowering
// of the function it sits in. FnLower (function.ts) implements it; the feature modules take this
// interface, so they never import function.ts and the lowering modules form no import cycle.

import type binaryen from "binaryen";
import type { LocalId, Span, TBlock, TCaptureInit, TExpr, TFunction, TPattern, TPlace, Type } from "../../tir/nodes.js";
import type { Gen } from "../context.js";
import type { Ir, Locals, Ref, WType } from "../ir.js";
import type { ElemSlot, Layouts } from "../layout.js";

/** Where `break` / `continue` to a loop or labelled block go. */
export interface Target {
  brk: string;
  cont?: string;
  /** Scope depth at the target: leaving it drops the scopes opened since. */
  depth: number;
  type: WType;
}

export interface Lowerer {
  readonly g: Gen;
  readonly m: binaryen.Module;
  readonly ir: Ir;
  readonly L: Layouts;
  readonly fn: TFunction;
  readonly locals: Locals;
  /** Par branch and task bodies stop at cancellation points when their cancel word is set. */
  readonly cancellable: boolean;

  /** A fresh wasm local of type w. */
  tmp(w: WType): number;
  /** A fresh Binaryen label starting with `kind`. */
  label(kind: string): string;

  /** Lower e; an owned `read` yields a borrowed alias, anything else a fresh value. */
  expr(e: TExpr): Ref;
  /** Lower e to a fresh value the caller owns (a read is copied). */
  consume(e: TExpr): Ref;
  /** Lower e to a value valid until the end of the statement (fresh values become temporaries). */
  borrow(e: TExpr): Ref;
  isBorrowed(e: TExpr): boolean;
  /** Lower a block in its own scope. */
  blockExpr(b: TBlock): Ref;
  /** Evaluate inner in its own temporary scope, keeping its value (of wasm type w). */
  scoped(w: WType, inner: () => Ref): Ref;
  /** Turn an expression into a statement, dropping its value. */
  stmtize(r: Ref): Ref;
  /** An expression of type `never`, typed unreachable for Binaryen. */
  diverge(r: Ref): Ref;

  read(p: TPlace): Ref;
  addr(p: TPlace, forWrite?: boolean): Ref;
  readLocal(id: LocalId): Ref;
  writeLocal(id: LocalId, v: Ref): Ref;
  /** Point an alias local (a `mut ref` pattern binding) at an address. */
  setAlias(id: LocalId, addr: Ref): Ref;
  localAddr(id: LocalId): Ref;
  dropLocal(id: LocalId): Ref;
  copyValue(t: Type, v: Ref): Ref;
  dropValue(t: Type, v: Ref): Ref;
  /** How a place's storage is accessed (element slots at their natural width). */
  placeSlot(p: TPlace): ElemSlot;
  elemAddr(hdr: Ref, index: Ref, elem: Type, coll: "vec" | "array" | "slice" | "map", span: Span): Ref;
  seqElemType(t: Type): Type;

  panic(span: Span, msg: string): Ref;
  /** The static panic-site prefix for span, as an i32 constant. */
  site(span: Span): Ref;
  compare(op: "==" | "!=" | "<" | "<=" | ">" | ">=", t: Type, a: Ref, b: Ref): Ref;
  toI64(e: TExpr): Ref;

  /** Condition under which the value (read by get) matches p; undefined = always. */
  patTest(p: TPattern, get: () => Ref): Ref | undefined;
  /** Bind the pattern's variables (owned parts are copied out of the matched value). */
  /** Bind p from the value get() yields; addr(), when given, is the slot it was loaded from. */
  bindPattern(p: TPattern, get: () => Ref, addr?: () => Ref): Ref[];

  /** Allocate and fill the environment of a lifted function. */
  makeEnv(fnId: number, inits: TCaptureInit[]): Ref;
  fnValue(name: string, env: Ref): Ref;
  /** Keep the function's heap cells alive at exit: a closure made here captures them by reference. */
  retainCells(): void;

  /** Register where `break`/`continue` to loopId go. */
  setTarget(loopId: number, target: Target): void;
  /** Depth of the innermost open scope (for setTarget). */
  scopeDepth(): number;
  /** Loop back-edge to `top` (abort flag and cancellation checked). */
  backEdge(top: string): Ref;
  cancelPoint(): Ref;
}

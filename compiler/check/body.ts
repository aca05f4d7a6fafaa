// Expression, statement and pattern checking. Produces TIR whose type slots still hold
// checker types (with inference variables); finalize.ts substitutes them afterwards.

import type { Arg, Block, Expr, Pattern, Span, Stmt } from "../syntax/ast.js";
import type { DiagnosticBag } from "../diagnostics.js";
import { Codes } from "./codes.js";
import { Builder, asType, tyOf, type LiftKind, type LoopCtx } from "./builder.js";
import { parseFormatSpec } from "./format.js";
import { PipelineLowering, TERMINALS, splitPipeline } from "./pipeline.js";
import { entryPlace, hoistSlotKeys, isEntryCall, writablePlace } from "./map-places.js";
import { checkMoreMethods } from "./seq-methods.js";
import { checkOptionMethod } from "./option-methods.js";
import { checkStringParse } from "./parse-method.js";
import { requireEquatable, satisfiesBound } from "./trait-bounds.js";
import { channelNewTypeArg, checkChannelMethod, checkChannelNew } from "./channels.js";
import { checkCoalesce, checkOptionalChain, checkPipe } from "./operators-optional.js";
import { checkSlicePattern } from "./patterns-slice.js";
import { isMutSlice, paramModeType } from "./mut-slice.js";
import { bindOrAlternative, checkOrAlternatives, type OrAltState } from "./patterns-or.js";
import { atomicInnerOk, type EnumInfo, type FnInfo, type ItemTable, type ParamSig, type StructInfo } from "./items.js";
import type {
  BinOp, BuiltinOp, FStringPart, LocalId, MemoryOrdering, TArg, TBlock, TExpr, TExprNode, TForIter, TFunction,
  TMatchArm, TPattern, TPlace, TReceiver, TStmt,
} from "./tir.js";
import {
  BOOL, CHAR, ERROR, F64, I64, NEVER, STRING, U32, UNIT, canWiden, freshVar, hasOpenVars, intFits, intTy, isError, isIntLike, isIntName,
  isNumLike, resolve, show, unify, type Ty,
} from "./types.js";

/** Marker wrapped around values flowing into an owning site; finalize turns it into move/copy/nothing. */
export type OwnMarker = { kind: "$own"; value: TExpr; copyOnly?: boolean };

const mk = (node: TExprNode | OwnMarker, ty: Ty, span: Span): TExpr => ({ ...(node as TExprNode), type: asType(ty), span }) as TExpr;
const T = (e: TExpr): Ty => tyOf(e.type);

const ORDERINGS = new Set(["Relaxed", "Acquire", "Release", "AcqRel", "SeqCst"]);

export interface DeferredCheck {
  run(): void;
}

export class BodyChecker {
  b!: Builder;
  deferred: (() => void)[] = [];
  /** Names of prelude functions handled as builtins. */
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
  private pendingGeneric: { node: TExpr & { kind: "call" | "fnRef" }; info: FnInfo; args: Ty[]; span: Span }[] = [];

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
      fn.params.push({ local: id, name: p.name, mode: p.mode, type: asType(p.type), span: p.span });
      b.declare(p.name, id);
      if (p.mode === "owned") fn.paramDrops.push(id);
    }
    const body = info.decl.body!;
    fn.body = this.checkBodyBlock(body, info.sig.ret);
    b.popScope();
  }

  /** A function or closure body: the tail flows out (moved) and must fit the return type. */
  private checkBodyBlock(body: Block, ret: Ty): TBlock {
    const blk = this.checkBlock(body, ret);
    if (blk.tail) {
      blk.tail = this.coerce(this.own(blk.tail), ret, blk.tail.span);
      blk.type = blk.tail.type;
    } else if (resolve(T(blk)).kind !== "never" && !unify(ret, UNIT)) {
      const at = body.stmts.length ? body.stmts[body.stmts.length - 1].span : body.span;
      this.mismatch(ret, UNIT, at);
    }
    return blk;
  }

  private newLifted(kind: LiftKind, span: Span, ret: Ty, siblingNames?: Set<string>): Builder {
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

  // ------------------------------------------------------------ blocks & statements

  checkBlock(block: Block, expected?: Ty): TBlock {
    const b = this.b;
    b.pushScope();
    let label: LoopCtx | undefined;
    if (block.label) {
      label = { id: b.newLoopId(), label: block.label, kind: "block", breakTy: expected ?? freshVar(), hasBreak: false };
      b.loops.push(label);
    }
    const stmts: TStmt[] = [];
    let diverges = false;
    for (const s of block.stmts) {
      const t = this.checkStmt(s);
      if (t) {
        stmts.push(t);
        if (t.kind === "expr" && resolve(T(t.expr)).kind === "never") diverges = true;
      }
    }
    let tail: TExpr | undefined;
    if (block.tail) tail = this.checkExpr(block.tail, expected);
    if (label) b.loops.pop();
    const drops = b.popScope();
    let ty: Ty = tail ? T(tail) : diverges ? NEVER : UNIT;
    if (label && label.hasBreak) {
      if (tail && !unify(label.breakTy!, T(tail))) this.mismatch(label.breakTy!, T(tail), tail.span);
      ty = label.breakTy!;
    }
    const out: TBlock = { kind: "block", stmts, tail, drops, type: asType(ty), span: block.span };
    if (label) out.labelId = label.id;
    return out;
  }

  checkStmt(s: Stmt): TStmt | undefined {
    switch (s.kind) {
      case "empty":
        return undefined;
      case "expr": {
        const e = this.checkExpr(s.expr);
        return { kind: "expr", expr: e, span: s.span };
      }
      case "let":
        return this.checkLet(s);
      case "assign":
        return this.checkAssign(s);
      case "defer":
        return { kind: "expr", expr: this.checkDefer(s), span: s.span };
    }
  }

  /**
   * `defer` / `errdefer` / `errdefer(e)`: the body is checked in its own scope with no enclosing
   * loops, so `break`/`continue` cannot leave it; `return` and `?` are rejected (core.md F12.2).
   */
  private checkDefer(s: Stmt & { kind: "defer" }): TExpr {
    const b = this.b;
    const sp = s.span;
    const savedLoops = b.loops;
    b.loops = [];
    b.deferDepth++;
    b.pushScope();
    let errPattern: TPattern | undefined;
    if (s.err) {
      const r = resolve(b.escapeRet());
      const info = r.kind === "enum" ? this.table.enums.get(r.name) : undefined;
      if (r.kind === "enum" && info?.prelude === "result") {
        const errTy = r.args[1];
        let arg: TPattern = { kind: "wild", type: asType(errTy), span: sp } as TPattern;
        if (s.binding) {
          // Bound by the cleanup itself and freed after the body: not in any block's drops.
          const id = b.newLocal(s.binding, errTy, "let", false, "owned", sp);
          b.scopes[b.scopes.length - 1].set(s.binding, id);
          arg = { kind: "bind", local: id, type: asType(errTy), span: sp } as TPattern;
        }
        errPattern = { kind: "variant", enum: r.name, variant: 1, args: [arg], type: asType(r), span: sp } as TPattern;
      } else if (s.binding) {
        this.err(Codes.Mismatch, `\`errdefer(${s.binding})\` needs a function that returns Result, not ${show(r)}`, sp);
      }
    }
    const body = this.checkExpr(s.body);
    b.popScope();
    b.deferDepth--;
    b.loops = savedLoops;
    return mk({ kind: "defer", value: body, err: s.err, errPattern }, UNIT, sp);
  }

  /**
   * `let P = v else { diverge };` lowers to
   * `let (a, b) = match v { P => (a, b), _ => { diverge } };` (a single binding needs no tuple).
   */
  private checkLetElse(s: Stmt & { kind: "let" }, elseBlock: Block): TStmt | undefined {
    const ann = s.type ? this.resolveTy(s.type) : undefined;
    if (!s.value) return undefined;
    const scrut = this.checkExpr(s.value, ann);
    if (ann && !unify(T(scrut), ann)) this.mismatch(ann, T(scrut), s.value.span);
    const b = this.b;
    b.pushScope();
    const inner = this.checkPattern(s.pattern, T(scrut), false);
    const bound = [...b.scopes[b.scopes.length - 1].entries()];
    b.popScope();
    const els = this.checkBlock(elseBlock);
    if (resolve(T(els)).kind !== "never") {
      this.err(Codes.Mismatch, "the `else` block of `let ... else` must diverge (return, break, continue or panic)", elseBlock.span);
    }
    const sp = s.span;
    const reads = bound.map(([, id]) => this.own(mk({ kind: "read", place: { kind: "local", local: id, type: b.local(id).type, span: sp } }, b.localTy(id), sp)));
    const tys = bound.map(([, id]) => b.localTy(id));
    const valTy: Ty = tys.length === 1 ? tys[0] : tys.length === 0 ? UNIT : { kind: "tuple", elems: tys };
    const okBody: TExpr = tys.length === 1 ? reads[0] : tys.length === 0 ? mk({ kind: "unit" }, UNIT, sp) : mk({ kind: "tuple", elems: reads }, valTy, sp);
    const wild = { kind: "wild", type: scrut.type, span: sp } as TPattern;
    const m = mk({ kind: "match", scrutinee: scrut, arms: [{ pattern: inner, body: okBody, span: sp }, { pattern: wild, body: els, span: elseBlock.span }] }, valTy, sp);
    // The outer bindings, visible after the statement.
    const outer = bound.map(([name, id]) => {
      const l = b.local(id);
      const oid = b.newLocal(name, b.localTy(id), "let", l.mut, "owned", l.span);
      b.declare(name, oid);
      return { kind: "bind", local: oid, type: l.type, span: l.span } as TPattern;
    });
    const pattern: TPattern = outer.length === 1 ? outer[0] : outer.length === 0 ? ({ kind: "wild", type: asType(UNIT), span: sp } as TPattern) : ({ kind: "tuple", elems: outer, type: asType(valTy), span: sp } as TPattern);
    return { kind: "let", pattern, init: m, span: sp };
  }

  private checkLet(s: Stmt & { kind: "let" }): TStmt | undefined {
    if (s.elseBlock) return this.checkLetElse(s, s.elseBlock);
    const ann = s.type ? this.resolveTy(s.type) : undefined;
    let init: TExpr | undefined;
    let ty: Ty;
    if (s.value) {
      let v = this.checkExpr(s.value, ann);
      // Destructuring reads the parts of a place without consuming the whole (it stays usable).
      if (s.pattern.kind !== "bind" && v.kind === "read") v = mk({ kind: "$own", value: v, copyOnly: true } as OwnMarker, T(v), v.span);
      if (ann) {
        init = this.coerce(this.own(v), ann, s.value.span);
        ty = ann;
      } else {
        init = this.own(v);
        ty = T(v);
        if (resolve(ty).kind === "never") ty = freshVar();
        // karac types an unannotated literal at its binding: `let b = 2;` is i64 from here on.
        defaultLiterals(ty);
      }
      const r = resolve(ty);
      if (r.kind === "unit" && s.pattern.kind === "bind") {
        // karac accepts `let x = ();`-like bindings; nothing to check.
      }
    } else {
      ty = ann ?? freshVar();
      if (s.pattern.kind !== "bind") this.err(Codes.Uninitialised, "a destructuring `let` needs a value", s.span);
    }
    const pattern = this.checkPattern(s.pattern, ty, true);
    if (!init && pattern.kind === "bind") this.b.deferredInit.add(pattern.local);
    return { kind: "let", pattern, init, span: s.span };
  }

  /** `m[k] = v` inserts; `m[k] op= v` re-inserts `m[k] op v`. */
  private checkMapAssign(s: Stmt & { kind: "assign" }, target: Expr & { kind: "index" }): TStmt | undefined {
    const base = this.placeOrTemp(target.object);
    if (!base) return undefined;
    const mt = resolve(tyOf(base.type));
    if (mt.kind !== "map") return undefined;
    this.requireMutable(base, target.span, "assign");
    const key = this.checkExpr(target.indices[0], mt.key);
    if (!unify(T(key), mt.key)) this.mismatch(mt.key, T(key), target.indices[0].span);
    const ta = [asType(mt.key), asType(mt.value)];
    let value = this.checkExpr(s.value, mt.value);
    if (s.op === "=") value = this.coerce(this.own(value), mt.value, s.value.span);
    else {
      const op = s.op.slice(0, -1) as BinOp;
      const cur = mk({ kind: "builtin", op: "map.index", receiver: { kind: "place", place: base }, args: [key], typeArgs: ta }, mt.value, target.span);
      const r = resolve(mt.value);
      const operand = op === "+" && r.kind === "string" ? STRING : this.binaryOperands(op, mt.value, T(value), s.span, s.value.span);
      value = mk({ kind: "binary", op, left: cur, right: value, operand: asType(operand) }, operand, s.span);
    }
    const ins = mk({ kind: "builtin", op: "map.insert", receiver: { kind: "place", place: base }, args: [this.own(key), value], typeArgs: ta }, this.optionOf(mt.value), s.span);
    return { kind: "expr", expr: ins, span: s.span };
  }

  private checkAssign(s: Stmt & { kind: "assign" }): TStmt | undefined {
    if (s.op === "=" && s.target.kind === "index" && s.target.indices.length === 1 && s.target.indices[0].kind !== "range") {
      const probe = this.probeType(s.target.object);
      if (probe && resolve(probe).kind === "map") return this.checkMapAssign(s, s.target);
    }
    const checked = this.checkPlace(s.target);
    const place = checked && writablePlace(checked);
    if (!place) {
      this.checkExpr(s.value);
      return undefined;
    }
    this.requireMutable(place, s.target.span, "assign");
    const pty = T(place as unknown as TExpr);
    if (s.op === "=") {
      const v = this.checkExpr(s.value, pty);
      return { kind: "assign", place, value: this.coerce(this.own(v), pty, s.value.span), span: s.span };
    }
    const op = s.op.slice(0, -1) as BinOp;
    const v = this.checkExpr(s.value, pty);
    const r = resolve(pty);
    if (op === "+" && r.kind === "string") {
      if (!unify(T(v), STRING)) this.mismatch(STRING, T(v), s.value.span);
      return { kind: "compoundAssign", op, place, value: v, operand: asType(STRING), span: s.span };
    }
    this.binaryOperands(op, pty, T(v), s.span, s.value.span);
    return { kind: "compoundAssign", op, place, value: v, operand: asType(pty), span: s.span };
  }

  // ------------------------------------------------------------ places

  /** Resolve an expression that denotes a memory location; undefined (with a diagnostic) when it does not. */
  checkPlace(e: Expr): TPlace | undefined {
    switch (e.kind) {
      case "ident": {
        const id = this.lookupLocal(this.b, e.name, e.span);
        if (id === "sibling") {
          this.siblingError(e.name, e.span);
          return undefined;
        }
        if (id !== undefined) return { kind: "local", local: id, type: asType(this.b.localTy(id)), span: e.span };
        const g = this.globals.get(e.name);
        if (g) return { kind: "global", global: g.id, type: asType(g.ty), span: e.span };
        this.undefinedName(e.name, e.span);
        return undefined;
      }
      case "field": {
        if (e.optional) {
          this.err(Codes.NotAPlace, "an optional chain `a?.b` is a value, not a place: use `if let Some(x) = ..` to change it", e.span);
          return undefined;
        }
        if (this.isTypeLike(e.object)) {
          this.err(Codes.NotAPlace, "cannot assign to this expression", e.span);
          return undefined;
        }
        const base = this.placeOrTemp(e.object);
        if (!base) return undefined;
        return this.fieldPlace(base, e.name.name, e.name.span, e.span);
      }
      case "index": {
        const base = this.placeOrTemp(e.object);
        if (!base) return undefined;
        return this.indexPlace(base, e.indices, e.span);
      }
      case "unary":
        if (e.op === "*") return this.checkPlace(e.operand);
        break;
      case "methodCall":
        if (isEntryCall(e)) return entryPlace(this, e);
        break;
    }
    this.err(Codes.NotAPlace, "invalid left-hand side of assignment", e.span);
    return undefined;
  }

  /** A place for `e`, or a temporary holding its value when `e` is not a place expression. */
  private placeOrTemp(e: Expr): TPlace | undefined {
    if (isEntryCall(e)) return entryPlace(this, e);
    if (e.kind === "ident" || (e.kind === "field" && !e.optional) || e.kind === "index" || (e.kind === "unary" && e.op === "*")) {
      if (e.kind === "index" && e.indices.length === 1 && e.indices[0].kind === "range") {
        const v = this.checkExpr(e);
        return { kind: "temp", value: v, type: v.type, span: e.span };
      }
      if (e.kind === "field" && this.isTypeLike(e.object)) {
        const v = this.checkExpr(e);
        return { kind: "temp", value: v, type: v.type, span: e.span };
      }
      return this.checkPlace(e);
    }
    const v = this.checkExpr(e);
    if (isError(T(v))) return undefined;
    return { kind: "temp", value: v, type: v.type, span: e.span };
  }

  private fieldPlace(base: TPlace, name: string, nameSpan: Span, span: Span): TPlace | undefined {
    const bt = resolve(tyOf(base.type));
    if (bt.kind === "error") return undefined;
    if (bt.kind === "tuple" && /^[0-9]+$/.test(name)) {
      const i = Number(name);
      if (i >= bt.elems.length) {
        this.err(Codes.NoField, `no field \`${name}\` on type ${show(bt)}`, nameSpan);
        return undefined;
      }
      return { kind: "tupleField", base, index: i, type: asType(bt.elems[i]), span };
    }
    if (bt.kind === "struct") {
      const info = this.table.structs.get(bt.name)!;
      const fields = this.table.structFields(info, bt.args);
      const i = fields.findIndex((f) => f.name === name);
      if (i < 0) {
        this.err(Codes.NoField, `no field \`${name}\` on type ${show(bt)}`, nameSpan);
        return undefined;
      }
      return { kind: "field", base, index: i, type: asType(fields[i].type), span };
    }
    if (bt.kind === "var") {
      this.err(Codes.NeedsAnnotation, `type annotations needed: the type of this value must be known to access field \`${name}\``, span);
      return undefined;
    }
    this.err(Codes.NoField, `no field \`${name}\` on type ${show(bt)}`, nameSpan);
    return undefined;
  }

  private indexPlace(base: TPlace, indices: Expr[], span: Span): TPlace | undefined {
    const bt = resolve(tyOf(base.type));
    if (indices.length !== 1) {
      this.err(Codes.BadIndex, "expected exactly one index", span);
      return undefined;
    }
    if (bt.kind === "map") {
      const key = this.checkExpr(indices[0], bt.key);
      if (!unify(T(key), bt.key)) {
        this.mismatch(bt.key, T(key), indices[0].span);
        return undefined;
      }
      const read = mk(
        { kind: "builtin", op: "map.index", receiver: { kind: "place", place: base }, args: [key], typeArgs: [asType(bt.key), asType(bt.value)] },
        bt.value,
        span,
      );
      return { kind: "temp", value: read, type: asType(bt.value), span };
    }
    const idx = this.checkExpr(indices[0], I64);
    if (bt.kind === "error") return undefined;
    if (!unify(T(idx), I64)) {
      this.err(Codes.BadIndex, `index must be i64, found ${show(T(idx))}`, indices[0].span);
      return undefined;
    }
    if (bt.kind === "vec" || bt.kind === "array" || bt.kind === "slice") {
      return { kind: "index", base, index: idx, coll: bt.kind, type: asType(bt.elem), span };
    }
    if (bt.kind === "string") {
      this.err(Codes.BadIndex, "strings cannot be indexed by position; use s.chars(), s.bytes() or a range s[a..b]", span);
      return undefined;
    }
    this.err(Codes.BadIndex, `cannot index into a value of type ${show(bt)}`, span);
    return undefined;
  }

  /** Root analysis for writes: is the place mutable? Marks by-reference captures. */
  requireMutable(place: TPlace, span: Span, what: "assign" | "borrow"): boolean {
    // Mutating methods of a `mut Slice[T]` (sort, swap, reverse) write its elements, not the binding.
    if (what === "borrow" && isMutSlice(tyOf(place.type))) return true;
    let p: TPlace = place;
    for (;;) {
      if (p.kind === "field") {
        const bt = resolve(tyOf(p.base.type));
        if (bt.kind === "struct" && bt.flavor !== "plain") {
          const info = this.table.structs.get(bt.name)!;
          const f = info.fields[p.index];
          if (f.mut) return true;
          if (what === "assign") {
            this.err(Codes.AssignImmutable, `cannot assign to field \`${f.name}\` of ${bt.flavor} struct ${bt.name}: declare it \`mut ${f.name}\``, span);
            return false;
          }
          return true;
        }
        p = p.base;
        continue;
      }
      // Elements behind a `mut Slice[T]` view are writable whatever the binding.
      if (p.kind === "index" && isMutSlice(tyOf(p.base.type))) return true;
      if (p.kind === "tupleField" || p.kind === "index") {
        p = p.base;
        continue;
      }
      break;
    }
    if (p.kind === "temp") return true;
    if (p.kind === "global") {
      const g = [...this.globals.entries()].find(([, v]) => v.id === (p as { global: number }).global);
      if (g && !g[1].mut) {
        this.err(Codes.AssignImmutable, `cannot assign to constant '${g[0]}'`, span);
        return false;
      }
      return true;
    }
    const l = this.b.local(p.local);
    const writable = l.mut || l.mode === "mutref" || (p === place && what === "assign" && this.b.deferredInit.has(p.local));
    if (!writable) {
      if (what === "assign" && p !== place)
        this.err(Codes.AssignImmutable, `cannot assign to a part of immutable variable '${l.name}'; declare it with \`let mut ${l.name}\``, span);
      else if (what === "assign")
        this.err(Codes.AssignImmutable, `cannot assign twice to immutable variable '${l.name}'`, span);
      else this.err(Codes.BorrowImmutable, `cannot borrow immutable variable '${l.name}' as mutable; declare it with \`let mut ${l.name}\``, span);
      return false;
    }
    if (l.kind === "capture") this.captureWrite(this.b, p.local, span);
    return true;
  }

  /** A lifted body writes a captured variable: by reference for closures, E0408 in par branches. */
  private captureWrite(b: Builder, id: LocalId, span: Span): void {
    const l = b.local(id);
    if (b.lift === "parBranch") {
      const t = resolve(b.localTy(id));
      if (t.kind === "atomic" || t.kind === "mutex") return;
      this.err(
        Codes.ParCapturedWrite,
        `local let mut '${l.name}' cannot be written from inside par { } — each branch runs on its own thread, so the write races with the other branches; wrap it in Atomic[T], Mutex[T], or use a par struct`,
        span,
        "effect",
      );
      return;
    }
    b.makeByRef(id);
    // Nested lifted bodies: the parent's capture is written too.
    const parent = b.parent;
    const init = b.captureInits[l.captureIndex!];
    if (parent && parent.local(init.outer).kind === "capture") this.captureWrite(parent, init.outer, span);
  }

  private siblingError(name: string, span: Span): void {
    this.err(
      Codes.Undefined,
      `cannot read '${name}' from a sibling \`par\` branch: each top-level statement in a \`par { }\` block is a concurrent branch with its own scope; its bindings are only combinable after the join`,
      span,
      "resolve",
    );
  }

  private undefinedName(name: string, span: Span): void {
    if (this.table.isTypeName(name)) {
      this.err(Codes.WrongKind, `expected a value, found type '${name}'`, span, "resolve");
      return;
    }
    this.err(Codes.Undefined, `undefined variable '${name}'`, span, "resolve");
  }

  /** Does the expression name a type (for `Type.assoc(..)`, `Enum.Variant`, `i64.MAX`)? */
  isTypeLike(e: Expr): boolean {
    if (e.kind !== "ident") return false;
    if (this.lookupLocalQuiet(e.name)) return false;
    return this.table.isTypeName(e.name) || e.name === "Self" || e.name === "i128" || e.name === "u128";
  }

  private lookupLocalQuiet(name: string): boolean {
    for (let b: Builder | undefined = this.b; b; b = b.parent) if (b.findOwn(name) !== undefined) return true;
    return this.globals.has(name);
  }

  // ------------------------------------------------------------ expressions

  checkExpr(e: Expr, expected?: Ty): TExpr {
    const r = this.checkExprInner(e, expected);
    return r;
  }

  private checkExprInner(e: Expr, expected?: Ty): TExpr {
    const exp = expected ? resolve(expected) : undefined;
    switch (e.kind) {
      case "int": {
        if (e.suffix) {
          const name = e.suffix === "usize" ? "u64" : e.suffix === "isize" ? "i64" : e.suffix;
          if (name === "f64" || name === "f32") return mk({ kind: "float", value: Number(e.value) }, { kind: "float", bits: name === "f32" ? 32 : 64 }, e.span);
          if (!isIntName(name)) {
            this.err(Codes.Unsupported, `unsupported integer suffix '${e.suffix}'`, e.span);
            return mk({ kind: "error" }, ERROR, e.span);
          }
          const lit = mk({ kind: "int", value: e.value }, intTy(name), e.span);
          this.checkLiteralFits(lit);
          return lit;
        }
        if (exp && exp.kind === "float") return mk({ kind: "float", value: Number(e.value) }, exp, e.span);
        const lit = mk({ kind: "int", value: e.value }, exp && exp.kind === "int" ? exp : freshVar("int"), e.span);
        this.checkLiteralFits(lit);
        return lit;
      }
      case "float": {
        if (e.suffix === "f32") return mk({ kind: "float", value: e.value }, { kind: "float", bits: 32 }, e.span);
        if (e.suffix === "f64") return mk({ kind: "float", value: e.value }, F64, e.span);
        if (exp && exp.kind === "float") return mk({ kind: "float", value: e.value }, exp, e.span);
        return mk({ kind: "float", value: e.value }, freshVar("float"), e.span);
      }
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
        return this.checkFString(e);
      case "ident":
        return this.checkIdent(e, exp);
      case "binary":
        return this.checkBinary(e, exp);
      case "unary":
        return this.checkUnary(e, exp);
      case "cast":
        return this.checkCast(e);
      case "call":
        return this.checkCall(e, exp);
      case "methodCall":
        return e.optional ? checkOptionalChain(this, e, exp) : this.checkMethodCall(e, exp);
      case "field":
        return this.checkField(e, exp);
      case "index":
        return this.checkIndex(e, exp);
      case "range": {
        let lo: TExpr | undefined;
        let hi: TExpr | undefined;
        const elemExp = exp && exp.kind === "range" ? exp.elem : undefined;
        if (e.lo) lo = this.checkExpr(e.lo, elemExp);
        if (e.hi) hi = this.checkExpr(e.hi, lo ? T(lo) : elemExp);
        const elem = lo ? T(lo) : hi ? T(hi) : freshVar("int");
        if (lo && hi && !unify(T(lo), T(hi))) this.mixError(T(lo), T(hi), e.span);
        if (!isIntLike(elem) && !isError(elem) && resolve(elem).kind !== "char") {
          this.err(Codes.BadOperand, `range bounds must be integers, found ${show(elem)}`, e.span);
        }
        return mk({ kind: "range", lo, hi, inclusive: e.inclusive }, { kind: "range", elem, inclusive: e.inclusive }, e.span);
      }
      case "tuple": {
        const ex = exp && exp.kind === "tuple" && exp.elems.length === e.elems.length ? exp.elems : undefined;
        const elems = e.elems.map((x, i) => {
          const v = this.checkExpr(x, ex?.[i]);
          return ex ? this.coerce(this.own(v), ex[i], x.span) : this.own(v);
        });
        return mk({ kind: "tuple", elems }, { kind: "tuple", elems: elems.map(T) }, e.span);
      }
      case "list":
        return this.checkList(e, exp);
      case "structLit":
        return this.checkStructLit(e);
      case "block": {
        const blk = this.checkBlock(e, exp);
        return blk;
      }
      case "if":
        return this.checkIf(e, exp);
      case "ifLet":
        return this.checkIfLet(e, exp);
      case "while":
        return this.checkWhile(e);
      case "whileLet":
        return this.checkWhileLet(e);
      case "loop":
        return this.checkLoop(e, exp);
      case "for":
        return this.checkFor(e);
      case "match":
        return this.checkMatch(e, exp);
      case "closure":
        return this.checkClosure(e, exp, "closure");
      case "return": {
        if (this.b.deferDepth > 0) this.err(Codes.BadBreak, "`return` cannot leave a `defer` body", e.span);
        const ret = this.b.ret;
        let value: TExpr | undefined;
        if (e.value) value = this.coerce(this.own(this.checkExpr(e.value, ret)), ret, e.value.span);
        else if (!unify(ret, UNIT)) this.mismatch(ret, UNIT, e.span);
        return mk({ kind: "return", value }, NEVER, e.span);
      }
      case "break":
        return this.checkBreak(e);
      case "continue": {
        const target = this.findLoop(e.label, e.span, true);
        return mk({ kind: "continue", target: target?.id ?? 0 }, NEVER, e.span);
      }
      case "par":
        return this.checkPar(e, exp);
      case "seq": {
        const block = this.checkBlock(e.body, exp);
        block.seq = true;
        return block;
      }
      case "lock":
        return this.checkLock(e, exp);
      case "try":
        return this.checkTry(e);
      case "bytestr":
        this.err(Codes.Unsupported, "byte strings are not supported yet", e.span);
        return mk({ kind: "error" }, ERROR, e.span);
      case "error":
        return mk({ kind: "error" }, ERROR, e.span);
    }
  }

  /** Once types are solved: the literal must fit its integer type (an unsolved one defaults to i64). */
  private checkLiteralFits(lit: TExpr): void {
    this.deferred.push(() => {
      if (lit.kind !== "int") return;
      const t = resolve(T(lit));
      const target = t.kind === "var" && t.lit === "int" ? I64 : t;
      if (target.kind === "int" && !intFits(lit.value, target)) {
        this.err(Codes.LiteralOutOfRange, `literal out of range for ${target.name}: ${lit.value} does not fit`, lit.span);
      }
    });
  }

  // ------------------------------------------------------------ identifiers & fields

  private checkIdent(e: Expr & { kind: "ident" }, exp?: Ty): TExpr {
    const id = this.lookupLocal(this.b, e.name, e.span);
    if (id === "sibling") {
      this.siblingError(e.name, e.span);
      return mk({ kind: "error" }, ERROR, e.span);
    }
    if (id !== undefined) {
      const ty = this.b.localTy(id);
      return mk({ kind: "read", place: { kind: "local", local: id, type: asType(ty), span: e.span } }, ty, e.span);
    }
    const g = this.globals.get(e.name);
    if (g) return mk({ kind: "read", place: { kind: "global", global: g.id, type: asType(g.ty), span: e.span } }, g.ty, e.span);
    const f = this.table.fns.get(e.name);
    if (f && f.generics) return this.genericFnRef(f, undefined, e.span, exp);
    if (f) return mk({ kind: "fnRef", fn: f.id }, { kind: "fn", params: f.sig.params.map((p) => p.type), ret: f.sig.ret }, e.span);
    const v = this.table.findVariant(e.name);
    if (v) return this.variantValue(v.e, v.index, [], e.span, exp, e.span);
    this.undefinedName(e.name, e.span);
    return mk({ kind: "error" }, ERROR, e.span);
  }

  private checkField(e: Expr & { kind: "field" }, exp?: Ty): TExpr {
    if (e.optional) return checkOptionalChain(this, e, exp);
    if (e.object.kind === "ident" && this.isTypeLike(e.object)) {
      return this.checkTypeMember(e.object.name, e.name.name, e.span, exp, e.object.span);
    }
    const place = this.checkPlaceForRead(e);
    if (!place) return mk({ kind: "error" }, ERROR, e.span);
    return mk({ kind: "read", place }, tyOf(place.type), e.span);
  }

  private checkPlaceForRead(e: Expr): TPlace | undefined {
    if (e.kind === "field") {
      const base = this.placeOrTemp(e.object);
      if (!base) return undefined;
      return this.fieldPlace(base, e.name.name, e.name.span, e.span);
    }
    if (e.kind === "index") {
      const base = this.placeOrTemp(e.object);
      if (!base) return undefined;
      return this.indexPlace(base, e.indices, e.span);
    }
    return this.checkPlace(e);
  }

  /** `Type.member` without a call: enum unit variants, MemoryOrdering.X, i64.MAX, f64.NAN. */
  private checkTypeMember(typeName: string, member: string, span: Span, exp: Ty | undefined, typeSpan: Span): TExpr {
    if (typeName === "i128" || typeName === "u128") {
      this.err(Codes.Unsupported, "128-bit integers are not supported", typeSpan);
      return mk({ kind: "error" }, ERROR, span);
    }
    if (isIntName(typeName) && (member === "MAX" || member === "MIN")) {
      const t = intTy(typeName);
      return mk({ kind: "builtin", op: member === "MAX" ? "int.MAX" : "int.MIN", args: [], typeArgs: [asType(t)] }, t, span);
    }
    if ((typeName === "f64" || typeName === "f32") && (member === "NAN" || member === "INFINITY" || member === "EPSILON")) {
      const t: Ty = { kind: "float", bits: typeName === "f32" ? 32 : 64 };
      return mk({ kind: "builtin", op: `float.${member}` as BuiltinOp, args: [], typeArgs: [asType(t)] }, t, span);
    }
    if (typeName === "MemoryOrdering") {
      this.err(Codes.AtomicMissingOrdering, "a MemoryOrdering may only be written as the literal argument of an atomic operation", span);
      return mk({ kind: "error" }, ERROR, span);
    }
    const en = this.table.enums.get(typeName);
    if (en) {
      const i = en.variants.findIndex((v) => v.name === member);
      if (i < 0) {
        this.err(Codes.NoField, `no variant \`${member}\` in enum ${typeName}`, span);
        return mk({ kind: "error" }, ERROR, span);
      }
      return this.variantValue(en, i, [], span, exp, span);
    }
    this.err(Codes.NoField, `no associated item \`${member}\` on type ${typeName}`, span);
    void typeSpan;
    return mk({ kind: "error" }, ERROR, span);
  }

  /** Construct an enum variant value (unit variant, or tuple variant with checked args). */
  private variantValue(en: EnumInfo, index: number, args: Arg[], span: Span, exp: Ty | undefined, calleeSpan: Span): TExpr {
    const v = en.variants[index];
    const ety = exp && resolve(exp).kind === "enum" && (resolve(exp) as { name: string }).name === en.name ? resolve(exp) : this.table.enumTy(en);
    const eargs = (ety as { args: Ty[] }).args;
    const types = this.table.variantTypes(en, v, eargs);
    if (v.shape === "struct") {
      this.err(Codes.Mismatch, `variant ${en.name}.${v.name} has named fields: use ${en.name}.${v.name} { .. }`, span);
      return mk({ kind: "error" }, ERROR, span);
    }
    if (args.length !== types.length) {
      if (v.shape === "unit" && args.length > 0) this.err(Codes.NotCallable, `${en.name}.${v.name} is a unit variant and takes no arguments`, calleeSpan);
      else this.err(Codes.ArgCount, `variant ${v.name} takes ${types.length} argument${types.length === 1 ? "" : "s"} but ${args.length} were supplied`, span);
      return mk({ kind: "error" }, ERROR, span);
    }
    const payload = args.map((a, i) => this.coerce(this.own(this.checkExpr(a.value, types[i])), types[i], a.value.span));
    return mk({ kind: "variant", enum: en.name, variant: index, payload }, ety, span);
  }

  private checkIndex(e: Expr & { kind: "index" }, exp?: Ty): TExpr {
    // `max_of[i64]` used as a value: a generic function instantiated with explicit type arguments.
    const gf = e.object.kind === "ident" && !this.lookupLocalQuiet(e.object.name) ? this.table.fns.get(e.object.name) : undefined;
    if (gf && e.object.kind === "ident") {
      if (!gf.generics) {
        this.err(Codes.NotCallable, `function '${gf.name}' takes no type arguments`, e.span);
        return mk({ kind: "error" }, ERROR, e.span);
      }
      const explicit: Ty[] = [];
      for (const ix of e.indices) {
        const te = exprAsType(ix);
        if (!te) {
          this.err(Codes.WrongKind, "expected a type argument", ix.span);
          return mk({ kind: "error" }, ERROR, e.span);
        }
        explicit.push(this.resolveTy(te));
      }
      return this.genericFnRef(gf, explicit, e.span, exp);
    }
    // Prefix literals: Array[1, 2], Vec[1, 2], Set[1].
    if (e.object.kind === "ident" && !this.lookupLocalQuiet(e.object.name) && ["Array", "Vec", "Set"].includes(e.object.name)) {
      return this.checkList({ kind: "list", id: e.id, span: e.span, prefix: e.object.name, elems: e.indices }, exp);
    }
    if (e.indices.length === 1 && e.indices[0].kind === "range") {
      const base = this.checkExpr(e.object);
      const rg = e.indices[0];
      const lo = rg.lo ? this.checkExpr(rg.lo, I64) : undefined;
      const hi = rg.hi ? this.checkExpr(rg.hi, I64) : undefined;
      for (const x of [lo, hi]) if (x && !unify(T(x), I64)) this.err(Codes.BadIndex, `index must be i64, found ${show(T(x))}`, x.span);
      const bt = resolve(T(base));
      let ty: Ty = ERROR;
      if (bt.kind === "string") ty = STRING;
      else if (bt.kind === "vec" || bt.kind === "array" || bt.kind === "slice") ty = { kind: "slice", elem: bt.elem, mut: false };
      else if (bt.kind !== "error") this.err(Codes.BadIndex, `cannot slice a value of type ${show(bt)}`, e.span);
      return mk({ kind: "slice", base, lo, hi, inclusive: rg.inclusive }, ty, e.span);
    }
    const place = this.checkPlaceForRead(e);
    if (!place) return mk({ kind: "error" }, ERROR, e.span);
    return mk({ kind: "read", place }, tyOf(place.type), e.span);
  }

  // ------------------------------------------------------------ operators

  mixError(a: Ty, b: Ty, span: Span): void {
    const ra = resolve(a);
    const rb = resolve(b);
    if (ra.kind === "error" || rb.kind === "error") return;
    if (ra.kind === "int" && rb.kind === "int") {
      this.err(Codes.MixedTypes, `cannot mix integer types ${ra.name} and ${rb.name}; convert one side with \`as\``, span);
    } else if (isNumLike(ra) && isNumLike(rb)) {
      this.err(Codes.MixedTypes, `cannot mix numeric types ${show(ra)} and ${show(rb)}; convert one side with \`as\``, span);
    } else {
      this.err(Codes.Mismatch, `mismatched types: ${show(ra)} and ${show(rb)}`, span);
    }
  }

  /** Operand rule for arithmetic/bitwise ops: identical types (only literals adapt). Returns the operand type. */
  private binaryOperands(op: BinOp, lt: Ty, rt: Ty, span: Span, _rspan: Span): Ty {
    if (!unify(lt, rt)) {
      this.mixError(lt, rt, span);
      return ERROR;
    }
    const t = resolve(lt);
    if (t.kind === "error") return ERROR;
    const arith = op === "+" || op === "-" || op === "*" || op === "/" || op === "%";
    const ok = arith
      ? t.kind === "int" || t.kind === "float" || (t.kind === "var" && t.lit !== undefined)
      : t.kind === "int" || (t.kind === "var" && t.lit === "int") || (t.kind === "bool" && (op === "&" || op === "|" || op === "^"));
    if (!ok) {
      this.err(Codes.BadOperand, `operator \`${op}\` cannot be applied to ${show(t)}`, span);
      return ERROR;
    }
    return t;
  }

  private checkBinary(e: Expr & { kind: "binary" }, exp?: Ty): TExpr {
    const op = e.op;
    if (op === "and" || op === "or") {
      const l = this.checkExpr(e.left, BOOL);
      const r = this.checkExpr(e.right, BOOL);
      if (!unify(T(l), BOOL)) this.err(Codes.Mismatch, `\`${op}\` needs bool operands, found ${show(T(l))}`, e.left.span);
      if (!unify(T(r), BOOL)) this.err(Codes.Mismatch, `\`${op}\` needs bool operands, found ${show(T(r))}`, e.right.span);
      return mk({ kind: "logical", op, left: l, right: r }, BOOL, e.span);
    }
    if (op === "??") return checkCoalesce(this, e, exp);
    if (op === "|>") return checkPipe(this, e, exp);
    const cmp = op === "==" || op === "!=" || op === "<" || op === "<=" || op === ">" || op === ">=";
    const hint = !cmp && exp && (exp.kind === "int" || exp.kind === "float") ? exp : undefined;
    let l = this.checkExpr(e.left, hint);
    let r = this.checkExpr(e.right, T(l));
    // An untyped literal on the left adopts the right operand's type (`1 + x`).
    if (resolve(T(l)).kind === "var" && (resolve(T(r)).kind === "int" || resolve(T(r)).kind === "float") && e.left.kind === "int" && !e.left.suffix) {
      l = this.checkExpr(e.left, T(r));
    }
    if (cmp) {
      if (!unify(T(l), T(r))) {
        this.mixError(T(l), T(r), e.span);
        return mk({ kind: "error" }, BOOL, e.span);
      }
      const t = resolve(T(l));
      if (t.kind === "struct" || t.kind === "enum") {
        const user = this.userComparison(op, t, l, r, e.span);
        if (user) return user;
      }
      if (op !== "==" && op !== "!=" && t.kind !== "error") {
        const ordered = t.kind === "int" || t.kind === "float" || t.kind === "char" || t.kind === "string" || t.kind === "bool" || (t.kind === "var" && t.lit !== undefined);
        if (!ordered && t.kind !== "tuple" && t.kind !== "vec" && t.kind !== "enum" && t.kind !== "struct") {
          this.err(Codes.NotComparable, `values of type ${show(t)} cannot be ordered`, e.span);
        }
      } else if (t.kind === "fn" || t.kind === "unit" || t.kind === "atomic" || t.kind === "mutex" || t.kind === "taskGroup" || t.kind === "taskHandle") {
        this.err(Codes.NotComparable, `values of type ${show(t)} cannot be compared`, e.span);
      }
      return mk({ kind: "binary", op, left: l, right: r, operand: asType(T(l)) }, BOOL, e.span);
    }
    if (op === "+" && resolve(T(l)).kind === "string") {
      if (!unify(T(r), STRING)) {
        this.mismatch(STRING, T(r), e.right.span);
        return mk({ kind: "error" }, ERROR, e.span);
      }
      return mk({ kind: "binary", op, left: l, right: r, operand: asType(STRING) }, STRING, e.span);
    }
    const t = this.binaryOperands(op, T(l), T(r), e.span, e.right.span);
    if (isError(t)) return mk({ kind: "error" }, ERROR, e.span);
    void r;
    r = r as TExpr;
    return mk({ kind: "binary", op, left: l, right: r, operand: asType(t) }, t, e.span);
  }

  /**
   * Comparisons on user types: a user `eq` / `cmp` is called (`a != b` is `not a.eq(b)`, `a < b` is
   * `a.cmp(b) == Ordering.Less`); otherwise the type needs the matching derive.
   */
  private userComparison(op: BinOp, t: Ty & { kind: "struct" | "enum" }, l: TExpr, r: TExpr, span: Span): TExpr | undefined {
    const eqOp = op === "==" || op === "!=";
    const user = eqOp ? this.table.eqImpls.get(t.name) : this.table.cmpImpls.get(t.name);
    if (user) {
      const call = mk({ kind: "call", fn: user.id, args: [{ mode: "ref", value: l }, { mode: "ref", value: r }] }, eqOp ? BOOL : user.sig.ret, span);
      if (eqOp) return op === "==" ? call : mk({ kind: "unary", op: "not", operand: call }, BOOL, span);
      // Ordering: Less = 0, Equal = 1, Greater = 2 (variant indices, compared as enum values)
      const ordTy = user.sig.ret;
      const ord = (v: number): TExpr => mk({ kind: "variant", enum: "Ordering", variant: v, payload: [] }, ordTy, span);
      const cmpTo = (bop: BinOp, v: number): TExpr => mk({ kind: "binary", op: bop, left: call, right: ord(v), operand: asType(ordTy) }, BOOL, span);
      switch (op) {
        case "<":
          return cmpTo("==", 0);
        case ">":
          return cmpTo("==", 2);
        case "<=":
          return cmpTo("!=", 2);
        default:
          return cmpTo("!=", 0);
      }
    }
    const derives = t.kind === "struct" ? this.table.structs.get(t.name)?.derives : this.table.enums.get(t.name)?.derives;
    const need = eqOp ? ["PartialEq", "Eq", "PartialOrd", "Ord"] : ["PartialOrd", "Ord"];
    if (derives && !derives.some((d) => need.includes(d))) {
      this.err(
        Codes.NotComparable,
        `${show(t)} cannot be compared with \`${op}\`: add #[derive(${eqOp ? "PartialEq" : "PartialOrd"})] or impl ${eqOp ? "PartialEq" : "Ord"}`,
        span,
      );
      return mk({ kind: "error" }, BOOL, span);
    }
    return undefined;
  }

  private checkUnary(e: Expr & { kind: "unary" }, exp?: Ty): TExpr {
    if (e.op === "-") {
      // Fold negative literals so `-128i8` and `i64` minimum literals type-check.
      if (e.operand.kind === "int") {
        const lit = this.checkExpr({ ...e.operand, value: -e.operand.value }, exp);
        if (lit.kind === "float") lit.value = -Number(e.operand.value);
        // A negative literal in an unsigned slot is reported by the range check.
        lit.span = e.span;
        return lit;
      }
      if (e.operand.kind === "float") {
        const lit = this.checkExpr(e.operand, exp);
        if (lit.kind === "float") lit.value = -lit.value;
        lit.span = e.span;
        return lit;
      }
      const v = this.checkExpr(e.operand, exp);
      const t = resolve(T(v));
      if (t.kind === "error") return v;
      if (!(t.kind === "float" || (t.kind === "int" && t.signed) || (t.kind === "var" && t.lit))) {
        this.err(Codes.BadOperand, `cannot negate a value of type ${show(t)}`, e.span);
        return mk({ kind: "error" }, ERROR, e.span);
      }
      return mk({ kind: "unary", op: "neg", operand: v }, t, e.span);
    }
    if (e.op === "not") {
      const v = this.checkExpr(e.operand, BOOL);
      if (!unify(T(v), BOOL)) this.err(Codes.Mismatch, `\`not\` needs a bool operand, found ${show(T(v))}`, e.operand.span);
      return mk({ kind: "unary", op: "not", operand: v }, BOOL, e.span);
    }
    if (e.op === "~") {
      const v = this.checkExpr(e.operand, exp);
      if (!isIntLike(T(v)) && !isError(T(v))) this.err(Codes.BadOperand, `\`~\` needs an integer operand, found ${show(T(v))}`, e.operand.span);
      return mk({ kind: "unary", op: "bitnot", operand: v }, T(v), e.span);
    }
    // `*r`: references auto-deref; an explicit deref is the value itself.
    return this.checkExpr(e.operand, exp);
  }

  private checkCast(e: Expr & { kind: "cast" }): TExpr {
    const to = this.resolveTy(e.type);
    const v = this.checkExpr(e.expr);
    const from = resolve(T(v));
    const t = resolve(to);
    if (from.kind === "error" || t.kind === "error") return mk({ kind: "error" }, ERROR, e.span);
    const num = (x: Ty): boolean => x.kind === "int" || x.kind === "float" || (x.kind === "var" && x.lit !== undefined);
    let ok = false;
    if (num(from) && num(t)) ok = true;
    else if (from.kind === "bool" && t.kind === "int") ok = true;
    else if (from.kind === "char" && t.kind === "int") ok = t.bits >= 32;
    else if (from.kind === t.kind && (from.kind === "bool" || from.kind === "char" || from.kind === "string")) ok = true;
    if (!ok) {
      let msg = `cannot cast ${show(from)} as ${show(t)}`;
      if (from.kind === "char" && t.kind === "int") msg += "; use `c as u32` and narrow from there";
      if (t.kind === "char" && (from.kind === "int" || (from.kind === "var" && from.lit === "int"))) msg += "; use char.try_from(n)";
      this.err(Codes.InvalidCast, msg, e.span);
      return mk({ kind: "error" }, ERROR, e.span);
    }
    return mk({ kind: "cast", value: v, from: asType(T(v)), to: asType(t) }, t, e.span);
  }

  // ------------------------------------------------------------ f-strings

  private checkFString(e: Expr & { kind: "fstr" }): TExpr {
    const parts: FStringPart[] = [];
    for (const p of e.parts) {
      if (typeof p === "string") {
        if (p.length) parts.push({ kind: "text", text: p });
        continue;
      }
      const v = this.checkExpr(p.expr);
      let spec = undefined;
      if (p.spec !== undefined) {
        const s = parseFormatSpec(p.spec);
        if (typeof s === "string") this.err(Codes.BadFormatSpec, s, p.span);
        else {
          spec = s;
          this.deferred.push(() => this.checkSpecFits(s, T(v), p.span));
        }
      }
      this.requireDisplay(T(v), p.expr.span);
      parts.push({ kind: "hole", value: v, spec, span: p.span });
    }
    return mk({ kind: "fstring", parts }, STRING, e.span);
  }

  private checkSpecFits(spec: import("./tir.js").FormatSpec, t: Ty, span: Span): void {
    const r = resolve(t);
    const isFloat = r.kind === "float" || (r.kind === "var" && r.lit === "float");
    const isInt = r.kind === "int" || (r.kind === "var" && r.lit === "int");
    if (spec.radix && spec.radix !== "d" && !isInt) {
      this.err(Codes.BadFormatSpec, `format type \`${spec.radix}\` needs an integer, found ${show(r)}`, span);
    } else if (isFloat && spec.width !== undefined && spec.precision === undefined) {
      this.err(Codes.BadFormatSpec, "a float with a width needs a precision too, e.g. {x:8.2}", span);
    } else if (spec.precision !== undefined && !isFloat && r.kind !== "error") {
      this.err(Codes.BadFormatSpec, `precision applies only to floats, found ${show(r)}`, span);
    }
  }

  /** Map keys and Set elements need Hash + Eq: no floats, functions or concurrency cells. */
  private requireHashKey(t: Ty, span: Span): void {
    this.deferred.push(() => {
      const bad = (x: Ty): boolean => {
        const r = resolve(x);
        switch (r.kind) {
          case "float": case "fn": case "atomic": case "mutex": case "taskGroup": case "taskHandle": case "map": case "set":
            return true;
          case "tuple":
            return r.elems.some(bad);
          case "vec": case "array":
            return bad(r.elem);
          default:
            return false;
        }
      };
      if (bad(t)) this.err(Codes.BadOperand, `${show(t)} cannot be a Map key or Set element: it is not Hash + Eq${resolve(t).kind === "float" ? " (wrap floats with F64.from)" : ""}`, span);
    });
  }

  /** Display-ability is checked once the body's types are solved. */
  requireDisplay(t: Ty, span: Span): void {
    this.deferred.push(() => {
      const bad = this.notDisplay(t);
      if (bad) this.err(Codes.NotDisplay, `${show(bad)} does not implement Display${resolve(bad).kind === "struct" || resolve(bad).kind === "enum" ? "; add #[derive(Display)] or impl Display" : ""}`, span);
    });
  }

  /** The first non-Display component of t, or undefined when t prints. */
  private notDisplay(t: Ty): Ty | undefined {
    const r = resolve(t);
    switch (r.kind) {
      case "int": case "float": case "bool": case "char": case "string": case "error": case "var": case "never":
        return undefined;
      case "vec": case "array": case "slice": case "set":
        return this.notDisplay(r.elem);
      case "map":
        return this.notDisplay(r.key) ?? this.notDisplay(r.value);
      case "tuple":
        for (const x of r.elems) {
          const b = this.notDisplay(x);
          if (b) return b;
        }
        return undefined;
      case "struct": {
        const info = this.table.structs.get(r.name)!;
        return info.derives.includes("Display") || this.table.displayImpls.has(r.name) ? undefined : r;
      }
      case "enum": {
        const info = this.table.enums.get(r.name)!;
        if (this.table.displayImpls.has(r.name)) return undefined;
        if (!info.derives.includes("Display")) return r;
        for (const a of r.args) {
          const b = this.notDisplay(a);
          if (b) return b;
        }
        return undefined;
      }
      default:
        return r;
    }
  }

  // ------------------------------------------------------------ calls

  private checkCall(e: Expr & { kind: "call" }, exp?: Ty): TExpr {
    const c = e.callee;
    if (c.kind === "ident" && !this.lookupLocalQuiet(c.name)) {
      if (this.table.poisoned.has(c.name)) {
        this.checkArgsLoose(e.args);
        return mk({ kind: "error" }, ERROR, e.span);
      }
      const builtin = this.checkBuiltinFree(c.name, e, exp);
      if (builtin) return builtin;
      const f = this.table.fns.get(c.name);
      if (f) return this.callUser(f, e.args, e.span, c.name, undefined);
      const v = this.table.findVariant(c.name);
      if (v) return this.variantValue(v.e, v.index, e.args, e.span, exp, c.span);
      if (this.table.structs.has(c.name)) {
        this.err(Codes.NotCallable, `struct ${c.name} is not a function; construct it with ${c.name} { .. }`, c.span);
        this.checkArgsLoose(e.args);
        return mk({ kind: "error" }, ERROR, e.span);
      }
      this.undefinedName(c.name, c.span);
      this.checkArgsLoose(e.args);
      return mk({ kind: "error" }, ERROR, e.span);
    }
    if (c.kind === "index" && c.object.kind === "ident" && this.table.fns.has(c.object.name) && !this.lookupLocalQuiet(c.object.name)) {
      const f = this.table.fns.get(c.object.name)!;
      if (!f.generics) {
        this.err(Codes.NotCallable, `function '${f.name}' takes no type arguments`, c.span);
        this.checkArgsLoose(e.args);
        return mk({ kind: "error" }, ERROR, e.span);
      }
      // f[T, U](args): the index expressions name types.
      const explicit: Ty[] = [];
      for (const ix of c.indices) {
        const te = exprAsType(ix);
        if (!te) {
          this.err(Codes.WrongKind, "expected a type argument", ix.span);
          this.checkArgsLoose(e.args);
          return mk({ kind: "error" }, ERROR, e.span);
        }
        explicit.push(this.resolveTy(te));
      }
      return this.callGeneric(f, e.args, e.span, explicit);
    }
    const chan = channelNewTypeArg(this, c, exprAsType);
    if (chan === "bad") {
      this.checkArgsLoose(e.args);
      return mk({ kind: "error" }, ERROR, e.span);
    }
    if (chan) return checkChannelNew(this, chan.elem, e.args, e.span, exp);
    const callee = this.checkExpr(c);
    return this.callValue(callee, e.args, e.span);
  }

  /** Check arguments of a call that already failed, for their own errors only. */
  private checkArgsLoose(args: Arg[]): void {
    for (const a of args) {
      const v = a.value;
      if (v.kind === "field" && v.object.kind === "ident" && v.object.name === "MemoryOrdering") continue;
      if (v.kind === "closure") continue; // its parameter types are unknowable without the callee
      if (splitPipeline(this, v)) continue; // a bare iterator is only meaningful to its consumer
      this.checkExpr(v);
    }
  }

  private callValue(callee: TExpr, args: Arg[], span: Span): TExpr {
    let ft = resolve(T(callee));
    if (ft.kind === "error") {
      this.checkArgsLoose(args);
      return mk({ kind: "error" }, ERROR, span);
    }
    if (ft.kind === "var" && !ft.lit) {
      const f: Ty = { kind: "fn", params: args.map(() => freshVar()), ret: freshVar() };
      unify(ft, f);
      ft = resolve(f);
    }
    if (ft.kind !== "fn") {
      this.err(Codes.NotCallable, `expected a function, found ${show(ft)}`, callee.span);
      this.checkArgsLoose(args);
      return mk({ kind: "error" }, ERROR, span);
    }
    if (ft.params.length !== args.length) {
      this.err(Codes.ArgCount, `this function takes ${ft.params.length} argument${ft.params.length === 1 ? "" : "s"} but ${args.length} were supplied`, span);
      this.checkArgsLoose(args);
      return mk({ kind: "error" }, ERROR, span);
    }
    const targs = args.map((a, i) => this.coerce(this.own(this.checkExpr(a.value, ft.params[i])), (ft as { params: Ty[] }).params[i], a.value.span));
    if (callee.kind === "fnRef") {
      return mk({ kind: "call", fn: callee.fn, args: targs.map((value) => ({ mode: "owned", value }) as TArg) }, ft.ret, span);
    }
    return mk({ kind: "callValue", callee, args: targs }, ft.ret, span);
  }

  /** Signature of a generic function or method under a generic environment. */
  private instSig(f: FnInfo, env: Map<string, Ty>): { params: ParamSig[]; ret: Ty; self?: Ty } {
    this.table.quiet++;
    try {
      const self = f.ownerTypeExpr ? this.table.resolveType(f.ownerTypeExpr, env) : undefined;
      const params = f.decl.params.map((p) => ({ name: p.name.name, ...paramModeType(p.mode, this.table.resolveType(p.type, env, self)), span: p.span }) as ParamSig);
      if (f.decl.receiver && self) params.unshift({ name: "self", mode: f.decl.receiver === "self" ? "owned" : f.decl.receiver, type: self, span: f.decl.name.span });
      const ret = f.decl.ret ? this.table.resolveType(f.decl.ret, env, self) : UNIT;
      return { params, ret, self };
    } finally {
      this.table.quiet--;
    }
  }

  /** Call a generic function: fresh type variables per parameter, instance chosen once they are solved. */
  private callGeneric(f: FnInfo, args: Arg[], span: Span, explicit?: Ty[], recv?: Expr): TExpr {
    const gens = f.generics!;
    if (explicit && explicit.length !== gens.length) {
      this.err(Codes.ArgCount, `function '${f.name}' takes ${gens.length} type argument${gens.length === 1 ? "" : "s"} but ${explicit.length} were supplied`, span);
      this.checkArgsLoose(args);
      return mk({ kind: "error" }, ERROR, span);
    }
    const vars = gens.map((_, i) => explicit?.[i] ?? freshVar());
    const env = new Map(gens.map((g, i) => [g.name, vars[i]] as [string, Ty]));
    const { params, ret } = this.instSig(f, env);
    const all: Arg[] = recv ? [{ id: -1, span: recv.span, value: recv, mutMarker: false }, ...args] : args;
    if (all.length !== params.length) {
      const shown = recv ? params.length - 1 : params.length;
      const got = recv ? all.length - 1 : all.length;
      this.err(Codes.ArgCount, `function '${f.symbol}' takes ${shown} argument${shown === 1 ? "" : "s"} but ${got} ${got === 1 ? "was" : "were"} supplied`, span);
      this.checkArgsLoose(args);
      return mk({ kind: "error" }, ERROR, span);
    }
    const targs = all.map((a, i) => this.checkArg(params[i], a, recv !== undefined && i === 0, f.symbol));
    const node = mk({ kind: "call", fn: -1, args: targs }, ret, span) as TExpr & { kind: "call" };
    this.pendingGeneric.push({ node, info: f, args: vars, span });
    return node;
  }

  /**
   * A generic function used as a value (`apply(max_of, ..)`, `max_of[i64]`): its type parameters are
   * inferred from how the value is used (or given explicitly) and it refers to that instance.
   */
  private genericFnRef(f: FnInfo, explicit: Ty[] | undefined, span: Span, exp?: Ty): TExpr {
    const gens = f.generics!;
    if (explicit && explicit.length !== gens.length) {
      this.err(Codes.ArgCount, `function '${f.name}' takes ${gens.length} type argument${gens.length === 1 ? "" : "s"} but ${explicit.length} were supplied`, span);
      return mk({ kind: "error" }, ERROR, span);
    }
    const vars = gens.map((_, i) => explicit?.[i] ?? freshVar());
    const { params, ret } = this.instSig(f, new Map(gens.map((g, i) => [g.name, vars[i]] as [string, Ty])));
    const ty: Ty = { kind: "fn", params: params.map((p) => p.type), ret };
    const want = exp ? resolve(exp) : undefined;
    if (want && want.kind !== "fn" && want.kind !== "var") {
      // Not a function slot: one mismatch, and no instance to infer.
      this.mismatch(want, ty, span);
      return mk({ kind: "error" }, ERROR, span);
    }
    if (want) unify(ty, want);
    const node = mk({ kind: "fnRef", fn: -1 }, ty, span) as TExpr & { kind: "fnRef" };
    this.pendingGeneric.push({ node, info: f, args: vars, span });
    return node;
  }

  /**
   * Create (and check) the instance of every generic call made so far; instance bodies may call more
   * generic functions, so this runs to a fixed point. Returns the number of instances created.
   */
  instantiatePending(newFunction: (info: FnInfo) => TFunction): void {
    let guard = 0;
    while (this.pendingGeneric.length && guard++ < 10000) {
      const p = this.pendingGeneric.shift()!;
      for (const a of p.args) defaultLiterals(a);
      const open = p.args.findIndex((a) => hasOpenVars(a));
      if (open >= 0) {
        this.err(Codes.NeedsAnnotation, `type annotations needed: cannot infer type parameter '${p.info.generics![open].name}' of '${p.info.name}'`, p.span);
        continue;
      }
      if (p.args.some((a) => isError(a))) continue;
      // A type argument that fails its bounds is reported once at the call; its body is not checked with it.
      if (!this.checkBounds(p.info, p.args, p.span)) continue;
      const key = `${p.info.symbol}[${p.args.map(show).join(", ")}]`;
      let inst = p.info.instances!.get(key);
      if (!inst && p.info.instances!.size >= 64) {
        this.err(Codes.Unsupported, `'${p.info.symbol}' is instantiated with too many different types (polymorphic recursion is not supported)`, p.span);
        this.pendingGeneric.length = 0;
        return;
      }
      if (!inst) {
        const env = new Map(p.info.generics!.map((g, i) => [g.name, p.args[i]] as [string, Ty]));
        const sig = this.instSig(p.info, env);
        inst = { id: -1, name: p.info.name, symbol: key, owner: p.info.owner, decl: p.info.decl, sig: { params: sig.params, ret: sig.ret }, env, ownerTy: sig.self };
        const fn = newFunction(inst);
        inst.id = fn.id;
        p.info.instances!.set(key, inst);
        const saved = { b: this.b, tenv: this.tenv, selfTy: this.selfTy };
        this.checkFunction(inst, fn);
        this.b = saved.b;
        this.tenv = saved.tenv;
        this.selfTy = saved.selfTy;
      }
      p.node.fn = inst.id;
    }
  }

  private checkBounds(f: FnInfo, args: Ty[], span: Span): boolean {
    let all = true;
    f.generics!.forEach((g, i) => {
      const t = resolve(args[i]);
      for (const bound of g.bounds) {
        const ok = bound === "Display" ? !this.notDisplay(t) : satisfiesBound(this.table, bound, t);
        if (!ok) {
          this.err(Codes.UnsatisfiedBound, `${show(t)} does not satisfy the bound ${bound} of type parameter '${g.name}' of '${f.name}'`, span);
          all = false;
          return;
        }
      }
    });
    return all;
  }

  /** Call a user function; `recv` is an already-checked receiver for method calls. */
  private callUser(f: FnInfo, args: Arg[], span: Span, name: string, recv: { expr: Expr } | undefined): TExpr {
    if (f.generics) return this.callGeneric(f, args, span, undefined, recv?.expr);
    const params = f.sig.params;
    const all: Arg[] = recv ? [{ id: -1, span: recv.expr.span, value: recv.expr, mutMarker: false }, ...args] : args;
    if (all.length !== params.length) {
      const shown = recv ? params.length - 1 : params.length;
      const got = recv ? all.length - 1 : all.length;
      this.err(Codes.ArgCount, `function '${name}' takes ${shown} argument${shown === 1 ? "" : "s"} but ${got} ${got === 1 ? "was" : "were"} supplied`, span);
      this.checkArgsLoose(args);
      return mk({ kind: "error" }, ERROR, span);
    }
    const targs: TArg[] = [];
    all.forEach((a, i) => {
      const p = params[i];
      targs.push(this.checkArg(p, a, recv !== undefined && i === 0, name));
    });
    return mk({ kind: "call", fn: f.id, args: targs }, f.sig.ret, span);
  }

  /** A user method whose receiver was already resolved to a place (receivers the type probe could not see). */
  private callUserOnPlace(f: FnInfo, place: TPlace, e: Expr & { kind: "methodCall" }, name: string): TExpr {
    if (f.generics) {
      this.err(Codes.Unsupported, `call '${name}' through a named value: generic methods on this receiver are not supported yet`, e.method.span);
      this.checkArgsLoose(e.args);
      return mk({ kind: "error" }, ERROR, e.span);
    }
    const params = f.sig.params;
    if (e.args.length !== params.length - 1) {
      this.err(Codes.ArgCount, `function '${name}' takes ${params.length - 1} argument${params.length === 2 ? "" : "s"} but ${e.args.length} ${e.args.length === 1 ? "was" : "were"} supplied`, e.span);
      this.checkArgsLoose(e.args);
      return mk({ kind: "error" }, ERROR, e.span);
    }
    const rp = params[0];
    const read = (): TExpr => (place.kind === "temp" ? place.value : mk({ kind: "read", place }, tyOf(place.type), e.receiver.span));
    let recv: TArg;
    if (rp.mode === "mutref") {
      if (this.requireMutable(place, e.receiver.span, "borrow") && place.kind === "local") this.b.addressTaken(place.local);
      recv = { mode: "mutref", place };
    } else if (rp.mode === "ref") recv = { mode: "ref", value: read() };
    else recv = { mode: "owned", value: this.own(read()) };
    const targs: TArg[] = [recv, ...e.args.map((a, i) => this.checkArg(params[i + 1], a, false, name))];
    return mk({ kind: "call", fn: f.id, args: targs }, f.sig.ret, e.span);
  }

  private checkArg(p: ParamSig, a: Arg, isReceiver: boolean, fname: string): TArg {
    if (p.mode === "mutref") {
      const place = this.checkPlace(a.value);
      if (!place) return { mode: "owned", value: mk({ kind: "error" }, ERROR, a.value.span) };
      if (!unify(tyOf(place.type), p.type)) this.mismatch(p.type, tyOf(place.type), a.value.span);
      const root = place.kind === "local" ? this.b.local(place.local) : undefined;
      const forwarding = root && root.mode === "mutref" && root.kind !== "capture";
      if (!isReceiver && !a.mutMarker && !forwarding && place.kind !== "temp") {
        this.err(Codes.MutMarker, `parameter '${p.name}' of '${fname}' is \`mut ref\`: write \`mut\` at the call site, e.g. ${fname}(mut ${exprText(a.value)})`, a.value.span);
      }
      if (this.requireMutable(place, a.value.span, "borrow") && place.kind === "local") this.b.addressTaken(place.local);
      return { mode: "mutref", place };
    }
    if (isMutSlice(p.type)) return this.checkMutSliceArg(p, a, fname);
    if (a.mutMarker) {
      this.err(Codes.MutMarker, `\`mut\` is only written for \`mut ref\` parameters; '${p.name}' is ${p.mode === "ref" ? "`ref`" : "owned"}`, a.span);
    }
    const v = this.checkExpr(a.value, p.type);
    const view = this.sliceView(v, p.type);
    if (view) return { mode: p.mode === "ref" ? "ref" : "owned", value: view };
    if (p.mode === "ref") {
      if (!unify(T(v), p.type)) this.mismatch(p.type, T(v), a.value.span);
      return { mode: "ref", value: v };
    }
    return { mode: "owned", value: this.coerce(this.own(v), p.type, a.value.span) };
  }

  /**
   * An argument for a `mut Slice[T]` parameter: a mutable Vec/Array (`f(mut v)`), part of one
   * (`f(mut v[1..3])`), or a `mut Slice[T]` parameter forwarded as is. It is passed as a view.
   */
  private checkMutSliceArg(p: ParamSig, a: Arg, fname: string): TArg {
    const v = this.checkExpr(a.value, p.type);
    const view = this.sliceView(v, p.type) ?? v;
    const target = resolve(p.type);
    const got = resolve(T(view));
    if (got.kind !== "slice" || target.kind !== "slice" || !unify(got.elem, target.elem)) {
      this.mismatch(p.type, T(v), a.value.span);
      return { mode: "owned", value: view };
    }
    // The collection whose elements are lent: `v` in `v`, `v[a..b]`.
    const inner = v.kind === "slice" ? v.base : v;
    const place = inner.kind === "read" ? inner.place : undefined;
    const forwarding = place !== undefined && isMutSlice(tyOf(place.type));
    if (!a.mutMarker && !forwarding) {
      this.err(Codes.MutMarker, `parameter '${p.name}' of '${fname}' is \`mut Slice\`: write \`mut\` at the call site, e.g. ${fname}(mut ${exprText(a.value)})`, a.value.span);
    }
    if (place && !forwarding) this.requireMutable(place, a.value.span, "borrow");
    // The view's own type says `mut`, so later phases see that the call writes through it.
    return { mode: "owned", value: mk(view as unknown as TExprNode, { ...got, mut: true }, view.span) };
  }

  /**
   * A `Slice[T]` parameter borrows a whole Vec[T] / Array[T, N] argument as a view (`v[..]`),
   * so the collection is neither moved nor copied.
   */
  private sliceView(v: TExpr, param: Ty): TExpr | undefined {
    const target = resolve(param);
    const from = resolve(T(v));
    if (target.kind !== "slice" || (from.kind !== "vec" && from.kind !== "array")) return undefined;
    if (!unify(from.elem, target.elem)) return undefined; // reported as a mismatch by the caller
    return mk({ kind: "slice", base: v, inclusive: false }, { kind: "slice", elem: from.elem, mut: false }, v.span);
  }

  /** Prelude free functions. Returns undefined when `name` is not one. */
  private checkBuiltinFree(name: string, e: Expr & { kind: "call" }, exp?: Ty): TExpr | undefined {
    const args = e.args;
    const span = e.span;
    const b = (op: BuiltinOp, targs: TExpr[], ty: Ty, typeArgs: Ty[] = []): TExpr =>
      mk({ kind: "builtin", op, args: targs, typeArgs: typeArgs.map(asType) }, ty, span);
    switch (name) {
      case "print":
      case "println":
      case "eprintln": {
        if (args.length > 1) {
          this.err(Codes.PrintArity, `${name} takes 0 or 1 argument(s) but ${args.length} were supplied; use an f-string to combine values`, span);
          this.checkArgsLoose(args);
          return b(name, [], UNIT);
        }
        const targs = args.map((a) => this.checkExpr(a.value));
        for (const t of targs) {
          if (resolve(T(t)).kind === "unit") this.err(Codes.NotDisplay, "() does not implement Display", t.span);
          else this.requireDisplay(T(t), t.span);
        }
        return b(name, targs, UNIT, targs.map(T));
      }
      case "panic":
      case "todo":
      case "unreachable": {
        if (args.length > (name === "unreachable" ? 0 : 1)) {
          this.err(Codes.ArgCount, `${name} takes ${name === "unreachable" ? "no arguments" : "at most 1 argument"}`, span);
        }
        const targs = args.slice(0, 1).map((a) => {
          const v = this.checkExpr(a.value, STRING);
          if (!unify(T(v), STRING)) this.mismatch(STRING, T(v), a.value.span);
          return v;
        });
        return b(name, targs, NEVER);
      }
      case "assert": {
        if (args.length < 1 || args.length > 2) {
          this.err(Codes.ArgCount, "assert takes a condition and an optional message", span);
          this.checkArgsLoose(args);
          return b("assert", [], UNIT);
        }
        const c = this.checkExpr(args[0].value, BOOL);
        if (!unify(T(c), BOOL)) this.mismatch(BOOL, T(c), args[0].value.span);
        const targs = [c];
        if (args[1]) {
          const m = this.checkExpr(args[1].value, STRING);
          if (!unify(T(m), STRING)) this.mismatch(STRING, T(m), args[1].value.span);
          targs.push(m);
        }
        return b("assert", targs, UNIT);
      }
      case "assert_eq":
      case "assert_ne": {
        if (args.length !== 2) {
          this.err(Codes.ArgCount, `${name} takes 2 arguments but ${args.length} were supplied`, span);
          this.checkArgsLoose(args);
          return b(name, [], UNIT);
        }
        const l = this.checkExpr(args[0].value);
        const r = this.checkExpr(args[1].value, T(l));
        if (!unify(T(l), T(r))) this.mixError(T(l), T(r), span);
        this.requireDisplay(T(l), args[0].value.span);
        return b(name, [l, r], UNIT, [T(l)]);
      }
      case "min":
      case "max":
      case "clamp": {
        const n = name === "clamp" ? 3 : 2;
        if (args.length !== n) {
          this.err(Codes.ArgCount, `${name} takes ${n} arguments but ${args.length} were supplied`, span);
          this.checkArgsLoose(args);
          return b(name, [], ERROR);
        }
        const first = this.checkExpr(args[0].value, exp);
        const rest = args.slice(1).map((a) => this.checkExpr(a.value, T(first)));
        for (const r of rest) if (!unify(T(first), T(r))) this.mixError(T(first), T(r), r.span);
        const t = resolve(T(first));
        if (t.kind === "float" || (t.kind === "var" && t.lit === "float")) {
          this.err(Codes.BadOperand, `${name}() needs an ordered type; f64 has no total order — use a.${name === "clamp" ? "clamp" : name}(b) on floats`, span);
        } else if (!(t.kind === "int" || t.kind === "string" || t.kind === "char" || t.kind === "error" || (t.kind === "var" && t.lit === "int")) && !satisfiesBound(this.table, "Ord", t)) {
          this.err(Codes.BadOperand, `${name}() cannot be applied to ${show(t)}`, span);
        }
        return b(name, [first, ...rest], T(first), [T(first)]);
      }
      case "spawn": {
        if (args.length !== 1) {
          this.err(Codes.ArgCount, "spawn takes one closure argument", span);
          this.checkArgsLoose(args);
          return b("spawn", [], ERROR);
        }
        const thunk = this.checkThunk(args[0].value);
        const ret = resolve(T(thunk)).kind === "fn" ? (resolve(T(thunk)) as { ret: Ty }).ret : ERROR;
        return b("spawn", [thunk], { kind: "taskHandle", result: ret }, [ret]);
      }
      case "fence":
      case "compiler_fence": {
        // compiler_fence orders only this thread's code; it lowers like fence (at least as strong).
        const ords = this.orderings(args, 1, name, span);
        if (ords[0] === "Relaxed") this.err(Codes.AtomicBadOrdering, `${name} cannot use MemoryOrdering.Relaxed; use Acquire, Release, AcqRel or SeqCst`, args[args.length - 1].value.span);
        return mk({ kind: "builtin", op: "fence", args: [], typeArgs: [], orderings: ords }, UNIT, span);
      }
    }
    return undefined;
  }

  /** The closure argument of spawn / TaskGroup.spawn, lifted as a task thunk. */
  private checkThunk(e: Expr): TExpr {
    if (e.kind !== "closure") {
      this.err(Codes.Unsupported, "spawn needs a closure literal, e.g. spawn(|| work())", e.span);
      this.checkExpr(e);
      return mk({ kind: "error" }, ERROR, e.span);
    }
    if (e.params.length) this.err(Codes.ArgCount, "a spawned closure takes no parameters", e.span);
    return this.checkClosure(e, { kind: "fn", params: [], ret: freshVar() }, "thunk");
  }

  // ------------------------------------------------------------ method calls

  private checkMethodCall(e: Expr & { kind: "methodCall" }, exp?: Ty): TExpr {
    const m = e.method.name;
    const r = e.receiver;
    if (r.kind === "ident" && this.isTypeLike(r) && this.table.poisoned.has(`${r.name}.${m}`)) {
      this.checkArgsLoose(e.args);
      return mk({ kind: "error" }, ERROR, e.span);
    }
    if (r.kind === "ident" && this.isTypeLike(r)) return this.checkStaticCall(r.name === "Self" ? this.selfName() ?? r.name : r.name, e, exp);
    const viaParam = r.kind === "ident" ? this.typeParamTypeName(r.name) : undefined;
    if (viaParam) return this.checkStaticCall(viaParam, e, exp);
    if (isEntryCall(e)) {
      const p = entryPlace(this, e);
      return p ? mk({ kind: "read", place: p }, tyOf(p.type), e.span) : mk({ kind: "error" }, ERROR, e.span);
    }
    // Iterator pipelines: lowered to loops.
    const pl = splitPipeline(this, r);
    if (pl) {
      const srcTy = pl.sourceKind === "range" ? undefined : this.probeType(pl.source);
      const userType = srcTy && (resolve(srcTy).kind === "struct" || resolve(srcTy).kind === "enum");
      if (!userType) {
        if (TERMINALS.has(m)) return new PipelineLowering(this).lowerTerminal(pl, m, e.args.map((a) => a.value), exp, e.span);
        if (pl.steps.length || pl.sourceKind !== "range") {
          this.err(Codes.Unsupported, `iterator method '${m}' is not supported yet`, e.method.span);
          this.checkArgsLoose(e.args);
          return mk({ kind: "error" }, ERROR, e.span);
        }
      }
    }
    // Receiver is a value. Decide between a user method and a builtin by its type.
    const probe = this.probeType(r);
    const pt = probe ? resolve(probe) : undefined;
    if (pt && (pt.kind === "struct" || pt.kind === "enum")) {
      const user = this.table.methods.get(pt.name)?.get(m);
      if (!user && this.table.poisoned.has(`${pt.name}.${m}`)) {
        this.checkArgsLoose(e.args);
        return mk({ kind: "error" }, ERROR, e.span);
      }
      if (user) {
        if (!user.decl.receiver) {
          this.err(Codes.NoMethod, `'${m}' is an associated function of ${pt.name}, not a method: call it as ${pt.name}.${m}(..)`, e.method.span);
          this.checkArgsLoose(e.args);
          return mk({ kind: "error" }, ERROR, e.span);
        }
        return this.callUser(user, e.args, e.span, `${pt.name}.${m}`, { expr: r });
      }
    }
    return hoistSlotKeys(this, this.checkBuiltinMethod(e, exp));
  }

  /** Peek at the type of a name or field path without checking it (see probeType). */
  probeTypeOf(e: Expr): Ty | undefined {
    return this.probeType(e);
  }

  private selfName(): string | undefined {
    return this.b.fn.owner;
  }

  /**
   * `T.assoc(..)` through a type parameter: generic bodies are checked once per instance, where
   * `T` stands for a concrete type, so the call goes to that type's associated function.
   */
  private typeParamTypeName(name: string): string | undefined {
    const t = this.tenv?.get(name);
    if (!t || this.lookupLocalQuiet(name)) return undefined;
    const r = resolve(t);
    if (r.kind === "struct" || r.kind === "enum") return r.name;
    if (r.kind === "int" || r.kind === "float" || r.kind === "bool" || r.kind === "char" || r.kind === "string") return show(r);
    return undefined;
  }

  /** Type of a receiver expression, checked in a throwaway way only when it is a plain name or field path. */
  private probeType(e: Expr): Ty | undefined {
    // Checking twice would duplicate diagnostics and captures; we only peek at names and field chains.
    if (e.kind === "ident") {
      for (let b: Builder | undefined = this.b; b; b = b.parent) {
        const id = b.findOwn(e.name);
        if (id !== undefined) return b.localTy(id);
        if (b.siblingNames?.has(e.name)) return undefined;
      }
      return this.globals.get(e.name)?.ty;
    }
    if (e.kind === "field" && !e.optional) {
      if (e.object.kind === "ident" && this.isTypeLike(e.object)) {
        const en = this.table.enums.get(e.object.name);
        return en && en.variants.some((v) => v.name === e.name.name) && !en.generics.length ? this.table.enumTy(en, []) : undefined;
      }
      const base = this.probeType(e.object);
      const bt = base ? resolve(base) : undefined;
      if (bt?.kind === "struct") {
        const info = this.table.structs.get(bt.name)!;
        return this.table.structFields(info, bt.args).find((f) => f.name === e.name.name)?.type;
      }
      if (bt?.kind === "tuple" && /^[0-9]+$/.test(e.name.name)) return bt.elems[Number(e.name.name)];
      return undefined;
    }
    if (e.kind === "index") {
      const base = this.probeType(e.object);
      const bt = base ? resolve(base) : undefined;
      if (bt && (bt.kind === "vec" || bt.kind === "array" || bt.kind === "slice") && !(e.indices[0]?.kind === "range")) return bt.elem;
      if (bt && bt.kind === "map") return bt.value;
      return undefined;
    }
    if (e.kind === "call" && e.callee.kind === "ident" && !this.lookupLocalQuiet(e.callee.name)) {
      return this.table.fns.get(e.callee.name)?.sig.ret;
    }
    if (e.kind === "methodCall" && e.receiver.kind === "ident" && this.isTypeLike(e.receiver)) {
      const owner = e.receiver.name === "Self" ? this.selfName() : e.receiver.name;
      const f = owner ? this.table.methods.get(owner)?.get(e.method.name) : undefined;
      if (f) return f.sig.ret;
      if (owner && this.table.structs.has(owner)) return undefined;
    }
    if (e.kind === "methodCall") {
      const rt = this.probeType(e.receiver);
      const r = rt ? resolve(rt) : undefined;
      if (r && (r.kind === "struct" || r.kind === "enum")) return this.table.methods.get(r.name)?.get(e.method.name)?.sig.ret;
    }
    if (e.kind === "structLit" && e.path.length === 1 && this.table.structs.has(e.path[0])) {
      return this.table.structTy(this.table.structs.get(e.path[0])!);
    }
    return undefined;
  }

  /** `Type.name(args)`: associated functions, UFCS, variant constructors, builtin constructors. */
  private checkStaticCall(typeName: string, e: Expr & { kind: "methodCall" }, exp?: Ty): TExpr {
    const m = e.method.name;
    const span = e.span;
    if (typeName === "i128" || typeName === "u128") {
      this.err(Codes.Unsupported, "128-bit integers are not supported", e.receiver.span);
      this.checkArgsLoose(e.args);
      return mk({ kind: "error" }, ERROR, span);
    }
    const user = this.table.methods.get(typeName)?.get(m);
    if (user) {
      if (user.decl.receiver) {
        // UFCS: Type.m(v, args) == v.m(args)
        if (e.args.length === 0) {
          this.err(Codes.ArgCount, `method '${m}' needs a receiver: ${typeName}.${m}(value, ..)`, span);
          return mk({ kind: "error" }, ERROR, span);
        }
        return this.callUser(user, e.args.slice(1), span, `${typeName}.${m}`, { expr: e.args[0].value });
      }
      return this.callUser(user, e.args, span, `${typeName}.${m}`, undefined);
    }
    const en = this.table.enums.get(typeName);
    if (en) {
      const i = en.variants.findIndex((v) => v.name === m);
      if (i >= 0) return this.variantValue(en, i, e.args, span, exp, e.method.span);
    }
    const b = (op: BuiltinOp, targs: TExpr[], ty: Ty, typeArgs: Ty[] = []): TExpr =>
      mk({ kind: "builtin", op, args: targs, typeArgs: typeArgs.map(asType) }, ty, span);
    const arity = (n: number): boolean => {
      if (e.args.length === n) return true;
      this.err(Codes.ArgCount, `${typeName}.${m} takes ${n} argument${n === 1 ? "" : "s"} but ${e.args.length} were supplied`, span);
      this.checkArgsLoose(e.args);
      return false;
    };
    const key = `${typeName}.${m}`;
    switch (key) {
      case "Vec.new":
      case "Vec.with_capacity": {
        const elem = exp && exp.kind === "vec" ? exp.elem : freshVar();
        if (m === "new") {
          if (!arity(0)) return b("vec.new", [], ERROR);
          return b("vec.new", [], { kind: "vec", elem }, [elem]);
        }
        if (!arity(1)) return b("vec.with_capacity", [], ERROR);
        const n = this.expectArg(e.args[0].value, I64);
        return b("vec.with_capacity", [n], { kind: "vec", elem }, [elem]);
      }
      case "Vec.filled": {
        if (!arity(2)) return b("vec.filled", [], ERROR);
        const n = this.expectArg(e.args[0].value, I64);
        const elemExp = exp && exp.kind === "vec" ? exp.elem : undefined;
        let v = this.checkExpr(e.args[1].value, elemExp);
        if (elemExp) v = this.coerce(this.own(v), elemExp, e.args[1].value.span);
        else v = this.own(v);
        return b("vec.filled", [n, v], { kind: "vec", elem: T(v) }, [T(v)]);
      }
      case "Vec.from_fn": {
        if (!arity(2)) return b("vec.new", [], ERROR);
        return new PipelineLowering(this).lowerFromFn(e.args[0].value, e.args[1].value, exp, span);
      }
      case "String.new":
        if (!arity(0)) return b("string.new", [], ERROR);
        return b("string.new", [], STRING);
      case "String.from": {
        if (!arity(1)) return b("string.from", [], ERROR);
        return b("string.from", [this.expectArg(e.args[0].value, STRING)], STRING);
      }
      case "Atomic.new": {
        if (!arity(1)) return b("atomic.new", [], ERROR);
        const innerExp = exp && exp.kind === "atomic" ? exp.inner : undefined;
        let v = this.checkExpr(e.args[0].value, innerExp);
        if (innerExp) v = this.coerce(v, innerExp, e.args[0].value.span);
        const inner = T(v);
        this.deferred.push(() => {
          if (!atomicInnerOk(inner)) {
            this.err(Codes.AtomicInvalidInnerType, `Atomic[${show(inner)}] is not supported: the inner type must be an integer or bool`, e.args[0].value.span);
          }
        });
        if (!atomicInnerOk(inner)) return b("atomic.new", [v], ERROR);
        return b("atomic.new", [v], { kind: "atomic", inner }, [inner]);
      }
      case "Mutex.new": {
        if (!arity(1)) return b("mutex.new", [], ERROR);
        const innerExp = exp && exp.kind === "mutex" ? exp.inner : undefined;
        let v = this.checkExpr(e.args[0].value, innerExp);
        v = innerExp ? this.coerce(this.own(v), innerExp, e.args[0].value.span) : this.own(v);
        return b("mutex.new", [v], { kind: "mutex", inner: T(v) }, [T(v)]);
      }
      case "Channel.new":
        return checkChannelNew(this, undefined, e.args, span, exp);
      case "TaskGroup.new":
        if (!arity(0)) return b("taskgroup.new", [], ERROR);
        return b("taskgroup.new", [], { kind: "taskGroup" });
      case "Map.new": {
        if (!arity(0)) return b("map.new", [], ERROR);
        const t: Ty = exp && exp.kind === "map" ? exp : { kind: "map", key: freshVar(), value: freshVar() };
        this.requireHashKey((t as { key: Ty }).key, span);
        return b("map.new", [], t, [(t as { key: Ty }).key, (t as { value: Ty }).value]);
      }
      case "Set.new": {
        if (!arity(0)) return b("set.new", [], ERROR);
        const t: Ty = exp && exp.kind === "set" ? exp : { kind: "set", elem: freshVar() };
        this.requireHashKey((t as { elem: Ty }).elem, span);
        return b("set.new", [], t, [(t as { elem: Ty }).elem]);
      }
      case "String.with_capacity": {
        if (!arity(1)) return b("string.new", [], ERROR);
        this.expectArg(e.args[0].value, I64);
        return b("string.new", [], STRING);
      }
    }
    if (typeName === "char" && m === "try_from") {
      if (!arity(1)) return b("char.try_from", [], ERROR);
      const n = this.checkExpr(e.args[0].value, I64);
      if (!isIntLike(T(n)) && !isError(T(n))) this.mismatch(I64, T(n), e.args[0].value.span);
      defaultLiterals(T(n));
      return b("char.try_from", [n], this.resultOf(CHAR, T(n)), [T(n)]);
    }
    if ((typeName === "f64" || typeName === "f32") && m === "parse") {
      if (!arity(1)) return b("float.parse", [], ERROR);
      const t: Ty = { kind: "float", bits: typeName === "f32" ? 32 : 64 };
      return b("float.parse", [this.expectArg(e.args[0].value, STRING)], this.optionOf(t), [t]);
    }
    if (isIntName(typeName) && m === "parse") {
      if (!arity(1)) return b("int.parse", [], ERROR);
      const s = this.expectArg(e.args[0].value, STRING);
      const t = intTy(typeName);
      return b("int.parse", [s], this.optionOf(t), [t]);
    }
    if (this.table.structs.has(typeName) || this.table.enums.has(typeName)) {
      this.err(Codes.NoMethod, `no associated function or variant named '${m}' on type ${typeName}`, e.method.span);
    } else {
      this.err(Codes.NoMethod, `no associated function '${m}' on type ${typeName}`, e.method.span);
    }
    this.checkArgsLoose(e.args);
    return mk({ kind: "error" }, ERROR, span);
  }

  expectArg(e: Expr, t: Ty): TExpr {
    const v = this.checkExpr(e, t);
    return this.coerce(v, t, e.span);
  }

  optionOf(t: Ty): Ty {
    return { kind: "enum", name: "Option", flavor: "plain", args: [t] };
  }

  resultOf(t: Ty, e: Ty): Ty {
    return { kind: "enum", name: "Result", flavor: "plain", args: [t, e] };
  }

  /** Literal MemoryOrdering arguments at the end of an atomic call (E0270 when missing / not literal). */
  private orderings(args: Arg[], n: number, what: string, span: Span): MemoryOrdering[] {
    const out: MemoryOrdering[] = [];
    const sig = `${what} takes ${n === 1 ? "(ordering: MemoryOrdering)" : `${n} MemoryOrdering arguments`}`;
    if (args.length < n) {
      this.err(Codes.AtomicMissingOrdering, `${sig}: every atomic operation requires an explicit MemoryOrdering, e.g. MemoryOrdering.SeqCst`, span);
      return [];
    }
    for (const a of args.slice(args.length - n)) {
      const v = a.value;
      if (v.kind === "field" && v.object.kind === "ident" && v.object.name === "MemoryOrdering" && ORDERINGS.has(v.name.name)) {
        out.push(v.name.name as MemoryOrdering);
      } else {
        this.err(Codes.AtomicMissingOrdering, `${sig}: the ordering must be a literal MemoryOrdering.X (Relaxed, Acquire, Release, AcqRel or SeqCst)`, v.span);
        return [];
      }
    }
    return out;
  }

  private checkBuiltinMethod(e: Expr & { kind: "methodCall" }, exp?: Ty): TExpr {
    const m = e.method.name;
    const span = e.span;
    const args = e.args;
    // Mutating builtins need the receiver as a place.
    const recvPlace = (): TPlace | undefined => {
      const p = this.placeOrTemp(e.receiver);
      return p;
    };
    // First find the receiver's type without committing to place vs value: places are checked once.
    const place = recvPlace();
    if (!place) {
      this.checkArgsLoose(args);
      return mk({ kind: "error" }, ERROR, span);
    }
    let rt = resolve(tyOf(place.type));
    // Methods on an untyped literal (`5.to_string()`) use the literal's default type.
    if (rt.kind === "var" && rt.lit) {
      unify(rt, rt.lit === "int" ? I64 : F64);
      rt = resolve(rt);
    }
    const asValue: TReceiver = place.kind === "temp" ? { kind: "value", value: place.value } : { kind: "value", value: mk({ kind: "read", place }, rt, e.receiver.span) };
    const asPlace: TReceiver = { kind: "place", place };
    const b = (op: BuiltinOp, recv: TReceiver, targs: TExpr[], ty: Ty, typeArgs: Ty[] = [], orderings?: MemoryOrdering[]): TExpr => {
      const n: TExprNode = { kind: "builtin", op, receiver: recv, args: targs, typeArgs: typeArgs.map(asType) };
      if (orderings) (n as { orderings?: MemoryOrdering[] }).orderings = orderings;
      return mk(n, ty, span);
    };
    const arity = (n: number): boolean => {
      if (args.length === n) return true;
      this.err(Codes.ArgCount, `method '${m}' takes ${n} argument${n === 1 ? "" : "s"} but ${args.length} ${args.length === 1 ? "was" : "were"} supplied`, span);
      this.checkArgsLoose(args);
      return false;
    };
    const mutRecv = (): boolean => {
      // A Map value mutated in place (`m[k].push(x)`): the receiver is the value's slot in the map.
      const slot = writablePlace(place);
      (asPlace as { place: TPlace }).place = slot;
      return this.requireMutable(slot, e.receiver.span, "borrow");
    };
    const fail = (): TExpr => mk({ kind: "error" }, ERROR, span);
    if (rt.kind === "error") {
      this.checkArgsLoose(args);
      return fail();
    }
    if (rt.kind === "struct" || rt.kind === "enum") {
      const user = this.table.methods.get(rt.name)?.get(m);
      if (user && user.decl.receiver) return this.callUserOnPlace(user, place, e, `${rt.name}.${m}`);
    }
    if (m === "to_string" && rt.kind !== "var") {
      if (!arity(0)) return fail();
      this.requireDisplay(rt, e.receiver.span);
      return b("to_string", asValue, [], STRING, [rt]);
    }
    switch (rt.kind) {
      case "vec":
      case "array":
      case "slice": {
        const elem = rt.elem;
        const k = rt.kind;
        const mutating = ["push", "pop", "insert", "remove", "clear", "truncate", "reverse", "sort", "swap", "extend"];
        if (k !== "vec" && mutating.includes(m) && !(k === "slice" && rt.mut && (m === "sort" || m === "swap" || m === "reverse"))) {
          this.err(Codes.NoMethod, `no method '${m}' on ${show(rt)}${k === "array" ? ": arrays have a fixed size" : ""}`, e.method.span);
          this.checkArgsLoose(args);
          return fail();
        }
        switch (m) {
          case "len":
            if (!arity(0)) return fail();
            return b(`${k}.len` as BuiltinOp, asValue, [], I64, [elem]);
          case "is_empty":
            if (!arity(0)) return fail();
            return b("vec.is_empty", asValue, [], BOOL, [elem]);
          case "push": {
            if (!arity(1)) return fail();
            mutRecv();
            const v = this.coerce(this.own(this.checkExpr(args[0].value, elem)), elem, args[0].value.span);
            return b("vec.push", asPlace, [v], UNIT, [elem]);
          }
          case "pop":
            if (!arity(0)) return fail();
            mutRecv();
            return b("vec.pop", asPlace, [], this.optionOf(elem), [elem]);
          case "get": {
            if (!arity(1)) return fail();
            const i = this.expectArg(args[0].value, I64);
            return b(`${k === "vec" ? "vec" : k}.get` as BuiltinOp, asValue, [i], this.optionOf(elem), [elem]);
          }
          case "first":
          case "last":
            if (!arity(0)) return fail();
            return b(`vec.${m}`, asValue, [], this.optionOf(elem), [elem]);
          case "contains": {
            if (!arity(1)) return fail();
            const v = this.checkExpr(args[0].value, elem);
            if (!unify(T(v), elem)) this.mismatch(elem, T(v), args[0].value.span);
            requireEquatable(this, elem, "contains", span);
            return b(k === "array" ? "array.contains" : "vec.contains", asValue, [v], BOOL, [elem]);
          }
          case "insert": {
            if (!arity(2)) return fail();
            mutRecv();
            const i = this.expectArg(args[0].value, I64);
            const v = this.coerce(this.own(this.checkExpr(args[1].value, elem)), elem, args[1].value.span);
            return b("vec.insert", asPlace, [i, v], UNIT, [elem]);
          }
          case "remove": {
            if (!arity(1)) return fail();
            mutRecv();
            return b("vec.remove", asPlace, [this.expectArg(args[0].value, I64)], elem, [elem]);
          }
          case "swap": {
            if (!arity(2)) return fail();
            mutRecv();
            return b("vec.swap", asPlace, [this.expectArg(args[0].value, I64), this.expectArg(args[1].value, I64)], UNIT, [elem]);
          }
          case "truncate": {
            if (!arity(1)) return fail();
            mutRecv();
            return b("vec.truncate", asPlace, [this.expectArg(args[0].value, I64)], UNIT, [elem]);
          }
          case "clear":
          case "reverse":
            if (!arity(0)) return fail();
            mutRecv();
            return b(`vec.${m}`, asPlace, [], UNIT, [elem]);
          case "sort": {
            if (!arity(0)) return fail();
            mutRecv();
            this.deferred.push(() => {
              const el = resolve(elem);
              if (el.kind === "float") this.err(Codes.BadOperand, `cannot sort ${show(rt)}: f64 has no total order; wrap values with F64.from`, span);
              else if (!satisfiesBound(this.table, "Ord", el)) this.err(Codes.BadOperand, `cannot sort ${show(rt)}: ${show(el)} is not Ord; add #[derive(PartialEq, Eq, PartialOrd, Ord)] or impl Ord`, span);
            });
            return b("vec.sort", asPlace, [], UNIT, [elem]);
          }
          case "extend": {
            if (!arity(1)) return fail();
            mutRecv();
            const v = this.checkExpr(args[0].value, { kind: "vec", elem });
            if (!unify(T(v), { kind: "vec", elem })) this.mismatch({ kind: "vec", elem }, T(v), args[0].value.span);
            return b("vec.extend", asPlace, [this.own(v)], UNIT, [elem]);
          }
          case "join": {
            if (!arity(1)) return fail();
            if (!unify(elem, STRING)) {
              this.err(Codes.NoMethod, `join is only available on Vec[String], found ${show(rt)}`, e.method.span);
              return fail();
            }
            return b("vec.join", asValue, [this.expectArg(args[0].value, STRING)], STRING, [elem]);
          }
          case "clone":
          case "to_vec":
            if (!arity(0)) return fail();
            return b("vec.clone", asValue, [], { kind: "vec", elem }, [elem]);
        }
        break;
      }
      case "string": {
        switch (m) {
          case "len":
          case "char_count":
            if (!arity(0)) return fail();
            return b(m === "len" ? "string.len" : "string.char_count", asValue, [], I64);
          case "is_empty":
            if (!arity(0)) return fail();
            return b("string.is_empty", asValue, [], BOOL);
          case "push": {
            if (!arity(1)) return fail();
            mutRecv();
            const v = this.checkExpr(args[0].value, CHAR);
            if (!unify(T(v), CHAR)) {
              this.err(Codes.Mismatch, `String.push takes a char, found ${show(T(v))}; use push_str for strings`, args[0].value.span);
            }
            return b("string.push", asPlace, [v], UNIT);
          }
          case "push_str": {
            if (!arity(1)) return fail();
            mutRecv();
            return b("string.push_str", asPlace, [this.expectArg(args[0].value, STRING)], UNIT);
          }
          case "contains":
          case "starts_with":
          case "ends_with":
            if (!arity(1)) return fail();
            return b(`string.${m}`, asValue, [this.expectArg(args[0].value, STRING)], BOOL);
          case "clone":
          case "trim":
          case "to_uppercase":
          case "to_lowercase":
            if (!arity(0)) return fail();
            return b(`string.${m}`, asValue, [], STRING);
          case "repeat":
            if (!arity(1)) return fail();
            return b("string.repeat", asValue, [this.expectArg(args[0].value, I64)], STRING);
          case "split":
          case "find": {
            if (!arity(1)) return fail();
            const v = this.checkExpr(args[0].value, STRING);
            const at = resolve(T(v));
            if (at.kind !== "string" && at.kind !== "char") {
              if (at.kind !== "error") this.err(Codes.Mismatch, `mismatched types: expected String or char, found ${show(at)}`, args[0].value.span);
              return fail();
            }
            return m === "split"
              ? b("string.split", asValue, [v], { kind: "vec", elem: STRING }, [at])
              : b("string.find", asValue, [v], this.optionOf(I64), [at]);
          }
          case "lines":
          case "split_whitespace":
            if (!arity(0)) return fail();
            return b(`string.${m}`, asValue, [], { kind: "vec", elem: STRING });
          case "trim_start":
          case "trim_end":
            if (!arity(0)) return fail();
            return b(`string.${m}`, asValue, [], STRING);
          case "replace":
            if (!arity(2)) return fail();
            return b("string.replace", asValue, [this.expectArg(args[0].value, STRING), this.expectArg(args[1].value, STRING)], STRING);
          case "replacen":
            if (!arity(3)) return fail();
            return b("string.replacen", asValue, [this.expectArg(args[0].value, STRING), this.expectArg(args[1].value, STRING), this.expectArg(args[2].value, I64)], STRING);
          case "char_at":
            if (!arity(1)) return fail();
            return b("string.char_at", asValue, [this.expectArg(args[0].value, I64)], this.optionOf(CHAR));
          case "substring":
            if (!arity(2)) return fail();
            return b("string.substring", asValue, [this.expectArg(args[0].value, I64), this.expectArg(args[1].value, I64)], STRING);
          case "strip_prefix":
          case "strip_suffix":
            if (!arity(1)) return fail();
            return b(`string.${m}`, asValue, [this.expectArg(args[0].value, STRING)], this.optionOf(STRING));
          case "cmp": {
            if (!arity(1)) return fail();
            const ord = this.table.enums.get("Ordering")!;
            return b("string.cmp", asValue, [this.expectArg(args[0].value, STRING)], this.table.enumTy(ord, []));
          }
        }
        break;
      }
      case "char": {
        switch (m) {
          case "is_digit": {
            if (!arity(1)) return fail();
            return b("char.is_digit", asValue, [this.expectArg(args[0].value, U32)], BOOL);
          }
          case "to_digit":
            if (!arity(1)) return fail();
            return b("char.to_digit", asValue, [this.expectArg(args[0].value, U32)], this.optionOf(U32));
          case "is_alphabetic":
          case "is_whitespace":
          case "is_alphanumeric":
          case "is_numeric":
          case "is_uppercase":
          case "is_lowercase":
          case "is_ascii":
          case "is_ascii_digit":
          case "is_ascii_alphabetic":
            if (!arity(0)) return fail();
            return b(`char.${m}` as BuiltinOp, asValue, [], BOOL);
          case "to_ascii_uppercase":
          case "to_ascii_lowercase":
          case "to_uppercase":
          case "to_lowercase":
            if (!arity(0)) return fail();
            return b(`char.${m}` as BuiltinOp, asValue, [], CHAR);
        }
        break;
      }
      case "int": {
        const same = (): TExpr => this.expectArg(args[0].value, rt);
        switch (m) {
          case "abs":
          case "signum":
            if (!arity(0)) return fail();
            if (!rt.signed && m === "abs") break;
            return b(`int.${m}`, asValue, [], rt, [rt]);
          case "pow":
            if (!arity(1)) return fail();
            return b("int.pow", asValue, [this.expectArg(args[0].value, U32)], rt, [rt]);
          case "min":
          case "max":
          case "wrapping_add":
          case "wrapping_sub":
          case "wrapping_mul":
          case "saturating_add":
          case "saturating_sub":
          case "saturating_mul":
          case "rem_euclid":
          case "div_euclid":
            if (!arity(1)) return fail();
            return b(`int.${m}`, asValue, [same()], rt, [rt]);
          case "checked_add":
          case "checked_sub":
          case "checked_mul":
            if (!arity(1)) return fail();
            return b(`int.${m}`, asValue, [same()], this.optionOf(rt), [rt]);
        }
        break;
      }
      case "float": {
        switch (m) {
          case "sqrt":
          case "abs":
          case "floor":
          case "ceil":
          case "round":
          case "trunc":
            if (!arity(0)) return fail();
            return b(`float.${m}`, asValue, [], rt, [rt]);
          case "min":
          case "max":
          case "pow":
            if (!arity(1)) return fail();
            return b(`float.${m}`, asValue, [this.expectArg(args[0].value, rt)], rt, [rt]);
          case "powi":
            if (!arity(1)) return fail();
            return b("float.powi", asValue, [this.expectArg(args[0].value, intTy("i32"))], rt, [rt]);
        }
        break;
      }
      case "enum": {
        const info = this.table.enums.get(rt.name)!;
        if (info.prelude === "option" || info.prelude === "result") {
          const pre = info.prelude;
          const inner = rt.args[0];
          switch (m) {
            case "is_some":
            case "is_none":
            case "is_ok":
            case "is_err":
              if ((pre === "option") !== (m === "is_some" || m === "is_none")) break;
              if (!arity(0)) return fail();
              return b(`${pre}.${m}` as BuiltinOp, asValue, [], BOOL, [rt]);
            case "unwrap":
              if (!arity(0)) return fail();
              return b(`${pre}.unwrap`, asValue, [], inner, [rt]);
            case "unwrap_err":
              if (pre !== "result") break;
              if (!arity(0)) return fail();
              return b("result.unwrap_err", asValue, [], rt.args[1], [rt]);
            case "expect":
              if (!arity(1)) return fail();
              return b(`${pre}.expect`, asValue, [this.expectArg(args[0].value, STRING)], inner, [rt]);
            case "unwrap_or": {
              if (!arity(1)) return fail();
              const v = this.coerce(this.own(this.checkExpr(args[0].value, inner)), inner, args[0].value.span);
              return b(`${pre}.unwrap_or`, asValue, [v], inner, [rt]);
            }
            case "map":
            case "map_err":
            case "and_then":
            case "unwrap_or_else":
              if (m === "map_err" && pre !== "result") break;
              if (!arity(1)) return fail();
              return this.lowerCombinator(pre, rt, m, args[0].value, (asValue as { value: TExpr }).value, span);
          }
        }
        break;
      }
      case "atomic": {
        const inner = rt.inner;
        const atom = (op: string, valueArgs: number, nOrd: number, ret: Ty): TExpr => {
          const what = `Atomic.${op}`;
          if (args.length === valueArgs + nOrd) {
            const ords = this.orderings(args, nOrd, what, span);
            const vals = args.slice(0, valueArgs).map((a) => this.expectArg(a.value, inner));
            if (place.kind === "local") this.b.addressTaken(place.local);
            if (ords.length === nOrd) this.checkOrderingUse(op, ords, span);
            return b(`atomic.${op}` as BuiltinOp, asPlace, vals, ret, [inner], ords);
          }
          if (args.length === valueArgs) {
            this.checkArgsLoose(args);
            this.err(Codes.AtomicMissingOrdering, `${what} takes (${[...Array(valueArgs)].map((_, i) => `v${i + 1}: ${show(inner)}, `).join("")}${nOrd === 1 ? "ordering: MemoryOrdering" : "success: MemoryOrdering, failure: MemoryOrdering"}): every atomic operation requires an explicit MemoryOrdering`, span);
            return fail();
          }
          this.checkArgsLoose(args);
          this.err(Codes.ArgCount, `${what} takes ${valueArgs + nOrd} arguments but ${args.length} were supplied`, span);
          return fail();
        };
        const isBool = resolve(inner).kind === "bool";
        switch (m) {
          case "load":
            return atom("load", 0, 1, inner);
          case "store":
            return atom("store", 1, 1, UNIT);
          case "swap":
            return atom("swap", 1, 1, inner);
          case "fetch_add":
          case "fetch_sub":
          case "fetch_and":
          case "fetch_or":
          case "fetch_xor":
            if (isBool) break;
            return atom(m, 1, 1, inner);
          case "compare_exchange":
            if (isBool) break;
            return atom("compare_exchange", 2, 2, this.resultOf(inner, inner));
        }
        break;
      }
      case "map": {
        const K = rt.key;
        const V = rt.value;
        const key = (i: number): TExpr => {
          const v = this.checkExpr(args[i].value, K);
          if (!unify(T(v), K)) this.mismatch(K, T(v), args[i].value.span);
          return v;
        };
        const ta = [K, V];
        switch (m) {
          case "insert": {
            if (!arity(2)) return fail();
            mutRecv();
            const k = this.own(key(0));
            const v = this.coerce(this.own(this.checkExpr(args[1].value, V)), V, args[1].value.span);
            return b("map.insert", asPlace, [k, v], this.optionOf(V), ta);
          }
          case "get":
            if (!arity(1)) return fail();
            return b("map.get", asValue, [key(0)], this.optionOf(V), ta);
          case "get_or": {
            if (!arity(2)) return fail();
            const k = key(0);
            const d = this.coerce(this.own(this.checkExpr(args[1].value, V)), V, args[1].value.span);
            return b("map.get_or", asValue, [k, d], V, ta);
          }
          case "contains_key":
            if (!arity(1)) return fail();
            return b("map.contains_key", asValue, [key(0)], BOOL, ta);
          case "remove":
            if (!arity(1)) return fail();
            mutRecv();
            return b("map.remove", asPlace, [key(0)], this.optionOf(V), ta);
          case "len":
            if (!arity(0)) return fail();
            return b("map.len", asValue, [], I64, ta);
          case "is_empty":
            if (!arity(0)) return fail();
            return b("map.is_empty", asValue, [], BOOL, ta);
          case "clear":
            if (!arity(0)) return fail();
            mutRecv();
            return b("map.clear", asPlace, [], UNIT, ta);
          case "keys":
            if (!arity(0)) return fail();
            return b("map.keys", asValue, [], { kind: "vec", elem: K }, ta);
          case "values":
            if (!arity(0)) return fail();
            return b("map.values", asValue, [], { kind: "vec", elem: V }, ta);
        }
        break;
      }
      case "set": {
        const X = rt.elem;
        const elemArg = (): TExpr => {
          const v = this.checkExpr(args[0].value, X);
          if (!unify(T(v), X)) this.mismatch(X, T(v), args[0].value.span);
          return v;
        };
        switch (m) {
          case "insert":
            if (!arity(1)) return fail();
            mutRecv();
            return b("set.insert", asPlace, [this.own(elemArg())], BOOL, [X]);
          case "contains":
            if (!arity(1)) return fail();
            return b("set.contains", asValue, [elemArg()], BOOL, [X]);
          case "remove":
            if (!arity(1)) return fail();
            mutRecv();
            return b("set.remove", asPlace, [elemArg()], BOOL, [X]);
          case "len":
            if (!arity(0)) return fail();
            return b("set.len", asValue, [], I64, [X]);
          case "is_empty":
            if (!arity(0)) return fail();
            return b("set.is_empty", asValue, [], BOOL, [X]);
          case "clear":
            if (!arity(0)) return fail();
            mutRecv();
            return b("set.clear", asPlace, [], UNIT, [X]);
          case "union":
          case "intersection":
          case "difference": {
            if (!arity(1)) return fail();
            const other = this.checkExpr(args[0].value, rt);
            if (!unify(T(other), rt)) this.mismatch(rt, T(other), args[0].value.span);
            return b(`set.${m}`, asValue, [other], rt, [X]);
          }
        }
        break;
      }
      case "range": {
        if (m === "sum") {
          if (!arity(0)) return fail();
          if (!isIntLike(rt.elem)) break;
          return b("range.sum", asValue, [], rt.elem, [rt.elem]);
        }
        if (m === "rev" || m === "step_by") {
          this.err(Codes.Unsupported, `range adaptor '${m}' is only supported directly in a for loop head`, e.method.span);
          this.checkArgsLoose(args);
          return fail();
        }
        break;
      }
      case "taskGroup": {
        if (m === "spawn") {
          if (!arity(1)) return fail();
          mutRecv();
          const thunk = this.checkThunk(args[0].value);
          const tt = resolve(T(thunk));
          const ret = tt.kind === "fn" ? tt.ret : ERROR;
          return b("taskgroup.spawn", asPlace, [thunk], { kind: "taskHandle", result: ret }, [ret]);
        }
        if (m === "cancel") {
          if (!arity(0)) return fail();
          return b("taskgroup.cancel", asPlace, [], UNIT);
        }
        break;
      }
      case "sender":
      case "receiver":
        return checkChannelMethod(this, rt, m, args, asValue, span, e.method.span);
      case "taskHandle": {
        if (m === "join") {
          if (!arity(0)) return fail();
          const v = mk({ kind: "$own", value: (asValue as { value: TExpr }).value }, rt, e.receiver.span);
          return b("taskhandle.join", { kind: "value", value: v }, [], rt.result, [rt.result]);
        }
        break;
      }
      case "var":
        this.err(Codes.NeedsAnnotation, `type annotations needed: the type of the receiver of '${m}' is not known here`, e.receiver.span);
        this.checkArgsLoose(args);
        return fail();
    }
    const optm = checkOptionMethod(this, e, rt, { asValue, asPlace, mutRecv, arity, b, exp });
    if (optm) return optm;
    const parsed = checkStringParse(this, e, rt, { asValue, asPlace, mutRecv, arity, b, exp });
    if (parsed) return parsed;
    const more = checkMoreMethods(this, e, rt, { asValue, asPlace, mutRecv, arity, b, exp });
    if (more) return more;
    if (rt.kind === "struct" || rt.kind === "enum") {
      this.err(Codes.NoMethod, `no method named '${m}' found for ${show(rt)}`, e.method.span);
    } else {
      this.err(Codes.NoMethod, `no method named '${m}' found for ${show(rt)}`, e.method.span);
    }
    this.checkArgsLoose(args);
    return fail();
  }

  /**
   * Option/Result combinators taking a closure, lowered to a match:
   *   o.map(f)            => match o { Some(x) => Some(f(x)), None => None }
   *   r.map_err(f)        => match r { Ok(x) => Ok(x), Err(e) => Err(f(e)) }
   *   o.and_then(f)       => match o { Some(x) => f(x), None => None }
   *   o.unwrap_or_else(f) => match o { Some(x) => x, None => f() }   (Result: Err(e) => f(e))
   */
  private lowerCombinator(pre: "option" | "result", rt: Ty & { kind: "enum" }, m: string, fE: Expr, scrut: TExpr, span: Span): TExpr {
    const inner = rt.args[0];
    const errT = pre === "result" ? rt.args[1] : UNIT;
    const fresh = freshVar();
    let want: Ty;
    let resTy: Ty;
    switch (m) {
      case "map":
        want = { kind: "fn", params: [inner], ret: fresh };
        resTy = pre === "option" ? this.optionOf(fresh) : this.resultOf(fresh, errT);
        break;
      case "map_err":
        want = { kind: "fn", params: [errT], ret: fresh };
        resTy = this.resultOf(inner, fresh);
        break;
      case "and_then":
        resTy = pre === "option" ? this.optionOf(fresh) : this.resultOf(fresh, errT);
        want = { kind: "fn", params: [inner], ret: resTy };
        break;
      default:
        want = { kind: "fn", params: pre === "option" ? [] : [errT], ret: inner };
        resTy = inner;
    }
    const fv = fE.kind === "closure" ? this.checkClosure(fE, want, "closure") : this.checkExpr(fE, want);
    if (!unify(T(fv), want)) {
      this.mismatch(want, T(fv), fE.span);
      return mk({ kind: "error" }, ERROR, span);
    }
    const b = this.b;
    b.pushScope();
    const fl = b.newLocal("$f", want, "temp", false, "owned", span);
    b.declare("$f", fl);
    const readL = (id: LocalId): TExpr => mk({ kind: "read", place: { kind: "local", local: id, type: asType(b.localTy(id)), span } }, b.localTy(id), span);
    const bind = (name: string, ty: Ty): { id: LocalId; pat: TPattern } => {
      const id = b.newLocal(name, ty, "let", false, "owned", span);
      return { id, pat: { kind: "bind", local: id, type: asType(ty), span } as TPattern };
    };
    const call = (args: TExpr[], ret: Ty): TExpr => mk({ kind: "callValue", callee: readL(fl), args }, ret, span);
    const pat = (variant: number, args: TPattern[]): TPattern => ({ kind: "variant", enum: rt.name, variant, args, type: asType(rt), span }) as TPattern;
    const variant = (en: Ty & { kind: "enum" }, v: number, payload: TExpr[]): TExpr => mk({ kind: "variant", enum: en.name, variant: v, payload }, en, span);
    const res = resTy as Ty & { kind: "enum" };
    const x = bind("$x", inner);
    const arms: TMatchArm[] = [];
    if (m === "map") {
      arms.push({ pattern: pat(0, [x.pat]), body: variant(res, 0, [call([this.own(readL(x.id))], fresh)]), span });
      if (pre === "option") arms.push({ pattern: pat(1, []), body: variant(res, 1, []), span });
      else {
        const e = bind("$e", errT);
        arms.push({ pattern: pat(1, [e.pat]), body: variant(res, 1, [this.own(readL(e.id))]), span });
      }
    } else if (m === "map_err") {
      const e = bind("$e", errT);
      arms.push({ pattern: pat(0, [x.pat]), body: variant(res, 0, [this.own(readL(x.id))]), span });
      arms.push({ pattern: pat(1, [e.pat]), body: variant(res, 1, [call([this.own(readL(e.id))], fresh)]), span });
    } else if (m === "and_then") {
      arms.push({ pattern: pat(0, [x.pat]), body: call([this.own(readL(x.id))], resTy), span });
      if (pre === "option") arms.push({ pattern: pat(1, []), body: variant(res, 1, []), span });
      else {
        const e = bind("$e", errT);
        arms.push({ pattern: pat(1, [e.pat]), body: variant(res, 1, [this.own(readL(e.id))]), span });
      }
    } else {
      arms.push({ pattern: pat(0, [x.pat]), body: this.own(readL(x.id)), span });
      if (pre === "option") arms.push({ pattern: pat(1, []), body: call([], inner), span });
      else {
        const e = bind("$e", errT);
        arms.push({ pattern: pat(1, [e.pat]), body: call([this.own(readL(e.id))], inner), span });
      }
    }
    const matchE = mk({ kind: "match", scrutinee: scrut, arms }, resTy, span);
    const letF: TStmt = { kind: "let", pattern: { kind: "bind", local: fl, type: asType(want), span } as TPattern, init: fv, span };
    const drops = b.popScope();
    return { kind: "block", stmts: [letF], tail: matchE, drops, type: asType(resTy), span } as TBlock;
  }

  /** Orderings codegen rejects (effects-concurrency §3.3). */
  private checkOrderingUse(op: string, ords: MemoryOrdering[], span: Span): void {
    const bad = (msg: string): void => this.err(Codes.AtomicBadOrdering, msg, span);
    if (op === "load" && (ords[0] === "Release" || ords[0] === "AcqRel")) bad(`Atomic.load cannot use MemoryOrdering.${ords[0]}; use Acquire, SeqCst or Relaxed`);
    if (op === "store" && (ords[0] === "Acquire" || ords[0] === "AcqRel")) bad(`Atomic.store cannot use MemoryOrdering.${ords[0]}; use Release, SeqCst or Relaxed`);
    if (op === "compare_exchange" && (ords[1] === "Release" || ords[1] === "AcqRel")) bad(`the failure ordering of compare_exchange cannot be ${ords[1]}`);
  }

  // ------------------------------------------------------------ literals

  private checkList(e: Expr & { kind: "list" }, exp?: Ty): TExpr {
    if (e.entries) {
      const kExp = exp?.kind === "map" ? exp.key : undefined;
      const vExp = exp?.kind === "map" ? exp.value : undefined;
      let key: Ty = kExp ?? freshVar();
      let value: Ty = vExp ?? freshVar();
      const entries: [TExpr, TExpr][] = e.entries.map(([k, v], i) => {
        let tk = this.checkExpr(k, i || kExp ? key : undefined);
        let tv = this.checkExpr(v, i || vExp ? value : undefined);
        if (i === 0 && !kExp) {
          unify(key, T(tk));
          key = T(tk);
        } else tk = this.coerce(tk, key, k.span);
        if (i === 0 && !vExp) {
          unify(value, T(tv));
          value = T(tv);
          tv = this.own(tv);
        } else tv = this.coerce(this.own(tv), value, v.span);
        return [this.own(tk), tv];
      });
      this.requireHashKey(key, e.span);
      return mk({ kind: "mapLit", entries }, { kind: "map", key, value }, e.span);
    }
    if (e.prefix === "Set") {
      const elemExp = exp?.kind === "set" ? exp.elem : undefined;
      let elem: Ty = elemExp ?? freshVar();
      const elems = e.elems.map((x, i) => {
        const v = this.checkExpr(x, i || elemExp ? elem : undefined);
        if (i === 0 && !elemExp) {
          unify(elem, T(v));
          elem = T(v);
          return this.own(v);
        }
        return this.coerce(this.own(v), elem, x.span);
      });
      this.requireHashKey(elem, e.span);
      return mk({ kind: "setLit", elems }, { kind: "set", elem }, e.span);
    }
    if (e.prefix === "Map") {
      this.err(Codes.Mismatch, 'a Map literal needs key: value entries, e.g. Map["a": 1]; use Map.new() for an empty map', e.span);
      return mk({ kind: "error" }, ERROR, e.span);
    }
    const asArray = e.prefix === "Array" || (!e.prefix && exp?.kind === "array");
    const elemExp = exp && (exp.kind === "vec" || exp.kind === "array" || exp.kind === "slice") ? exp.elem : undefined;
    if (e.repeat) {
      let v = this.checkExpr(e.repeat.value, elemExp);
      v = elemExp ? this.coerce(this.own(v), elemExp, e.repeat.value.span) : this.own(v);
      if (asArray) {
        const c = e.repeat.count;
        if (c.kind !== "int") {
          this.err(Codes.Mismatch, "the length of an array repeat literal must be an integer literal", c.span);
          return mk({ kind: "error" }, ERROR, e.span);
        }
        const len = Number(c.value);
        let ty: Ty = { kind: "array", elem: T(v), len };
        if (exp?.kind === "array" && exp.len !== len) {
          this.mismatch(exp, ty, e.span);
          ty = ERROR;
        }
        return mk({ kind: "arrayRepeat", value: v, count: len }, ty, e.span);
      }
      const count = this.expectArg(e.repeat.count, I64);
      return mk({ kind: "vecRepeat", value: v, count }, { kind: "vec", elem: T(v) }, e.span);
    }
    let elem: Ty = elemExp ?? freshVar();
    const elems: TExpr[] = [];
    for (const x of e.elems) {
      const v = this.checkExpr(x, resolve(elem).kind === "var" && !(resolve(elem) as { lit?: string }).lit ? undefined : elem);
      if (elems.length === 0 && !elemExp) {
        unify(elem, T(v));
        elem = T(v);
        elems.push(this.own(v));
      } else {
        elems.push(this.coerce(this.own(v), elem, x.span));
      }
    }
    if (asArray) {
      const ty: Ty = { kind: "array", elem, len: elems.length };
      if (exp?.kind === "array" && exp.len !== elems.length) {
        this.err(Codes.Mismatch, `mismatched types: expected an array of ${exp.len} elements, found ${elems.length}`, e.span);
        return mk({ kind: "arrayLit", elems }, ERROR, e.span);
      }
      return mk({ kind: "arrayLit", elems }, ty, e.span);
    }
    return mk({ kind: "vecLit", elems }, { kind: "vec", elem }, e.span);
  }

  private checkStructLit(e: Expr & { kind: "structLit" }): TExpr {
    let path = e.path;
    if (path.length === 1 && path[0] === "Self" && this.selfName()) path = [this.selfName()!];
    if (path.length === 2) {
      const en = this.table.enums.get(path[0]);
      if (en) {
        const i = en.variants.findIndex((v) => v.name === path[1]);
        if (i >= 0 && en.variants[i].shape === "struct") {
          if (e.base) this.err(Codes.Mismatch, "struct update syntax `..base` applies to structs, not enum variants", e.base.span);
          return this.checkVariantStructLit(en, i, e);
        }
      }
      this.err(Codes.Undefined, `undefined struct variant '${path.join(".")}'`, e.span, "resolve");
      for (const f of e.fields) this.checkExpr(f.value);
      return mk({ kind: "error" }, ERROR, e.span);
    }
    const name = path[0];
    const info = this.table.structs.get(name);
    if (!info) {
      const v = this.table.findVariant(name);
      if (v && v.e.variants[v.index].shape === "struct") {
        if (e.base) this.err(Codes.Mismatch, "struct update syntax `..base` applies to structs, not enum variants", e.base.span);
        return this.checkVariantStructLit(v.e, v.index, e);
      }
      this.err(Codes.Undefined, `undefined struct '${name}'`, e.span, "resolve");
      for (const f of e.fields) this.checkExpr(f.value);
      return mk({ kind: "error" }, ERROR, e.span);
    }
    const ty = this.table.structTy(info) as Ty & { args: Ty[] };
    const fields = this.table.structFields(info, ty.args);
    const out: { index: number; value: TExpr }[] = [];
    const seen = new Set<string>();
    for (const f of e.fields) {
      const i = fields.findIndex((x) => x.name === f.name.name);
      if (i < 0) {
        this.err(Codes.NoField, `struct ${name} has no field named \`${f.name.name}\``, f.name.span);
        this.checkExpr(f.value);
        continue;
      }
      if (seen.has(f.name.name)) {
        this.err(Codes.Duplicate, `field \`${f.name.name}\` specified more than once`, f.name.span);
        continue;
      }
      seen.add(f.name.name);
      const v = this.checkExpr(f.value, fields[i].type);
      out.push({ index: i, value: this.coerce(this.own(v), fields[i].type, f.value.span) });
    }
    if (e.base) return this.structUpdate(name, ty, fields, out, e.base, e.span);
    const missing = fields.filter((f) => !seen.has(f.name)).map((f) => f.name);
    const misspelt = e.fields.some((f) => !fields.some((x) => x.name === f.name.name));
    if (missing.length && !misspelt) {
      this.err(Codes.MissingFields, `missing field${missing.length > 1 ? "s" : ""} ${missing.map((m) => `\`${m}\``).join(", ")} in initializer of ${name}`, e.span);
    }
    return mk({ kind: "struct", struct: name, fields: out }, ty, e.span);
  }

  /**
   * `S { a: e1, ..base }`: the written fields are evaluated first (source order), then `base` once;
   * the fields not written are copied out of it. A temporary base is dropped with the block.
   */
  private structUpdate(name: string, ty: Ty, fields: { name: string; type: Ty }[], written: { index: number; value: TExpr }[], baseE: Expr, span: Span): TExpr {
    const b = this.b;
    b.pushScope();
    const stmts: TStmt[] = [];
    const local = (label: string, t: Ty, init: TExpr): TPlace => {
      const id = b.newLocal(label, t, "temp", false, "owned", init.span);
      b.declare(label, id);
      stmts.push({ kind: "let", pattern: { kind: "bind", local: id, type: asType(t), span: init.span } as TPattern, init, span: init.span });
      return { kind: "local", local: id, type: asType(t), span: init.span };
    };
    const out = written.map((f, k) => {
      const place = local(`$field${k}`, tyOf(f.value.type), f.value);
      return { index: f.index, value: this.own(mk({ kind: "read", place }, tyOf(place.type), f.value.span)) };
    });
    const base = this.checkExpr(baseE, ty);
    let basePlace: TPlace | undefined;
    if (!unify(T(base), ty)) {
      if (!isError(T(base))) this.err(Codes.Mismatch, `mismatched types: the base of a struct update must be ${show(ty)}, found ${show(T(base))}`, baseE.span);
    } else if (base.kind === "read") {
      // A place is only read (its unwritten fields are copied), so it stays usable afterwards.
      basePlace = base.place;
    } else basePlace = local("$base", ty, this.own(base));
    if (basePlace) {
      fields.forEach((f, i) => {
        if (written.some((w) => w.index === i)) return;
        const place: TPlace = { kind: "field", base: basePlace!, index: i, type: asType(f.type), span: baseE.span };
        out.push({ index: i, value: this.own(mk({ kind: "read", place }, f.type, baseE.span)) });
      });
    }
    const lit = mk({ kind: "struct", struct: name, fields: out }, basePlace ? ty : ERROR, span);
    const drops = b.popScope();
    return { kind: "block", stmts, tail: lit, drops, type: asType(T(lit)), span } as TBlock;
  }

  private checkVariantStructLit(en: EnumInfo, index: number, e: Expr & { kind: "structLit" }): TExpr {
    const v = en.variants[index];
    const ety = this.table.enumTy(en) as Ty & { args: Ty[] };
    const types = this.table.variantTypes(en, v, ety.args);
    const payload: (TExpr | undefined)[] = types.map(() => undefined);
    for (const f of e.fields) {
      const i = v.names.indexOf(f.name.name);
      if (i < 0) {
        this.err(Codes.NoField, `variant ${en.name}.${v.name} has no field named \`${f.name.name}\``, f.name.span);
        this.checkExpr(f.value);
        continue;
      }
      payload[i] = this.coerce(this.own(this.checkExpr(f.value, types[i])), types[i], f.value.span);
    }
    const missing = v.names.filter((_, i) => !payload[i]);
    if (missing.length) {
      this.err(Codes.MissingFields, `missing field${missing.length > 1 ? "s" : ""} ${missing.map((m) => `\`${m}\``).join(", ")} in initializer of ${en.name}.${v.name}`, e.span);
      return mk({ kind: "error" }, ERROR, e.span);
    }
    return mk({ kind: "variant", enum: en.name, variant: index, payload: payload as TExpr[] }, ety, e.span);
  }

  // ------------------------------------------------------------ control flow

  private cond(e: Expr): TExpr {
    const c = this.checkExpr(e, BOOL);
    if (!unify(T(c), BOOL) && !isError(T(c))) {
      // mismatch already reported? unify failed, report once
      this.err(Codes.Mismatch, `mismatched types: expected bool, found ${show(T(c))}; conditions must be bool`, e.span);
    }
    return c;
  }

  /** Type of two branches joined: Never yields to the other side. */
  private joinTypes(a: TExpr, b: TExpr, span: Span): Ty {
    const ta = resolve(T(a));
    const tb = resolve(T(b));
    if (ta.kind === "never") return tb;
    if (tb.kind === "never") return ta;
    if (!unify(ta, tb)) {
      this.err(Codes.Mismatch, `if and else have incompatible types: ${show(ta)} and ${show(tb)}`, span);
      return ERROR;
    }
    return ta;
  }

  private checkIf(e: Expr & { kind: "if" }, exp?: Ty): TExpr {
    const cond = this.cond(e.cond);
    const then = this.checkBlock(e.then, e.else ? exp : undefined);
    if (!e.else) {
      const tt = resolve(T(then));
      if (tt.kind !== "unit" && tt.kind !== "never" && tt.kind !== "error" && then.tail) {
        if (!unify(tt, UNIT)) this.err(Codes.Mismatch, `\`if\` without \`else\` must have type (), found ${show(tt)}; add an else branch or end the block with ';'`, then.tail.span);
      }
      return mk({ kind: "if", cond, then }, UNIT, e.span);
    }
    const els = this.checkExpr(e.else, exp ?? (resolve(T(then)).kind !== "never" ? T(then) : undefined));
    const ty = this.joinTypes(then, els, e.else.span);
    return mk({ kind: "if", cond, then, else: els }, ty, e.span);
  }

  private checkIfLet(e: Expr & { kind: "ifLet" }, exp?: Ty): TExpr {
    const scrut = this.checkExpr(e.value);
    this.b.pushScope();
    const pattern = this.checkPattern(e.pattern, T(scrut), false);
    const then = this.checkBlock(e.then, e.else ? exp : undefined);
    // Owned pattern bindings die with the then-branch.
    then.drops = [...this.b.popScope(), ...then.drops];
    let elseBody: TExpr;
    if (e.else) elseBody = this.checkExpr(e.else, exp ?? T(then));
    else elseBody = { kind: "block", stmts: [], drops: [], type: asType(UNIT), span: e.span } as TBlock;
    const ty = e.else ? this.joinTypes(then, elseBody, e.else.span) : UNIT;
    if (!e.else && then.tail && !unify(T(then), UNIT) && resolve(T(then)).kind !== "never") {
      this.err(Codes.Mismatch, `\`if let\` without \`else\` must have type (), found ${show(T(then))}`, then.tail.span);
    }
    const arms: TMatchArm[] = [
      { pattern, body: then, span: e.then.span },
      { pattern: { kind: "wild", type: scrut.type, span: e.span } as TPattern, body: elseBody, span: e.span },
    ];
    return mk({ kind: "match", scrutinee: scrut, arms }, ty, e.span);
  }

  withLoop<R>(ctx: LoopCtx, f: () => R): R {
    this.b.loops.push(ctx);
    try {
      return f();
    } finally {
      this.b.loops.pop();
    }
  }

  private checkWhile(e: Expr & { kind: "while" }): TExpr {
    const cond = this.cond(e.cond);
    const ctx: LoopCtx = { id: this.b.newLoopId(), label: e.label, kind: "while", hasBreak: false };
    const body = this.withLoop(ctx, () => this.checkBlock(e.body));
    this.unitBody(body);
    return mk({ kind: "while", loopId: ctx.id, cond, body }, UNIT, e.span);
  }

  private unitBody(body: TBlock): void {
    if (body.tail && !unify(T(body), UNIT) && resolve(T(body)).kind !== "never") {
      this.err(Codes.Mismatch, `mismatched types: expected (), found ${show(T(body))}; a loop body's value is discarded — end it with ';'`, body.tail.span);
    }
  }

  private checkWhileLet(e: Expr & { kind: "whileLet" }): TExpr {
    // while let P = v { body }  ==>  loop { match v { P => body, _ => break } }
    const ctx: LoopCtx = { id: this.b.newLoopId(), label: e.label, kind: "loop", breakTy: UNIT, hasBreak: true };
    const inner = this.withLoop(ctx, () => {
      const scrut = this.checkExpr(e.value);
      this.b.pushScope();
      const pattern = this.checkPattern(e.pattern, T(scrut), false);
      const body = this.checkBlock(e.body);
      this.unitBody(body);
      body.drops = [...this.b.popScope(), ...body.drops];
      const brk = mk({ kind: "break", target: ctx.id }, NEVER, e.span);
      const arms: TMatchArm[] = [
        { pattern, body, span: e.body.span },
        { pattern: { kind: "wild", type: scrut.type, span: e.span } as TPattern, body: brk, span: e.span },
      ];
      return mk({ kind: "match", scrutinee: scrut, arms }, UNIT, e.span);
    });
    const body: TBlock = { kind: "block", stmts: [{ kind: "expr", expr: inner, span: e.span }], drops: [], type: asType(UNIT), span: e.span };
    return mk({ kind: "loop", loopId: ctx.id, body }, UNIT, e.span);
  }

  private checkLoop(e: Expr & { kind: "loop" }, exp?: Ty): TExpr {
    const ctx: LoopCtx = { id: this.b.newLoopId(), label: e.label, kind: "loop", breakTy: exp ?? freshVar(), hasBreak: false };
    const body = this.withLoop(ctx, () => this.checkBlock(e.body));
    this.unitBody(body);
    return mk({ kind: "loop", loopId: ctx.id, body }, ctx.hasBreak ? ctx.breakTy! : NEVER, e.span);
  }

  private findLoop(label: string | undefined, span: Span, isContinue: boolean): LoopCtx | undefined {
    const loops = this.b.loops;
    for (let i = loops.length - 1; i >= 0; i--) {
      const l = loops[i];
      if (label === undefined) {
        if (l.kind === "block") continue;
        return l;
      }
      if (l.label === label) {
        if (isContinue && l.kind === "block") {
          this.err(Codes.BadBreak, `\`continue\` cannot target the labeled block '${label}'`, span);
          return undefined;
        }
        return l;
      }
    }
    if (label !== undefined) this.err(Codes.BadBreak, `use of undeclared label '${label}'`, span);
    else this.err(Codes.BadBreak, `\`${isContinue ? "continue" : "break"}\` outside of a loop`, span);
    return undefined;
  }

  private checkBreak(e: Expr & { kind: "break" }): TExpr {
    const target = this.findLoop(e.label, e.span, false);
    let value: TExpr | undefined;
    if (e.value) {
      if (target && (target.kind === "while" || target.kind === "for")) {
        this.err(Codes.BadBreak, "`break` with a value is only allowed in `loop` and labeled blocks", e.value.span);
        this.checkExpr(e.value);
      } else {
        value = this.own(this.checkExpr(e.value, target?.breakTy));
        if (target) value = this.coerce(value, target.breakTy!, e.value.span);
      }
    } else if (target && target.kind === "loop" && target.breakTy) {
      if (!unify(target.breakTy, UNIT)) this.mismatch(target.breakTy, UNIT, e.span);
    }
    if (target) target.hasBreak = true;
    return mk({ kind: "break", target: target?.id ?? 0, value }, NEVER, e.span);
  }

  private checkFor(e: Expr & { kind: "for" }): TExpr {
    const ctx: LoopCtx = { id: this.b.newLoopId(), label: e.label, kind: "for", hasBreak: false };
    let iterE = e.iter;
    // `for x in v.iter()` iterates like `for x in v`.
    if (iterE.kind === "methodCall" && iterE.method.name === "iter" && iterE.args.length === 0) {
      const pt = this.probeType(iterE.receiver);
      const r = pt ? resolve(pt) : undefined;
      if (r && (r.kind === "vec" || r.kind === "array" || r.kind === "slice")) iterE = iterE.receiver;
    }
    if (iterE.kind === "methodCall" && iterE.method.name === "chars" && iterE.args.length === 0 && !this.isTypeLike(iterE.receiver)) {
      const pt = this.probeType(iterE.receiver);
      if (!pt || resolve(pt).kind === "string") iterE = iterE.receiver;
    }
    // Iterator pipelines with adaptors (map/filter/enumerate/take/skip) lower to loops.
    {
      const pl = splitPipeline(this, iterE);
      if (pl && pl.steps.length) return new PipelineLowering(this).lowerFor(pl, e.pattern, e.body, e.label, e.span);
    }
    // Range adaptors: (a..b).rev(), (a..b).step_by(k), (a..b).rev().step_by(k).
    let reverse = false;
    let stepE: Expr | undefined;
    let adaptorError = false;
    {
      const chain: (Expr & { kind: "methodCall" })[] = [];
      let base: Expr = iterE;
      while (base.kind === "methodCall" && (base.method.name === "rev" || base.method.name === "step_by")) {
        chain.unshift(base);
        base = base.receiver;
      }
      if (base.kind === "range" && chain.length) {
        const names = chain.map((c) => c.method.name).join(",");
        if (names === "rev" || names === "step_by" || names === "rev,step_by") {
          for (const c of chain) {
            if (c.method.name === "rev") {
              if (c.args.length) this.err(Codes.ArgCount, "rev() takes no arguments", c.span);
              reverse = true;
            } else if (c.args.length !== 1) {
              this.err(Codes.ArgCount, "step_by takes 1 argument", c.span);
              adaptorError = true;
            } else stepE = c.args[0].value;
          }
        } else {
          this.err(Codes.Unsupported, `this range adaptor chain (${names}) is not supported yet; use .rev() before .step_by(n)`, iterE.span);
          adaptorError = true;
        }
        iterE = base;
      }
    }
    let iter: TForIter | undefined;
    this.b.pushScope();
    if (iterE.kind === "range" && iterE.lo && iterE.hi) {
      const lo = this.checkExpr(iterE.lo);
      const hi = this.checkExpr(iterE.hi, T(lo));
      let l = lo;
      if (resolve(T(lo)).kind === "var" && resolve(T(hi)).kind === "int" && iterE.lo.kind === "int") l = this.checkExpr(iterE.lo, T(hi));
      if (!unify(T(l), T(hi))) this.mixError(T(l), T(hi), iterE.span);
      // The loop variable is a binding: like `let`, a range of bare literals is i64 from here on,
      // so a float operand in the body is a mixed-type error rather than turning the range into f64.
      defaultLiterals(T(l));
      const elem = T(l);
      if (!isIntLike(elem) && !isError(elem)) this.err(Codes.BadOperand, `cannot iterate over a range of ${show(elem)}`, iterE.span);
      const variable = this.checkPattern(e.pattern, elem, false);
      const step = stepE ? this.expectArg(stepE, I64) : undefined;
      iter = { kind: "range", variable, lo: l, hi, inclusive: iterE.inclusive, elem: asType(adaptorError ? ERROR : elem), reverse };
      if (step) iter.step = step;
    } else {
      const coll = this.checkExpr(iterE);
      const ct = resolve(T(coll));
      if (ct.kind === "vec" || ct.kind === "array" || ct.kind === "slice") {
        const variable = this.checkPattern(e.pattern, ct.elem, false);
        iter = { kind: "seq", variable, coll, collKind: ct.kind, elem: asType(ct.elem) };
      } else if (ct.kind === "string") {
        const variable = this.checkPattern(e.pattern, CHAR, false);
        iter = { kind: "chars", variable, string: coll };
      } else if (ct.kind === "map") {
        const variable = this.checkPattern(e.pattern, { kind: "tuple", elems: [ct.key, ct.value] }, false);
        const elemTy: Ty = { kind: "tuple", elems: [ct.key, ct.value] };
        const snap = mk({ kind: "builtin", op: "map.entries", receiver: { kind: "value", value: coll }, args: [], typeArgs: [asType(ct.key), asType(ct.value)] }, { kind: "vec", elem: elemTy }, coll.span);
        iter = { kind: "seq", variable, coll: snap, collKind: "vec", elem: asType(elemTy) };
      } else if (ct.kind === "set") {
        const variable = this.checkPattern(e.pattern, ct.elem, false);
        const snap = mk({ kind: "builtin", op: "set.to_vec", receiver: { kind: "value", value: coll }, args: [], typeArgs: [asType(ct.elem)] }, { kind: "vec", elem: ct.elem }, coll.span);
        iter = { kind: "seq", variable, coll: snap, collKind: "vec", elem: asType(ct.elem) };
      } else if (ct.kind === "range") {
        const variable = this.checkPattern(e.pattern, ct.elem, false);
        iter = { kind: "other", variable, iter: coll, elem: asType(ct.elem) };
      } else {
        if (ct.kind === "var") this.err(Codes.NeedsAnnotation, "type annotations needed: cannot tell what this loop iterates over", iterE.span);
        else if (ct.kind !== "error") this.err(Codes.Mismatch, `cannot iterate over a value of type ${show(ct)}`, iterE.span);
        const variable = this.checkPattern(e.pattern, ERROR, false);
        iter = { kind: "other", variable, iter: coll, elem: asType(ERROR) };
      }
    }
    const body = this.withLoop(ctx, () => this.checkBlock(e.body));
    this.unitBody(body);
    const patDrops = this.b.popScope();
    body.drops = [...patDrops, ...body.drops];
    return mk({ kind: "for", loopId: ctx.id, iter, body }, UNIT, e.span);
  }

  private checkMatch(e: Expr & { kind: "match" }, exp?: Ty): TExpr {
    const scrut = this.checkExpr(e.scrutinee);
    const arms: TMatchArm[] = [];
    let ty: Ty | undefined = exp;
    let first: TExpr | undefined;
    for (const a of e.arms) {
      this.b.pushScope();
      const pattern = this.checkPattern(a.pattern, T(scrut), false);
      let guard: TExpr | undefined;
      if (a.guard) guard = this.cond(a.guard);
      const body = this.checkExpr(a.body, ty);
      const drops = this.b.popScope();
      const wrapped: TExpr = drops.length ? ({ kind: "block", stmts: [], tail: body, drops, type: body.type, span: body.span } as TBlock) : body;
      arms.push({ pattern, guard, body: wrapped, span: a.span });
      const bt = resolve(T(body));
      if (bt.kind === "never") continue;
      if (!first) {
        first = body;
        if (ty === undefined) ty = T(body);
        else if (!unify(ty, T(body))) this.err(Codes.Mismatch, `match arms have incompatible types: expected ${show(ty)}, found ${show(T(body))}`, a.body.span);
      } else if (!unify(ty!, T(body))) {
        this.err(Codes.Mismatch, `match arms have incompatible types: expected ${show(ty!)}, found ${show(T(body))}`, a.body.span);
      }
    }
    return mk({ kind: "match", scrutinee: scrut, arms }, first ? ty! : NEVER, e.span);
  }

  // ------------------------------------------------------------ closures

  checkClosure(e: Expr & { kind: "closure" }, exp: Ty | undefined, kind: LiftKind): TExpr {
    const ef = exp && resolve(exp).kind === "fn" ? (resolve(exp) as { params: Ty[]; ret: Ty }) : undefined;
    const paramTys = e.params.map((p, i) => (p.type ? this.resolveTy(p.type) : ef && ef.params.length === e.params.length ? ef.params[i] : freshVar()));
    if (ef && ef.params.length === e.params.length) {
      paramTys.forEach((t, i) => {
        if (!unify(t, ef.params[i])) this.mismatch(ef.params[i], t, e.params[i].span);
      });
    }
    const ret = ef ? ef.ret : freshVar();
    const outer = this.b;
    const child = this.newLifted(kind, e.span, ret);
    this.b = child;
    child.pushScope();
    const pre: TStmt[] = [];
    e.params.forEach((p, i) => {
      const name = p.pattern.kind === "bind" ? p.pattern.name : `$arg${i}`;
      const id = child.newLocal(name, paramTys[i], "param", p.pattern.kind === "bind" && p.pattern.mut, "owned", p.span);
      child.fn.params.push({ local: id, name, mode: "owned", type: asType(paramTys[i]), span: p.span });
      child.fn.paramDrops.push(id);
      if (p.pattern.kind === "bind") child.declare(name, id);
      else {
        const pat = this.checkPattern(p.pattern, paramTys[i], true);
        const init = mk({ kind: "$own", value: mk({ kind: "read", place: { kind: "local", local: id, type: asType(paramTys[i]), span: p.span } }, paramTys[i], p.span) }, paramTys[i], p.span);
        pre.push({ kind: "let", pattern: pat, init, span: p.span });
      }
    });
    let body: TBlock;
    if (e.body.kind === "block") {
      body = this.checkBodyBlock(e.body, ret);
    } else {
      const v = this.checkExpr(e.body, ret);
      const tail = this.coerce(this.own(v), ret, e.body.span);
      body = { kind: "block", stmts: [], tail, drops: [], type: tail.type, span: e.body.span };
    }
    const drops = child.popScope();
    body.stmts = [...pre, ...body.stmts];
    body.drops = [...drops, ...body.drops];
    child.fn.body = body;
    child.fn.ret = asType(ret);
    this.b = outer;
    const fnTy: Ty = { kind: "fn", params: paramTys, ret };
    return mk({ kind: "closure", fn: child.fn.id, captures: child.captureInits }, fnTy, e.span);
  }

  // ------------------------------------------------------------ par / lock / try

  private checkPar(e: Expr & { kind: "par" }, exp?: Ty): TExpr {
    const stmts = e.body.stmts.filter((s) => s.kind !== "empty");
    const names = stmts.map((s) => (s.kind === "let" ? patternNames(s.pattern) : new Set<string>()));
    const outer = this.b;
    const branches: import("./tir.js").TParBranch[] = [];
    const hoisted: { name: string; id: LocalId }[] = [];
    const resultTys: { branch: import("./tir.js").TParBranch; ty: Ty }[] = [];
    stmts.forEach((s, i) => {
      const siblings = new Set<string>();
      names.forEach((n, j) => {
        if (j !== i) for (const x of n) siblings.add(x);
      });
      const child = this.newLifted("parBranch", s.span, UNIT, siblings);
      child.parIndex = i;
      this.b = child;
      child.pushScope();
      const out: TStmt[] = [];
      const t = this.checkStmt(s);
      if (t) out.push(t);
      if (s.kind === "let") {
        // Hoist: the outer binding is declared by the par node; the branch writes it through a by-ref capture.
        for (const [name, inner] of child.scopes[child.scopes.length - 1]) {
          const il = child.local(inner);
          const oid = outer.newLocal(name, tyOf(il.type), "let", il.mut, "owned", il.span);
          hoisted.push({ name, id: oid });
          const cap = child.captureOf(oid, true);
          const ty = tyOf(il.type);
          const read = mk({ kind: "read", place: { kind: "local", local: inner, type: il.type, span: il.span } }, ty, il.span);
          out.push({ kind: "assign", place: { kind: "local", local: cap, type: il.type, span: il.span }, value: mk({ kind: "$own", value: read }, ty, il.span), span: s.span });
        }
      }
      const drops = child.popScope();
      child.fn.body = { kind: "block", stmts: out, drops, type: asType(UNIT), span: s.span };
      this.b = outer;
      const branch: import("./tir.js").TParBranch = { fn: child.fn.id, captures: child.captureInits, span: s.span };
      if (child.escape) branch.escape = { local: child.escape.outer, exit: this.escapeExit(outer, child.escape.outer, s.span) };
      // Only an annotated `let name: Result[..] = ..` branch takes part in failure (§4.1).
      const ann = s.kind === "let" && s.type && t?.kind === "let" && t.pattern.kind === "bind" ? resolve(tyOf(t.pattern.type)) : undefined;
      if (ann?.kind === "enum" && this.table.enums.get(ann.name)?.prelude === "result" && t?.kind === "let" && t.pattern.kind === "bind") {
        const sp = s.span;
        const wild = { kind: "wild", type: asType(ann.args[1]), span: sp } as TPattern;
        const errPattern = { kind: "variant", enum: ann.name, variant: 1, args: [wild], type: asType(ann), span: sp } as TPattern;
        child.fn.parResult = { index: i, local: t.pattern.local, errPattern };
        branch.result = { hoisted: hoisted[hoisted.length - 1].id, isValue: false };
        resultTys.push({ branch, ty: ann });
      }
      branches.push(branch);
    });
    for (const h of hoisted) outer.declare(h.name, h.id);
    let tail: TExpr | undefined;
    if (e.body.tail) tail = this.checkExpr(e.body.tail, exp);
    const parTy = tail ? T(tail) : undefined;
    if (parTy) for (const r of resultTys) r.branch.result!.isValue = unify(parTy, r.ty);
    return mk({ kind: "par", branches, hoisted: hoisted.map((h) => h.id), tail }, tail ? T(tail) : UNIT, e.span);
  }

  /**
   * The escape marker of a `?` in a par branch (undefined elsewhere): the branch's capture of the
   * enclosing function's escape local, created on the first `?` of the branch.
   */
  private parEscape(ty: Ty, sp: Span): { slot: LocalId; index: number } | undefined {
    const b = this.b;
    if (b.lift !== "parBranch" || !b.parent) return undefined;
    if (!b.escape) {
      const outer = b.parent.newLocal("$escape", ty, "let", false, "owned", sp);
      b.escape = { outer, slot: b.captureOf(outer, true) };
    }
    return { slot: b.escape.slot, index: b.parIndex };
  }

  /** After the join: leave the enclosing body with the escaped value (§4.1). */
  private escapeExit(outer: Builder, local: LocalId, sp: Span): TExpr {
    const ty = outer.localTy(local);
    const value = mk({ kind: "move", local }, ty, sp);
    const saved = this.b;
    this.b = outer;
    const escape = this.parEscape(ty, sp);
    this.b = saved;
    return mk({ kind: "return", value, escape }, NEVER, sp);
  }

  private checkLock(e: Expr & { kind: "lock" }, exp?: Ty): TExpr {
    const place = this.checkPlace(e.target);
    if (!place) return mk({ kind: "error" }, ERROR, e.span);
    const mt = resolve(tyOf(place.type));
    if (mt.kind !== "mutex") {
      if (mt.kind !== "error") this.err("E0260", `lock target must be a Mutex[T], found ${show(mt)}`, e.target.span);
      return mk({ kind: "error" }, ERROR, e.span);
    }
    let aliasName: string;
    if (e.alias) aliasName = e.alias.name;
    else if (e.target.kind === "ident") aliasName = e.target.name;
    else {
      this.err("E0260", "locking a field needs an alias: lock self.state s { .. }", e.target.span);
      return mk({ kind: "error" }, ERROR, e.span);
    }
    if (place.kind === "local") this.b.addressTaken(place.local);
    this.b.pushScope();
    const alias = this.b.newLocal(aliasName, mt.inner, "let", true, "mutref", e.alias?.span ?? e.target.span);
    this.b.declare(aliasName, alias);
    const body = this.checkBlock(e.body, exp);
    this.b.popScope();
    return mk({ kind: "lock", mutex: place, alias, body }, T(body), e.span);
  }

  private checkTry(e: Expr & { kind: "try" }): TExpr {
    if (this.b.deferDepth > 0) {
      this.err(Codes.BadTry, "the `?` operator is not allowed inside `defer`", e.span);
      return mk({ kind: "error" }, ERROR, e.span);
    }
    const v = this.checkExpr(e.expr);
    const t = resolve(T(v));
    if (t.kind === "error") return mk({ kind: "error" }, ERROR, e.span);
    const info = t.kind === "enum" ? this.table.enums.get(t.name) : undefined;
    if (t.kind !== "enum" || !info || (info.prelude !== "option" && info.prelude !== "result")) {
      this.err(Codes.BadTry, `the \`?\` operator applies to Option or Result values, found ${show(t)}`, e.span);
      return mk({ kind: "error" }, ERROR, e.span);
    }
    // In a par branch `?` leaves through the branch to the enclosing function (escapeRet).
    const ret = this.b.escapeRet();
    const want: Ty = info.prelude === "option" ? this.optionOf(freshVar()) : this.resultOf(freshVar(), t.args[1]);
    if (!unify(ret, want)) {
      const r = resolve(ret);
      const rinfo = r.kind === "enum" ? this.table.enums.get(r.name) : undefined;
      if (info.prelude === "result" && rinfo?.prelude === "result") {
        this.err(Codes.BadTry, `\`?\` cannot convert the error type ${show(t.args[1])} into ${show((r as { args: Ty[] }).args[1])}`, e.span);
      } else {
        this.err(Codes.BadTry, `the \`?\` operator on ${info.prelude === "option" ? "an Option" : "a Result"} can only be used in a function that returns ${info.prelude === "option" ? "Option" : "Result"}, not ${show(r)}`, e.span);
      }
      return mk({ kind: "error" }, ERROR, e.span);
    }
    // Lowered to `match v { Some(x) | Ok(x) => x, None => return None, Err(e) => return Err(e) }`.
    const sp = e.span;
    const pat = (variant: number, args: TPattern[]): TPattern => ({ kind: "variant", enum: t.name, variant, args, type: asType(t), span: sp }) as TPattern;
    const bindLocal = (name: string, ty: Ty): { id: LocalId; pattern: TPattern; read: TExpr } => {
      const id = this.b.newLocal(name, ty, "let", false, "owned", sp);
      const place: TPlace = { kind: "local", local: id, type: asType(ty), span: sp };
      return { id, pattern: { kind: "bind", local: id, type: asType(ty), span: sp } as TPattern, read: mk({ kind: "read", place }, ty, sp) };
    };
    const ok = bindLocal("$ok", t.args[0]);
    const okArm: TMatchArm = { pattern: pat(0, [ok.pattern]), body: this.own(ok.read), span: sp };
    let failArm: TMatchArm;
    if (info.prelude === "option") {
      const none = mk({ kind: "variant", enum: "Option", variant: 1, payload: [] }, ret, sp);
      failArm = { pattern: pat(1, []), body: mk({ kind: "return", value: none, escape: this.parEscape(ret, sp) }, NEVER, sp), span: sp };
    } else {
      const er = bindLocal("$err", t.args[1]);
      const err = mk({ kind: "variant", enum: "Result", variant: 1, payload: [this.own(er.read)] }, ret, sp);
      failArm = { pattern: pat(1, [er.pattern]), body: mk({ kind: "return", value: err, escape: this.parEscape(ret, sp) }, NEVER, sp), span: sp };
    }
    return mk({ kind: "match", scrutinee: v, arms: [okArm, failArm] }, t.args[0], sp);
  }

  // ------------------------------------------------------------ patterns

  checkPattern(p: Pattern, ty: Ty, irrefutable: boolean): TPattern {
    const pt = (node: import("./tir.js").TPatternNode, t: Ty = ty): TPattern => ({ ...node, type: asType(t), span: p.span }) as TPattern;
    const r = resolve(ty);
    switch (p.kind) {
      case "wild":
        return pt({ kind: "wild" });
      case "bind": {
        const shared = this.orAlt && bindOrAlternative(this, this.orAlt, p.name, ty, p.span);
        const id = shared ?? this.b.newLocal(p.name, ty, "let", p.mut, "owned", p.span);
        const sub = p.sub ? this.checkPattern(p.sub, ty, irrefutable) : undefined;
        if (shared === undefined) this.b.declare(p.name, id);
        return pt({ kind: "bind", local: id, sub });
      }
      case "tuple": {
        let elems: Ty[];
        if (r.kind === "tuple" && r.elems.length === p.elems.length) elems = r.elems;
        else {
          elems = p.elems.map(() => freshVar());
          if (!unify(ty, { kind: "tuple", elems })) {
            this.err(Codes.Mismatch, `mismatched types: expected ${show(ty)}, found a tuple pattern of ${p.elems.length} elements`, p.span);
            elems = p.elems.map(() => ERROR);
          }
        }
        return pt({ kind: "tuple", elems: p.elems.map((x, i) => this.checkPattern(x, elems[i], irrefutable)) });
      }
      case "lit": {
        if (irrefutable) this.err(Codes.Mismatch, "refutable pattern in a `let`: use `match` or `if let`", p.span);
        const v = this.checkExpr(p.value, ty);
        if (!unify(T(v), ty)) this.mismatch(ty, T(v), p.span);
        return pt({ kind: "lit", value: v });
      }
      case "range": {
        const lo = p.lo ? this.checkExpr(p.lo, ty) : undefined;
        const hi = p.hi ? this.checkExpr(p.hi, ty) : undefined;
        for (const x of [lo, hi]) if (x && !unify(T(x), ty)) this.mismatch(ty, T(x), x.span);
        return pt({ kind: "range", lo, hi, inclusive: p.inclusive });
      }
      case "variant": {
        const found = this.findPatternVariant(p.path, p.span);
        if (!found) return pt({ kind: "wild" });
        const { e: en, index } = found;
        const ety = this.table.enumTy(en) as Ty & { args: Ty[] };
        if (!unify(ty, ety)) {
          this.err(Codes.Mismatch, `mismatched types: expected ${show(ty)}, found a pattern of enum ${en.name}`, p.span);
          return pt({ kind: "wild" });
        }
        if (irrefutable && en.variants.length > 1) this.err(Codes.Mismatch, "refutable pattern in a `let`: use `match` or `if let`", p.span);
        const v = en.variants[index];
        const types = this.table.variantTypes(en, v, ety.args);
        const args = p.args ?? [];
        if (v.shape === "struct") {
          this.err(Codes.Mismatch, `variant ${v.name} has named fields: use ${v.name} { .. }`, p.span);
          return pt({ kind: "wild" });
        }
        if (args.length !== types.length) {
          this.err(Codes.ArgCount, `this pattern has ${args.length} field${args.length === 1 ? "" : "s"}, but variant ${v.name} has ${types.length}`, p.span);
          // Bind the names anyway so their uses do not report again.
          for (const name of patternNames(p)) this.b.declare(name, this.b.newLocal(name, ERROR, "let", false, "owned", p.span));
          return pt({ kind: "wild" });
        }
        return pt({ kind: "variant", enum: en.name, variant: index, args: args.map((a, i) => this.checkPattern(a, types[i], irrefutable)) }, ety);
      }
      case "struct": {
        if (p.path.length === 1 && this.table.structs.has(p.path[0])) {
          const info = this.table.structs.get(p.path[0])!;
          const sty = this.table.structTy(info) as Ty & { args: Ty[] };
          if (!unify(ty, sty)) {
            this.err(Codes.Mismatch, `mismatched types: expected ${show(ty)}, found a pattern of struct ${info.name}`, p.span);
            return pt({ kind: "wild" });
          }
          const fields = this.table.structFields(info, sty.args);
          const out: { index: number; pattern: TPattern }[] = [];
          for (const f of p.fields) {
            const i = fields.findIndex((x) => x.name === f.name);
            if (i < 0) {
              this.err(Codes.NoField, `struct ${info.name} has no field named \`${f.name}\``, f.span);
              continue;
            }
            out.push({ index: i, pattern: this.checkPattern(f.pattern, fields[i].type, irrefutable) });
          }
          if (!p.rest && out.length < fields.length) {
            const missing = fields.filter((_, i) => !out.some((o) => o.index === i)).map((f) => `\`${f.name}\``);
            this.err(Codes.MissingFields, `pattern does not mention field${missing.length > 1 ? "s" : ""} ${missing.join(", ")}; add \`..\` to ignore the rest`, p.span);
          }
          return pt({ kind: "struct", struct: info.name, fields: out }, sty);
        }
        const found = this.findPatternVariant(p.path, p.span);
        if (!found) return pt({ kind: "wild" });
        const { e: en, index } = found;
        const ety = this.table.enumTy(en) as Ty & { args: Ty[] };
        if (!unify(ty, ety)) {
          this.err(Codes.Mismatch, `mismatched types: expected ${show(ty)}, found a pattern of enum ${en.name}`, p.span);
          return pt({ kind: "wild" });
        }
        const v = en.variants[index];
        const types = this.table.variantTypes(en, v, ety.args);
        const args: TPattern[] = types.map((t) => ({ kind: "wild", type: asType(t), span: p.span }) as TPattern);
        for (const f of p.fields) {
          const i = v.names.indexOf(f.name);
          if (i < 0) {
            this.err(Codes.NoField, `variant ${en.name}.${v.name} has no field named \`${f.name}\``, f.span);
            continue;
          }
          args[i] = this.checkPattern(f.pattern, types[i], irrefutable);
        }
        return pt({ kind: "variant", enum: en.name, variant: index, args }, ety);
      }
      case "or":
        return pt({ kind: "or", alts: checkOrAlternatives(this, p, ty, irrefutable) });
      case "slice":
      case "rest":
        return checkSlicePattern(this, p, ty, irrefutable);
    }
  }

  /** While a later alternative of an `|` pattern is checked: the first alternative's bindings to share. */
  orAlt?: OrAltState;

  private findPatternVariant(path: string[], span: Span): { e: EnumInfo; index: number } | undefined {
    if (path.length === 2) {
      const en = this.table.enums.get(path[0]);
      const i = en ? en.variants.findIndex((v) => v.name === path[1]) : -1;
      if (en && i >= 0) return { e: en, index: i };
      this.err(Codes.Undefined, `undefined variant '${path.join(".")}'`, span, "resolve");
      return undefined;
    }
    const v = path.length === 1 ? this.table.findVariant(path[0]) : undefined;
    if (!v) this.err(Codes.Undefined, `undefined variant '${path.join(".")}'`, span, "resolve");
    return v;
  }
}

/** Settle unsolved literal variables inside t to i64 / f64. */
function defaultLiterals(t: Ty, depth = 0): void {
  const r = resolve(t);
  if (depth > 32) return;
  if (r.kind === "var") {
    if (r.lit) unify(r, r.lit === "int" ? I64 : F64);
    return;
  }
  switch (r.kind) {
    case "tuple":
      r.elems.forEach((x) => defaultLiterals(x, depth + 1));
      break;
    case "vec":
    case "array":
    case "slice":
    case "set":
    case "range":
      defaultLiterals(r.elem, depth + 1);
      break;
    case "map":
      defaultLiterals(r.key, depth + 1);
      defaultLiterals(r.value, depth + 1);
      break;
    case "struct":
    case "enum":
      r.args.forEach((x) => defaultLiterals(x, depth + 1));
      break;
    case "atomic":
    case "mutex":
      defaultLiterals(r.inner, depth + 1);
      break;
  }
}

/** Names bound by a pattern (for par hoisting). */
export function patternNames(p: Pattern, out = new Set<string>()): Set<string> {
  switch (p.kind) {
    case "bind":
      out.add(p.name);
      if (p.sub) patternNames(p.sub, out);
      break;
    case "tuple":
    case "slice":
      p.elems.forEach((x) => patternNames(x, out));
      break;
    case "variant":
      p.args?.forEach((x) => patternNames(x, out));
      break;
    case "struct":
      p.fields.forEach((f) => patternNames(f.pattern, out));
      break;
    case "or":
      p.alts.forEach((x) => patternNames(x, out));
      break;
    case "rest":
      if (p.binding) out.add(p.binding);
      break;
  }
  return out;
}

/** A type written in expression position (`f[i64]`, `f[Vec[String]]`). */
function exprAsType(e: Expr): import("../syntax/ast.js").TypeExpr | undefined {
  if (e.kind === "ident") return { kind: "named", id: e.id, span: e.span, path: [e.name], args: [] };
  if (e.kind === "index" && e.object.kind === "ident") {
    const args = e.indices.map(exprAsType);
    if (args.some((a) => !a)) return undefined;
    return { kind: "named", id: e.id, span: e.span, path: [e.object.name], args: args as import("../syntax/ast.js").TypeExpr[] };
  }
  if (e.kind === "tuple") {
    const elems = e.elems.map(exprAsType);
    if (elems.some((a) => !a)) return undefined;
    return { kind: "tuple", id: e.id, span: e.span, elems: elems as import("../syntax/ast.js").TypeExpr[] };
  }
  if (e.kind === "unit") return { kind: "tuple", id: e.id, span: e.span, elems: [] };
  return undefined;
}

function exprText(e: Expr): string {
  switch (e.kind) {
    case "ident":
      return e.name;
    case "field":
      return `${exprText(e.object)}.${e.name.name}`;
    default:
      return "x";
  }
}

export type { StructInfo };

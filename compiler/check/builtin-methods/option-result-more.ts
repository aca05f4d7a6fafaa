// Option/Result methods beyond the core set in CheckContext (F12.1), each lowered to a match on
// the receiver, so codegen needs nothing new:
//   o.or(p)            => match o { Some(x) => Some(x), None => p }
//   o.or_else(f)       => match o { Some(x) => Some(x), None => f() }
//   o.filter(f)        => match o { Some(x) => if f(x) { Some(x) } else { None }, None => None }
//   o.ok_or(e)         => match o { Some(x) => Ok(x), None => Err(e) }        (ok_or_else: Err(f()))
//   o.map_or(d, f)     => match o { Some(x) => f(x), None => d }               (map_or_else: g())
//   o.flatten()        => match o { Some(x) => x, None => None }
//   r.ok() / r.err()   => match r { Ok(x) => Some(x), Err(_) => None } / the mirror image
//   r.or(s), r.or_else(f), r.map_or(d, f), r.map_or_else(g, f): as above, with Err(e) passing e.
// Argument values and closures are bound to temporaries before the match, so each is evaluated
// exactly once whichever arm runs.

import type { Expr, Span } from "../../syntax/ast.js";
import type { CheckContext, OwnMarker } from "../context.js";
import { asType, tyOf } from "../builder.js";
import type { LocalId, TBlock, TExpr, TExprNode, TMatchArm, TPattern, TStmt } from "../../tir/nodes.js";
import type { MethodCtx } from "./site.js";
import { BOOL, freshVar, resolve, unify, type Ty } from "../types.js";

const mk = (node: TExprNode | OwnMarker, ty: Ty, span: Span): TExpr => ({ ...(node as TExprNode), type: asType(ty), span }) as TExpr;
const T = (e: TExpr): Ty => tyOf(e.type);

type EnumTy = Ty & { kind: "enum" };

const OPTION_METHODS = new Set(["or", "or_else", "filter", "ok_or", "ok_or_else", "map_or", "map_or_else", "flatten"]);
const RESULT_METHODS = new Set(["ok", "err", "or", "or_else", "map_or", "map_or_else"]);

/** Arity of each method (number of arguments). */
const ARITY: Record<string, number> = {
  or: 1, or_else: 1, filter: 1, ok_or: 1, ok_or_else: 1, map_or: 2, map_or_else: 2, flatten: 0, ok: 0, err: 0,
};

export function checkOptionMethod(c: CheckContext, e: Expr & { kind: "methodCall" }, rt: Ty, x: MethodCtx): TExpr | undefined {
  const r = resolve(rt);
  if (r.kind !== "enum") return undefined;
  const pre = c.table.enums.get(r.name)?.prelude;
  const m = e.method.name;
  if (pre === "option" ? !OPTION_METHODS.has(m) : pre === "result" ? !RESULT_METHODS.has(m) : true) return undefined;
  const span = e.span;
  const fail = (): TExpr => mk({ kind: "error" } as TExprNode, { kind: "error" }, span);
  if (!x.arity(ARITY[m])) return fail();
  const isOpt = pre === "option";
  const inner = r.args[0];
  const errT = isOpt ? undefined : r.args[1];
  const args = e.args.map((a) => a.value);

  // Typed arguments; `value` args are owned values, `fn` args are closures.
  const value = (a: Expr, want: Ty): TExpr => c.coerce(c.own(c.checkExpr(a, want)), want, a.span);
  const fn = (a: Expr, params: Ty[], ret: Ty): TExpr | undefined => {
    const want: Ty = { kind: "fn", params, ret };
    const f = a.kind === "closure" ? c.checkClosure(a, want, "closure") : c.checkExpr(a, want);
    if (!unify(T(f), want)) {
      c.mismatch(want, T(f), a.span);
      return undefined;
    }
    return f;
  };
  const noneArgs = isOpt ? [] : [errT!];

  // Per method: the result type, the typed arguments, and the arm bodies built from them.
  let resTy: Ty;
  let targs: (TExpr | undefined)[];
  switch (m) {
    case "or":
      resTy = isOpt ? r : c.resultOf(inner, freshVar());
      targs = [value(args[0], resTy)];
      break;
    case "or_else":
      resTy = isOpt ? r : c.resultOf(inner, freshVar());
      targs = [fn(args[0], noneArgs, resTy)];
      break;
    case "filter":
      resTy = r;
      targs = [fn(args[0], [inner], BOOL)];
      break;
    case "ok_or":
      resTy = c.resultOf(inner, freshVar());
      targs = [value(args[0], (resTy as EnumTy).args[1])];
      break;
    case "ok_or_else":
      resTy = c.resultOf(inner, freshVar());
      targs = [fn(args[0], [], (resTy as EnumTy).args[1])];
      break;
    case "map_or": {
      resTy = freshVar();
      const d = value(args[0], resTy);
      targs = [d, fn(args[1], [inner], resTy)];
      break;
    }
    case "map_or_else":
      resTy = freshVar();
      targs = [fn(args[0], noneArgs, resTy), fn(args[1], [inner], resTy)];
      break;
    case "flatten": {
      const ir = resolve(inner);
      if (ir.kind !== "enum" || c.table.enums.get(ir.name)?.prelude !== "option") return undefined;
      resTy = ir;
      targs = [];
      break;
    }
    case "ok":
      resTy = c.optionOf(inner);
      targs = [];
      break;
    default: // err
      resTy = c.optionOf(errT!);
      targs = [];
  }
  if (targs.some((t) => !t)) return fail();

  const b = c.b;
  b.pushScope();
  const stmts: TStmt[] = [];
  const readL = (id: LocalId): TExpr => mk({ kind: "read", place: { kind: "local", local: id, type: asType(b.localTy(id)), span } } as TExprNode, b.localTy(id), span);
  // Bind each argument to a temporary, in source order.
  const temps = (targs as TExpr[]).map((t, i) => {
    const ty = T(t);
    const id = b.newLocal(`$a${i}`, ty, "temp", false, "owned", span);
    b.declare(`$a${i}`, id);
    stmts.push({ kind: "let", pattern: { kind: "bind", local: id, type: asType(ty), span } as TPattern, init: t, span } as TStmt);
    return id;
  });
  const bind = (name: string, ty: Ty): { id: LocalId; pat: TPattern } => {
    const id = b.newLocal(name, ty, "let", false, "owned", span);
    return { id, pat: { kind: "bind", local: id, type: asType(ty), span } as TPattern };
  };
  const pat = (variant: number, ps: TPattern[]): TPattern => ({ kind: "variant", enum: r.name, variant, args: ps, type: asType(r), span }) as TPattern;
  const variant = (en: Ty, v: number, payload: TExpr[]): TExpr => {
    const et = resolve(en) as EnumTy;
    return mk({ kind: "variant", enum: et.name, variant: v, payload } as TExprNode, et, span);
  };
  const call = (id: LocalId, callArgs: TExpr[], ret: Ty): TExpr => mk({ kind: "callValue", callee: readL(id), args: callArgs } as TExprNode, ret, span);
  const own = (id: LocalId): TExpr => c.own(readL(id));
  const arg = (i: number): TExpr => own(temps[i]);

  // Each arm binds its payload in a scope of its own, so a payload the arm does not move is
  // dropped at the end of the arm (as for a source-level match).
  const arm = (v: 0 | 1, ty: Ty | undefined, build: (payload: LocalId | undefined) => TExpr): TMatchArm => {
    b.pushScope();
    const pb = ty ? bind(v === 0 ? "$x" : "$e", ty) : undefined;
    if (pb) b.declare(v === 0 ? "$x" : "$e", pb.id);
    const armBody = build(pb?.id);
    const drops = b.popScope();
    const wrapped: TExpr = drops.length ? ({ kind: "block", stmts: [], tail: armBody, drops, type: armBody.type, span } as TBlock) : armBody;
    return { pattern: pat(v, pb ? [pb.pat] : []), body: wrapped, span };
  };
  const errArgs = (e: LocalId | undefined): TExpr[] => (e === undefined ? [] : [own(e)]);
  let first: TMatchArm;
  let second: TMatchArm;
  const E = isOpt ? undefined : errT;
  switch (m) {
    case "or":
      first = arm(0, inner, (x) => variant(resTy, 0, [own(x!)]));
      second = arm(1, E, () => arg(0));
      break;
    case "or_else":
      first = arm(0, inner, (x) => variant(resTy, 0, [own(x!)]));
      second = arm(1, E, (e) => call(temps[0], errArgs(e), resTy));
      break;
    case "filter":
      first = arm(0, inner, (x) => {
        const keep = call(temps[0], [readL(x!)], BOOL);
        const then: TBlock = { kind: "block", stmts: [], tail: variant(resTy, 0, [own(x!)]), drops: [], type: asType(resTy), span };
        const els: TBlock = { kind: "block", stmts: [], tail: variant(resTy, 1, []), drops: [], type: asType(resTy), span };
        return mk({ kind: "if", cond: keep, then, else: els } as TExprNode, resTy, span);
      });
      second = arm(1, E, () => variant(resTy, 1, []));
      break;
    case "ok_or":
      first = arm(0, inner, (x) => variant(resTy, 0, [own(x!)]));
      second = arm(1, E, () => variant(resTy, 1, [arg(0)]));
      break;
    case "ok_or_else":
      first = arm(0, inner, (x) => variant(resTy, 0, [own(x!)]));
      second = arm(1, E, () => variant(resTy, 1, [call(temps[0], [], (resTy as EnumTy).args[1])]));
      break;
    case "map_or":
      first = arm(0, inner, (x) => call(temps[1], [own(x!)], resTy));
      second = arm(1, E, () => arg(0));
      break;
    case "map_or_else":
      first = arm(0, inner, (x) => call(temps[1], [own(x!)], resTy));
      second = arm(1, E, (e) => call(temps[0], errArgs(e), resTy));
      break;
    case "flatten":
      first = arm(0, inner, (x) => own(x!));
      second = arm(1, E, () => variant(resTy, 1, []));
      break;
    case "ok":
      first = arm(0, inner, (x) => variant(resTy, 0, [own(x!)]));
      second = arm(1, E, () => variant(resTy, 1, []));
      break;
    default: // err
      first = arm(0, inner, () => variant(resTy, 1, []));
      second = arm(1, E, (e) => variant(resTy, 0, errArgs(e)));
  }
  const arms: TMatchArm[] = [first, second];
  const scrut = (x.asValue as { value: TExpr }).value;
  const matchE = mk({ kind: "match", scrutinee: scrut, arms } as TExprNode, resTy, span);
  const drops = b.popScope();
  return { kind: "block", stmts, tail: matchE, drops, type: asType(resTy), span } as TBlock;
}

// The core Option/Result methods, and the closure combinators (`map`, `map_err`, `and_then`,
// `unwrap_or_else`) lowered to a match.

import type { Expr, Span } from "../../syntax/ast.js";
import { asType } from "../builder.js";
import type { BuiltinOp, LocalId, TBlock, TExpr, TMatchArm, TPattern, TStmt } from "../../tir/nodes.js";
import { BOOL, ERROR, STRING, UNIT, freshVar, unify, type Ty } from "../types.js";
import { type CheckContext, mk, T } from "../context.js";
import type { MethodSite } from "./site.js";
import { checkOptionResultExtra } from "./option-result-extra.js";

/** The core Option/Result methods; the rest are in option-result-more.ts. */
export function checkOptionResultMethod(cx: CheckContext, s: MethodSite, rt: Extract<Ty, { kind: "enum" }>): TExpr | undefined {
  const { m, span, args, asValue, b, arity, fail } = s;
  const info = cx.table.enums.get(rt.name)!;
  if (info.prelude === "option" || info.prelude === "result") {
    const pre = info.prelude;
    const inner = rt.args[0];
    switch (m) {
      case "is_some":
      case "is_none":
      case "is_ok":
      case "is_err":
        if ((pre === "option") !== (m === "is_some" || m === "is_none")) return undefined;
        if (!arity(0)) return fail();
        return b(`${pre}.${m}` as BuiltinOp, asValue, [], BOOL, [rt]);
      case "unwrap":
        if (!arity(0)) return fail();
        return b(`${pre}.unwrap`, asValue, [], inner, [rt]);
      case "unwrap_err":
        if (pre !== "result") return undefined;
        if (!arity(0)) return fail();
        return b("result.unwrap_err", asValue, [], rt.args[1], [rt]);
      case "expect":
        if (!arity(1)) return fail();
        return b(`${pre}.expect`, asValue, [cx.expectArg(args[0].value, STRING)], inner, [rt]);
      case "unwrap_or": {
        if (!arity(1)) return fail();
        const v = cx.coerce(cx.own(cx.checkExpr(args[0].value, inner)), inner, args[0].value.span);
        return b(`${pre}.unwrap_or`, asValue, [v], inner, [rt]);
      }
      case "map":
      case "map_err":
      case "and_then":
      case "unwrap_or_else":
        if (m === "map_err" && pre !== "result") return undefined;
        if (!arity(1)) return fail();
        return lowerCombinator(cx, pre, rt, m, args[0].value, (asValue as { value: TExpr }).value, span);
    }
    return checkOptionResultExtra(cx, s, rt);
  }
  return undefined;
}

/**
 * Option/Result combinators taking a closure, lowered to a match:
 *   o.map(f)            => match o { Some(x) => Some(f(x)), None => None }
 *   r.map_err(f)        => match r { Ok(x) => Ok(x), Err(e) => Err(f(e)) }
 *   o.and_then(f)       => match o { Some(x) => f(x), None => None }
 *   o.unwrap_or_else(f) => match o { Some(x) => x, None => f() }   (Result: Err(e) => f(e))
 */
export function lowerCombinator(cx: CheckContext, pre: "option" | "result", rt: Ty & { kind: "enum" }, m: string, fE: Expr, scrut: TExpr, span: Span): TExpr {
  const inner = rt.args[0];
  const errT = pre === "result" ? rt.args[1] : UNIT;
  const fresh = freshVar();
  let want: Ty;
  let resTy: Ty;
  switch (m) {
    case "map":
      want = { kind: "fn", params: [inner], ret: fresh };
      resTy = pre === "option" ? cx.optionOf(fresh) : cx.resultOf(fresh, errT);
      break;
    case "map_err":
      want = { kind: "fn", params: [errT], ret: fresh };
      resTy = cx.resultOf(inner, fresh);
      break;
    case "and_then":
      resTy = pre === "option" ? cx.optionOf(fresh) : cx.resultOf(fresh, errT);
      want = { kind: "fn", params: [inner], ret: resTy };
      break;
    default:
      want = { kind: "fn", params: pre === "option" ? [] : [errT], ret: inner };
      resTy = inner;
  }
  const fv = fE.kind === "closure" ? cx.checkClosure(fE, want, "closure") : cx.checkExpr(fE, want);
  if (!unify(T(fv), want)) {
    cx.mismatch(want, T(fv), fE.span);
    return mk({ kind: "error" }, ERROR, span);
  }
  const b = cx.b;
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
    arms.push({ pattern: pat(0, [x.pat]), body: variant(res, 0, [call([cx.own(readL(x.id))], fresh)]), span });
    if (pre === "option") arms.push({ pattern: pat(1, []), body: variant(res, 1, []), span });
    else {
      const e = bind("$e", errT);
      arms.push({ pattern: pat(1, [e.pat]), body: variant(res, 1, [cx.own(readL(e.id))]), span });
    }
  } else if (m === "map_err") {
    const e = bind("$e", errT);
    arms.push({ pattern: pat(0, [x.pat]), body: variant(res, 0, [cx.own(readL(x.id))]), span });
    arms.push({ pattern: pat(1, [e.pat]), body: variant(res, 1, [call([cx.own(readL(e.id))], fresh)]), span });
  } else if (m === "and_then") {
    arms.push({ pattern: pat(0, [x.pat]), body: call([cx.own(readL(x.id))], resTy), span });
    if (pre === "option") arms.push({ pattern: pat(1, []), body: variant(res, 1, []), span });
    else {
      const e = bind("$e", errT);
      arms.push({ pattern: pat(1, [e.pat]), body: variant(res, 1, [cx.own(readL(e.id))]), span });
    }
  } else {
    arms.push({ pattern: pat(0, [x.pat]), body: cx.own(readL(x.id)), span });
    if (pre === "option") arms.push({ pattern: pat(1, []), body: call([], inner), span });
    else {
      const e = bind("$e", errT);
      arms.push({ pattern: pat(1, [e.pat]), body: call([cx.own(readL(e.id))], inner), span });
    }
  }
  const matchE = mk({ kind: "match", scrutinee: scrut, arms }, resTy, span);
  const letF: TStmt = { kind: "let", pattern: { kind: "bind", local: fl, type: asType(want), span } as TPattern, init: fv, span };
  const drops = b.popScope();
  return { kind: "block", stmts: [letF], tail: matchE, drops, type: asType(resTy), span } as TBlock;
}

// `a ?? b`, `a?.field` / `a?.m(..)` and `x |> f` (core.md F12.3, F8.5; spec §5.18, §5.22).
// `??` and `?.` lower to a `match` on the Option/Result the left side produced; `|>` rewrites the
// syntax into an ordinary call and checks that.

import type { Arg, Expr, Span } from "../syntax/ast.js";
import type { CheckContext } from "./context.js";
import { asType, tyOf } from "./builder.js";
import { Codes } from "./codes.js";
import type { LocalId, TBlock, TExpr, TExprNode, TMatchArm, TPattern } from "../tir/nodes.js";
import { ERROR, isError, resolve, show, unify, type Ty } from "./types.js";

const mk = (node: TExprNode, ty: Ty, span: Span): TExpr => ({ ...node, type: asType(ty), span }) as TExpr;
const T = (e: TExpr): Ty => tyOf(e.type);
const errorExpr = (span: Span): TExpr => mk({ kind: "error" }, ERROR, span);

type OptRes = { enumTy: Ty & { kind: "enum"; args: Ty[] }; prelude: "option" | "result" };

function optionOrResult(c: CheckContext, t: Ty): OptRes | undefined {
  const r = resolve(t);
  if (r.kind !== "enum") return undefined;
  const p = c.table.enums.get(r.name)?.prelude;
  return p === "option" || p === "result" ? { enumTy: r as OptRes["enumTy"], prelude: p } : undefined;
}

function variantPattern(o: OptRes, variant: number, args: TPattern[], span: Span): TPattern {
  return { kind: "variant", enum: o.enumTy.name, variant, args, type: asType(o.enumTy), span } as TPattern;
}

/** A fresh local bound by the success variant's payload, declared in the current scope. */
function payloadLocal(c: CheckContext, name: string, ty: Ty, span: Span): { id: LocalId; pattern: TPattern; read: TExpr } {
  const id = c.b.newLocal(name, ty, "let", false, "owned", span);
  c.b.declare(name, id);
  const read = mk({ kind: "read", place: { kind: "local", local: id, type: asType(ty), span } }, ty, span);
  return { id, pattern: { kind: "bind", local: id, type: asType(ty), span } as TPattern, read };
}

const block = (tail: TExpr, drops: LocalId[]): TBlock => ({ kind: "block", stmts: [], tail, drops, type: tail.type, span: tail.span }) as TBlock;

/** `a ?? b`: the payload of Some/Ok, else `b` (evaluated only then). `b` may itself be an Option (`a ?? b ?? c`). */
export function checkCoalesce(c: CheckContext, e: Expr & { kind: "binary" }, exp?: Ty): TExpr {
  const left = c.checkExpr(e.left);
  if (isError(T(left))) {
    c.checkExpr(e.right);
    return errorExpr(e.span);
  }
  const o = optionOrResult(c, T(left));
  if (!o) {
    c.err(Codes.BadOperand, `the left side of \`??\` must be an Option or a Result, found ${show(T(left))}`, e.left.span);
    c.checkExpr(e.right);
    return errorExpr(e.span);
  }
  const payload = o.enumTy.args[0];
  const sp = e.span;
  c.b.pushScope();
  const v = payloadLocal(c, "$value", payload, e.left.span);
  const vDrops = c.b.popScope();
  const hint = exp && o.prelude === "option" && optionOrResult(c, exp) ? exp : payload;
  const right = c.checkExpr(e.right, hint);
  let resultTy: Ty = payload;
  let someBody: TExpr = c.own(v.read);
  let fallback: TExpr;
  const rt = resolve(T(right));
  const rightOpt = o.prelude === "option" ? optionOrResult(c, rt) : undefined;
  if (rightOpt?.prelude === "option" && optionOrResult(c, payload)?.prelude !== "option" && unify(rightOpt.enumTy.args[0], payload)) {
    // Option ?? Option: the first Some of the two.
    resultTy = c.optionOf(payload);
    someBody = mk({ kind: "variant", enum: o.enumTy.name, variant: 0, payload: [c.own(v.read)] }, resultTy, sp);
    fallback = c.own(right);
  } else {
    fallback = c.coerce(c.own(right), payload, e.right.span);
  }
  const failPattern = o.prelude === "option" ? variantPattern(o, 1, [], sp) : variantPattern(o, 1, [{ kind: "wild", type: asType(o.enumTy.args[1]), span: sp } as TPattern], sp);
  const arms: TMatchArm[] = [
    { pattern: variantPattern(o, 0, [v.pattern], sp), body: block(someBody, vDrops), span: sp },
    { pattern: failPattern, body: fallback, span: sp },
  ];
  return mk({ kind: "match", scrutinee: left, arms }, resultTy, sp);
}

/**
 * `a?.f` / `a?.m(args)` on `a: Option[T]`: None stays None, Some(x) gives Some(x.f). A member that is
 * itself an Option is not wrapped again, so chains (`u.address?.city?.name`) stay one level deep.
 */
export function checkOptionalChain(c: CheckContext, e: Expr & ({ kind: "field" } | { kind: "methodCall" }), exp?: Ty): TExpr {
  const objE = e.kind === "field" ? e.object : e.receiver;
  const obj = c.checkExpr(objE);
  if (isError(T(obj))) return errorExpr(e.span);
  const o = optionOrResult(c, T(obj));
  if (!o || o.prelude !== "option") {
    c.err(Codes.Mismatch, `\`?.\` applies to Option values, found ${show(T(obj))}; use \`.\``, objE.span);
    return errorExpr(e.span);
  }
  const sp = e.span;
  const name = "$chain";
  c.b.pushScope();
  const x = payloadLocal(c, name, o.enumTy.args[0], objE.span);
  const ident: Expr = { kind: "ident", name, id: objE.id, span: objE.span };
  const member: Expr = e.kind === "field" ? { ...e, object: ident, optional: false } : { ...e, receiver: ident, optional: false };
  const expInner = exp && optionOrResult(c, exp)?.prelude === "option" ? (resolve(exp) as OptRes["enumTy"]).args[0] : undefined;
  const inner = c.checkExpr(member, expInner);
  const drops = c.b.popScope();
  if (isError(T(inner))) return errorExpr(sp);
  const innerOpt = optionOrResult(c, T(inner));
  const flat = innerOpt?.prelude === "option";
  const resultTy: Ty = flat ? T(inner) : c.optionOf(T(inner));
  const someBody = flat ? c.own(inner) : mk({ kind: "variant", enum: o.enumTy.name, variant: 0, payload: [c.own(inner)] }, resultTy, sp);
  const none = mk({ kind: "variant", enum: o.enumTy.name, variant: 1, payload: [] }, resultTy, sp);
  const arms: TMatchArm[] = [
    { pattern: variantPattern(o, 0, [x.pattern], sp), body: block(someBody, drops), span: sp },
    { pattern: variantPattern(o, 1, [], sp), body: none, span: sp },
  ];
  return mk({ kind: "match", scrutinee: obj, arms }, resultTy, sp);
}

/**
 * `x |> f` is `f(x)`; `x |> f(a, b)` is `f(x, a, b)`; `x |> f(a, _)` is `f(a, x)` (the `_` hole takes
 * the value); `x |> T.m(a)` is `T.m(x, a)` and `x |> T.f` is `T.f(x)`. Rewritten into the call and checked as one.
 */
export function checkPipe(c: CheckContext, e: Expr & { kind: "binary" }, exp?: Ty): TExpr {
  const value = e.left;
  const rhs = e.right;
  if (rhs.kind === "try") {
    // `x |> f?`: the `?` applies to the stage's result, `(x |> f)?` (spec §5.18).
    const stage: Expr = { ...e, right: rhs.expr };
    return c.checkExpr({ kind: "try", expr: stage, id: rhs.id, span: e.span }, exp);
  }
  const piped: Arg = { id: value.id, span: value.span, value, mutMarker: false };
  const fill = (args: Arg[]): Arg[] | undefined => {
    const holes = args.filter((a) => a.value.kind === "ident" && a.value.name === "_");
    if (holes.length > 1) {
      c.err(Codes.Mismatch, "a pipe stage may use the `_` placeholder only once", holes[1].value.span);
      return undefined;
    }
    return holes.length ? args.map((a) => (a === holes[0] ? { ...piped, label: a.label } : a)) : [piped, ...args];
  };
  let call: Expr;
  if (rhs.kind === "call") {
    const args = fill(rhs.args);
    if (!args) return errorExpr(e.span);
    call = { ...rhs, args, id: e.id, span: e.span };
  } else if (rhs.kind === "methodCall" && !rhs.optional) {
    const args = fill(rhs.args);
    if (!args) return errorExpr(e.span);
    call = { ...rhs, args, id: e.id, span: e.span };
  } else if (rhs.kind === "field" && !rhs.optional && c.isTypeLike(rhs.object)) {
    // `x |> Type.f`: an associated function (or UFCS method) called with the value.
    call = { kind: "methodCall", receiver: rhs.object, method: rhs.name, args: [piped], id: e.id, span: e.span };
  } else {
    call = { kind: "call", callee: rhs, args: [piped], id: e.id, span: e.span };
  }
  return c.checkExpr(call, exp);
}

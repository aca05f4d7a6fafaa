// Typing of unbounded channels (effects-concurrency §3.5): `Channel.new()` / `Channel.new[T]()`
// yield `(Sender[T], Receiver[T])`; `Sender.send(v)` / `Sender.clone()`; `Receiver.recv() -> T`
// and `Receiver.try_recv() -> Option[T]`. The element type is a shared inference variable that
// the first send, recv or annotation pins.

import type { Arg, Expr, Span, TypeExpr } from "../syntax/ast.js";
import { asType, tyOf } from "./builder.js";
import type { CheckContext } from "./context.js";
import { Codes } from "./codes.js";
import type { BuiltinOp, TExpr, TExprNode, TReceiver } from "../tir/nodes.js";
import { ERROR, UNIT, freshVar, resolve, show, unify, type Ty } from "./types.js";

const mk = (node: TExprNode, ty: Ty, span: Span): TExpr => ({ ...node, type: asType(ty), span }) as TExpr;
const fail = (span: Span): TExpr => mk({ kind: "error" }, ERROR, span);

function pair(elem: Ty): Ty {
  return { kind: "tuple", elems: [{ kind: "sender", elem }, { kind: "receiver", elem }] };
}

/** The element type an expected `(Sender[T], Receiver[T])` names, if any. */
function expectedElem(exp: Ty | undefined): Ty | undefined {
  const r = exp ? resolve(exp) : undefined;
  if (r?.kind !== "tuple" || r.elems.length !== 2) return undefined;
  const s = resolve(r.elems[0]);
  return s.kind === "sender" ? s.elem : undefined;
}

/** Arguments of a call that is already wrong, checked only for their own errors. */
function looseArgs(c: CheckContext, args: Arg[]): void {
  for (const a of args) if (a.value.kind !== "closure") c.checkExpr(a.value);
}

/** `Channel.new()` (explicit = undefined) or `Channel.new[T]()`. */
export function checkChannelNew(c: CheckContext, explicit: Ty | undefined, args: Arg[], span: Span, exp?: Ty): TExpr {
  if (args.length !== 0) {
    c.err(Codes.ArgCount, `Channel.new takes no arguments but ${args.length} ${args.length === 1 ? "was" : "were"} supplied`, span);
    looseArgs(c, args);
    return fail(span);
  }
  const elem = explicit ?? expectedElem(exp) ?? freshVar();
  c.deferred.push(() => {
    // Nothing pinned the element type: one diagnostic here rather than one per channel end.
    const r = resolve(elem);
    if (r.kind === "var" && !r.lit) {
      c.err(Codes.NeedsAnnotation, "type annotations needed: nothing sends or receives a known type on this channel; write Channel.new[T]()", span);
      unify(r, ERROR);
    }
  });
  return mk({ kind: "builtin", op: "channel.new", args: [], typeArgs: [asType(elem)] }, pair(elem), span);
}

/** `Channel.new[T]` as a callee: the type argument, or undefined when the callee is something else. */
export function channelNewTypeArg(
  c: CheckContext,
  callee: Expr,
  exprAsTypeExpr: (e: Expr) => TypeExpr | undefined,
): { elem: Ty } | "bad" | undefined {
  if (callee.kind !== "index" || callee.object.kind !== "field") return undefined;
  const f = callee.object;
  if (f.object.kind !== "ident" || f.object.name !== "Channel" || f.name.name !== "new") return undefined;
  if (callee.indices.length !== 1) {
    c.err(Codes.ArgCount, `Channel.new takes one type argument but ${callee.indices.length} were supplied`, callee.span);
    return "bad";
  }
  const te = exprAsTypeExpr(callee.indices[0]);
  if (!te) {
    c.err(Codes.WrongKind, "expected a type argument, e.g. Channel.new[i64]()", callee.indices[0].span);
    return "bad";
  }
  return { elem: c.resolveTy(te) };
}

const SCOPE_LOCAL = new Set(["taskHandle", "taskGroup"]);

/**
 * A method of `Sender[T]` / `Receiver[T]`. `recv` is the receiver as a value (read, not moved):
 * every channel method borrows its handle.
 */
export function checkChannelMethod(
  c: CheckContext,
  rt: Ty & { kind: "sender" | "receiver" },
  m: string,
  args: Arg[],
  recv: TReceiver,
  span: Span,
  methodSpan: Span,
): TExpr {
  const elem = rt.elem;
  const b = (op: BuiltinOp, targs: TExpr[], ty: Ty): TExpr =>
    mk({ kind: "builtin", op, receiver: recv, args: targs, typeArgs: [asType(elem)] }, ty, span);
  const owner = rt.kind === "sender" ? "Sender" : "Receiver";
  const noArgs = (): boolean => {
    if (args.length === 0) return true;
    c.err(Codes.ArgCount, `${owner}.${m}() takes no arguments`, span);
    looseArgs(c, args);
    return false;
  };
  if (rt.kind === "sender" && m === "send") {
    if (args.length !== 1) {
      c.err(Codes.ArgCount, `Sender.send takes one argument but ${args.length} were supplied`, span);
      looseArgs(c, args);
      return fail(span);
    }
    const v = c.coerce(c.own(c.checkExpr(args[0].value, elem)), elem, args[0].value.span);
    c.deferred.push(() => {
      // TaskHandle / TaskGroup are bound to the scope that created them (karac E0253).
      const t = resolve(tyOf(v.type));
      if (SCOPE_LOCAL.has(t.kind)) {
        const name = t.kind === "taskHandle" ? "TaskHandle" : "TaskGroup";
        c.err(Codes.ScopeLocalEscape, `a ${name} cannot be sent on a channel: it is bound to the scope that created it`, args[0].value.span);
      }
    });
    return b("sender.send", [v], UNIT);
  }
  if (rt.kind === "sender" && m === "clone") {
    if (!noArgs()) return fail(span);
    return b("sender.clone", [], { kind: "sender", elem });
  }
  if (rt.kind === "receiver" && m === "recv") {
    if (!noArgs()) return fail(span);
    return b("receiver.recv", [], elem);
  }
  if (rt.kind === "receiver" && m === "try_recv") {
    if (!noArgs()) return fail(span);
    return b("receiver.try_recv", [], c.optionOf(elem));
  }
  const known = rt.kind === "sender" ? "send, clone" : "recv, try_recv";
  c.err(Codes.NoMethod, `no method named '${m}' found for ${show(rt)}; its methods are ${known}`, methodSpan);
  looseArgs(c, args);
  return fail(span);
}

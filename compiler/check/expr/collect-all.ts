// `collect_all(a, b, ..)` and `collect_all_vec(v)`: run Result-producing thunks in parallel and
// return every Result. Both are rewritten into constructs the later phases already know, so effect
// checks, the concurrency report, cancellation and panics behave exactly as for those constructs:
// `collect_all` becomes a `par` block whose branches are unannotated lets (an `Err` is then a plain
// value and cancels nothing; a panic cancels the siblings), `collect_all_vec` a TaskGroup fan-out.

import type { Arg, Expr, Span } from "../../syntax/ast.js";
import { parse } from "../../syntax/parser.js";
import type { TExpr } from "../../tir/nodes.js";
import type { Builder } from "../builder.js";
import { tyOf } from "../builder.js";
import { Codes } from "../codes.js";
import { type CheckContext, mk, T } from "../context.js";
import { ERROR, resolve, show, type Ty } from "../types.js";

export const COLLECT_ALL_MIN = 2;
export const COLLECT_ALL_MAX = 8;

export function checkCollectAll(cx: CheckContext, e: Expr & { kind: "call" }, exp: Ty | undefined, checkArgsLoose: (cx: CheckContext, args: Arg[]) => void): TExpr {
  const args = e.args;
  if (args.length < COLLECT_ALL_MIN || args.length > COLLECT_ALL_MAX) {
    cx.err(Codes.ArgCount, `collect_all takes ${COLLECT_ALL_MIN} to ${COLLECT_ALL_MAX} arguments but ${args.length} ${args.length === 1 ? "was" : "were"} supplied; use collect_all_vec for a vector of closures`, e.span);
    checkArgsLoose(cx, args);
    return mk({ kind: "error" }, ERROR, e.span);
  }
  const sp = e.span;
  const id = e.id;
  const names = args.map((_, i) => `collect_all argument ${i + 1}`);
  const stmts = args.map((a, i) => ({
    kind: "let" as const,
    id,
    span: a.value.span,
    pattern: { kind: "bind" as const, id, span: a.value.span, name: names[i], mut: false },
    value: { kind: "call" as const, id, span: a.value.span, callee: asThunk(cx, a.value), args: [] },
  }));
  const tail: Expr = { kind: "tuple", id, span: sp, elems: names.map((name) => ({ kind: "ident", id, span: sp, name })) };
  const par: Expr = { kind: "par", id, span: sp, body: { kind: "block", id, span: sp, stmts, tail } };
  const out = cx.checkExpr(par, exp);
  const ty = resolve(T(out));
  if (ty.kind === "tuple") {
    ty.elems.forEach((t, i) => {
      if (!isResultOrError(cx, t)) cx.err(Codes.Mismatch, `collect_all argument ${i + 1} must produce a Result[T, E], found ${show(t)}`, args[i].value.span);
    });
  }
  return out;
}

export function checkCollectAllVec(cx: CheckContext, e: Expr & { kind: "call" }, exp: Ty | undefined, checkArgsLoose: (cx: CheckContext, args: Arg[]) => void): TExpr {
  const args = e.args;
  if (args.length !== 1) {
    cx.err(Codes.ArgCount, `collect_all_vec takes 1 argument (a Vec of closures) but ${args.length} ${args.length === 1 ? "was" : "were"} supplied`, e.span);
    checkArgsLoose(cx, args);
    return mk({ kind: "error" }, ERROR, e.span);
  }
  const out = cx.checkExpr(taskGroupFanOut(args[0].value, e.span, e.id), exp);
  const ty = resolve(T(out));
  if (ty.kind === "vec" && !isResultOrError(cx, ty.elem)) {
    cx.err(Codes.Mismatch, `collect_all_vec needs a Vec of closures producing Result[T, E], found closures producing ${show(ty.elem)}`, args[0].value.span);
  }
  return out;
}

function isResultOrError(cx: CheckContext, t: Ty): boolean {
  const r = resolve(t);
  if (r.kind === "error" || r.kind === "var") return true;
  return r.kind === "enum" && cx.table.enums.get(r.name)?.prelude === "result";
}

/** The callable a branch calls: the closure or Fn value itself, or `|| e` around a bare expression. */
function asThunk(cx: CheckContext, v: Expr): Expr {
  if (v.kind === "closure" && v.params.length === 0) return v;
  if (v.kind === "ident" && namesCallable(cx, v.name)) return v;
  return { kind: "closure", id: v.id, span: v.span, params: [], body: v };
}

function namesCallable(cx: CheckContext, name: string): boolean {
  for (let b: Builder | undefined = cx.b; b; b = b.parent) {
    const local = b.findOwn(name);
    if (local !== undefined) return resolve(tyOf(b.local(local).type)).kind === "fn";
  }
  if (cx.globals.has(name)) return false;
  return cx.table.fns.has(name);
}

// The input is bound first, so the helper names below are never in scope of user code. Each task
// calls its thunk from a closure literal, which is what `spawn` takes.
const FAN_OUT_SOURCE = `fn f() {
  {
    let collect_all_tasks = COLLECT_ALL_INPUT;
    let mut collect_all_group: TaskGroup = TaskGroup.new();
    let mut collect_all_handles = Vec.new();
    for collect_all_task in collect_all_tasks {
      collect_all_handles.push(collect_all_group.spawn(|| collect_all_task()));
    }
    let mut collect_all_results = Vec.new();
    for collect_all_handle in collect_all_handles {
      collect_all_results.push(collect_all_handle.join());
    }
    collect_all_results
  }
}`;

let fanOutTemplate: Expr | undefined;

function taskGroupFanOut(input: Expr, sp: Span, id: number): Expr {
  if (!fanOutTemplate) {
    const { program } = parse(FAN_OUT_SOURCE, "<collect_all_vec>");
    const fn = program.items[0] as unknown as { body: { tail: Expr } };
    fanOutTemplate = fn.body.tail;
  }
  const place = (n: unknown): unknown => {
    if (Array.isArray(n)) return n.map(place);
    if (!n || typeof n !== "object") return n;
    const node = n as Record<string, unknown>;
    if (node.kind === "ident" && node.name === "COLLECT_ALL_INPUT") return input;
    const copy: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(node)) copy[k] = k === "span" ? sp : k === "id" ? id : place(v);
    return copy;
  };
  return place(fanOutTemplate) as Expr;
}

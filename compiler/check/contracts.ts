// `requires e` / `ensures e` contracts. They are checked like expressions of the function's body,
// with the parameters in scope and, for `ensures`, the returned value bound to a local of its own
// (`result`, or the name of `ensures(r) e` / `ensures |r| e`). Each `old(e)` is checked once as an
// expression on entry and becomes a snapshot local that the predicate reads, so the predicate sees
// e as the function saw it before its body ran. The typed predicates are kept on the function: the
// effect phase rejects any effect but `panics` in them (E0410), and code generation runs them.
//
// A struct's `invariant e` members join the contracts of its methods as exit checks (karac's
// rule): a plain invariant on each `pub` method, an `impl invariant` on every method, `self` being
// the receiver. A `pub` associated function returning the struct is a constructor: it checks both
// kinds with `self` bound to the value it returns.

import type { Contract, Expr, FnDecl, Invariant, Span } from "../syntax/ast.js";
import type { LocalId, TExpr, TFunction } from "../tir/nodes.js";
import type { CheckContext } from "./context.js";
import { T } from "./context.js";
import { Builder, asType } from "./builder.js";
import { BOOL, UNIT, resolve, unify, type Ty } from "./types.js";

const NOWHERE: Span = { offset: 0, length: 0, line: 1, column: 1 };

/** Snapshot locals are named so that no source identifier can refer to them. */
const snapshotName = (k: number): string => `old#${k}`;

export function checkContracts(cx: CheckContext, decl: FnDecl, ret: Ty, fn: TFunction): void {
  const invariants = invariantsAtExit(cx, decl, ret, fn);
  if (!decl.contracts?.length && !invariants.length) return;
  const out: NonNullable<TFunction["contracts"]> = [];
  const snapshots: NonNullable<TFunction["contractSnapshots"]> = [];
  const b = cx.b;
  for (const c of decl.contracts ?? []) {
    b.pushScope();
    const { predicate, olds } = c.kind === "ensures" ? withSnapshots(c, snapshots.length) : { predicate: c.expr, olds: [] };
    for (const arg of olds) {
      const value = cx.checkExpr(arg);
      const local = b.newLocal(snapshotName(snapshots.length), T(value), "let", false, "owned", arg.span);
      b.declare(snapshotName(snapshots.length), local);
      snapshots.push({ local, value });
    }
    let result: LocalId | undefined;
    if (c.kind === "ensures") {
      const name = c.binding ?? "result";
      result = b.newLocal(name, ret, "let", false, "owned", c.span);
      b.declare(name, result);
    }
    const expr = cx.checkExpr(predicate, BOOL);
    if (resolve(T(expr)).kind !== "error" && !unify(T(expr), BOOL)) cx.mismatch(BOOL, T(expr), c.expr.span);
    b.popScope();
    out.push({ kind: c.kind, expr, span: c.span, ...(result !== undefined ? { result } : {}) });
  }
  for (const inv of invariants) {
    b.pushScope();
    let result: LocalId | undefined;
    if (!decl.receiver) {
      result = b.newLocal("self", ret, "let", false, "owned", inv.span);
      b.declare("self", result);
    }
    const expr = cx.checkExpr(inv.expr, BOOL);
    if (resolve(T(expr)).kind !== "error" && !unify(T(expr), BOOL)) cx.mismatch(BOOL, T(expr), inv.expr.span);
    b.popScope();
    out.push({ kind: "invariant", expr, span: inv.span, ...(result !== undefined ? { result } : {}) });
  }
  fn.contracts = out;
  if (snapshots.length) fn.contractSnapshots = snapshots;
}

/** The invariants of the method's struct that hold at its exits (none for free functions). */
function invariantsAtExit(cx: CheckContext, decl: FnDecl, ret: Ty, fn: TFunction): Invariant[] {
  const all = fn.owner ? cx.table.structs.get(fn.owner)?.decl?.invariants : undefined;
  if (!all?.length || !decl.body) return [];
  if (decl.receiver) return all.filter((inv) => inv.everyMethod || decl.pub);
  const r = resolve(ret);
  const constructs = decl.pub && r.kind === "struct" && r.name === fn.owner;
  return constructs ? all : [];
}

/**
 * After finalization: a predicate only looks at values, so a whole local it hands to an owning
 * site (a by-value argument) is copied, never moved out of the parameter, the result or a snapshot.
 */
export function settleContracts(fn: TFunction): void {
  const unmove = (x: unknown): void => {
    if (Array.isArray(x)) return x.forEach(unmove);
    if (typeof x !== "object" || x === null) return;
    const node = x as Record<string, unknown>;
    if (typeof node.offset === "number" && typeof node.line === "number") return; // a span
    if (node.kind === "move" && typeof node.local === "number" && "type" in node) {
      const e = node as unknown as TExpr & { kind: "move" };
      const place = { kind: "local", local: e.local, type: e.type, span: e.span };
      for (const k of Object.keys(node)) if (k !== "type" && k !== "span") delete node[k];
      Object.assign(node, { kind: "copy", value: { kind: "read", place, type: e.type, span: e.span } });
      return;
    }
    for (const v of Object.values(node)) unmove(v);
  };
  for (const c of fn.contracts ?? []) unmove(c.expr);
  for (const s of fn.contractSnapshots ?? []) unmove(s.value);
}

/**
 * The predicate with every `old(e)` replaced by a name for the k-th snapshot (a copy; the
 * declaration is left as parsed), and the e's in order. An `old` inside an `old` reads the same
 * entry state, so it is e itself.
 */
function withSnapshots(c: Contract, first: number): { predicate: Expr; olds: Expr[] } {
  const olds: Expr[] = [];
  const isOld = (node: { kind?: string; callee?: Expr; args?: { value: Expr }[] }): boolean =>
    node.kind === "call" && node.callee?.kind === "ident" && node.callee.name === "old" && node.args?.length === 1;
  const stripInner = (x: unknown): unknown => {
    if (Array.isArray(x)) return x.map(stripInner);
    if (typeof x !== "object" || x === null) return x;
    const node = x as { kind?: string; callee?: Expr; args?: { value: Expr }[] };
    if (isOld(node)) return stripInner(node.args![0].value);
    const copy: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(x)) copy[k] = k === "span" ? v : stripInner(v);
    return copy;
  };
  const replace = (x: unknown): unknown => {
    if (Array.isArray(x)) return x.map(replace);
    if (typeof x !== "object" || x === null) return x;
    const node = x as { kind?: string; callee?: Expr; args?: { value: Expr }[]; id?: number; span?: unknown };
    if (isOld(node)) {
      olds.push(stripInner(node.args![0].value) as Expr);
      return { kind: "ident", id: node.id, span: node.span, name: snapshotName(first + olds.length - 1) };
    }
    const copy: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(x)) copy[k] = k === "span" ? v : replace(v);
    return copy;
  };
  return { predicate: replace(c.expr) as Expr, olds };
}

/**
 * Each struct's invariants checked once on their own, with `self` of the struct's type, so that a
 * mistake in one is reported even when no method carries it. A scratch function owns the
 * temporaries; nothing of it is kept.
 */
export function checkStructInvariants(cx: CheckContext): void {
  const unit = asType(UNIT);
  const scratch: TFunction = {
    id: -1, kind: "fn", name: "$invariants", panicName: "$invariants", params: [], ret: unit, captures: [], locals: [],
    body: { kind: "block", stmts: [], drops: [], type: unit, span: NOWHERE }, paramDrops: [], pub: false, span: NOWHERE,
  };
  for (const s of cx.table.structs.values()) {
    const invariants = s.decl?.invariants;
    if (!invariants?.length || s.generics.length) continue;
    for (const inv of invariants) {
      const b = new Builder(scratch, UNIT);
      cx.b = b;
      b.pushScope();
      b.declare("self", b.newLocal("self", cx.table.structTy(s, []), "param", false, "ref", inv.span));
      const expr = cx.checkExpr(inv.expr, BOOL);
      if (resolve(T(expr)).kind !== "error" && !unify(T(expr), BOOL)) cx.mismatch(BOOL, T(expr), inv.expr.span);
      b.popScope();
    }
  }
}

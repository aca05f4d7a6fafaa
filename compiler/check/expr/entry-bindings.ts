// `let c = m.entry(k).or_insert(d);` (or `or_insert_with(f)` / `or_default()`): karac's `or_insert`
// returns a `mut ref` to the key's value slot, and a local may hold it, so `*c += 1`, `*c = x` and
// reads of `c` reach the map. While `c` lives it is the only way into `m` (a `mut ref` borrow is
// exclusive), so every use of `c` can name the slot again: the binding becomes a temporary holding
// the key (the key is evaluated once), the `let` inserts the default when the key is missing, and
// each later `c` in the block reads or writes `m[key]`. A block that binds the name again is left
// alone (the uses would be ambiguous).

import type { Block, Expr, Stmt } from "../../syntax/ast.js";
import { forEachSyntaxNode } from "../../syntax/each-node.js";
import type { TStmt } from "../../tir/nodes.js";
import { asType, tyOf } from "../builder.js";
import { type CheckContext } from "../context.js";
import { isEntryCall } from "../map-places.js";
import { resolve, unify } from "../types.js";

/** Each use of an entry binding, mapped to the slot expression `m[<key temporary>]` it stands for. */
const slotOf = new WeakMap<Expr, Expr>();
/** The `let` of each entry binding, with the name of its key temporary. */
const bindings = new WeakMap<Stmt, string>();

/** Finds the entry bindings of `block` (idempotent). */
export function noteEntryBindings(block: Block): void {
  block.stmts.forEach((s, k) => {
    if (s.kind !== "let" || bindings.has(s) || s.type || s.elseBlock || s.byRef || !s.value || !isEntryCall(s.value)) return;
    if (s.pattern.kind !== "bind" || s.pattern.sub || s.pattern.mut) return;
    const name = s.pattern.name;
    const entry = (s.value as Expr & { kind: "methodCall" }).receiver as Expr & { kind: "methodCall" };
    const uses: (Expr & { kind: "ident" })[] = [];
    let rebound = false;
    forEachSyntaxNode([block.stmts.slice(k + 1), block.tail ?? []], (n) => {
      if (n.kind === "ident" && n.name === name) uses.push(n as unknown as Expr & { kind: "ident" });
      if (n.kind === "bind" && n.name === name) rebound = true;
    });
    if (rebound) return;
    const keyName = `$entry_key_${s.id}`;
    bindings.set(s, keyName);
    for (const u of uses) {
      const key: Expr = { kind: "ident", id: u.id, span: u.span, name: keyName };
      slotOf.set(u, { kind: "index", id: u.id, span: u.span, object: entry.receiver, indices: [key] });
    }
  });
}

/** The slot expression a use of an entry binding stands for, when `e` is one. */
export function entrySlotOf(e: Expr): Expr | undefined {
  return slotOf.get(e);
}

/** Whether `s` declares an entry binding (checked by `checkEntryBinding`). */
export function isEntryBinding(s: Stmt): boolean {
  return bindings.has(s);
}

/**
 * The statements of an entry binding's `let`: the key into its temporary, then the `entry` call
 * with a copy of it (inserting the default when the key is missing).
 */
export function checkEntryBinding(cx: CheckContext, s: Stmt & { kind: "let" }): TStmt[] {
  const keyName = bindings.get(s)!;
  const call = s.value as Expr & { kind: "methodCall" };
  const entry = call.receiver as Expr & { kind: "methodCall" };
  const keyE = entry.args[0].value;
  const probe = cx.probeType(entry.receiver);
  const mt = probe ? resolve(probe) : undefined;
  const key = cx.checkExpr(keyE, mt?.kind === "map" ? mt.key : undefined);
  if (mt?.kind === "map" && !unify(tyOf(key.type), mt.key)) cx.mismatch(mt.key, tyOf(key.type), keyE.span);
  const id = cx.b.newLocal(keyName, tyOf(key.type), "let", false, "owned", keyE.span);
  cx.b.declare(keyName, id);
  const keyRead: Expr = { kind: "ident", id: keyE.id, span: keyE.span, name: keyName };
  const keyCopy: Expr = { kind: "methodCall", id: keyE.id, span: keyE.span, receiver: keyRead, method: { id: keyE.id, span: keyE.span, name: "clone" }, args: [] };
  const insert: Expr = { ...call, receiver: { ...entry, args: [{ ...entry.args[0], value: keyCopy }] } };
  const inserted = cx.checkExpr(insert);
  return [
    { kind: "let", pattern: { kind: "bind", local: id, type: asType(tyOf(key.type)), span: keyE.span }, init: cx.own(key), span: s.span },
    { kind: "expr", expr: inserted, span: s.span },
  ];
}

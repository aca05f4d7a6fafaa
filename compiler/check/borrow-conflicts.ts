// Uses of a collection while a binding still borrows it (karac's E_CROSS_BORROW_CONFLICT):
//  - `let c = m.entry(k).or_insert(d);` holds a `mut ref` into `m` and a stored iterator
//    `let it = v.iter_mut();` holds the writable borrow of `v` (check/expr/entry-bindings.ts,
//    check/iter-mut.ts), as `for x in v.iter_mut() { .. }` does in its body: the borrow is
//    exclusive, so any use of `m` / `v` — a read as much as a write — between the `let` and the
//    binding's last use (or in the loop's body) is rejected;
//  - `let w = v.windows(n);` / `v.chunks(n)` hold views of `v`'s elements (Vec[Slice[T]]), so
//    changing `v` (assigning it or a part of it, a mutating method, a `mut v` argument) while `w`
//    is still used could move the elements under the views or show the views a change.
// The live range is the statements of the binding's block from the `let` to the last statement
// that names the binding (a loop over it included). Places overlap when one path is a prefix of
// the other (`self.a` and `self.b` do not overlap). A block that binds either name again is left
// alone: which binding a later name means would be ambiguous.

import type { Block, Expr, Stmt } from "../syntax/ast.js";
import { forEachSyntaxNode } from "../syntax/each-node.js";
import { type CheckContext } from "./context.js";
import { isEntryBinding } from "./expr/entry-bindings.js";
import { iterMutHead, isStoredIterMut } from "./iter-mut.js";

export const CROSS_BORROW_CONFLICT = "E_CROSS_BORROW_CONFLICT";

/** Methods that change a Vec, array, Map, Set or String in place (their receiver is written). */
const MUTATING = new Set([
  "push", "pop", "insert", "remove", "clear", "truncate", "extend", "extend_from_slice", "append", "drain", "retain",
  "dedup", "sort", "sort_by", "sort_by_key", "sort_unstable", "sort_unstable_by", "sort_unstable_by_key", "reverse",
  "swap", "swap_remove", "fill", "resize", "split_off", "rotate_left", "rotate_right", "push_str", "push_front",
  "pop_front", "push_back", "pop_back", "entry", "get_mut", "iter_mut", "values_mut", "as_slice_mut", "as_mut_slice",
  "split_at_mut", "or_insert", "and_modify", "set",
]);

type Chain = { base: Expr & { kind: "ident" }; path: string[] };

/** The place an expression names as a root variable and its field path (an index ends the path). */
function chainOf(e: Expr): Chain | undefined {
  const names: string[] = [];
  let cur = e;
  for (;;) {
    if (cur.kind === "field") {
      names.push(cur.name.name);
      cur = cur.object;
    } else if (cur.kind === "index") {
      names.length = 0;
      cur = cur.object;
    } else if (cur.kind === "unary" && cur.op === "*") {
      cur = cur.operand;
    } else break;
  }
  if (cur.kind !== "ident") return undefined;
  return { base: cur, path: [cur.name, ...names.reverse()] };
}

const overlap = (a: string[], b: string[]): boolean => {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) if (a[i] !== b[i]) return false;
  return true;
};

interface Borrow {
  binding: string;
  borrowed: Chain;
  exclusive: boolean;
  /** How the binding borrows, for the message. */
  how: string;
}

/** The borrow a `let` statement of `block` makes, when it is one this pass follows. */
function borrowOf(s: Stmt): Borrow | undefined {
  if (s.kind !== "let" || !s.value || s.pattern.kind !== "bind") return undefined;
  const binding = s.pattern.name;
  const v = s.value;
  if (isEntryBinding(s) && v.kind === "methodCall" && v.receiver.kind === "methodCall") {
    const borrowed = chainOf(v.receiver.receiver);
    return borrowed && { binding, borrowed, exclusive: true, how: `holds a \`mut ref\` into it from \`${borrowed.path.join(".")}.entry(..)\`` };
  }
  if (isStoredIterMut(s)) {
    const head = iterMutHead(v);
    const borrowed = head && chainOf(head.receiver);
    return borrowed && { binding, borrowed, exclusive: true, how: "is an iter_mut() iterator over it" };
  }
  if (v.kind === "methodCall" && (v.method.name === "windows" || v.method.name === "chunks") && v.args.length === 1) {
    const borrowed = chainOf(v.receiver);
    return borrowed && { binding, borrowed, exclusive: false, how: `views its elements (${v.method.name})` };
  }
  return undefined;
}

/** Reports uses of collections that a `let` of `block` still borrows (see the file comment). */
export function checkBorrowConflicts(cx: CheckContext, block: Block): void {
  const parts: unknown[] = [...block.stmts, ...(block.tail ? [block.tail] : [])];
  // `for x in v.iter_mut() { .. }` holds the writable borrow of v for its whole body, and
  // `for w in v.windows(n) { .. }` (or chunks) the views of v's elements.
  for (const p of parts) {
    const loop = (p as Stmt).kind === "expr" ? (p as Stmt & { kind: "expr" }).expr : (p as Expr);
    if (loop.kind !== "for") continue;
    const head = iterMutHead(loop.iter);
    const it = loop.iter;
    const views = it.kind === "methodCall" && (it.method.name === "windows" || it.method.name === "chunks") && it.args.length === 1;
    const borrowed = head ? chainOf(head.receiver) : views ? chainOf(it.receiver) : undefined;
    if (!borrowed) continue;
    let rebound = false;
    forEachSyntaxNode(loop.body, (n) => {
      if (n.kind === "bind" && n.name === borrowed.path[0]) rebound = true;
    });
    if (rebound) continue;
    for (const c of head ? mentions([loop.body], borrowed.path[0]) : mutations([loop.body], borrowed.path[0])) {
      if (!overlap(c.path, borrowed.path)) continue;
      const what = head
        ? `\`${c.path.join(".")}\` cannot be used here: the loop over \`${borrowed.path.join(".")}.iter_mut()\` holds the writable borrow of it until the loop ends`
        : `\`${c.path.join(".")}\` cannot be changed here: the loop walks views of its elements (${(it as Expr & { kind: "methodCall" }).method.name}) until it ends`;
      cx.err(CROSS_BORROW_CONFLICT, `${what}; drop the borrow first (or restructure so they don't overlap)`, c.base.span);
    }
  }
  block.stmts.forEach((s, k) => {
    const borrow = borrowOf(s);
    if (!borrow) return;
    const { binding, borrowed } = borrow;
    const root = borrowed.path[0];
    let last = -1;
    let rebound = false;
    for (let i = k + 1; i < parts.length; i++) {
      forEachSyntaxNode(parts[i], (n) => {
        if (n.kind === "ident" && n.name === binding) last = i;
        if (n.kind === "bind" && (n.name === binding || n.name === root)) rebound = true;
      });
    }
    if (last < 0 || rebound) return;
    const range = parts.slice(k + 1, last + 1);
    // In the statement of the last use, what runs after that use no longer meets the borrow,
    // unless the use sits in a loop there (the next round uses the binding again).
    const end = lastUseEnd(parts[last], binding);
    for (const c of borrow.exclusive ? mentions(range, root) : mutations(range, root)) {
      if (!overlap(c.path, borrowed.path)) continue;
      if (end !== undefined && c.base.span.offset > end && within(parts[last], c.base)) continue;
      const verb = borrow.exclusive ? "used" : "changed";
      cx.err(
        CROSS_BORROW_CONFLICT,
        `\`${c.path.join(".")}\` cannot be ${verb} here: \`${binding}\` ${borrow.how} and is used again later; drop the borrow first (or restructure so they don't overlap)`,
        c.base.span,
      );
    }
  });
}

/**
 * Where the last use of `binding` in `part` ends, or undefined when a use sits in a loop of `part`
 * (or is a loop's head), so that everything in `part` meets the borrow.
 */
function lastUseEnd(part: unknown, binding: string): number | undefined {
  let end = -1;
  let looped = false;
  forEachSyntaxNode(part, (n) => {
    if (n.kind === "ident" && n.name === binding) {
      const sp = (n as unknown as Expr).span;
      end = Math.max(end, sp.offset + sp.length);
    }
    if (n.kind === "for" || n.kind === "while" || n.kind === "loop") {
      forEachSyntaxNode(n, (x) => {
        if (x.kind === "ident" && x.name === binding) looped = true;
        return looped;
      });
    }
  });
  return looped || end < 0 ? undefined : end;
}

/** Whether the node `x` lies inside `part`. */
function within(part: unknown, x: object): boolean {
  let found = false;
  forEachSyntaxNode(part, (n) => {
    found = n === x;
    return found;
  });
  return found;
}

/** Every naming of `root`, with the longest field path it is read through. */
function mentions(range: unknown[], root: string): Chain[] {
  const longest = new Map<Expr, Chain>();
  const idents: (Expr & { kind: "ident" })[] = [];
  forEachSyntaxNode(range, (n) => {
    const e = n as unknown as Expr;
    if (e.kind === "ident" && e.name === root) idents.push(e);
    if (e.kind === "field" || e.kind === "index") {
      const c = chainOf(e);
      if (c && c.base.name === root && (longest.get(c.base)?.path.length ?? 0) < c.path.length) longest.set(c.base, c);
    }
  });
  return idents.map((base) => longest.get(base) ?? { base, path: [root] });
}

/** The places rooted at `root` that are assigned, mutated by a method or passed as `mut`. */
function mutations(range: unknown[], root: string): Chain[] {
  const out: Chain[] = [];
  const add = (e: Expr): void => {
    const c = chainOf(e);
    if (c && c.base.name === root) out.push(c);
  };
  forEachSyntaxNode(range, (n) => {
    if (n.kind === "assign") add((n as unknown as Stmt & { kind: "assign" }).target);
    else if (n.kind === "methodCall") {
      const mc = n as unknown as Expr & { kind: "methodCall" };
      if (MUTATING.has(mc.method.name)) add(mc.receiver);
      for (const a of mc.args) if (a.mutMarker) add(a.value);
    } else if (n.kind === "call") {
      for (const a of (n as unknown as Expr & { kind: "call" }).args) if (a.mutMarker) add(a.value);
    }
  });
  return out;
}

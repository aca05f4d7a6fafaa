// Moving a non-Copy element out of a container is an error (karac E0285, E_INDEX_MOVE_NON_COPY).
//
// `v[i]` names an element the container still owns: a container has no holes, so a use that would
// take the element by value (a `let`, an owned argument or receiver, a field or element of a new
// value, a function's result) can only read it if its type is Copy. Every other use reads the
// element in place and stays legal: printing and interpolating it, comparing it, calling a method
// that borrows it, `match v[i]`, destructuring `let (a, b) = v[i]`. The repairs are `v[i].clone()`
// (an owned copy) and `let x = ref v[i];` (a read-only borrow, check/ref-bindings.ts). A `ref`
// binding is itself a borrow, so moving out of it is the same error.
//
// The checker marks the reads the program wrote (`checkIndex`); reads the checker synthesises for
// its own lowerings (loops, pipelines) are not marked and keep their copies. The decision waits
// for finalize, where `$own` markers are resolved and every element type is known.

import type { Span } from "../syntax/ast.js";
import type { TExpr, TLocal, Type } from "../tir/nodes.js";
import { showSourceType } from "../tir/show-type.js";

const userIndexReads = new WeakSet<object>();
const reported = new WeakSet<Span>();

/** Record `e` (a read the program wrote as `base[i]`) as a candidate for the index-move check. */
export function markIndexRead(e: TExpr): TExpr {
  if (e.kind === "read" && e.place.kind === "index") userIndexReads.add(e);
  return e;
}

/** A `let x = ref <place>;` binding: a read-only borrow that owns nothing. */
export function isRefBinding(l: TLocal | undefined): boolean {
  return !!l && l.kind === "let" && l.mode === "ref";
}

/**
 * The diagnostic for moving `v` (a non-Copy read flowing into an owning site), or undefined when
 * the move is allowed. Each source span is reported once, however many generic instances reach it.
 */
export function indexMoveMessage(v: TExpr & { kind: "read" }, locals: TLocal[]): { message: string; span: Span } | undefined {
  const p = v.place;
  const ty = showSourceType(v.type as Type);
  let message: string | undefined;
  if (userIndexReads.has(v)) {
    message =
      `cannot move this element out of its container: the container keeps owning it, and its type \`${ty}\` is not Copy; ` +
      "clone it (`v[i].clone()`) or borrow it (`let x = ref v[i];`)";
  } else if (p.kind === "local" && isRefBinding(locals[p.local])) {
    message = `cannot move out of \`${locals[p.local].name}\`: it is a \`ref\` binding (a borrow), and its type \`${ty}\` is not Copy; clone it with \`.clone()\``;
  }
  if (!message || reported.has(v.span)) return undefined;
  reported.add(v.span);
  return { message, span: v.span };
}

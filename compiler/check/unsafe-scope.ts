// Where the checker is inside an `unsafe { .. }` block. karac restricts a few operations to such a
// block (its `unsafe_op_in_unsafe_fn` lint, an error): of those this compiler has only the
// unchecked element read `get_unchecked` on a Vec or slice. A closure or `par` branch written
// inside the block is inside it too, so the depth is read up the chain of enclosing bodies.

import type { Span } from "../syntax/ast.js";
import type { Builder } from "./builder.js";
import { type CheckContext } from "./context.js";

/** karac's JSON code for an error-level lint (`unsafe_op_in_unsafe_fn` among them). */
export const UNSAFE_OP_CODE = "E0259";

const depth = new WeakMap<Builder, number>();

/** Runs `f` with the body being checked marked as inside an `unsafe` block. */
export function withinUnsafe<R>(b: Builder, f: () => R): R {
  depth.set(b, (depth.get(b) ?? 0) + 1);
  try {
    return f();
  } finally {
    depth.set(b, depth.get(b)! - 1);
  }
}

/** Whether the body being checked, or one it is written in, is inside an `unsafe` block. */
export function inUnsafe(b: Builder): boolean {
  for (let cur: Builder | undefined = b; cur; cur = cur.parent) if ((depth.get(cur) ?? 0) > 0) return true;
  return false;
}

/** Reports an operation karac allows only inside `unsafe { .. }` when it is outside one. */
export function requireUnsafe(cx: CheckContext, what: string, span: Span): void {
  if (inUnsafe(cx.b)) return;
  cx.err(
    UNSAFE_OP_CODE,
    `call to \`unsafe fn ${what}\` must be wrapped in an \`unsafe { ... }\` block (unsafe_op_in_unsafe_fn): it skips the bounds check karac would otherwise make`,
    span,
  );
}

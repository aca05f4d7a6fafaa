// `mut Slice[T]` parameters (core.md F8.2, F13.3): the callee writes elements of the caller's
// buffer through a view. The view is passed by value like a `Slice[T]` (the header never
// changes, only the elements behind it), so the parameter is an owned slice marked `mut`.

import type { ParamMode } from "../syntax/ast.js";
import type { ParamSig } from "./items.js";
import { resolve, type Ty } from "./types.js";

/** Mode and type of a declared parameter as the signature records them. */
export function paramModeType(mode: ParamMode, t: Ty): { mode: ParamSig["mode"]; type: Ty; frozen?: true } {
  // A `frozen` parameter reads like a `ref` one everywhere past its declaration (karac lowers it to
  // `ref T`); what only `frozen` adds is checked on the typed program (effects/frozen.ts).
  if (mode === "frozen") return { mode: "ref", type: t, frozen: true };
  if (mode !== "mutslice") return { mode, type: t };
  const r = resolve(t);
  return { mode: "owned", type: r.kind === "slice" ? { ...r, mut: true } : t };
}

/** Is t a `mut Slice[T]` (a view whose elements may be written)? */
export function isMutSlice(t: Ty): boolean {
  const r = resolve(t);
  return r.kind === "slice" && r.mut;
}

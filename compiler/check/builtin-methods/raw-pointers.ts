// karac's raw-pointer producers on sequences and strings: `v.as_ptr() -> *const T`,
// `v.as_mut_ptr() -> *mut T` and `s.to_cstring() -> Result[CString, NulError]` (a NUL-terminated
// copy whose `as_ptr()` is a `*const u8`). They exist to hand memory to C through `extern`
// functions, and everything a raw pointer permits (`read`, `write`, `offset`, `*p`) needs
// `unsafe { }` and an FFI boundary. A program here runs inside a WebAssembly sandbox with no C
// to call and no raw pointer type, so these are reported as unsupported with the reason, rather
// than as unknown methods.

import type { Expr } from "../../syntax/ast.js";
import type { TExpr } from "../../tir/nodes.js";
import { Codes } from "../codes.js";
import { type CheckContext } from "../context.js";
import { resolve, show, type Ty } from "../types.js";
import type { MethodSite } from "./site.js";

const SEQ_POINTERS = new Set(["as_ptr", "as_mut_ptr"]);

export function checkRawPointerMethod(cx: CheckContext, e: Expr & { kind: "methodCall" }, rt: Ty, x: MethodSite): TExpr | undefined {
  const r = resolve(rt);
  const m = e.method.name;
  const seq = (r.kind === "vec" && !r.iter && !r.deque) || r.kind === "array" || r.kind === "slice";
  if (!(seq && SEQ_POINTERS.has(m)) && !(r.kind === "string" && m === "to_cstring")) return undefined;
  const what = m === "to_cstring" ? "a C string (`CString`, read through its `*const u8`)" : `a raw pointer (\`*${m === "as_ptr" ? "const" : "mut"} T\`) to the elements of ${show(r)}`;
  cx.err(
    Codes.Unsupported,
    `'${m}' gives ${what}, which only C code reached through \`extern\` can use; programs here run in a WebAssembly sandbox with no raw pointers or C calls. Index the value or pass it as a \`Slice\` instead`,
    e.method.span,
  );
  cx.checkArgsLoose(e.args);
  return x.fail();
}

// Wasm signatures of TIR functions and the environment layout of lifted bodies (closures, par
// branches, task thunks), which take their environment as the first parameter.

import type { TFunction } from "../../tir/nodes.js";
import type { Gen } from "../context.js";
import { i32, none, wasmSize, type WType } from "../ir.js";

/**
 * Header of a closure environment: table slots of its drop and copy functions, then the
 * captures (see envLayout).
 */
export const ENV = { DROP: 0, COPY: 4, CAPTURES: 8 } as const;

/** Result kinds of a task that may stop early: a cancelled task leaves its result zero. */
export const SCALAR_KINDS = new Set(["unit", "int", "float", "bool", "char"]);

/** Environment layout of a lifted function: one slot per capture. */
export function envLayout(g: Gen, fn: TFunction): { size: number; slots: { offset: number; wasm: WType }[] } {
  // A closure can be copied and dropped as a value: its environment starts with its operations.
  let off = fn.kind === "closure" ? ENV.CAPTURES : 0;
  const slots = fn.captures.map((c) => {
    const w = c.byRef ? i32 : g.layouts.wasm(c.type);
    const sz = wasmSize(w);
    if (sz > 0) off = (off + sz - 1) & ~(sz - 1);
    const s = { offset: off, wasm: w };
    off += sz;
    return s;
  });
  return { size: (off + 7) & ~7, slots };
}

export function isLifted(fn: TFunction): boolean {
  return fn.kind === "closure" || fn.kind === "parBranch" || fn.kind === "thunk";
}

/** Wasm signature of a TIR function: lifted bodies take their environment first. */
export function signature(g: Gen, fn: TFunction): { params: WType[]; result: WType } {
  const params: WType[] = isLifted(fn) ? [i32] : [];
  for (const p of fn.params) {
    const w = p.mode === "mutref" ? i32 : g.layouts.wasm(p.type);
    if (w !== none) params.push(w);
  }
  return { params, result: g.layouts.wasm(fn.ret) };
}


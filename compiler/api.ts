// Types of the compiler's single entry point, compile(). Kept apart from compile.ts so the
// playground and CLI can import them without pulling the compiler in.

import type { Diagnostic } from "./diagnostics.js";

export interface CompileOptions {
  /** Name used in diagnostics and panic messages (karac prints the path it was given). */
  fileName?: string;
  /** Binaryen optimisation level; 0 (the default) skips optimize() entirely. */
  optimize?: 0 | 1 | 2 | 3 | 4;
  /** Automatic parallelisation of independent statements and loop reductions (default on). */
  autoPar?: boolean;
  /** Also return the module as WebAssembly text. */
  emitText?: boolean;
  /** Stop after the analyses (diagnostics and reports, no wasm): checking as the user types. */
  checkOnly?: boolean;
}

export interface PhaseTiming {
  phase: "parse" | "check" | "effects" | "concurrency" | "codegen" | "emit";
  ms: number;
}

export interface CompileResult {
  ok: boolean;
  wasm?: Uint8Array;
  wat?: string;
  diagnostics: Diagnostic[];
  /** Per-function declared vs inferred effects (the JSON `kara query effects` prints). */
  effects?: unknown;
  /** Per-function parallel groups (the JSON `kara query concurrency` prints). */
  concurrency?: unknown;
  timings: PhaseTiming[];
}

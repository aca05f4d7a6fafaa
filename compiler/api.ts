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
  /**
   * Also check the file's `test "name" { .. }` blocks (each as a function without parameters).
   * Off by default: running and building ignore test blocks, as karac does; `kara check` turns it on.
   */
  checkTests?: boolean;
  /**
   * Build the module that runs test block number `runTest` (0-based, in source order; see
   * CompileResult.tests) as its entry point instead of `main`. Every test block is checked, and
   * the file needs no `main`. The run passes when it ends normally; a failed `assert` /
   * `assert_eq` panics (status "panic", the panic line names the values), which is the test
   * failing. `compiler/testing/outcome.ts` turns a run's result into karac's test report.
   */
  runTest?: number;
}

/** A `test "name" { .. }` block of the compiled file. */
export interface TestInfo {
  name: string;
  /** 1-based position of the test's name (the string after `test`). */
  line: number;
  column: number;
  /** `#[test(timeout_seconds = N)]`: this test's time limit, which wins over the runner's default. */
  timeoutSeconds?: number;
  /** `#[test(requires = [db.Users, ..])]`: resources the test needs; the runner skips it when one is unavailable. */
  requires?: string[];
  /** The file holding the test, in a program of several files (compileFiles). */
  file?: string;
}

/** One file of a program of several files (compileFiles): its name relative to the root file's directory, and its text. */
export interface ProgramFile {
  name: string;
  text: string;
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
  /** The file's test blocks in source order (present whenever the file parsed). */
  tests?: TestInfo[];
  timings: PhaseTiming[];
}

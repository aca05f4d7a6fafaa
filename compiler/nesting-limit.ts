// Running out of stack is a limit, not a compiler bug: every phase walks the tree recursively, and
// a program can nest deeper than the thread's stack allows. Each phase reports it as E0296 (the
// `kara` command then retries on a thread with a larger stack: cli/deep-stack-compile.ts).

import type { Diagnostic, Phase } from "./diagnostics.js";

/** Whether `err` is the engine running out of stack (possibly re-thrown from another thread). */
export function isStackExhaustion(err: unknown): boolean {
  const message = err instanceof Error ? err.message : String(err);
  return /maximum call stack size exceeded|too much recursion/i.test(message);
}

export function nestingLimitDiagnostic(phase: Phase, span: Diagnostic["span"] = { offset: 0, length: 0, line: 1, column: 1 }): Diagnostic {
  return {
    code: "E0296",
    severity: "error",
    phase,
    message: `the program nests too deeply for the ${phase} phase; split deep nesting into smaller functions or intermediate \`let\`s`,
    span,
  };
}

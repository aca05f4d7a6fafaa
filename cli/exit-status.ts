// The process exit status of `kara run`, so scripts can tell how a program ended. A panic exits
// 1 as karac's does; the endings karac has no status for get their own (README "Exit status").

import type { RunResult } from "../wasm-runtime/api.js";
import { isOutOfMemory } from "../wasm-runtime/failures.js";

export const EXIT_STATUS = {
  ok: 0,
  /** A panic, main returning Err, a crash (trap, stack overflow); also compile errors. */
  failure: 1,
  usage: 2,
  /** Every worker blocked with no task able to progress. */
  deadlock: 3,
  /** `--timeout` expired, as coreutils `timeout` reports it. */
  timeout: 124,
  /** An allocation beyond the memory limit: what a native program that aborts on it reports (128 + SIGABRT). */
  outOfMemory: 134,
} as const;

/** The exit status for a run's outcome; main's own exit code (an ExitCode, or 1 for Err) passes through. */
export function runExitStatus(outcome: Pick<RunResult, "status" | "exitCode" | "message">): number {
  switch (outcome.status) {
    case "ok":
    case "error-result":
      return outcome.exitCode;
    case "panic":
      return isOutOfMemory(outcome.message) ? EXIT_STATUS.outOfMemory : EXIT_STATUS.failure;
    case "deadlock":
      return EXIT_STATUS.deadlock;
    case "timeout":
      return EXIT_STATUS.timeout;
    case "stopped":
    case "crash":
      return EXIT_STATUS.failure;
  }
}

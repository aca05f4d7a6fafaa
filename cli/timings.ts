// `--timings`: milliseconds per phase, printed to stderr once the command is done.

import type { PhaseTiming } from "../compiler/api.js";

export type TimedPhase = PhaseTiming["phase"] | "instantiate" | "run";

export interface TimingRow {
  phase: TimedPhase | "startup" | "total";
  ms: number;
}

/**
 * The table --timings prints. `startup` is process start to the command's first step (loading
 * Node and the CLI); `total` is process start to now, so time outside the phases (reading the file,
 * waiting for Binaryen to load) shows as the difference.
 */
export function timingTable(startupMs: number, phases: readonly { phase: TimedPhase; ms: number }[], totalMs: number): string {
  const rows: TimingRow[] = [{ phase: "startup", ms: startupMs }, ...phases, { phase: "total", ms: totalMs }];
  const width = Math.max(...rows.map((r) => r.phase.length));
  return rows.map((r) => `timing: ${r.phase.padEnd(width)} ${r.ms.toFixed(1).padStart(8)} ms\n`).join("");
}

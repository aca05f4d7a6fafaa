// Runtime benchmarks: scheduling overhead and parallel speed-up on hand-written ABI modules.
// Run with `npx tsx wasm-runtime/run-bench.ts [workers]`.

import type { Runner } from "./api.js";
import { fibProgram } from "./testing/programs.js";

export interface BenchResult {
  name: string;
  workers: number;
  medianMs: number;
  /** Extra derived numbers (per-task cost, speed-up). */
  notes?: Record<string, number>;
}

function fib(n: number): number {
  return n < 2 ? n : fib(n - 1) + fib(n - 2);
}

async function median(runner: Runner, wasm: Uint8Array, workers: number, reps: number, expected?: string): Promise<number> {
  const times: number[] = [];
  // Warm-up runs: each worker tiers up its own JS scheduler code and the module's hot functions.
  for (let i = 0; i < 3; i++) await runner.run({ wasm, workers });
  for (let i = 0; i < reps; i++) {
    let out = "";
    const r = await runner.run({ wasm, workers, onOutput: (_fd, t) => (out += t) });
    if (r.status !== "ok") throw new Error(`benchmark run failed: ${r.status} ${r.message ?? ""}`);
    if (expected !== undefined && out !== expected) throw new Error(`benchmark printed ${JSON.stringify(out)}, expected ${JSON.stringify(expected)}`);
    times.push(r.wallMs);
  }
  times.sort((a, b) => a - b);
  return times[Math.floor(times.length / 2)];
}

export async function runtimeBenchmarks(runner: Runner, reps = 7): Promise<BenchResult[]> {
  const results: BenchResult[] = [];
  const workerCounts = [...new Set([1, Math.min(2, runner.size), runner.size])];

  const empty = await median(runner, fibProgram(0), 1, reps, "0\n");
  results.push({ name: "empty run (re-run latency)", workers: 1, medianMs: empty });

  // fib(20) forking at every level: almost no work per task, so this is scheduling cost.
  const n = 20;
  const tasks = 2 * fib(n + 1) - 1;
  for (const w of workerCounts) {
    const ms = await median(runner, fibProgram(n), w, reps, `${fib(n)}\n`);
    results.push({ name: `fork+join per task, fib(${n})`, workers: w, medianMs: ms, notes: { tasks, usPerTask: ((ms - empty) * 1000) / tasks } });
  }

  // CPU-heavy leaves: parallel speed-up.
  const heavy = fibProgram(10, 2_000_000);
  let base = 0;
  for (const w of workerCounts) {
    const ms = await median(runner, heavy, w, reps, `${fib(10)}\n`);
    if (w === 1) base = ms;
    results.push({ name: "89 CPU-heavy leaves, fib(10)", workers: w, medianMs: ms, notes: { speedup: base / ms } });
  }
  return results;
}

export function formatResults(results: BenchResult[]): string {
  return results
    .map((r) => {
      const notes = Object.entries(r.notes ?? {})
        .map(([k, v]) => `${k}=${Number.isInteger(v) ? v : v.toFixed(2)}`)
        .join(" ");
      return `${r.name.padEnd(34)} workers=${String(r.workers).padEnd(3)} ${r.medianMs.toFixed(2).padStart(9)} ms  ${notes}`;
    })
    .join("\n");
}

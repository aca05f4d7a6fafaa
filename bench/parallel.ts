// Parallel speed-up of CPU-bound programs and the fixed costs of task creation and `par` regions.
// Every variant is measured in the same interleaved rounds, so the ratios compare like with like.

import { readFileSync } from "node:fs";
import type { Runner } from "../wasm-runtime/api.js";
import { compileProgram, timeRun } from "./kara.js";
import { expectedOutput } from "./kernels.js";
import { interleave, median, ratio } from "./stats.js";

export interface SpeedupRow {
  program: string;
  /** How the program is parallel: explicit (`par`, TaskGroup) or automatic (auto-par groups, reductions). */
  kind: string;
  /** Auto-par off, 1 worker: the sequential build. */
  seqMs: number;
  oneWorkerMs: number;
  twoWorkersMs: number;
  /** twoWorkers vs oneWorker of the same build. */
  speedupVs1: number;
  /** twoWorkers vs the sequential build. */
  speedupVsSeq: number;
  /** The profile's predicted speed-up band on 2 workers (docs/profile.md), from one profiled 2-worker run. */
  predicted2?: { lower: number; upper: number };
  /**
   * During the 2-worker runs, how many CPUs other programs (and the hypervisor) kept busy, on
   * average (median over the runs; absent where /proc/stat is missing): near 0 means the 2
   * workers had the machine's cores to themselves, and the speed-up is a fair test of the band.
   */
  othersCpus2?: number;
}

/** CPU time (ms) the whole machine has been busy, from /proc/stat (Linux; 10 ms resolution). */
function machineBusyMs(): number | undefined {
  try {
    const f = readFileSync("/proc/stat", "utf8").split("\n")[0].trim().split(/\s+/).slice(1).map(Number);
    // user nice system idle iowait irq softirq steal, in 1/100 s.
    const busy = f[0] + f[1] + f[2] + f[5] + f[6] + (f[7] ?? 0);
    return Number.isFinite(busy) ? busy * 10 : undefined;
  } catch {
    return undefined;
  }
}

/** A 2-worker run, and how many CPUs everything but this process used meanwhile. */
async function timeRunBeside(runner: Runner, wasm: Uint8Array, expected: string, label: string, others: number[]): Promise<number> {
  const busy0 = machineBusyMs();
  const cpu0 = process.cpuUsage();
  const ms = await timeRun(runner, wasm, 2, expected, label);
  const cpu = process.cpuUsage(cpu0);
  const busy1 = machineBusyMs();
  if (busy0 !== undefined && busy1 !== undefined) others.push(Math.max(0, busy1 - busy0 - (cpu.user + cpu.system) / 1000) / ms);
  return ms;
}

/** One profiled run: the predicted speed-up band on 2 workers. */
async function predictedBand(runner: Runner, wasm: Uint8Array): Promise<SpeedupRow["predicted2"]> {
  const r = await runner.run({ wasm, workers: 2, profile: true, timeoutMs: 120_000 });
  const p = r.profile?.predicted.find((x) => x.workers === 2);
  return p && { lower: p.speedup_lower, upper: p.speedup_upper };
}

export const SPEEDUP_PROGRAMS: { name: string; kind: string }[] = [
  { name: "par_fib", kind: "explicit par, recursive" },
  { name: "taskgroup_fanout", kind: "TaskGroup fan-out" },
  { name: "auto_par", kind: "auto-parallel group" },
  { name: "reduction", kind: "loop reduction (auto)" },
  { name: "mandelbrot", kind: "disjoint indexed writes (auto)" },
];

/**
 * The Mandelbrot image of bench/programs/mandelbrot.kara, computed here independently: every
 * intermediate stays below 2^40, so doubles with truncating division are exact.
 */
function mandelbrotChecksum(): string {
  const w = 2048;
  const h = 1536;
  const maxIter = 64;
  const div = (a: number, b: number): number => Math.trunc(a / b);
  let sum = 0;
  for (let row = 0; row < h; row++) {
    const ci = div((row - div(h, 2)) * 163840, h);
    for (let x = 0; x < w; x++) {
      const cr = div((x - div(w * 5, 8)) * 196608, w);
      let zr = 0;
      let zi = 0;
      let n = 0;
      while (n < maxIter && zr * zr + zi * zi <= 262144 * 65536) {
        const t = div(zr * zr - zi * zi, 65536) + cr;
        zi = div(2 * zr * zi, 65536) + ci;
        zr = t;
        n++;
      }
      const i = row * w + x;
      sum += n * ((i % 7) + 1);
    }
  }
  return `${sum}\n`;
}

/** Reference outputs of the programs whose kernels live here rather than in kernels.ts. */
const LOCAL_EXPECTED: Record<string, () => string> = { mandelbrot: mandelbrotChecksum };

export async function measureSpeedups(runner: Runner, rounds: number, log: (s: string) => void): Promise<SpeedupRow[]> {
  const rows: SpeedupRow[] = [];
  for (const p of SPEEDUP_PROGRAMS) {
    try {
      const on = await compileProgram(p.name, true);
      const off = await compileProgram(p.name, false);
      const expected = LOCAL_EXPECTED[p.name]?.() ?? expectedOutput(p.name);
      const others: number[] = [];
      const s = await interleave(rounds, {
        seq: () => timeRun(runner, off, 1, expected, p.name),
        one: () => timeRun(runner, on, 1, expected, p.name),
        two: () => timeRunBeside(runner, on, expected, p.name, others),
      });
      const [seqMs, oneWorkerMs, twoWorkersMs] = [median(s.seq), median(s.one), median(s.two)];
      const predicted2 = await predictedBand(runner, on);
      // The first sample is interleave's untimed warm-up call.
      const othersCpus2 = others.length > 1 ? median(others.slice(1)) : undefined;
      rows.push({ program: p.name, kind: p.kind, seqMs, oneWorkerMs, twoWorkersMs, speedupVs1: ratio(oneWorkerMs, twoWorkersMs), speedupVsSeq: ratio(seqMs, twoWorkersMs), predicted2, othersCpus2 });
    } catch (e) {
      log(`speed-up of ${p.name} not measured: ${(e as Error).message}`);
    }
  }
  return rows;
}

export interface OverheadRow {
  what: string;
  workers: number;
  units: number;
  withMs: number;
  baseMs: number;
  /** (with − base) / units, in microseconds. */
  usPerUnit: number;
}

const OVERHEADS = [
  { what: "spawn+join per task (TaskGroup)", program: "spawn_cost", base: "spawn_base", units: 20000 },
  { what: "par dispatch per region (2 branches)", program: "par_dispatch", base: "par_dispatch_base", units: 20000 },
];

export async function measureOverheads(runner: Runner, rounds: number, log: (s: string) => void): Promise<OverheadRow[]> {
  const rows: OverheadRow[] = [];
  for (const o of OVERHEADS) {
    try {
      const wasm = await compileProgram(o.program, true);
      const base = await compileProgram(o.base, true);
      const expected = expectedOutput(o.program);
      const s = await interleave(rounds, {
        with1: () => timeRun(runner, wasm, 1, expected, o.program),
        base1: () => timeRun(runner, base, 1, expected, o.base),
        with2: () => timeRun(runner, wasm, 2, expected, o.program),
        base2: () => timeRun(runner, base, 2, expected, o.base),
      });
      for (const [w, a, b] of [[1, s.with1, s.base1], [2, s.with2, s.base2]] as const) {
        const withMs = median(a);
        const baseMs = median(b);
        rows.push({ what: o.what, workers: w, units: o.units, withMs, baseMs, usPerUnit: ((withMs - baseMs) * 1000) / o.units });
      }
    } catch (e) {
      log(`${o.what} not measured: ${(e as Error).message}`);
    }
  }
  return rows;
}

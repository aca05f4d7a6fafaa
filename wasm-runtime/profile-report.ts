// Turns the workers' profile parts (profile.ts) into the run's ProfileReport: totals, the
// predicted speed-up band per worker count, the critical path and plain-language advice; and
// formats the short text report the CLI prints.

import type { ProfileReport } from "./api.js";
import { BURDEN_MS, SMALL_TASK_FACTOR, type WorkerProfile } from "./profile.js";

export const PREDICTED_WORKERS = [1, 2, 4, 8, 16, 32, 64] as const;
/** Critical-path entries kept in the report (the longest ones, in program order). */
export const CRITICAL_PATH_LIMIT = 20;
/** Parallelism below which the report says that it caps the speed-up. */
const LOW_PARALLELISM = 16;
/** Share of small tasks from which the report suggests a higher cut-off. */
const SMALL_SHARE = 0.25;

/**
 * The speed-up over the work (the program run with no forks at all) on P workers. Above:
 * min(P, parallelism). Below: Brent's bound T_P ≤ T1/P + T∞ taken with the burdened figures —
 * the pool's cost of every fork is work the P workers share (burdened work) and, for the forks
 * on the critical path, a delay of that path (burdened span): work / (burdened work/P +
 * burdened span). A run on one worker of the same build pays the burdened work too, so the
 * speed-up over it is at least this as well.
 */
export function predictBand(workUs: number, spanUs: number, burdenedSpanUs: number, workers: number, burdenedWorkUs = workUs): { speedup_lower: number; speedup_upper: number } {
  if (workUs <= 0) return { speedup_lower: 1, speedup_upper: 1 };
  const parallelism = workUs / Math.max(spanUs, 1e-9);
  const upper = Math.max(1, Math.min(workers, parallelism));
  const lower = Math.min(upper, workUs / (Math.max(burdenedWorkUs, workUs) / workers + burdenedSpanUs));
  return { speedup_lower: round2(lower), speedup_upper: round2(upper) };
}

/** undefined when main did not finish (no span to report). */
export function buildProfileReport(parts: WorkerProfile[]): ProfileReport | undefined {
  const main = parts.find((p) => p.main !== undefined)?.main;
  if (main === undefined) return undefined;
  const workMs = parts.reduce((s, p) => s + p.workMs, 0);
  const spanMs = main.spanMs;
  const bspanMs = Math.max(main.bspanMs, spanMs);
  const work_us = round2(workMs * 1000);
  const span_us = round2(spanMs * 1000);
  const burdened_span_us = round2(bspanMs * 1000);
  const burdened_work_us = round2((workMs + parts.reduce((s, p) => s + p.burdenMs, 0)) * 1000);
  const parallelism = spanMs > 0 ? workMs / spanMs : 1;
  const burdened_parallelism = bspanMs > 0 ? workMs / bspanMs : 1;
  const samples = parts.flatMap((p) => p.samples).sort((a, b) => a - b);
  const median = samples.length === 0 ? 0 : samples.length % 2 === 1 ? samples[samples.length >> 1] : (samples[samples.length / 2 - 1] + samples[samples.length / 2]) / 2;
  const path = mergeSteps(main.path.map((s) => ({ task: s.task, line: s.line, ...(s.file === undefined ? {} : { file: s.file }), us: s.ms * 1000 })));
  const report: ProfileReport = {
    work_us,
    span_us,
    parallelism: round2(parallelism),
    burdened_span_us,
    burdened_work_us,
    burdened_parallelism: round2(burdened_parallelism),
    spawns: parts.reduce((s, p) => s + p.spawns, 0),
    median_task_us: round2(median * 1000),
    predicted: PREDICTED_WORKERS.map((workers) => ({ workers, ...predictBand(work_us, span_us, burdened_span_us, workers, burdened_work_us) })),
    critical_path: keepLongest(path, CRITICAL_PATH_LIMIT).map((s) => ({ ...s, us: round2(s.us) })),
    burden: { spawn_us: BURDEN_MS.spawn * 1000, par_us: BURDEN_MS.par * 1000, source: "calibrated" },
    advice: [],
  };
  report.advice = advise(report, path, parts);
  return report;
}

function advise(r: ProfileReport, path: { line: number; us: number }[], parts: WorkerProfile[]): string[] {
  const advice: string[] = [];
  const line = heaviestLine(path);
  if (r.parallelism < LOW_PARALLELISM) {
    const where = line === undefined ? "" : ` — the critical path is line ${line}`;
    advice.push(`parallelism ${fmt(r.parallelism)}: no machine will run this more than ${fmt(r.parallelism)}× faster${where}`);
  }
  if (r.burdened_parallelism < r.parallelism / 2 && r.spawns > 0) {
    advice.push(`spawn overhead brings the parallelism from ${fmt(r.parallelism)} down to ${fmt(r.burdened_parallelism)}: fewer, larger tasks would help`);
  }
  const lines = new Map<number, { tasks: number; small: number }>();
  for (const p of parts) {
    for (const l of p.lines) {
      const acc = lines.get(l.line) ?? { tasks: 0, small: 0 };
      acc.tasks += l.tasks;
      acc.small += l.small;
      lines.set(l.line, acc);
    }
  }
  let tasks = 0;
  let small = 0;
  let worst: number | undefined;
  for (const [ln, l] of lines) {
    tasks += l.tasks;
    small += l.small;
    if (worst === undefined || l.small > lines.get(worst)!.small) worst = ln;
  }
  if (tasks > 0 && small / tasks >= SMALL_SHARE && worst !== undefined) {
    advice.push(`${Math.round((100 * small) / tasks)} % of tasks run shorter than ${SMALL_TASK_FACTOR}× the cost of spawning them — raise the cut-off at line ${worst}`);
  }
  return advice;
}

/** The line with the most time on the critical path. */
function heaviestLine(path: { line: number; us: number }[]): number | undefined {
  const byLine = new Map<number, number>();
  // Line 0: a task without a source line (hand-built modules).
  for (const s of path) if (s.line > 0) byLine.set(s.line, (byLine.get(s.line) ?? 0) + s.us);
  let best: number | undefined;
  for (const [line, us] of byLine) if (best === undefined || us > byLine.get(best)!) best = line;
  return best;
}

/** Adjacent steps of the same task are one step. */
function mergeSteps<T extends { task: number; us: number }>(steps: T[]): T[] {
  const out: T[] = [];
  for (const s of steps) {
    const last = out[out.length - 1];
    if (last !== undefined && last.task === s.task) last.us += s.us;
    else out.push({ ...s });
  }
  return out;
}

/** The `limit` longest steps, still in path order. */
function keepLongest<T extends { us: number }>(steps: T[], limit: number): T[] {
  if (steps.length <= limit) return steps;
  const cut = [...steps].sort((a, b) => b.us - a.us)[limit - 1].us;
  const out: T[] = [];
  for (const s of steps) if (s.us >= cut && out.length < limit) out.push(s);
  return out;
}

/** The short text report (stderr of `kara run --profile`). */
export function formatProfile(r: ProfileReport): string {
  const lines = [
    `profile: work ${duration(r.work_us)}, span ${duration(r.span_us)}, parallelism ${fmt(r.parallelism)}`,
    `  burdened span ${duration(r.burdened_span_us)}, burdened work ${duration(r.burdened_work_us)}, burdened parallelism ${fmt(r.burdened_parallelism)} (${r.spawns === 0 ? "no spawns" : `${r.spawns} spawns, median task ${duration(r.median_task_us)}`})`,
    `  predicted speed-up: ${r.predicted.map((p) => `${p.workers}: ${fmt(p.speedup_lower)}–${fmt(p.speedup_upper)}`).join(", ")}`,
  ];
  // The steps that matter: at least 1 % of the span each, in path order.
  const shown = r.critical_path.filter((s) => s.us >= r.span_us / 100).slice(0, 8);
  if (shown.length > 0) {
    const tasks = new Set(r.critical_path.map((s) => s.task)).size;
    lines.push(`  critical path (${tasks === 1 ? "1 task" : `${tasks} tasks`}): ${shown.map((s) => `${s.file === undefined ? "line " : `${s.file}:`}${s.line} (${duration(s.us)})`).join(" → ")}`);
  }
  for (const a of r.advice) lines.push(`  ${a}`);
  return lines.join("\n") + "\n";
}

function duration(us: number): string {
  return us >= 1000 ? `${fmt(us / 1000)} ms` : `${fmt(us)} µs`;
}

function fmt(x: number): string {
  return x >= 100 ? x.toFixed(0) : x >= 10 ? x.toFixed(1) : x.toFixed(2);
}

function round2(x: number): number {
  return Math.round(x * 100) / 100;
}

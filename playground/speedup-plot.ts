// The geometry of the speed-up plot: predicted band (lower–upper) per worker count on a log2
// x-axis and a linear y-axis, plus the measured point. Pure numbers, so it is unit-tested; the
// view turns them into SVG.

import type { ProfileReport } from "../wasm-runtime/api.js";

export interface PlotBox {
  width: number;
  height: number;
  /** Margins for the axis labels. */
  left: number;
  right: number;
  top: number;
  bottom: number;
}

export const PLOT_BOX: PlotBox = { width: 360, height: 220, left: 44, right: 12, top: 10, bottom: 38 };

export interface SpeedupPlot {
  /** SVG path of the band: the upper edge left to right, then the lower edge back. */
  band: string;
  /** Polyline points of each edge (for the outline). */
  upper: string;
  lower: string;
  xTicks: { workers: number; x: number }[];
  yTicks: { speedup: number; y: number }[];
  measured?: { workers: number; speedup: number; x: number; y: number };
  /** Measured speed-ups at each worker count of this machine (the sweep), as a line of points. */
  sweep: { workers: number; speedup: number; x: number; y: number }[];
  /** The largest speed-up on the y-axis. */
  yMax: number;
}

/** Measured speed-up of a run: its total work over the time it took, at least 0. */
export function measuredSpeedup(profile: ProfileReport, elapsedMs: number): number | undefined {
  if (!(elapsedMs > 0) || !(profile.work_us > 0)) return undefined;
  return profile.work_us / (elapsedMs * 1000);
}

export interface MeasuredPoint {
  workers: number;
  speedup: number;
}

/**
 * Speed-ups from timing the same program on 1..N workers (without profiling): the time on one
 * worker over the time on P. Counts without a time are left out.
 */
export function sweepSpeedups(times: { workers: number; ms: number }[]): MeasuredPoint[] {
  const one = times.find((t) => t.workers === 1)?.ms;
  if (!(one !== undefined && one > 0)) return [];
  return times.filter((t) => t.ms > 0).map((t) => ({ workers: t.workers, speedup: one / t.ms })).sort((a, b) => a.workers - b.workers);
}

export function layoutSpeedupPlot(predicted: ProfileReport["predicted"], measured?: MeasuredPoint, box: PlotBox = PLOT_BOX, sweep: MeasuredPoint[] = []): SpeedupPlot {
  const points = [...predicted].sort((a, b) => a.workers - b.workers);
  const minW = Math.max(1, points[0]?.workers ?? 1);
  const maxW = Math.max(minW * 2, points.at(-1)?.workers ?? 64);
  const top = Math.max(1, ...points.map((p) => p.speedup_upper), measured?.speedup ?? 0, ...sweep.map((p) => p.speedup));
  const yMax = niceCeiling(top);
  const plotW = box.width - box.left - box.right;
  const plotH = box.height - box.top - box.bottom;
  const x = (w: number): number => box.left + ((Math.log2(w) - Math.log2(minW)) / (Math.log2(maxW) - Math.log2(minW))) * plotW;
  const y = (s: number): number => box.top + plotH - (Math.min(s, yMax) / yMax) * plotH;
  const fmt = (n: number): string => n.toFixed(1);
  const upperPts = points.map((p) => `${fmt(x(p.workers))},${fmt(y(p.speedup_upper))}`);
  const lowerPts = points.map((p) => `${fmt(x(p.workers))},${fmt(y(p.speedup_lower))}`);
  const band = points.length === 0 ? "" : `M${upperPts.join(" L")} L${[...lowerPts].reverse().join(" L")} Z`;
  const xTicks: SpeedupPlot["xTicks"] = [];
  for (let w = minW; w <= maxW; w *= 2) xTicks.push({ workers: w, x: x(w) });
  const step = niceStep(yMax / 4);
  const yTicks: SpeedupPlot["yTicks"] = [];
  for (let s = 0; s <= yMax + 1e-9; s += step) yTicks.push({ speedup: round(s), y: y(s) });
  return {
    band,
    upper: upperPts.join(" "),
    lower: lowerPts.join(" "),
    xTicks,
    yTicks,
    measured: measured && measured.workers >= minW && measured.workers <= maxW ? { ...measured, x: x(measured.workers), y: y(measured.speedup) } : undefined,
    sweep: sweep.filter((p) => p.workers >= minW && p.workers <= maxW).map((p) => ({ ...p, x: x(p.workers), y: y(p.speedup) })),
    yMax,
  };
}

/** 1, 2 or 5 times a power of ten, at least `n`. */
function niceCeiling(n: number): number {
  const power = 10 ** Math.floor(Math.log10(n));
  for (const m of [1, 2, 5, 10]) if (m * power >= n - 1e-9) return m * power;
  return 10 * power;
}

function niceStep(raw: number): number {
  const power = 10 ** Math.floor(Math.log10(raw));
  for (const m of [1, 2, 5, 10]) if (m * power >= raw - 1e-9) return m * power;
  return 10 * power;
}

function round(n: number): number {
  return Math.round(n * 1000) / 1000;
}

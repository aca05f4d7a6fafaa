import { describe, expect, it } from "vitest";
import { PLOT_BOX, layoutSpeedupPlot, measuredSpeedup, sweepSpeedups } from "./speedup-plot.js";
import type { ProfileReport } from "../wasm-runtime/api.js";

const band = [1, 2, 4, 8, 16, 32, 64].map((workers) => ({ workers, speedup_lower: Math.min(workers, 10) * 0.8, speedup_upper: Math.min(workers, 12) }));

describe("layoutSpeedupPlot", () => {
  it("spaces worker counts evenly on a log2 axis from the left to the right margin", () => {
    const plot = layoutSpeedupPlot(band);
    expect(plot.xTicks.map((t) => t.workers)).toEqual([1, 2, 4, 8, 16, 32, 64]);
    expect(plot.xTicks[0].x).toBeCloseTo(PLOT_BOX.left);
    expect(plot.xTicks[6].x).toBeCloseTo(PLOT_BOX.width - PLOT_BOX.right);
    const gaps = plot.xTicks.slice(1).map((t, i) => t.x - plot.xTicks[i].x);
    for (const g of gaps) expect(g).toBeCloseTo(gaps[0]);
  });

  it("puts the y-axis top at a round value covering the band and the measured point", () => {
    expect(layoutSpeedupPlot(band).yMax).toBe(20);
    expect(layoutSpeedupPlot(band, { workers: 2, speedup: 25 }).yMax).toBe(50);
    const plot = layoutSpeedupPlot(band);
    expect(plot.yTicks[0]).toEqual({ speedup: 0, y: PLOT_BOX.height - PLOT_BOX.bottom });
    expect(plot.yTicks.at(-1)!.speedup).toBe(20);
  });

  it("closes the band: upper edge out, lower edge back", () => {
    const plot = layoutSpeedupPlot(band);
    expect(plot.band.startsWith("M")).toBe(true);
    expect(plot.band.endsWith("Z")).toBe(true);
    expect(plot.band.split("L").length).toBe(band.length * 2);
  });

  it("places the measured point at its worker count", () => {
    const plot = layoutSpeedupPlot(band, { workers: 4, speedup: 3 });
    expect(plot.measured!.x).toBeCloseTo(plot.xTicks[2].x);
    expect(plot.measured!.y).toBeLessThan(PLOT_BOX.height - PLOT_BOX.bottom);
  });
});

describe("sweepSpeedups", () => {
  it("is the time on one worker over the time on each count, in worker order", () => {
    expect(sweepSpeedups([{ workers: 2, ms: 60 }, { workers: 1, ms: 100 }, { workers: 4, ms: 40 }])).toEqual([
      { workers: 1, speedup: 1 },
      { workers: 2, speedup: 100 / 60 },
      { workers: 4, speedup: 2.5 },
    ]);
  });
  it("needs the one-worker time", () => {
    expect(sweepSpeedups([{ workers: 2, ms: 60 }])).toEqual([]);
  });
  it("is placed at each worker count and counted in the y-axis", () => {
    const plot = layoutSpeedupPlot(band, undefined, PLOT_BOX, [{ workers: 1, speedup: 1 }, { workers: 2, speedup: 30 }]);
    expect(plot.sweep.map((p) => p.x)).toEqual([plot.xTicks[0].x, plot.xTicks[1].x]);
    expect(plot.yMax).toBe(50);
  });
});

describe("measuredSpeedup", () => {
  it("is the work over the elapsed time", () => {
    expect(measuredSpeedup({ work_us: 4000 } as ProfileReport, 2)).toBe(2);
    expect(measuredSpeedup({ work_us: 4000 } as ProfileReport, 0)).toBeUndefined();
  });
});

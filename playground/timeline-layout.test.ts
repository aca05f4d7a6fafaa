import { describe, expect, it } from "vitest";
import type { TraceTask } from "../wasm-runtime/api.js";
import { describeLoopGroup, describeTask, layoutTimeline, loopGroups } from "./timeline-layout.js";
import { niceStep, tickLabel } from "./timeline-view.js";
import { anchoredScroll, clampZoom, MAX_ZOOM, wheelFactor } from "./timeline-zoom.js";

function task(id: number, worker: number, start_us: number, end_us: number, extra: Partial<TraceTask> = {}): TraceTask {
  return { id, parent: 0, kind: "par", worker, start_us, end_us, line: id, stolen: false, cancelled: false, ...extra };
}

describe("timeline layout", () => {
  it("gives every worker a lane, even an idle one", () => {
    const layout = layoutTimeline({ workers: 3, tasks: [task(1, 0, 0, 100)] });
    expect(layout.lanes.map((l) => l.worker)).toEqual([0, 1, 2]);
    expect(layout.lanes[2].tasks).toEqual([]);
  });

  it("scales positions from the first task's start to the last task's end", () => {
    const layout = layoutTimeline({ workers: 2, tasks: [task(1, 0, 5000, 6000), task(2, 1, 5250, 5750)] });
    const [a, b] = [layout.lanes[0].tasks[0], layout.lanes[1].tasks[0]];
    expect(layout.spanUs).toBe(1000);
    expect(a.left).toBe(0);
    expect(a.width).toBe(1);
    expect(b.left).toBeCloseTo(0.25);
    expect(b.width).toBeCloseTo(0.5);
  });

  it("stacks overlapping tasks of one worker in separate rows and reuses freed rows", () => {
    const tasks = [task(1, 0, 0, 1000), task(2, 0, 100, 200), task(3, 0, 300, 400), task(4, 0, 350, 380), task(5, 0, 1000, 1100)];
    const lane = layoutTimeline({ workers: 1, tasks }).lanes[0];
    const rowOf = (id: number) => lane.tasks.find((p) => p.task.id === id)!.row;
    expect(rowOf(1)).toBe(0);
    expect(rowOf(2)).toBe(1);
    expect(rowOf(3)).toBe(1);
    expect(rowOf(4)).toBe(2);
    expect(rowOf(5)).toBe(0);
    expect(lane.rows).toBe(3);
    // No two tasks in one row overlap.
    for (const a of lane.tasks)
      for (const b of lane.tasks)
        if (a !== b && a.row === b.row) expect(a.task.end_us <= b.task.start_us || b.task.end_us <= a.task.start_us).toBe(true);
  });

  it("keeps at most `limit` tasks and says how many were left out", () => {
    const tasks = Array.from({ length: 50 }, (_, i) => task(i, i % 2, i * 10, i * 10 + 5));
    const layout = layoutTimeline({ workers: 2, tasks }, 20);
    expect(layout.lanes.reduce((n, l) => n + l.tasks.length, 0)).toBe(20);
    expect(layout.omitted).toBe(30);
  });

  it("describes a task for its tooltip", () => {
    expect(describeTask(task(7, 1, 1000, 3500, { kind: "spawn", line: 12, stolen: true }))).toBe(
      "spawn task #7 · line 12 · 2.50 ms · worker 1 · stolen",
    );
  });
});

describe("loop groups", () => {
  const chunk = (id: number, worker: number, start: number, end: number, first = false, extra: Partial<TraceTask> = {}): TraceTask =>
    task(id, worker, start, end, { kind: "reduce", parent: 1, line: 15, ...(first ? { firstBranch: true } : {}), ...extra });

  it("gather the chunks of one fan-out, spread over the workers, into one group labelled with the loop's line", () => {
    const tasks = [task(1, 0, 0, 1000, { kind: "main", line: 13 }), chunk(9, 1, 10, 300), chunk(2, 0, 12, 400, true), chunk(8, 1, 300, 700), chunk(3, 0, 400, 900)];
    const layout = layoutTimeline({ workers: 2, tasks });
    expect(layout.loops).toHaveLength(1);
    const [g] = layout.loops;
    expect(g.tasks.map((t) => t.id)).toEqual([2, 3, 8, 9]);
    expect([g.line, g.workers, g.startUs, g.endUs]).toEqual([15, 2, 10, 900]);
    expect(g.left).toBeCloseTo(0.01);
    expect(g.width).toBeCloseTo(0.89);
    expect(layout.loopRows).toBe(1);
    expect(describeLoopGroup(g)).toBe("loop at line 15 · 4 chunks on 2 workers · 0.89 ms");
  });

  it("start a new group at each first chunk, even when the runs follow each other on one worker", () => {
    // The same loop run twice by one task on one worker: ids 2..4 then 5..7, back to back.
    const tasks = [chunk(2, 0, 0, 10, true), chunk(3, 0, 10, 20), chunk(4, 0, 20, 30), chunk(5, 0, 30, 40, true), chunk(6, 0, 40, 50), chunk(7, 0, 50, 60)];
    expect(loopGroups(tasks).map((g) => g.tasks.map((t) => t.id))).toEqual([
      [2, 3, 4],
      [5, 6, 7],
    ]);
  });

  it("keep apart the loops of different lines and different tasks, and stack groups that overlap", () => {
    const tasks = [
      chunk(2, 0, 0, 100, true),
      chunk(3, 1, 0, 100),
      chunk(10, 0, 20, 50, true, { parent: 3, line: 30 }),
      chunk(11, 1, 20, 60, false, { parent: 3, line: 30 }),
      chunk(12, 0, 200, 300, true, { line: 40 }),
      task(13, 0, 0, 10, { kind: "par", line: 15, parent: 1 }),
    ];
    const layout = layoutTimeline({ workers: 2, tasks });
    expect(layout.loops.map((g) => [g.line, g.tasks.length, g.row])).toEqual([
      [15, 2, 0],
      [30, 2, 1],
      [40, 1, 0],
    ]);
    expect(layout.loopRows).toBe(2);
  });

  it("are absent when no loop fanned out", () => {
    const layout = layoutTimeline({ workers: 1, tasks: [task(1, 0, 0, 10, { kind: "main" }), task(2, 0, 1, 5, { firstBranch: true })] });
    expect([layout.loops, layout.loopRows]).toEqual([[], 0]);
  });
});

describe("time axis steps", () => {
  it("are 1, 2 or 5 times a power of ten, never above the span's third", () => {
    expect(niceStep(300)).toBe(200);
    expect(niceStep(1000)).toBe(1000);
    expect(niceStep(999)).toBe(500);
    expect(niceStep(0.03)).toBeCloseTo(0.02);
    expect(niceStep(0)).toBe(1);
  });
});

describe("timeline zoom and axis", () => {
  it("keeps the instant under the anchor in place", () => {
    // 500 px wide track, anchor 100 px in, zoom 1 → 4: the instant at 100/500 of the run stays at 100 px.
    const scroll = anchoredScroll(0, 100, 500, 1, 4);
    expect((scroll + 100) / (500 * 4)).toBeCloseTo(100 / 500);
    // Scrolled, zooming back out to 1 clamps the scroll to 0.
    expect(anchoredScroll(300, 50, 500, 4, 1)).toBeCloseTo(Math.max(0, ((300 + 50) / 2000) * 500 - 50));
  });

  it("clamps the zoom and turns wheel deltas into factors", () => {
    expect(clampZoom(0.2)).toBe(1);
    expect(clampZoom(1e9)).toBe(MAX_ZOOM);
    expect(clampZoom(Number.NaN)).toBe(1);
    expect(wheelFactor(-100, 0)).toBeGreaterThan(1);
    expect(wheelFactor(100, 0)).toBeLessThan(1);
    expect(wheelFactor(-3, 1)).toBeCloseTo(wheelFactor(-48, 0));
  });

  it("labels ticks with the precision their step needs", () => {
    expect(tickLabel(0, 10_000)).toBe("0.0 ms");
    expect(tickLabel(10_200, 200)).toBe("10.2 ms");
    expect(tickLabel(10_250, 50)).toBe("10250 µs");
    expect(tickLabel(12.5, 0.5)).toBe("12.5 µs");
  });
});

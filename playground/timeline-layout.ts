// Geometry of the trace timeline, kept apart from the DOM so it can be tested: one lane per
// worker, and within a lane as many rows as needed so overlapping tasks (a task that helps
// with another while it joins) never hide each other.

import type { Trace, TraceTask } from "../wasm-runtime/api.js";

export interface PlacedTask {
  task: TraceTask;
  row: number;
  /** Left edge and width as fractions of the whole run. */
  left: number;
  width: number;
}

export interface Lane {
  worker: number;
  rows: number;
  tasks: PlacedTask[];
}

export interface TimelineLayout {
  spanUs: number;
  lanes: Lane[];
  /** Tasks left out because the trace was larger than the limit. */
  omitted: number;
}

export function layoutTimeline(trace: Trace, limit = 4000): TimelineLayout {
  const kept = trace.tasks.slice(0, limit);
  // From the first task to the last: worker start-up before main is not part of the picture.
  const start = kept.length > 0 ? Math.min(...kept.map((t) => t.start_us)) : 0;
  const end = Math.max(start + 1, ...kept.map((t) => t.end_us));
  const spanUs = end - start;
  const workers = Math.max(trace.workers, ...kept.map((t) => t.worker + 1));
  const lanes: Lane[] = [];
  for (let w = 0; w < workers; w++) {
    const mine = kept.filter((t) => t.worker === w).sort((a, b) => a.start_us - b.start_us || b.end_us - a.end_us);
    const rowEnds: number[] = [];
    const tasks = mine.map((task) => {
      let row = rowEnds.findIndex((e) => e <= task.start_us);
      if (row < 0) row = rowEnds.push(0) - 1;
      rowEnds[row] = Math.max(task.end_us, task.start_us);
      return { task, row, left: (task.start_us - start) / spanUs, width: Math.max(0, task.end_us - task.start_us) / spanUs };
    });
    lanes.push({ worker: w, rows: Math.max(1, rowEnds.length), tasks });
  }
  return { spanUs, lanes, omitted: trace.tasks.length - kept.length };
}

export function describeTask(task: TraceTask): string {
  const ms = (task.end_us - task.start_us) / 1000;
  const parts = [`${task.kind} task #${task.id}`, `line ${task.line}`, `${ms < 10 ? ms.toFixed(2) : ms.toFixed(1)} ms`, `worker ${task.worker}`];
  if (task.stolen) parts.push("stolen");
  if (task.cancelled) parts.push("cancelled");
  return parts.join(" · ");
}

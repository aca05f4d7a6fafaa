// Geometry of the trace timeline, kept apart from the DOM so it can be tested: one lane per
// worker, and within a lane as many rows as needed so overlapping tasks (a task that helps
// with another while it joins) never hide each other. The chunks of a fanned-out loop, spread
// over the workers' lanes, are also gathered into one group per run of the loop.

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

/** One run of a fanned-out loop: the chunks (`reduce` tasks) one task forked for it. */
export interface LoopGroup {
  /** The loop's line. */
  line: number;
  /** The chunks, first chunk first. */
  tasks: TraceTask[];
  /** How many workers ran its chunks. */
  workers: number;
  startUs: number;
  endUs: number;
  /** Left edge and width as fractions of the whole run; `row` among the groups that overlap. */
  left: number;
  width: number;
  row: number;
}

export interface TimelineLayout {
  spanUs: number;
  lanes: Lane[];
  loops: LoopGroup[];
  /** Rows the loop groups need (0 when there are none). */
  loopRows: number;
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
  const loops = loopGroups(kept);
  const groupRows: number[] = [];
  for (const group of loops) {
    let row = groupRows.findIndex((e) => e <= group.startUs);
    if (row < 0) row = groupRows.push(0) - 1;
    groupRows[row] = group.endUs;
    group.row = row;
    group.left = (group.startUs - start) / spanUs;
    group.width = Math.max(0, group.endUs - group.startUs) / spanUs;
  }
  return { spanUs, lanes, loops, loopRows: groupRows.length, omitted: trace.tasks.length - kept.length };
}

/**
 * The runs of fanned-out loops, in order of their start. A loop's chunks are `reduce` tasks that
 * share the forking task and the loop's line; their ids are taken one after another when the
 * loop fans out, and the forking task runs the first chunk itself (`firstBranch`), so sorted by
 * id each first chunk opens the next run of the loop.
 */
export function loopGroups(tasks: TraceTask[]): LoopGroup[] {
  const byLoop = new Map<string, TraceTask[]>();
  for (const t of tasks) {
    if (t.kind !== "reduce") continue;
    const key = `${t.parent}:${t.line}`;
    const list = byLoop.get(key);
    if (list) list.push(t);
    else byLoop.set(key, [t]);
  }
  const groups: LoopGroup[] = [];
  for (const chunks of byLoop.values()) {
    chunks.sort((a, b) => a.id - b.id);
    let current: TraceTask[] = [];
    const close = (): void => {
      if (current.length === 0) return;
      const startUs = Math.min(...current.map((t) => t.start_us));
      const endUs = Math.max(...current.map((t) => t.end_us));
      groups.push({ line: current[0].line, tasks: current, workers: new Set(current.map((t) => t.worker)).size, startUs, endUs, left: 0, width: 0, row: 0 });
      current = [];
    };
    for (const chunk of chunks) {
      if (chunk.firstBranch) close();
      current.push(chunk);
    }
    close();
  }
  return groups.sort((a, b) => a.startUs - b.startUs || a.line - b.line);
}

export function describeLoopGroup(group: LoopGroup): string {
  const ms = (group.endUs - group.startUs) / 1000;
  const chunks = `${group.tasks.length} chunk${group.tasks.length === 1 ? "" : "s"}`;
  const workers = `${group.workers} worker${group.workers === 1 ? "" : "s"}`;
  return `loop at line ${group.line} · ${chunks} on ${workers} · ${ms < 10 ? ms.toFixed(2) : ms.toFixed(1)} ms`;
}

export function describeTask(task: TraceTask): string {
  const ms = (task.end_us - task.start_us) / 1000;
  const parts = [`${task.kind} task #${task.id}`, `line ${task.line}`, `${ms < 10 ? ms.toFixed(2) : ms.toFixed(1)} ms`, `worker ${task.worker}`];
  if (task.stolen) parts.push("stolen");
  if (task.cancelled) parts.push("cancelled");
  return parts.join(" · ");
}

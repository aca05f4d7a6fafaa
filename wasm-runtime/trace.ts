// Per-worker record of task runs for RunOptions.trace: one TraceTask per task run, read from
// the task record when the run ends. Bounded, so a run that forks millions of tasks cannot
// exhaust the worker's memory; runs past the bound are only counted.

import { TASK, TASK_KIND_NAMES, TaskFlags } from "../compiler/abi.js";
import type { TaskKindName, TraceTask } from "./api.js";
import type { FaultSites } from "./fault-sites.js";

const BRANCH_KINDS: ReadonlySet<TaskKindName> = new Set(["par", "auto", "reduce"]);

/** Trace records kept per worker. */
export const TRACE_LIMIT = 200_000;

interface TaskWords {
  i32(end: number): Int32Array;
}

export class TraceRecorder {
  readonly tasks: TraceTask[] = [];
  dropped = 0;

  constructor(
    private readonly memory: TaskWords,
    private readonly worker: number,
    readonly enabled: boolean,
    private readonly limit = TRACE_LIMIT,
    /** The module's site table: in a program of several files it names the file of a task's line. */
    private readonly sites?: FaultSites,
  ) {}

  record(task: number, startMs: number, endMs: number, cancelled: boolean, failed: boolean): void {
    if (!this.enabled) return;
    if (this.tasks.length >= this.limit) {
      this.dropped++;
      return;
    }
    const mem32 = this.memory.i32(task + TASK.SIZE);
    const field = (off: number) => Atomics.load(mem32, (task + off) >>> 2);
    const kind = (TASK_KIND_NAMES[field(TASK.KIND)] ?? "spawn") as TaskKindName;
    const flags = field(TASK.FLAGS);
    const record: TraceTask = {
      id: field(TASK.ID),
      parent: field(TASK.PARENT),
      kind,
      worker: this.worker,
      start_us: Math.round(startMs * 1000),
      end_us: Math.round(endMs * 1000),
      line: field(TASK.LINE),
      stolen: (flags & TaskFlags.Stolen) !== 0,
      cancelled,
      failed,
      // A branch's output is captured unless its forking task runs it itself (the first branch).
      firstBranch: BRANCH_KINDS.has(kind) && (flags & TaskFlags.Captured) === 0,
    };
    // A task's line is in the function it forks from, whose body it runs (lifted into its own function there).
    const file = this.sites?.taskFunction(field(TASK.FN))?.file;
    if (file !== undefined) record.file = file;
    this.tasks.push(record);
  }
}

// Work/span profiler (RunOptions.profile), one per worker. A task's execution is cut into strands
// at fork, join, wait and task end; each strand's running time is added to the work and to the
// task's "span so far". A forked child starts from its parent's span at the fork; a join raises
// the parent's span to the child's span at completion; a wait raises it to the span its notifier
// had at the notify. Scheduling time, parking and other tasks run while helping at a join or a
// wait are in no strand. Spans cross workers through a shared side table indexed by task id
// (see TaskTable); the report is assembled by profile-report.ts.

import { TASK, TaskKind } from "../compiler/abi.js";
import type { MemoryViews } from "./memory-views.js";
import type { FaultSites } from "./fault-sites.js";

/**
 * The pool's cost of one fork, in milliseconds, for the burdened figures: added along the span for
 * every fork on it, and once per fork to the work (profile-report.ts). Calibrated constants:
 * the `overhead` rows of `npm run bench` (bench/parallel.ts, 2 workers, docs/performance.md),
 * rounded up. They are amortised costs of a fork taken back by its own worker; a steal that has
 * to wake a parked worker costs more and is not modelled (docs/profile.md).
 */
export const BURDEN_MS = {
  /** One `TaskGroup` spawn plus its join. */
  spawn: 0.0003,
  /** One `par` region's dispatch (one fork, the inline branch, one join), charged per forked branch. */
  par: 0.00065,
} as const;

/** Task records kept in the side table; a task's record lives at id mod TABLE_CAP. */
export const TABLE_CAP = 1 << 16;
/** Wait-edge records, addressed by a hash of the wait address. */
export const EDGE_CAP = 1 << 12;
/** Task durations kept per worker for the median (a uniform sample beyond this). */
export const SAMPLE_CAP = 50_000;

/** Float64 fields of one task record in the side table. */
const R = {
  ID: 0,
  START_SPAN: 1,
  START_BSPAN: 2,
  PARENT: 3,
  /** The parent's own time since its last deciding join, at the fork, and that join's child. */
  PREFIX_OWN: 4,
  PREFIX_CRIT: 5,
  END_SPAN: 6,
  END_BSPAN: 7,
  /** Own strand time since the task's last deciding join (or its start), at its end. */
  OWN_TAIL: 8,
  /** The child whose span decided the task's last deciding join (0: none). */
  CRIT: 9,
  LINE: 10,
  /** The task's work plus that of every child it joined, at its end. */
  SUBTREE: 11,
  /** The table slot of the function the task runs (TASK.FN): it names the file of LINE. */
  FN: 12,
  SIZE: 13,
} as const;
const E = { ADDR: 0, SPAN: 1, BSPAN: 2, SIZE: 3 } as const;

export function profileTableBytes(): number {
  return (TABLE_CAP * R.SIZE + EDGE_CAP * E.SIZE) * 8;
}

/**
 * The shared side table. Writes are plain; they are published by the scheduler's atomics that
 * follow them: a fork's record by the deque push (a release) before any thief's steal, a task's
 * end record by the Atomics.store of its final state, which the joiner reads before this table.
 */
export class TaskTable {
  private readonly f: Float64Array;
  private readonly edgeBase: number;
  constructor(buffer: SharedArrayBuffer) {
    this.f = new Float64Array(buffer);
    this.edgeBase = TABLE_CAP * R.SIZE;
  }
  /** Base index of task `id`'s record, or -1 when the slot now holds another task. */
  find(id: number): number {
    const b = (id & (TABLE_CAP - 1)) * R.SIZE;
    return this.f[b + R.ID] === id ? b : -1;
  }
  claim(id: number): number {
    const b = (id & (TABLE_CAP - 1)) * R.SIZE;
    this.f.fill(0, b, b + R.SIZE);
    this.f[b + R.ID] = id;
    return b;
  }
  get(b: number, field: number): number {
    return this.f[b + field];
  }
  set(b: number, field: number, v: number): void {
    this.f[b + field] = v;
  }
  private edge(addr: number): number {
    return this.edgeBase + (Math.imul(addr >>> 2, 2654435761) >>> 20) % EDGE_CAP * E.SIZE;
  }
  /** A notify on `addr`: the waiter it wakes continues no earlier than the notifier's span. */
  publishEdge(addr: number, span: number, bspan: number): void {
    const b = this.edge(addr);
    this.f[b + E.SPAN] = span;
    this.f[b + E.BSPAN] = bspan;
    this.f[b + E.ADDR] = addr;
  }
  readEdge(addr: number): { span: number; bspan: number } | undefined {
    const b = this.edge(addr);
    if (this.f[b + E.ADDR] !== addr) return undefined;
    return { span: this.f[b + E.SPAN], bspan: this.f[b + E.BSPAN] };
  }
}

/**
 * Measures strands: one strand is open at a time per worker (a task's strand closes before any
 * task nested under it starts), so one mark suffices.
 */
export interface StrandClock {
  /** A strand starts now. */
  mark(): void;
  /** Running time in ms since the last mark. */
  sinceMark(): number;
}

/** Wall time: where the thread's own running time cannot be read. */
export function wallClock(): StrandClock {
  let start = 0;
  return {
    mark: () => void (start = performance.now()),
    sinceMark: () => performance.now() - start,
  };
}

/** One task running (or suspended under a nested one) on this worker. */
interface Frame {
  id: number;
  line: number;
  /** TASK.FN of the task (R.FN). */
  fn: number;
  kind: number;
  span: number;
  bspan: number;
  /** Own strand time since the last deciding join (the task's part of its critical path). */
  ownTail: number;
  critChild: number;
  /** All own strand time: the task's work. */
  work: number;
  /** work plus the subtree work of every child joined so far: what spawning the task made parallel. */
  subtree: number;
  /** A strand is open (false in a fork, join or wait, and under a nested task). */
  open: boolean;
  /** Run by run_inline from its parent's open strand: the parent joins it at its end. */
  inline: boolean;
}

export interface CriticalStep {
  task: number;
  line: number;
  /** A program of several files: the file of `line`. */
  file?: string;
  ms: number;
}

export interface LineTasks {
  line: number;
  tasks: number;
  /** Tasks whose subtree work was below SMALL_TASK_FACTOR × the burden of spawning them. */
  small: number;
}

/** What one worker reports at the end of a run. */
export interface WorkerProfile {
  workMs: number;
  spawns: number;
  /** The burdens (BURDEN_MS) of the forks made here: the pool's cost of them, paid by the workers. */
  burdenMs: number;
  /** Subtree work (ms) of tasks ended here, main excluded; a uniform sample beyond SAMPLE_CAP. */
  samples: number[];
  /** Tasks ended on this worker, including those beyond the sample. */
  taskCount: number;
  lines: LineTasks[];
  /** Set by the worker that ran main. */
  main?: { spanMs: number; bspanMs: number; path: CriticalStep[] };
}

/** A task shorter than this many times its spawn burden is too small to be worth a task. */
export const SMALL_TASK_FACTOR = 10;

export class Profiler {
  private readonly stack: Frame[] = [];
  private workMs = 0;
  private spawns = 0;
  private burdenMs = 0;
  private taskCount = 0;
  private readonly samples: number[] = [];
  private readonly lines = new Map<number, LineTasks>();
  private main: WorkerProfile["main"];
  private rng = 0x9e3779b9 | 0;

  constructor(
    private readonly memory: MemoryViews,
    private readonly table: TaskTable,
    private readonly clock: StrandClock = wallClock(),
    /** The module's site table: in a program of several files it names the file of a task's line. */
    private readonly sites?: FaultSites,
  ) {}

  // ---- strands --------------------------------------------------------------------------

  private top(): Frame | undefined {
    return this.stack[this.stack.length - 1];
  }

  /** Ends the running task's strand (entering fork, join or wait). */
  suspend(): void {
    const f = this.top();
    if (f === undefined || !f.open) return;
    const dt = this.clock.sinceMark();
    f.work += dt;
    f.subtree += dt;
    f.ownTail += dt;
    f.span += dt;
    f.bspan += dt;
    this.workMs += dt;
    f.open = false;
  }

  /** Starts the running task's next strand (leaving fork, join or wait). */
  resume(): void {
    const f = this.top();
    if (f === undefined) return;
    f.open = true;
    this.clock.mark();
  }

  // ---- scheduler hooks ------------------------------------------------------------------

  /** fork(task): the child starts from the parent's span, plus the burden of spawning it. */
  fork(task: number): void {
    this.suspend();
    const f = this.top();
    this.spawns++;
    const burden = this.field(task, TASK.KIND) === TaskKind.Spawn ? BURDEN_MS.spawn : BURDEN_MS.par;
    this.burdenMs += burden;
    this.startRecord(task, f, burden);
  }

  /** join(task) returned: the task is finished, its end record published. */
  joined(task: number): void {
    const f = this.top();
    if (f === undefined) return;
    this.merge(f, this.field(task, TASK.ID));
    this.resume();
  }

  /** Leaving wait(addr): a notify on addr is a dependency edge from the notifier. */
  waited(addr: number): void {
    const f = this.top();
    if (f === undefined) return;
    const e = this.table.readEdge(addr);
    if (e !== undefined) {
      // The critical path attribution stays with this task: the notifier has not finished.
      if (e.span > f.span) f.span = e.span;
      if (e.bspan > f.bspan) f.bspan = e.bspan;
    }
    this.resume();
  }

  /** notify(addr) from the running task: its span so far is what a woken waiter depends on. */
  notified(addr: number): void {
    const f = this.top();
    if (f === undefined) return;
    const open = f.open;
    if (open) this.suspend();
    this.table.publishEdge(addr, f.span, f.bspan);
    if (open) this.resume();
  }

  /** runTask won the task: push its frame. */
  taskStart(task: number): void {
    const id = this.field(task, TASK.ID);
    const parent = this.top();
    const inline = parent !== undefined && parent.open;
    let b: number;
    if (inline) {
      // run_inline from the parent's open strand: a call that the parent joins at once.
      this.suspend();
      b = this.startRecord(task, parent, 0);
    } else {
      b = this.table.find(id);
      // A root (main), or a record since reused by another task: start from nothing.
      if (b < 0) b = this.table.claim(id);
    }
    this.table.set(b, R.LINE, this.field(task, TASK.LINE));
    this.table.set(b, R.FN, this.field(task, TASK.FN));
    this.stack.push({
      id,
      line: this.field(task, TASK.LINE),
      fn: this.field(task, TASK.FN),
      kind: this.field(task, TASK.KIND),
      span: this.table.get(b, R.START_SPAN),
      bspan: this.table.get(b, R.START_BSPAN),
      ownTail: 0,
      critChild: 0,
      work: 0,
      subtree: 0,
      open: true,
      inline,
    });
    this.clock.mark();
  }

  /** runTask is leaving the task (finished, failed or unwinding): publish its end record. */
  taskEnd(): void {
    this.suspend();
    const f = this.stack.pop();
    if (f === undefined) return;
    let b = this.table.find(f.id);
    if (b < 0) b = this.table.claim(f.id);
    this.table.set(b, R.END_SPAN, f.span);
    this.table.set(b, R.END_BSPAN, f.bspan);
    this.table.set(b, R.OWN_TAIL, f.ownTail);
    this.table.set(b, R.CRIT, f.critChild);
    this.table.set(b, R.SUBTREE, f.subtree);
    this.table.set(b, R.LINE, f.line);
    this.table.set(b, R.FN, f.fn);
    this.count(f);
    if (f.kind === TaskKind.Main) this.main = { spanMs: f.span, bspanMs: f.bspan, path: this.criticalPath(f.id) };
    const parent = this.top();
    if (f.inline && parent !== undefined) {
      this.merge(parent, f.id);
      this.resume();
    }
  }

  report(): WorkerProfile {
    return { workMs: this.workMs, spawns: this.spawns, burdenMs: this.burdenMs, samples: this.samples, taskCount: this.taskCount, lines: [...this.lines.values()], main: this.main };
  }

  // ---- helpers --------------------------------------------------------------------------

  private field(task: number, offset: number): number {
    return Atomics.load(this.memory.i32(task + TASK.SIZE), (task + offset) >>> 2);
  }

  /** Writes the child's start record from `parent`'s state (no parent: a root). */
  private startRecord(task: number, parent: Frame | undefined, burden: number): number {
    const b = this.table.claim(this.field(task, TASK.ID));
    if (parent !== undefined) {
      this.table.set(b, R.START_SPAN, parent.span);
      this.table.set(b, R.START_BSPAN, parent.bspan + burden);
      this.table.set(b, R.PARENT, parent.id);
      this.table.set(b, R.PREFIX_OWN, parent.ownTail);
      this.table.set(b, R.PREFIX_CRIT, parent.critChild);
    }
    // A child cancelled before it starts ends where it started.
    this.table.set(b, R.END_SPAN, this.table.get(b, R.START_SPAN));
    this.table.set(b, R.END_BSPAN, this.table.get(b, R.START_BSPAN));
    this.table.set(b, R.LINE, this.field(task, TASK.LINE));
    this.table.set(b, R.FN, this.field(task, TASK.FN));
    return b;
  }

  /** The join of child `id` into `f`: the longer path wins. */
  private merge(f: Frame, id: number): void {
    const b = this.table.find(id);
    if (b < 0) return;
    f.subtree += this.table.get(b, R.SUBTREE);
    const span = this.table.get(b, R.END_SPAN);
    if (span > f.span) {
      f.span = span;
      f.ownTail = 0;
      f.critChild = id;
    }
    const bspan = this.table.get(b, R.END_BSPAN);
    if (bspan > f.bspan) f.bspan = bspan;
  }

  private count(f: Frame): void {
    this.taskCount++;
    if (f.kind === TaskKind.Main) return;
    if (this.samples.length < SAMPLE_CAP) this.samples.push(f.subtree);
    else {
      // Reservoir sampling keeps a uniform sample of all task durations.
      this.rng ^= this.rng << 13;
      this.rng ^= this.rng >>> 17;
      this.rng ^= this.rng << 5;
      const k = (this.rng >>> 0) % this.taskCount;
      if (k < SAMPLE_CAP) this.samples[k] = f.subtree;
    }
    let l = this.lines.get(f.line);
    if (l === undefined) this.lines.set(f.line, (l = { line: f.line, tasks: 0, small: 0 }));
    l.tasks++;
    const burden = f.kind === TaskKind.Spawn ? BURDEN_MS.spawn : BURDEN_MS.par;
    if (f.subtree < SMALL_TASK_FACTOR * burden) l.small++;
  }

  /**
   * The critical path of root `id`, walked backwards from its end: each task's own time after its
   * deciding join, then that join's child; a task with no deciding join continues in its parent
   * before the fork. Stops where a record was reused by a later task.
   */
  private criticalPath(id: number): CriticalStep[] {
    const steps: CriticalStep[] = [];
    let b = this.table.find(id);
    if (b < 0) return steps;
    let own = this.table.get(b, R.OWN_TAIL);
    let crit = this.table.get(b, R.CRIT);
    for (let guard = 0; guard < 100_000; guard++) {
      const file = this.sites?.taskFunction(this.table.get(b, R.FN))?.file;
      steps.push({ task: this.table.get(b, R.ID), line: this.table.get(b, R.LINE), ms: own, ...(file === undefined ? {} : { file }) });
      if (crit !== 0) {
        const next = this.table.find(crit);
        if (next < 0) break;
        b = next;
        own = this.table.get(b, R.OWN_TAIL);
        crit = this.table.get(b, R.CRIT);
        continue;
      }
      const parentId = this.table.get(b, R.PARENT);
      if (parentId === 0) break;
      const p = this.table.find(parentId);
      if (p < 0) break;
      own = this.table.get(b, R.PREFIX_OWN);
      crit = this.table.get(b, R.PREFIX_CRIT);
      b = p;
    }
    return steps.reverse();
  }
}

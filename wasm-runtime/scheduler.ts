// One worker's scheduler: work-stealing over the per-worker Chase–Lev deques in the control
// buffer (deque.ts), fork/join, the idle loop, parking on EPOCH and waking, and the policy of the
// wait import. Each worker owns a deque: fork() pushes on it, join() helps (own deque first, then
// steals) until the joined task is finished and parks when there is nothing to do. All blocking
// happens here in JS (Atomics.wait), never inside wasm.

import { TASK, TaskFlags, TaskKind, TaskState } from "../compiler/abi.js";
import type { DeadlockDetector } from "./deadlock.js";
import { Deque, STEAL_RETRY } from "./deque.js";
import { CapturedPanic, RunAbort, type Failures } from "./failures.js";
import type { MemoryViews } from "./memory-views.js";
import type { Profiler } from "./profile.js";
import { CTL, WaitKind, WSLOT, type ControlLayout } from "./protocol.js";
import type { TraceRecorder } from "./trace.js";

/** Spins (steal attempts) before parking. Small: the machine may have fewer cores than workers. */
export const SPIN_ROUNDS = 64;
/** Park slice: how often a parked worker re-checks the run state and looks for a deadlock. */
export const PARK_MS = 50;

/** The module's side of running a task (its exports). */
export interface TaskBodies {
  /** Runs the task's function (EXPORTS.runTask). */
  run(task: number): void;
  /**
   * Resets the instance's per-task globals (current task, capture) after a captured panic
   * unwound through them.
   */
  resetGlobals(): void;
}

export interface SchedulerParts {
  workerId: number;
  ctl: Int32Array;
  layout: ControlLayout;
  memory: MemoryViews;
  failures: Failures;
  deadlock: DeadlockDetector;
  trace: TraceRecorder;
  /** Milliseconds since the run started, on the coordinator's clock. */
  nowMs: () => number;
  /** RunOptions.jitterUs (0: none). */
  jitterUs: number;
  /** RunOptions.profile: strand timing at fork, join, wait and task end (absent: no profiling). */
  profiler?: Profiler;
}

export class Scheduler {
  private readonly id: number;
  private readonly n: number;
  private readonly ctl: Int32Array;
  private readonly layout: ControlLayout;
  private readonly memory: MemoryViews;
  private readonly failures: Failures;
  private readonly deadlock: DeadlockDetector;
  private readonly trace: TraceRecorder;
  private readonly nowMs: () => number;
  private readonly jitterUs: number;
  private readonly profiler: Profiler | undefined;
  private readonly deques: Deque[] = [];
  private readonly own: Deque;
  private readonly slot: number;
  private bodies: TaskBodies | undefined;
  private rng: number;

  constructor(parts: SchedulerParts) {
    this.id = parts.workerId;
    this.n = parts.layout.workers;
    this.ctl = parts.ctl;
    this.layout = parts.layout;
    this.memory = parts.memory;
    this.failures = parts.failures;
    this.deadlock = parts.deadlock;
    this.trace = parts.trace;
    this.nowMs = parts.nowMs;
    this.jitterUs = parts.jitterUs;
    this.profiler = parts.profiler;
    for (let w = 0; w < this.n; w++) this.deques.push(new Deque(this.ctl, this.layout.dequeBase(w)));
    this.own = this.deques[this.id];
    this.slot = this.layout.slotBase(this.id);
    this.rng = (this.id * 2654435761 + 1) | 0 || 1;
    // Jittered runs differ from one run to the next.
    if (this.jitterUs > 0) this.rng = (this.rng ^ Math.floor(Math.random() * 0x7fffffff)) | 0 || 1;
  }

  /** The instance's exports exist only after instantiation, which needs the imports that call this scheduler. */
  attach(bodies: TaskBodies): void {
    this.bodies = bodies;
  }

  /** Whether any worker's deque holds work. */
  anyWork(): boolean {
    for (const d of this.deques) if (d.size() > 0) return true;
    return false;
  }

  // ---- fork / join ---------------------------------------------------------------------

  // With profiling on, fork, join and wait end the caller's strand on entry and start its next
  // one on return, so the time they spend (and any task run inside them) is not its work.

  fork(task: number): void {
    const p = this.profiler;
    if (p === undefined) return this.forkTask(task);
    p.fork(task);
    this.forkTask(task);
    p.resume();
  }

  join(task: number): void {
    const p = this.profiler;
    if (p === undefined) return this.joinTask(task);
    p.suspend();
    this.joinTask(task);
    p.joined(task);
  }

  /** A notify from the running task (the notify import): a dependency edge for the profile. */
  notified(addr: number): void {
    this.profiler?.notified(addr);
  }

  private forkTask(task: number): void {
    this.jitter();
    if (!this.own.push(task)) {
      // Ring full: running the task now is always correct, only less parallel.
      this.runTask(task, false);
      return;
    }
    // A parker registers in SLEEPERS before its last look at the deques, so either it sees
    // this task or we see it and move EPOCH under it.
    if (Atomics.load(this.ctl, CTL.SLEEPERS) > 0) {
      Atomics.add(this.ctl, CTL.EPOCH, 1);
      Atomics.notify(this.ctl, CTL.EPOCH, 1);
    }
  }

  private joinTask(task: number): void {
    const stateIndex = (task + TASK.STATE) >>> 2;
    const stateEnd = task + TASK.STATE + 4;
    let spins = 0;
    for (;;) {
      const s = Atomics.load(this.memory.i32(stateEnd), stateIndex);
      if (s === TaskState.Done || s === TaskState.Cancelled) return;
      // A task that failed by a captured panic returns normally: the joiner's replay of its
      // capture re-raises the panic. One unwound because the run stopped must not resume.
      if (s === TaskState.Failed) {
        if (this.failures.aborted() || Atomics.load(this.ctl, CTL.RUN_STATE) !== 1) throw new RunAbort();
        return;
      }
      this.failures.checkAbort();
      this.jitter();
      const work = this.findWork();
      if (work) {
        this.runTask(work.task, work.stolen);
        spins = 0;
        continue;
      }
      if (++spins < SPIN_ROUNDS) continue;
      spins = 0;
      this.failures.checkPanicGrace();
      this.park(WaitKind.Join, task, () => {
        const st = Atomics.load(this.memory.i32(stateEnd), stateIndex);
        return st === TaskState.Pending || st === TaskState.Running;
      });
    }
  }

  /** Workers other than the first: run queued work until the run is over. */
  idleLoop(): void {
    let spins = 0;
    while (Atomics.load(this.ctl, CTL.RUN_STATE) === 1) {
      const work = this.findWork();
      if (work) {
        this.runTask(work.task, work.stolen);
        spins = 0;
        continue;
      }
      if (++spins < SPIN_ROUNDS) continue;
      spins = 0;
      this.park(WaitKind.Idle, 0, () => Atomics.load(this.ctl, CTL.RUN_STATE) === 1);
    }
  }

  // ---- running one task -----------------------------------------------------------------

  /**
   * Runs `task` if it is still Pending (another worker may have taken it), or skips it when its
   * cancel word is already set. Marks it finished and wakes its joiner.
   */
  runTask(task: number, stolen: boolean): void {
    const mem32 = this.memory.i32(task + TASK.SIZE);
    const stateIndex = (task + TASK.STATE) >>> 2;
    const cancelAddr = Atomics.load(mem32, (task + TASK.CANCEL) >>> 2);
    if (cancelAddr !== 0 && Atomics.load(this.memory.i32((cancelAddr >>> 0) + 4), cancelAddr >>> 2) !== 0) {
      if (Atomics.compareExchange(mem32, stateIndex, TaskState.Pending, TaskState.Cancelled) === TaskState.Pending) {
        const t = this.nowMs();
        this.trace.record(task, t, t, true, false);
        this.finish(task, TaskState.Cancelled);
      }
      return;
    }
    this.jitter();
    if (Atomics.compareExchange(mem32, stateIndex, TaskState.Pending, TaskState.Running) !== TaskState.Pending) return;
    Atomics.store(mem32, (task + TASK.WORKER) >>> 2, this.id);
    if (stolen) Atomics.or(mem32, (task + TASK.FLAGS) >>> 2, TaskFlags.Stolen);
    Atomics.add(this.ctl, this.slot + WSLOT.PROGRESS, 1);
    const outer = Atomics.exchange(this.ctl, this.slot + WSLOT.CURRENT_TASK, task);
    const start = this.nowMs();
    this.profiler?.taskStart(task);
    try {
      this.bodies!.run(task);
    } catch (e) {
      if (!(e instanceof RunAbort) && !(e instanceof CapturedPanic)) this.failures.crash(e);
      this.trace.record(task, start, this.nowMs(), false, true);
      this.finish(task, TaskState.Failed);
      if (e instanceof CapturedPanic) {
        this.capturedFailure(task, e);
        return;
      }
      throw e instanceof RunAbort ? e : new RunAbort();
    } finally {
      this.profiler?.taskEnd();
      Atomics.store(this.ctl, this.slot + WSLOT.CURRENT_TASK, outer);
    }
    this.trace.record(task, start, this.nowMs(), false, false);
    this.finish(task, TaskState.Done);
  }

  /**
   * A captured panic reached the runner of `task` (already Failed): the task that raised it, since
   * every task runs under its own runner. Generated code has already recorded the line in the
   * task's buffer and set its par's or group's cancel word; the joiner re-raises it after joining
   * every sibling. Returning stops the unwinding here.
   */
  private capturedFailure(task: number, e: CapturedPanic): void {
    if (Atomics.load(this.memory.i32(task + TASK.SIZE), (task + TASK.KIND) >>> 2) === TaskKind.Main) {
      // Defensive: main has no joiner (generated code never records a panic for it).
      this.failures.fail("panic", e.line);
      throw new RunAbort();
    }
    // The unwound frames left the instance's current-task and capture globals pointing at the
    // failed task. Reset them, so the next task this worker picks up starts clean; when the task
    // ran inside an import (join, run_inline, fork, wait) the generated wrapper of that import
    // puts the caller's back when the call returns.
    this.bodies!.resetGlobals();
    this.failures.noteCapturedPanic(task);
  }

  private finish(task: number, state: number): void {
    const mem32 = this.memory.i32(task + TASK.SIZE);
    const stateIndex = (task + TASK.STATE) >>> 2;
    Atomics.store(mem32, stateIndex, state);
    Atomics.notify(mem32, stateIndex);
    Atomics.add(this.ctl, this.slot + WSLOT.PROGRESS, 1);
    // A joiner parked on EPOCH advertises the task it waits for in its slot.
    for (let w = 0; w < this.n; w++) {
      const s = this.layout.slotBase(w);
      if (Atomics.load(this.ctl, s + WSLOT.WAIT_KIND) === WaitKind.Join && Atomics.load(this.ctl, s + WSLOT.WAIT_ARG) === task) {
        Atomics.add(this.ctl, CTL.EPOCH, 1);
        Atomics.notify(this.ctl, CTL.EPOCH);
        break;
      }
    }
  }

  // ---- finding work, parking ------------------------------------------------------------

  /** Own deque first (LIFO), then the other workers' deques from a random starting victim. */
  private findWork(): { task: number; stolen: boolean } | undefined {
    const mine = this.own.pop();
    if (mine !== 0) return { task: mine, stolen: false };
    if (this.n === 1) return undefined;
    const first = (this.nextRandom() >>> 0) % this.n;
    for (let k = 0; k < this.n; k++) {
      const victim = (first + k) % this.n;
      if (victim === this.id) continue;
      for (let attempt = 0; attempt < 4; attempt++) {
        const t = this.deques[victim].steal();
        if (t === STEAL_RETRY) continue;
        if (t !== 0) return { task: t, stolen: true };
        break;
      }
    }
    return undefined;
  }

  /** Sleep on EPOCH until work may have appeared or the joined task finished. */
  private park(kind: number, arg: number, stillBlocked: () => boolean): void {
    // Registering as a sleeper first closes the race with fork(), which only moves EPOCH
    // when it sees a sleeper.
    this.setWait(kind, arg);
    Atomics.add(this.ctl, CTL.SLEEPERS, 1);
    Atomics.add(this.ctl, CTL.BLOCKED, 1);
    const epoch = Atomics.load(this.ctl, CTL.EPOCH);
    if (stillBlocked() && !this.anyWork()) {
      const r = Atomics.wait(this.ctl, CTL.EPOCH, epoch, PARK_MS);
      if (r === "timed-out" && stillBlocked()) this.checkDeadlock();
      else {
        this.deadlock.reset();
        this.progressed();
      }
      // A fork wakes a single sleeper. A joiner that woke only to find its task finished
      // leaves; pass the wake-up on so queued work does not wait for a time-out.
      if (r === "ok" && kind === WaitKind.Join && !stillBlocked() && this.anyWork()) {
        Atomics.notify(this.ctl, CTL.EPOCH, 1);
      }
    } else this.progressed();
    Atomics.sub(this.ctl, CTL.BLOCKED, 1);
    Atomics.sub(this.ctl, CTL.SLEEPERS, 1);
    this.setWait(WaitKind.None, 0);
  }

  // ---- the wait import ------------------------------------------------------------------

  /**
   * wait(addr, expected): parks on a program word while it holds `expected`, one PARK_MS slice
   * at a time (the caller re-checks; returning early is an allowed spurious wake-up).
   */
  wait(addr: number, expected: number): void {
    const p = this.profiler;
    if (p === undefined) return this.waitOn(addr, expected);
    p.suspend();
    try {
      this.waitOn(addr, expected);
    } finally {
      p.waited(addr);
    }
  }

  private waitOn(addr: number, expected: number): void {
    this.failures.checkAbort();
    const index = addr >>> 2;
    const end = (addr >>> 0) + 4;
    if (Atomics.load(this.memory.i32(end), index) !== expected) return;
    // When every other worker is parked in a wait too, nobody else will run queued work, and the
    // word may be waiting for exactly that work (two par branches meeting on a channel, on one
    // worker). Run it here; returning early is an allowed spurious wake-up. Idle and joining
    // workers do pick queued work up, so while one exists the task is left to them: a task run
    // here sits on top of the waiting one, which cannot resume before it ends (a ping-pong
    // between two branches would deadlock).
    // Announce first, then look at the others: of two workers entering at once, at least one
    // sees the other waiting (neither would run the queued work if both looked first).
    this.setWait(WaitKind.Wait, addr, expected);
    if (this.othersAllWaiting()) {
      const work = this.findWork();
      if (work) {
        this.setWait(WaitKind.None, 0);
        this.runTask(work.task, work.stolen);
        return;
      }
    }
    Atomics.add(this.ctl, CTL.BLOCKED, 1);
    const r = Atomics.wait(this.memory.i32(end), index, expected, PARK_MS);
    if (r === "timed-out" && Atomics.load(this.memory.i32(end), index) === expected) this.checkDeadlock();
    else this.progressed();
    Atomics.sub(this.ctl, CTL.BLOCKED, 1);
    this.setWait(WaitKind.None, 0);
    this.failures.checkAbort();
  }

  /** Every other worker is parked in the wait import (always true on one worker). */
  private othersAllWaiting(): boolean {
    for (let w = 0; w < this.n; w++) {
      if (w === this.id) continue;
      if (Atomics.load(this.ctl, this.layout.slotBase(w) + WSLOT.WAIT_KIND) !== WaitKind.Wait) return false;
    }
    return true;
  }

  // ---- helpers --------------------------------------------------------------------------

  private checkDeadlock(): void {
    const report = this.deadlock.check();
    if (report !== undefined) this.failures.fail("deadlock", report);
  }

  /**
   * Leaving a blocked state for a reason other than a timed-out slice whose condition still
   * holds: the deadlock detector must see the run move even if no task starts or ends.
   */
  private progressed(): void {
    Atomics.add(this.ctl, this.slot + WSLOT.PROGRESS, 1);
  }

  /** Publishes what this worker waits for (the detector re-checks it); the kind goes last. */
  private setWait(kind: number, arg: number, expected = 0): void {
    Atomics.store(this.ctl, this.slot + WSLOT.WAIT_ARG, arg);
    Atomics.store(this.ctl, this.slot + WSLOT.WAIT_EXPECTED, expected);
    Atomics.store(this.ctl, this.slot + WSLOT.WAIT_KIND, kind);
  }

  /** RunOptions.jitterUs: a random pause (busy wait) at a scheduling point. */
  private jitter(): void {
    if (this.jitterUs <= 0) return;
    const until = performance.now() + ((this.nextRandom() >>> 0) % (this.jitterUs + 1)) / 1000;
    while (performance.now() < until) {
      /* spin */
    }
  }

  /** xorshift32: victim choice and jitter. */
  private nextRandom(): number {
    this.rng ^= this.rng << 13;
    this.rng ^= this.rng >>> 17;
    this.rng ^= this.rng << 5;
    return this.rng;
  }
}

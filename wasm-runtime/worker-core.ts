// One worker's part of a run: instantiate the module against the shared memory, provide the
// host imports of the ABI, and schedule tasks. Platform-neutral: the browser and Node worker
// entries only adapt messaging.
//
// Scheduling: each worker owns a work-stealing deque in the control buffer. fork() pushes,
// join() helps (own deque first, then steals) until the joined task is finished and parks on
// the control buffer's EPOCH word when there is nothing to do. All blocking happens here in JS
// (Atomics.wait), never inside wasm.

import { CAPTURE_CHUNK_HEADER, CAPTURE_PANIC_FD, CHANNEL, EXPORTS, HOST_MODULE, LAYOUT, MEMORY_MODULE, MEMORY_NAME, TASK, TASK_KIND_NAMES, TaskFlags, TaskKind, TaskState } from "../compiler/abi.js";
import type { TaskKindName, TraceTask } from "./api.js";
import { Deque, STEAL_RETRY } from "./deque.js";
import { formatF64, parseF64 } from "./float-format.js";
import { OutputRingWriter } from "./output-ring.js";
import {
  CTL,
  FailureKind,
  WaitKind,
  WSLOT,
  controlLayout,
  type ControlLayout,
  type FailureReport,
  type RunMessage,
  type WorkerMessage,
} from "./protocol.js";

export interface WorkerPort {
  post(message: WorkerMessage): void;
}

/** Thrown through wasm frames to unwind a task when the run must stop. Not an Error: no stack capture. */
class RunAbort {}

/**
 * A panic in a task that has a joiner (EXPORTS.capturing: a par branch or a joined spawned task).
 * Generated code has already put the line in the task's buffer as a CAPTURE_PANIC_FD chunk and
 * cancelled the task's siblings, so this unwinds only to the task's own runner, which fails it;
 * the joiner re-raises the panic after joining every sibling, in source order.
 */
class CapturedPanic {
  constructor(readonly line: string) {}
}

interface OutputSink {
  /** False once output is closed (after the panic line, or after main returned). */
  write(fd: number, bytes: Uint8Array, close?: boolean): boolean;
}

/** Spins (steal attempts) before parking. Small: the machine may have fewer cores than workers. */
const SPIN_ROUNDS = 64;
/** Park slice: how often a parked worker re-checks the run state and looks for a deadlock. */
const PARK_MS = 50;
/** Trace records kept per worker; a run that forks millions of tasks must not exhaust memory. */
const TRACE_LIMIT = 200_000;
/** Consecutive silent park slices (with every worker blocked) before a deadlock is declared. */
const DEADLOCK_SLICES = 3;
/**
 * How long a joiner waits for the siblings of a panicked task to stop before ending the run with
 * the panic anyway: a sibling busy in a callee's loop has no cancellation point (only the branch
 * bodies have), and the run must end promptly, not after that loop.
 */
const PANIC_GRACE_MS = 1000;

type Exports = {
  __init(id: number, n: number, first: number): void;
  __main(): number;
  __run_task(task: number): void;
  /** Absent in hand-built modules that never capture output. */
  __capturing?(): number;
};

const encoder = new TextEncoder();
const decoder = new TextDecoder();

export function executeRun(msg: RunMessage, port: WorkerPort): void {
  new WorkerRun(msg, port).execute();
}

class WorkerRun {
  private readonly id: number;
  private readonly n: number;
  private readonly memory: WebAssembly.Memory;
  private readonly control: SharedArrayBuffer;
  private readonly layout: ControlLayout;
  private readonly ctl: Int32Array;
  // The memory's initial size equals its maximum, so it never grows and these views stay valid.
  private readonly mem32: Int32Array;
  private readonly mem8: Uint8Array;
  private readonly deques: Deque[];
  private readonly own: Deque;
  private readonly slot: number;
  private readonly sink: OutputSink;
  private readonly trace: TraceTask[] | undefined;
  private readonly originDeltaMs: number;
  private exports!: Exports;
  private rng: number;
  private readonly jitterUs: number;
  private lastProgress = -1;
  private traceDropped = 0;
  private silentSlices = 0;

  constructor(
    private readonly msg: RunMessage,
    private readonly port: WorkerPort,
  ) {
    this.id = msg.workerId;
    this.n = msg.workerCount;
    this.layout = controlLayout(this.n);
    if (msg.memory && msg.control) {
      this.memory = msg.memory;
      this.control = msg.control;
    } else {
      // Sequential mode: nothing is shared with the coordinator, so this worker owns both.
      this.memory = new WebAssembly.Memory({ initial: msg.memoryPages, maximum: msg.memoryPages, shared: true });
      this.control = allocateShared(this.layout.totalBytes);
    }
    this.ctl = new Int32Array(this.control);
    this.mem32 = new Int32Array(this.memory.buffer);
    this.mem8 = new Uint8Array(this.memory.buffer);
    this.deques = [];
    for (let w = 0; w < this.n; w++) this.deques.push(new Deque(this.ctl, this.layout.dequeBase(w)));
    this.own = this.deques[this.id];
    this.slot = this.layout.slotBase(this.id);
    this.sink = msg.memory ? new OutputRingWriter(this.ctl, this.layout.outRingByte) : new MessageSink(port, msg.runId);
    this.trace = msg.trace ? [] : undefined;
    this.originDeltaMs = performance.timeOrigin - msg.startEpochMs;
    this.rng = (this.id * 2654435761 + 1) | 0 || 1;
    this.jitterUs = msg.jitterUs ?? 0;
    // Jittered runs differ from one run to the next.
    if (this.jitterUs > 0) this.rng = (this.rng ^ Math.floor(Math.random() * 0x7fffffff)) | 0 || 1;
  }

  execute(): void {
    let mainDone = false;
    let mainExitCode: number | undefined;
    try {
      this.instantiate();
      if (this.id === 0) {
        this.exports.__init(0, this.n, 1);
        Atomics.store(this.ctl, CTL.RUN_STATE, 1);
        Atomics.notify(this.ctl, CTL.RUN_STATE);
        const main = this.exports.__main();
        this.runTask(main, false);
        mainDone = true;
        // main's RESULT holds the process exit code: 0, or 1 when main returned Err, or an ExitCode.
        mainExitCode = Atomics.load(this.mem32, (main + TASK.RESULT) >>> 2);
        this.endRun();
      } else {
        while (Atomics.load(this.ctl, CTL.RUN_STATE) === 0) Atomics.wait(this.ctl, CTL.RUN_STATE, 0, PARK_MS);
        if (Atomics.load(this.ctl, CTL.RUN_STATE) === 1) {
          this.exports.__init(this.id, this.n, 0);
          this.idleLoop();
        }
      }
    } catch (e) {
      if (e instanceof CapturedPanic) this.fail("panic", e.line);
      else if (!(e instanceof RunAbort)) this.fail("crash", describeError(e));
    }
    this.port.post({ type: "finished", runId: this.msg.runId, trace: this.trace ?? [], dropped: this.traceDropped, mainDone, mainExitCode });
  }

  private instantiate(): void {
    const imports = {
      [MEMORY_MODULE]: { [MEMORY_NAME]: this.memory },
      [HOST_MODULE]: {
        write: (fd: number, ptr: number, len: number) => this.write(fd, ptr, len),
        panic: (ptr: number, len: number) => this.panic(ptr, len),
        fork: (task: number) => this.fork(task),
        run_inline: (task: number) => this.runTask(task, false),
        join: (task: number) => this.join(task),
        f64_to_str: (x: number, buf: number) => this.f64ToStr(x, buf),
        f64_parse: (ptr: number, len: number, out: number) => this.f64Parse(ptr, len, out),
        wait: (addr: number, expected: number) => this.waitImport(addr, expected),
        notify: (addr: number, count: number) => {
          Atomics.notify(this.mem32, addr >>> 2, count < 0 ? undefined : count);
        },
        now_ns: () => BigInt(Math.max(0, Math.floor(this.nowMs() * 1e6))),
      },
    };
    const instance = new WebAssembly.Instance(this.msg.module, imports);
    this.exports = instance.exports as unknown as Exports;
    for (const name of [EXPORTS.init, EXPORTS.main, EXPORTS.runTask]) {
      if (typeof (instance.exports as Record<string, unknown>)[name] !== "function") {
        throw new Error(`module does not export ${name}`);
      }
    }
  }

  /** Milliseconds since the run started, on the coordinator's clock. */
  private nowMs(): number {
    return this.originDeltaMs + performance.now();
  }

  /** RunOptions.jitterUs: a random pause (busy wait) at a scheduling point. */
  private jitter(): void {
    if (this.jitterUs <= 0) return;
    this.rng ^= this.rng << 13;
    this.rng ^= this.rng >>> 17;
    this.rng ^= this.rng << 5;
    const until = performance.now() + ((this.rng >>> 0) % (this.jitterUs + 1)) / 1000;
    while (performance.now() < until) {
      /* spin */
    }
  }

  private aborted(): boolean {
    return Atomics.load(this.ctl, CTL.ABORT) !== FailureKind.None;
  }

  private checkAbort(): void {
    if (this.aborted()) throw new RunAbort();
  }

  // ---- host imports -------------------------------------------------------------------

  private write(fd: number, ptr: number, len: number): void {
    this.checkAbort();
    // Copy: decoders reject views of shared memory, and the bytes must outlive the call.
    const bytes = this.mem8.slice(ptr >>> 0, (ptr >>> 0) + (len >>> 0));
    if (!this.sink.write(fd === 2 ? 2 : 1, bytes)) throw new RunAbort();
  }

  private panic(ptr: number, len: number): never {
    this.checkAbort();
    const text = decoder.decode(this.mem8.slice(ptr >>> 0, (ptr >>> 0) + (len >>> 0)));
    // Captured: the line waits in the capture for the joiner, and siblings earlier in source
    // order must finish so their output is kept. So the run goes on and nothing is aborted.
    if (this.exports.__capturing?.() === 1) throw new CapturedPanic(text);
    this.fail("panic", text);
    throw new RunAbort();
  }

  private fork(task: number): void {
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

  private f64ToStr(x: number, buf: number): number {
    const bytes = encoder.encode(formatF64(x));
    this.mem8.set(bytes, buf >>> 0);
    return bytes.length;
  }

  private f64Parse(ptr: number, len: number, out: number): number {
    const v = parseF64(decoder.decode(this.mem8.slice(ptr >>> 0, (ptr >>> 0) + (len >>> 0))));
    if (v === undefined) return 0;
    new DataView(this.memory.buffer).setFloat64(out >>> 0, v, true);
    return 1;
  }

  private waitImport(addr: number, expected: number): void {
    this.checkAbort();
    const mem32 = this.mem32;
    const index = addr >>> 2;
    if (Atomics.load(mem32, index) !== expected) return;
    // When every other worker is parked in a wait too, nobody else will run queued work, and the
    // word may be waiting for exactly that work (two par branches meeting on a channel, on one
    // worker). Run it here; returning early is an allowed spurious wake-up. Idle and joining
    // workers do pick queued work up, so while one exists the task is left to them: a task run
    // here sits on top of the waiting one, which cannot resume before it ends (a ping-pong
    // between two branches would deadlock).
    // Announce first, then look at the others: of two workers entering at once, at least one
    // sees the other waiting (neither would run the queued work if both looked first).
    this.setWait(WaitKind.Wait, addr);
    if (this.othersAllWaiting()) {
      const work = this.findWork();
      if (work) {
        this.setWait(WaitKind.None, 0);
        this.runTask(work.task, work.stolen);
        return;
      }
    }
    Atomics.add(this.ctl, CTL.BLOCKED, 1);
    const r = Atomics.wait(mem32, index, expected, PARK_MS);
    if (r === "timed-out") this.checkDeadlock();
    Atomics.sub(this.ctl, CTL.BLOCKED, 1);
    this.setWait(WaitKind.None, 0);
    this.checkAbort();
  }

  /** Whether a wait address is a channel's SEQ word (abi.ts CHANNEL). */
  private isChannelWait(addr: number): boolean {
    const tag = addr + CHANNEL.TAG;
    return addr > 0 && tag + 4 <= this.mem32.length * 4 && Atomics.load(this.mem32, tag >>> 2) === CHANNEL.MAGIC;
  }

  /** Every other worker is parked in the wait import (always true on one worker). */
  private othersAllWaiting(): boolean {
    for (let w = 0; w < this.n; w++) {
      if (w === this.id) continue;
      if (Atomics.load(this.ctl, this.layout.slotBase(w) + WSLOT.WAIT_KIND) !== WaitKind.Wait) return false;
    }
    return true;
  }

  // ---- tasks --------------------------------------------------------------------------

  private runTask(task: number, stolen: boolean): void {
    const mem32 = this.mem32;
    const stateIndex = (task + TASK.STATE) >>> 2;
    const cancelAddr = Atomics.load(mem32, (task + TASK.CANCEL) >>> 2);
    if (cancelAddr !== 0 && Atomics.load(mem32, cancelAddr >>> 2) !== 0) {
      if (Atomics.compareExchange(mem32, stateIndex, TaskState.Pending, TaskState.Cancelled) === TaskState.Pending) {
        const t = this.nowMs();
        this.record(task, t, t, true, false);
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
    try {
      this.exports.__run_task(task);
    } catch (e) {
      if (!(e instanceof RunAbort) && !(e instanceof CapturedPanic)) this.fail("crash", describeError(e));
      this.record(task, start, this.nowMs(), false, true);
      this.finish(task, TaskState.Failed);
      if (e instanceof CapturedPanic) {
        this.capturedFailure(task, e);
        return;
      }
      throw e instanceof RunAbort ? e : new RunAbort();
    } finally {
      Atomics.store(this.ctl, this.slot + WSLOT.CURRENT_TASK, outer);
    }
    this.record(task, start, this.nowMs(), false, false);
    this.finish(task, TaskState.Done);
  }

  /**
   * A captured panic reached the runner of `task` (already Failed): the task that raised it, since
   * every task runs under its own runner. Generated code has already recorded the line in the
   * task's buffer and set its par's or group's cancel word; the joiner re-raises it after joining
   * every sibling. Returning stops the unwinding here.
   */
  private capturedFailure(task: number, e: CapturedPanic): void {
    if (Atomics.load(this.mem32, (task + TASK.KIND) >>> 2) === TaskKind.Main) {
      // Defensive: main has no joiner (generated code never records a panic for it).
      this.fail("panic", e.line);
      throw new RunAbort();
    }
    // The unwound frames left the instance's current-task and capture globals pointing at the
    // failed task. Reset them (no task, no capture), so the next task this worker picks up starts
    // clean; when the task ran inside an import (join, run_inline, fork, wait) the generated
    // wrapper of that import puts the caller's back when the call returns.
    // __init with first = 0 only sets per-instance globals, so calling it again is harmless.
    this.exports.__init(this.id, this.n, 0);
    // Only branches the program wrote cancel their siblings; an auto-parallel statement or a
    // reduction chunk leaves earlier statements to finish, as the sequential program would, so
    // its panic starts no grace period.
    const kind = Atomics.load(this.mem32, (task + TASK.KIND) >>> 2);
    if (kind < TaskKind.AutoParBranch && Atomics.compareExchange(this.ctl, CTL.PANIC_TASK, 0, task) === 0) {
      Atomics.store(this.ctl, CTL.PANIC_AT_MS, Math.max(1, Math.floor(this.nowMs())));
    }
  }

  /**
   * A panic is pending (its joiner has not re-raised it yet) for longer than PANIC_GRACE_MS: end
   * the run with it now. Output still held in captures is lost, as when karac exits on a panic.
   */
  private checkPanicGrace(): void {
    const task = Atomics.load(this.ctl, CTL.PANIC_TASK);
    if (task === 0 || this.nowMs() - Atomics.load(this.ctl, CTL.PANIC_AT_MS) < PANIC_GRACE_MS) return;
    const line = this.panicLineOf(task);
    if (line === undefined) return;
    this.fail("panic", line);
    throw new RunAbort();
  }

  /** The panic line recorded in a failed task's buffer (its CAPTURE_PANIC_FD chunk). */
  private panicLineOf(task: number): string | undefined {
    const ptr = Atomics.load(this.mem32, (task + TASK.CAPTURE_PTR) >>> 2) >>> 0;
    const len = Atomics.load(this.mem32, (task + TASK.CAPTURE_LEN) >>> 2) >>> 0;
    const view = new DataView(this.memory.buffer);
    for (let i = 0; ptr !== 0 && i + CAPTURE_CHUNK_HEADER <= len; ) {
      const n = view.getUint32(ptr + i + 1, true);
      if (this.mem8[ptr + i] === CAPTURE_PANIC_FD) return decoder.decode(this.mem8.slice(ptr + i + CAPTURE_CHUNK_HEADER, ptr + i + CAPTURE_CHUNK_HEADER + n));
      i += CAPTURE_CHUNK_HEADER + n;
    }
    return undefined;
  }

  private finish(task: number, state: number): void {
    const mem32 = this.mem32;
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

  private record(task: number, startMs: number, endMs: number, cancelled: boolean, failed: boolean): void {
    if (!this.trace) return;
    if (this.trace.length >= TRACE_LIMIT) {
      this.traceDropped++;
      return;
    }
    const mem32 = this.mem32;
    const field = (off: number) => Atomics.load(mem32, (task + off) >>> 2);
    this.trace.push({
      id: field(TASK.ID),
      parent: field(TASK.PARENT),
      kind: (TASK_KIND_NAMES[field(TASK.KIND)] ?? "spawn") as TaskKindName,
      worker: this.id,
      start_us: Math.round(startMs * 1000),
      end_us: Math.round(endMs * 1000),
      line: field(TASK.LINE),
      stolen: (field(TASK.FLAGS) & TaskFlags.Stolen) !== 0,
      cancelled,
      failed,
    });
  }

  /** Own deque first (LIFO), then the other workers' deques from a random starting victim. */
  private findWork(): { task: number; stolen: boolean } | undefined {
    const mine = this.own.pop();
    if (mine !== 0) return { task: mine, stolen: false };
    if (this.n === 1) return undefined;
    this.rng ^= this.rng << 13;
    this.rng ^= this.rng >>> 17;
    this.rng ^= this.rng << 5;
    const first = (this.rng >>> 0) % this.n;
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

  private join(task: number): void {
    const stateIndex = (task + TASK.STATE) >>> 2;
    let spins = 0;
    for (;;) {
      const s = Atomics.load(this.mem32, stateIndex);
      if (s === TaskState.Done || s === TaskState.Cancelled) return;
      // A task that failed by a captured panic returns normally: the joiner's replay of its
      // capture re-raises the panic. One unwound because the run stopped must not resume.
      if (s === TaskState.Failed) {
        if (this.aborted() || Atomics.load(this.ctl, CTL.RUN_STATE) !== 1) throw new RunAbort();
        return;
      }
      this.checkAbort();
      this.jitter();
      const work = this.findWork();
      if (work) {
        this.runTask(work.task, work.stolen);
        spins = 0;
        continue;
      }
      if (++spins < SPIN_ROUNDS) continue;
      spins = 0;
      this.checkPanicGrace();
      this.park(WaitKind.Join, task, () => {
        const st = Atomics.load(this.mem32, stateIndex);
        return st === TaskState.Pending || st === TaskState.Running;
      });
    }
  }

  private idleLoop(): void {
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
      else this.silentSlices = 0;
      // A fork wakes a single sleeper. A joiner that woke only to find its task finished
      // leaves; pass the wake-up on so queued work does not wait for a time-out.
      if (r === "ok" && kind === WaitKind.Join && !stillBlocked() && this.anyWork()) {
        Atomics.notify(this.ctl, CTL.EPOCH, 1);
      }
    }
    Atomics.sub(this.ctl, CTL.BLOCKED, 1);
    Atomics.sub(this.ctl, CTL.SLEEPERS, 1);
    this.setWait(WaitKind.None, 0);
  }

  private anyWork(): boolean {
    for (const d of this.deques) if (d.size() > 0) return true;
    return false;
  }

  private setWait(kind: number, arg: number): void {
    Atomics.store(this.ctl, this.slot + WSLOT.WAIT_ARG, arg);
    Atomics.store(this.ctl, this.slot + WSLOT.WAIT_KIND, kind);
  }

  // ---- end of run, failures, deadlock -----------------------------------------------------

  /** Main returned: close output (karac exits here, so later output from detached tasks is lost). */
  private endRun(): void {
    this.sink.write(1, new Uint8Array(0), true);
    Atomics.store(this.ctl, CTL.RUN_STATE, 2);
    Atomics.add(this.ctl, CTL.EPOCH, 1);
    Atomics.notify(this.ctl, CTL.EPOCH);
  }

  /** First failure of the run wins; it is reported, and every worker is told to stop. */
  private fail(kind: FailureReport["kind"], message: string): void {
    if (Atomics.compareExchange(this.ctl, CTL.FAILURE_CLAIM, 0, 1) !== 0) return;
    const code = kind === "panic" ? FailureKind.Panic : kind === "deadlock" ? FailureKind.Deadlock : FailureKind.Crash;
    Atomics.store(this.mem32, LAYOUT.ABORT_FLAG >>> 2, 1);
    Atomics.store(this.ctl, CTL.ABORT, code);
    // karac prints the panic line on stdout, after everything printed before it.
    if (kind === "panic") this.sink.write(1, encoder.encode(message + "\n"), true);
    else this.sink.write(1, new Uint8Array(0), true);
    this.port.post({ type: "failed", runId: this.msg.runId, failure: { kind, message } });
    Atomics.store(this.ctl, CTL.RUN_STATE, 2);
    Atomics.add(this.ctl, CTL.EPOCH, 1);
    Atomics.notify(this.ctl, CTL.EPOCH);
    Atomics.notify(this.ctl, CTL.RUN_STATE);
    for (let w = 0; w < this.n; w++) {
      const s = this.layout.slotBase(w);
      if (Atomics.load(this.ctl, s + WSLOT.WAIT_KIND) === WaitKind.Wait) {
        Atomics.notify(this.mem32, Atomics.load(this.ctl, s + WSLOT.WAIT_ARG) >>> 2);
      }
    }
  }

  /**
   * Called after a park slice ended without a wake-up. Every worker blocked, no queued work and
   * no task started or finished for several slices means nothing can ever progress.
   */
  private checkDeadlock(): void {
    let progress = 0;
    for (let w = 0; w < this.n; w++) progress = (progress + Atomics.load(this.ctl, this.layout.slotBase(w) + WSLOT.PROGRESS)) | 0;
    const allBlocked = Atomics.load(this.ctl, CTL.BLOCKED) >= this.n;
    if (!allBlocked || progress !== this.lastProgress || this.anyWork() || Atomics.load(this.ctl, CTL.RUN_STATE) !== 1) {
      this.lastProgress = progress;
      this.silentSlices = 0;
      return;
    }
    if (++this.silentSlices < DEADLOCK_SLICES) return;
    this.fail("deadlock", this.deadlockReport());
  }

  private deadlockReport(): string {
    const mem32 = this.mem32;
    const describe = (task: number): string => {
      const id = Atomics.load(mem32, (task + TASK.ID) >>> 2);
      const kind = TASK_KIND_NAMES[Atomics.load(mem32, (task + TASK.KIND) >>> 2)] ?? "task";
      const line = Atomics.load(mem32, (task + TASK.LINE) >>> 2);
      return `task ${id} (${kind}${line > 0 ? `, line ${line}` : ""})`;
    };
    const parts: string[] = [];
    for (let w = 0; w < this.n; w++) {
      const s = this.layout.slotBase(w);
      const kind = Atomics.load(this.ctl, s + WSLOT.WAIT_KIND);
      const arg = Atomics.load(this.ctl, s + WSLOT.WAIT_ARG);
      const current = Atomics.load(this.ctl, s + WSLOT.CURRENT_TASK);
      if (current === 0 || kind === WaitKind.Idle || kind === WaitKind.None) continue;
      if (kind === WaitKind.Join) parts.push(`${describe(current)} waits for ${describe(arg)}`);
      else if (this.isChannelWait(arg)) parts.push(`${describe(current)} waits to receive on a channel (address ${arg})`);
      else parts.push(`${describe(current)} waits on address ${arg}`);
    }
    return `deadlock: every worker is blocked and no task can make progress${parts.length ? ": " + parts.join("; ") : ""}`;
  }
}

class MessageSink implements OutputSink {
  private closed = false;
  constructor(
    private readonly port: WorkerPort,
    private readonly runId: number,
  ) {}
  write(fd: number, bytes: Uint8Array, close = false): boolean {
    if (this.closed) return false;
    if (bytes.length > 0) this.port.post({ type: "output", runId: this.runId, fd: fd === 2 ? 2 : 1, bytes });
    if (close) this.closed = true;
    return true;
  }
}

/** A SharedArrayBuffer even where the constructor is hidden (no cross-origin isolation). */
function allocateShared(bytes: number): SharedArrayBuffer {
  if (typeof SharedArrayBuffer !== "undefined") return new SharedArrayBuffer(bytes);
  const pages = Math.ceil(bytes / 65536);
  return new WebAssembly.Memory({ initial: pages, maximum: pages, shared: true }).buffer as unknown as SharedArrayBuffer;
}

function describeError(e: unknown): string {
  if (e instanceof Error) {
    if (e instanceof RangeError && /call stack/i.test(e.message)) return "stack overflow";
    return e.name === "RuntimeError" ? `wasm trap: ${e.message}` : `${e.name}: ${e.message}`;
  }
  return String(e);
}

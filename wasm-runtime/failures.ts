// How a run fails, seen from one worker: the unwinding signals thrown through wasm frames, the
// first-failure-wins report, and the grace period for captured panics whose joiner cannot get
// to re-raise them.

import { CAPTURE_CHUNK_HEADER, CAPTURE_PANIC_FD, LAYOUT, TASK, TaskKind } from "../compiler/abi.js";
import { captureStack, describeFunction, describeTask, FaultSites, type SourceFunction } from "./fault-sites.js";
import type { MemoryViews } from "./memory-views.js";
import type { OutputSink } from "./output-sink.js";
import { CTL, FailureKind, WaitKind, WSLOT, type ControlLayout, type FailureReport, type WorkerMessage } from "./protocol.js";

/** Thrown through wasm frames to unwind a task when the run must stop. Not an Error: no stack capture. */
export class RunAbort {}

/**
 * A panic in a task that has a joiner (EXPORTS.capturing: a par branch or a joined spawned task).
 * Generated code has already put the line in the task's buffer as a CAPTURE_PANIC_FD chunk and
 * cancelled the task's siblings, so this unwinds only to the task's own runner, which fails it;
 * the joiner re-raises the panic after joining every sibling, in source order.
 */
export class CapturedPanic {
  constructor(readonly line: string) {}
}

/**
 * How long a joiner waits for the siblings of a panicked task to stop before ending the run with
 * the panic anyway: a sibling busy in a callee's loop has no cancellation point (only the branch
 * bodies have), and the run must end promptly, not after that loop.
 */
export const PANIC_GRACE_MS = 1000;

const encoder = new TextEncoder();
const decoder = new TextDecoder();

/** Where this worker's faults happen: its slot (for the current task) and the module's site table. */
export interface FaultContext {
  workerId: number;
  sites: FaultSites;
}

/** How the generated allocator's panic line starts (compiler/codegen/runtime/alloc.ts). */
export const OUT_OF_MEMORY_PREFIX = "panic: out of memory";

/** Whether a panic line reports an allocation beyond the memory limit. */
export function isOutOfMemory(message: string | undefined): boolean {
  return message !== undefined && message.startsWith(OUT_OF_MEMORY_PREFIX);
}

export class Failures {
  constructor(
    private readonly ctl: Int32Array,
    private readonly layout: ControlLayout,
    private readonly memory: MemoryViews,
    private readonly sink: OutputSink,
    private readonly post: (message: WorkerMessage) => void,
    private readonly runId: number,
    /** Milliseconds since the run started. */
    private readonly nowMs: () => number,
    private readonly where: FaultContext = { workerId: -1, sites: FaultSites.none() },
  ) {}

  /** An error thrown by wasm or the host ends the run as a crash, named with its place. */
  crash(e: unknown): void {
    this.fail("crash", this.describeCrash(e));
  }

  /**
   * The crash message with its place: the innermost Kāra function on the stack the error was
   * thrown from (the overflowing one, for a stack overflow) and the task this worker runs.
   */
  describeCrash(e: unknown): string {
    return describeError(e) + this.placeText(this.where.sites.innermostFunction(e instanceof Error ? e.stack : undefined));
  }

  /**
   * The panic line as reported: an out-of-memory line, which the allocator writes without
   * knowing who asked, gets the allocating Kāra function and the task appended. Called inside
   * the panic import, so the engine's stack still holds the program's frames.
   */
  panicLine(text: string): string {
    if (!isOutOfMemory(text)) return text;
    const place = this.placeText(this.where.sites.innermostFunction(captureStack()));
    return place ? `${text},${place}` : text;
  }

  /** ` in fill (declared at line 3) while running task 3 (par, line 12)`: what is known of the fault's place. */
  private placeText(fn: SourceFunction | undefined): string {
    let text = fn ? ` in ${describeFunction(fn)}` : "";
    if (this.where.workerId >= 0) {
      const task = Atomics.load(this.ctl, this.layout.slotBase(this.where.workerId) + WSLOT.CURRENT_TASK);
      if (task !== 0) text += ` while running ${describeTask(this.memory, task, this.where.sites)}`;
    }
    return text;
  }

  aborted(): boolean {
    return Atomics.load(this.ctl, CTL.ABORT) !== FailureKind.None;
  }

  checkAbort(): void {
    if (this.aborted()) throw new RunAbort();
  }

  /** First failure of the run wins; it is reported, and every worker is told to stop. */
  fail(kind: FailureReport["kind"], message: string): void {
    const ctl = this.ctl;
    if (Atomics.compareExchange(ctl, CTL.FAILURE_CLAIM, 0, 1) !== 0) return;
    const code = kind === "panic" ? FailureKind.Panic : kind === "deadlock" ? FailureKind.Deadlock : FailureKind.Crash;
    // Generated code polls this word at its cancellation points.
    Atomics.store(this.memory.i32(LAYOUT.ABORT_FLAG + 4), LAYOUT.ABORT_FLAG >>> 2, 1);
    Atomics.store(ctl, CTL.ABORT, code);
    // karac prints the panic line on stdout, after everything printed before it.
    if (kind === "panic") this.sink.write(1, encoder.encode(message + "\n"), true);
    else this.sink.write(1, new Uint8Array(0), true);
    this.post({ type: "failed", runId: this.runId, failure: { kind, message } });
    Atomics.store(ctl, CTL.RUN_STATE, 2);
    Atomics.add(ctl, CTL.EPOCH, 1);
    Atomics.notify(ctl, CTL.EPOCH);
    Atomics.notify(ctl, CTL.RUN_STATE);
    // Wake the workers parked in the wait import on program words, so they see the abort.
    for (let w = 0; w < this.layout.workers; w++) {
      const s = this.layout.slotBase(w);
      if (Atomics.load(ctl, s + WSLOT.WAIT_KIND) === WaitKind.Wait) {
        const addr = Atomics.load(ctl, s + WSLOT.WAIT_ARG) >>> 0;
        Atomics.notify(this.memory.i32(addr + 4), addr >>> 2);
      }
    }
  }

  /**
   * A captured panic failed `task`. Only branches the program wrote cancel their siblings; an
   * auto-parallel statement or a reduction chunk leaves earlier statements to finish, as the
   * sequential program would, so its panic starts no grace period. The first one starts it.
   */
  noteCapturedPanic(task: number): void {
    const kind = Atomics.load(this.memory.i32(task + TASK.SIZE), (task + TASK.KIND) >>> 2);
    if (kind < TaskKind.AutoParBranch && Atomics.compareExchange(this.ctl, CTL.PANIC_TASK, 0, task) === 0) {
      Atomics.store(this.ctl, CTL.PANIC_AT_MS, Math.max(1, Math.floor(this.nowMs())));
    }
  }

  /**
   * A panic is pending (its joiner has not re-raised it yet) for longer than PANIC_GRACE_MS: end
   * the run with it now. Output still held in captures is lost, as when karac exits on a panic.
   */
  checkPanicGrace(): void {
    const task = Atomics.load(this.ctl, CTL.PANIC_TASK);
    if (task === 0 || this.nowMs() - Atomics.load(this.ctl, CTL.PANIC_AT_MS) < PANIC_GRACE_MS) return;
    const line = panicLineOf(this.memory, task);
    if (line === undefined) return;
    this.fail("panic", line);
    throw new RunAbort();
  }
}

/** The panic line recorded in a failed task's buffer (its CAPTURE_PANIC_FD chunk). */
export function panicLineOf(memory: MemoryViews, task: number): string | undefined {
  const mem32 = memory.i32(task + TASK.SIZE);
  const ptr = Atomics.load(mem32, (task + TASK.CAPTURE_PTR) >>> 2) >>> 0;
  const len = Atomics.load(mem32, (task + TASK.CAPTURE_LEN) >>> 2) >>> 0;
  if (ptr === 0) return undefined;
  const view = memory.data(ptr + len);
  const mem8 = memory.u8(ptr + len);
  for (let i = 0; i + CAPTURE_CHUNK_HEADER <= len; ) {
    const n = view.getUint32(ptr + i + 1, true);
    if (mem8[ptr + i] === CAPTURE_PANIC_FD) return decoder.decode(memory.copy(ptr + i + CAPTURE_CHUNK_HEADER, n));
    i += CAPTURE_CHUNK_HEADER + n;
  }
  return undefined;
}

/** V8 and SpiderMonkey report exhausting the stack as a RangeError / InternalError "too much recursion". */
function isStackOverflow(e: unknown): boolean {
  return e instanceof Error && /call stack|too much recursion/i.test(e.message);
}

/** The crash message for an error thrown by wasm or the host, without its place. */
export function describeError(e: unknown): string {
  if (e instanceof Error) {
    if (isStackOverflow(e)) return "stack overflow";
    return e.name === "RuntimeError" ? `wasm trap: ${e.message}` : `${e.name}: ${e.message}`;
  }
  return String(e);
}

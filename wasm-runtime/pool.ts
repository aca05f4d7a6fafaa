// The coordinator: owns the pre-spawned workers, starts runs, drains output, and decides how a
// run ended. It runs on the page's main thread or Node's, so it never blocks: it only posts
// messages, reads the control buffer with non-blocking Atomics, and uses timers. A run occupies
// a contiguous range of the workers; `lanes()` splits the pool into ranges that run programs at
// the same time (each with its own memory and control buffer, so one cannot disturb another).

import type { RunOptions, RunResult, RunStatus, Runner, Trace, TraceTask, WorkerFactory, WorkerLike } from "./api.js";
import { createRunMemory, formatPages, planMemory, PLATFORM_MAX_PAGES } from "./memory-limits.js";
import { FaultSites } from "./fault-sites.js";
import { MemoryViews } from "./memory-views.js";
import { OutputRingReader } from "./output-ring.js";
import { runPosition, timeoutMessage } from "./run-position.js";
import { buildProfileReport } from "./profile-report.js";
import { profileTableBytes, type WorkerProfile } from "./profile.js";
import { controlLayout, type FailureReport, type RunMessage, type WorkerMessage } from "./protocol.js";

/** How long workers get to wind down after main returned or a failure, before they are terminated. */
const GRACE_MS = 300;
const DRAIN_INTERVAL_MS = 4;

export type RunnerMode = "parallel" | "sequential";

interface Slot {
  worker: WorkerLike;
  ready: Promise<void>;
  /** The worker reported an error (e.g. its script failed to load); replace it before reuse. */
  failed: boolean;
}

interface ActiveRun {
  runId: number;
  /** First pool slot of the run; the run numbers its workers from 0. */
  base: number;
  workers: number;
  onMessage(slot: number, message: WorkerMessage): void;
  onWorkerError(slot: number, error: unknown): void;
  /** End now with the given status (timeout / stop). */
  abandon(status: RunStatus, message: string): void;
}

export class WorkerPool implements Runner {
  readonly size: number;
  readonly mode: RunnerMode;
  private readonly slots: Slot[] = [];
  private readonly modules = new WeakMap<Uint8Array, WebAssembly.Module>();
  /** The run each slot is part of, if any. */
  private readonly owners: (ActiveRun | undefined)[] = [];
  private nextRunId = 1;
  private disposed = false;

  /**
   * @param size number of workers to keep (clamped to at least 1)
   * @param mode "sequential" when memory cannot be shared with workers: one worker runs everything
   * @param maxMemoryPages the platform's limit for a run's memory, used when RunOptions gives none
   */
  constructor(
    private readonly factory: WorkerFactory,
    size: number,
    mode: RunnerMode = "parallel",
    private readonly maxMemoryPages: number = PLATFORM_MAX_PAGES.node,
  ) {
    this.mode = mode;
    this.size = mode === "sequential" ? 1 : Math.max(1, Math.floor(size));
    for (let i = 0; i < this.size; i++) this.slots.push(this.spawn(i));
  }

  private spawn(index: number): Slot {
    const worker = this.factory();
    let resolveReady!: () => void;
    let rejectReady!: (e: unknown) => void;
    const ready = new Promise<void>((res, rej) => {
      resolveReady = res;
      rejectReady = rej;
    });
    ready.catch(() => {}); // observed by run(); avoid unhandled-rejection noise for idle slots
    const slot: Slot = { worker, ready, failed: false };
    worker.onMessage((m: WorkerMessage) => {
      if (this.slots[index]?.worker !== worker) return; // a replaced worker's late message
      if (m.type === "ready") resolveReady();
      else {
        const run = this.owners[index];
        run?.onMessage(index - run.base, m);
      }
    });
    worker.onError((e) => {
      if (this.slots[index]?.worker !== worker) return;
      slot.failed = true;
      rejectReady(e);
      const run = this.owners[index];
      run?.onWorkerError(index - run.base, e);
    });
    return slot;
  }

  /** Mark slots base..base+n as `run`'s (undefined: free), only those still `expected`'s when given. */
  private claim(base: number, n: number, run: ActiveRun | undefined, expected?: ActiveRun): void {
    for (let i = base; i < base + n; i++) if (expected === undefined || this.owners[i] === expected) this.owners[i] = run;
  }

  /** Terminate and re-spawn: the only way to stop a worker that is busy inside wasm. */
  private replace(index: number): void {
    this.slots[index].worker.terminate();
    this.slots[index] = this.spawn(index);
  }

  async run(options: RunOptions): Promise<RunResult> {
    return this.runOn(0, this.size, options);
  }

  /**
   * Split the pool into lanes of the given sizes (from worker 0 on; their sum at most `size`).
   * Each lane is a Runner over its own workers: lanes run programs at the same time, one at a
   * time per lane. `stop()` on a lane stops its run only; `stop()` on the pool stops every run.
   */
  lanes(sizes: number[]): Runner[] {
    const total = sizes.reduce((a, b) => a + b, 0);
    if (sizes.some((n) => !Number.isInteger(n) || n < 1) || total > this.size) {
      throw new Error(`cannot split ${this.size} worker${this.size === 1 ? "" : "s"} into lanes of ${sizes.join(", ")}`);
    }
    let base = 0;
    return sizes.map((size) => {
      const first = base;
      base += size;
      return {
        size,
        mode: this.mode,
        run: (options: RunOptions) => this.runOn(first, size, options),
        stop: () => this.stopRange(first, size),
        // The workers belong to the pool, which outlives its lanes.
        dispose: () => this.stopRange(first, size),
      };
    });
  }

  private async runOn(base: number, span: number, options: RunOptions): Promise<RunResult> {
    if (this.disposed) throw new Error("runner has been disposed");
    const n = this.mode === "sequential" ? 1 : Math.min(span, Math.max(1, Math.floor(options.workers ?? span)));
    for (let i = base; i < base + n; i++) if (this.owners[i]) throw new Error("a run is already in progress");
    // Node workers are unref'd so an idle pool never holds a process open; a pending run must.
    const keepAlive = setInterval(() => {}, 60_000);
    try {
      return await this.start(base, n, options);
    } finally {
      clearInterval(keepAlive);
    }
  }

  private async start(base: number, n: number, options: RunOptions): Promise<RunResult> {
    const started = now();
    let plan = planMemory(options, this.maxMemoryPages);
    const runId = this.nextRunId++;
    // Claim the workers before the first await so a second run on them is refused, not interleaved.
    const placeholder: ActiveRun = {
      runId,
      base,
      workers: n,
      onMessage: () => {},
      onWorkerError: () => {},
      abandon: () => {},
    };
    this.claim(base, n, placeholder);
    const stillClaimed = (): boolean => this.owners[base] === placeholder;
    let module: WebAssembly.Module;
    try {
      module = await this.compileModule(options.wasm);
      await Promise.all(this.slots.slice(base, base + n).map((s) => s.ready));
    } catch (e) {
      this.claim(base, n, undefined, placeholder);
      // Give the next run fresh workers in place of any of ours that failed to start.
      for (let i = base; i < base + n; i++) if (this.slots[i].failed) this.replace(i);
      return { status: "crash", exitCode: 1, message: `cannot start the program: ${errorText(e)}`, wallMs: now() - started };
    }
    if (!stillClaimed()) {
      // stop() was called while we were getting ready.
      return { status: "stopped", exitCode: 1, message: "stopped", wallMs: now() - started };
    }
    let memory: WebAssembly.Memory | undefined;
    let control: SharedArrayBuffer | undefined;
    const layout = controlLayout(n);
    if (this.mode === "parallel") {
      try {
        ({ memory, plan } = createRunMemory(plan));
        control = new SharedArrayBuffer(layout.totalBytes);
      } catch (e) {
        this.claim(base, n, undefined, placeholder);
        const size = `${formatPages(plan.initialPages)} growable to ${formatPages(plan.maxPages)}`;
        return { status: "crash", exitCode: 1, message: `cannot allocate shared memory (${size}): ${errorText(e)}`, wallMs: now() - started };
      }
    }
    return new Promise<RunResult>((resolve) => {
      // What each worker is inside, for the timeout message (parallel mode: the memory is shared with us).
      const position = memory && control ? positionReader(new Int32Array(control), layout, new MemoryViews(memory), FaultSites.fromModule(module)) : () => [];
      const run: RunTracker = new RunTracker(this, runId, base, n, options, started, control, layout.outRingByte, position, (r) => {
        this.claim(base, n, undefined, run);
        resolve(r);
      });
      this.claim(base, n, run, placeholder);
      run.startupMs = now() - started;
      const startEpochMs = performance.timeOrigin + performance.now();
      // One task table shared by all workers; sequential mode's worker makes its own.
      const profileTable = options.profile && this.mode === "parallel" ? new SharedArrayBuffer(profileTableBytes()) : undefined;
      for (let w = 0; w < n; w++) {
        const message: RunMessage = {
          type: "run",
          runId,
          module,
          memory,
          control,
          memoryPages: plan.initialPages,
          maxMemoryPages: plan.maxPages,
          explicitMaxMemory: plan.explicitMax,
          workerId: w,
          workerCount: n,
          startEpochMs,
          trace: options.trace ?? false,
          jitterUs: options.jitterUs ?? 0,
          profile: options.profile ?? false,
          profileTable,
        };
        this.slots[base + w].worker.postMessage(message);
      }
    });
  }

  private async compileModule(wasm: Uint8Array): Promise<WebAssembly.Module> {
    const cached = this.modules.get(wasm);
    if (cached) return cached;
    const module = await WebAssembly.compile(wasm as BufferSource);
    this.modules.set(wasm, module);
    return module;
  }

  /** Called by a finished run for workers (pool slots) that did not wind down in time. */
  terminateWorkers(indices: number[]): void {
    if (this.disposed) return;
    for (const i of indices) this.replace(i);
  }

  /** Stop every run, on all lanes. */
  stop(): void {
    this.stopRange(0, this.size);
  }

  private stopRange(base: number, span: number): void {
    const runs = new Set<ActiveRun>();
    for (let i = base; i < base + span; i++) {
      const run = this.owners[i];
      if (run) runs.add(run);
    }
    for (const run of runs) {
      run.abandon("stopped", "stopped");
      // Still getting ready (compiling or waiting for workers): nothing was posted yet.
      this.claim(run.base, run.workers, undefined, run);
    }
  }

  dispose(): void {
    // Mark first so stopping the current run does not re-spawn workers about to be terminated.
    this.disposed = true;
    this.stop();
    for (const s of this.slots) s.worker.terminate();
  }
}

/** Bookkeeping for one run, from the posts to the result. */
class RunTracker implements ActiveRun {
  private readonly finished = new Set<number>();
  private readonly traces: TraceTask[] = [];
  private readonly profiles: WorkerProfile[] = [];
  private readonly decoders = { 1: new TextDecoder(), 2: new TextDecoder() };
  private readonly reader: OutputRingReader | undefined;
  private readonly drainTimer: ReturnType<typeof setInterval>;
  private readonly timeoutTimer: ReturnType<typeof setTimeout> | undefined;
  private graceTimer: ReturnType<typeof setTimeout> | undefined;
  private failure: FailureReport | undefined;
  /** Set by a timeout or stop(). */
  private forced: { status: RunStatus; message: string } | undefined;
  private mainDone = false;
  private mainExitCode = 0;
  private done = false;
  private dropped = 0;
  startupMs: number | undefined;

  constructor(
    private readonly pool: WorkerPool,
    readonly runId: number,
    readonly base: number,
    readonly workers: number,
    private readonly options: RunOptions,
    private readonly started: number,
    control: SharedArrayBuffer | undefined,
    ringByte: number,
    private readonly position: () => string[],
    private readonly resolve: (r: RunResult) => void,
  ) {
    if (control) this.reader = new OutputRingReader(new Int32Array(control), ringByte);
    this.drainTimer = setInterval(() => this.drain(), DRAIN_INTERVAL_MS);
    if (options.timeoutMs !== undefined && options.timeoutMs > 0) {
      this.timeoutTimer = setTimeout(
        () => this.abandon("timeout", timeoutMessage(formatSeconds(options.timeoutMs!), this.position())),
        options.timeoutMs,
      );
    }
  }

  onMessage(slot: number, m: WorkerMessage): void {
    if (this.done || !("runId" in m) || m.runId !== this.runId) return;
    switch (m.type) {
      case "output":
        this.emit(m.fd, m.bytes);
        break;
      case "failed":
        this.failure ??= m.failure;
        this.startGrace();
        break;
      case "finished":
        this.finished.add(slot);
        for (const t of m.trace) this.traces.push(t);
        this.dropped += m.dropped;
        if (m.profile) this.profiles.push(m.profile);
        if (m.mainDone) {
          this.mainDone = true;
          this.mainExitCode = m.mainExitCode ?? 0;
          this.startGrace();
        }
        if (this.finished.size === this.workers) this.complete();
        break;
    }
  }

  onWorkerError(slot: number, error: unknown): void {
    if (this.done) return;
    this.failure ??= { kind: "crash", message: `worker ${slot} failed: ${errorText(error)}` };
    this.finished.add(slot);
    this.pool.terminateWorkers([this.base + slot]);
    this.abandonRemaining();
  }

  abandon(status: RunStatus, message: string): void {
    if (this.done) return;
    this.forced = { status, message };
    this.abandonRemaining();
  }

  private abandonRemaining(): void {
    const stragglers: number[] = [];
    for (let w = 0; w < this.workers; w++) if (!this.finished.has(w)) stragglers.push(this.base + w);
    this.pool.terminateWorkers(stragglers);
    this.complete();
  }

  private startGrace(): void {
    if (this.graceTimer !== undefined || this.done) return;
    this.graceTimer = setTimeout(() => this.abandonRemaining(), GRACE_MS);
  }

  private drain(): void {
    // One decode per run of records from the same stream: a program printing a line per call
    // would otherwise cost a TextDecoder call per line on the page's thread.
    this.reader?.drainRuns((fd, bytes) => this.emit(fd, bytes));
  }

  private emit(fd: 1 | 2, bytes: Uint8Array): void {
    const text = this.decoders[fd].decode(bytes, { stream: true });
    if (text.length > 0) this.deliver(fd, text);
  }

  private deliver(fd: 1 | 2, text: string): void {
    try {
      this.options.onOutput?.(fd, text);
    } catch {
      // A failing output consumer must not wedge the runner.
    }
  }

  private complete(): void {
    if (this.done) return;
    this.drain();
    this.done = true;
    clearInterval(this.drainTimer);
    clearTimeout(this.timeoutTimer);
    clearTimeout(this.graceTimer);
    for (const fd of [1, 2] as const) {
      const rest = this.decoders[fd].decode();
      if (rest.length > 0) this.deliver(fd, rest);
    }
    const result: RunResult = { ...this.outcome(), wallMs: now() - this.started, startupMs: this.startupMs };
    if (this.options.trace) {
      this.traces.sort((a, b) => a.start_us - b.start_us || a.id - b.id);
      const trace: Trace = { workers: this.workers, tasks: this.traces };
      if (this.dropped > 0) trace.dropped = this.dropped;
      result.trace = trace;
    }
    if (this.options.profile) {
      const profile = buildProfileReport(this.profiles);
      if (profile) result.profile = profile;
    }
    this.resolve(result);
  }

  private outcome(): { status: RunStatus; exitCode: number; message?: string } {
    if (this.failure) {
      const status: RunStatus = this.failure.kind;
      return { status, exitCode: 1, message: this.failure.message };
    }
    // Once main has returned, the outcome is settled even if a timeout hit lingering tasks.
    if (this.mainDone) {
      // main returned Err (the program already printed `Error: …`) or an ExitCode.
      return this.mainExitCode === 0 ? { status: "ok", exitCode: 0 } : { status: "error-result", exitCode: this.mainExitCode };
    }
    if (this.forced) return { status: this.forced.status, exitCode: 1, message: this.forced.message };
    return { status: "crash", exitCode: 1, message: "the program stopped without finishing main" };
  }
}

/** Reads the run's position on demand (at a timeout), from views made once per run. */
function positionReader(...args: Parameters<typeof runPosition>): () => string[] {
  return () => runPosition(...args);
}

function now(): number {
  return performance.now();
}

function errorText(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}

function formatSeconds(ms: number): string {
  const s = ms / 1000;
  return `${Number.isInteger(s) ? s : s.toFixed(3).replace(/0+$/, "")} s`;
}


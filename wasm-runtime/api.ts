// The public face of the runtime: what the CLI and the playground use to run a
// compiled Kāra module on a pool of workers. Platform details (Web Worker versus
// worker_threads) hide behind WorkerFactory.

export type TaskKindName = "main" | "par" | "spawn" | "auto" | "reduce";

export interface TraceTask {
  id: number;
  parent: number;
  kind: TaskKindName;
  worker: number;
  start_us: number; // microseconds since the run started, one clock for all workers
  end_us: number;
  line: number;
  /** A program of several files: the file of `line` (the module's site table names it). */
  file?: string;
  stolen: boolean;
  cancelled: boolean;
  /** The task panicked (or was unwound because the run stopped while it ran). */
  failed?: boolean;
  /**
   * A branch (par, auto or reduce) that its forking task ran itself: the first branch of a
   * `par`, the first chunk of a fanned-out loop. Its siblings have the next ids, so it marks
   * where one fan-out begins among the chunks a task created on one line. Always set by the
   * runtime's trace (false for main and spawned tasks).
   */
  firstBranch?: boolean;
}

export interface Trace {
  workers: number;
  tasks: TraceTask[];
  /** Task runs left out because a worker reached its trace limit (absent when none). */
  dropped?: number;
}

/**
 * Work/span profile of a run (RunOptions.profile; docs/profile.md). Times in microseconds of
 * strand running time; `predicted` bounds the speed-up on P workers.
 */
export interface ProfileReport {
  work_us: number;
  span_us: number;
  /** work / span: the most speed-up any number of workers can give. */
  parallelism: number;
  /** The span with the cost of every spawn and par dispatch on it added. */
  burdened_span_us: number;
  /** The work with the cost of every spawn and par dispatch added: what the workers share out. */
  burdened_work_us: number;
  burdened_parallelism: number;
  /** Tasks forked (par branches after the first, spawns, automatic-parallel and reduction chunks). */
  spawns: number;
  /** Median work of one task counting the children it joined (main excluded); 0 when no task was forked. */
  median_task_us: number;
  /**
   * Lower bound: Brent's bound with the burdened figures, work / (burdened work/P + burdened span);
   * upper bound: min(P, parallelism).
   */
  predicted: { workers: number; speedup_lower: number; speedup_upper: number }[];
  /** The tasks on the critical path in program order, each with its own time on it. */
  critical_path: { task: number; line: number; file?: string; us: number }[];
  /** The overheads charged per spawn in the burdened figures, and where they come from. */
  burden: { spawn_us: number; par_us: number; source: "calibrated" };
  /** Plain-language conclusions (empty when nothing stands out). */
  advice: string[];
}

export type RunStatus = "ok" | "panic" | "error-result" | "deadlock" | "timeout" | "stopped" | "crash";

export interface RunResult {
  status: RunStatus;
  exitCode: number;
  /** Panic line, deadlock report, or crash reason, as shown to the user. */
  message?: string;
  trace?: Trace;
  wallMs: number;
  /** Part of wallMs spent getting ready: compiling the module and waiting for the workers to load. */
  startupMs?: number;
  /** With RunOptions.profile, when main finished. */
  profile?: ProfileReport;
}

export interface RunOptions {
  /** Compiled module bytes (from compile()). */
  wasm: Uint8Array;
  /** Number of workers to use, 1..pool size. */
  workers?: number;
  /**
   * Initial size of the shared memory in 64 KiB pages (default 256 = 16 MiB). The program's
   * allocator grows it on demand up to maxMemoryPages.
   */
  memoryPages?: number;
  /**
   * Most pages the memory may grow to (a heap that needs more panics with "out of memory").
   * Default: the platform's limit, 65536 pages (4 GiB) in Node and 32768 (2 GiB) in a browser
   * (memory-limits.ts). Clamped to 64..65536.
   */
  maxMemoryPages?: number;
  trace?: boolean;
  /**
   * Measure work and span (docs/profile.md): RunResult.profile. Adds a clock read at each fork,
   * join, wait and task end; without it the scheduler only tests one absent field there.
   */
  profile?: boolean;
  /** Stop the run after this many milliseconds (status "timeout"). */
  timeoutMs?: number;
  /** Output as it is produced, in program order. */
  onOutput?: (fd: 1 | 2, text: string) => void;
  /**
   * Testing: each worker pauses a random 0..jitterUs microseconds before running a task, after
   * forking and while joining, so stress tests meet many interleavings. 0 or absent: no pauses.
   */
  jitterUs?: number;
}

/** Anything that behaves like a worker: Web Worker, or a worker_threads adapter. */
export interface WorkerLike {
  postMessage(message: unknown, transfer?: Transferable[]): void;
  onMessage(handler: (message: any) => void): void;
  onError(handler: (error: unknown) => void): void;
  terminate(): void;
}

export type WorkerFactory = () => WorkerLike;

export interface Runner {
  /** Run one program. One run at a time per runner. */
  run(options: RunOptions): Promise<RunResult>;
  /** Stop the current run at once (terminates the workers; the next run starts clean). */
  stop(): void;
  /**
   * Split the workers into lanes of the given sizes (sum at most `size`), each a Runner of its
   * own that runs one program at a time alongside the others; stopping this runner stops every
   * lane's run. Absent on runners that cannot share their workers out.
   */
  lanes?(sizes: number[]): Runner[];
  /** Release the workers for good. */
  dispose(): void;
  readonly size: number;
  /**
   * "sequential" when workers cannot share memory (a page without cross-origin isolation): every
   * run then uses one worker. Same programs, same output, no parallel speed-up.
   */
  readonly mode?: "parallel" | "sequential";
}

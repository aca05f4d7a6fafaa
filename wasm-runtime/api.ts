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
  stolen: boolean;
  cancelled: boolean;
  /** The task panicked (or was unwound because the run stopped while it ran). */
  failed?: boolean;
}

export interface Trace {
  workers: number;
  tasks: TraceTask[];
  /** Task runs left out because a worker reached its trace limit (absent when none). */
  dropped?: number;
}

export type RunStatus = "ok" | "panic" | "error-result" | "deadlock" | "timeout" | "stopped" | "crash";

export interface RunResult {
  status: RunStatus;
  exitCode: number;
  /** Panic line, deadlock report, or crash reason, as shown to the user. */
  message?: string;
  trace?: Trace;
  wallMs: number;
}

export interface RunOptions {
  /** Compiled module bytes (from compile()). */
  wasm: Uint8Array;
  /** Number of workers to use, 1..pool size. */
  workers?: number;
  /** Size of the shared memory in 64 KiB pages (initial == maximum). */
  memoryPages?: number;
  trace?: boolean;
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
  /** Release the workers for good. */
  dispose(): void;
  readonly size: number;
  /**
   * "sequential" when workers cannot share memory (a page without cross-origin isolation): every
   * run then uses one worker. Same programs, same output, no parallel speed-up.
   */
  readonly mode?: "parallel" | "sequential";
}

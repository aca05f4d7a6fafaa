// What every snippet on a page shares: one compile worker and one worker pool, both created on
// the first Run (a docs page with twenty snippets costs nothing until someone presses Run). The
// pool runs one program at a time, so each snippet gets a lane: its runs wait their turn, and its
// Stop only ever stops its own run.

import type { CompileOptions, CompileResult } from "../../compiler/api.js";
import type { RunOptions, RunResult, Runner } from "../../wasm-runtime/api.js";
import { canShareMemory, createBrowserRunner } from "../../wasm-runtime/browser.js";
import { CompilerClient } from "../compiler-client.js";
import type { SessionCompiler } from "../session.js";

export const parallelAvailable = (): boolean => canShareMemory();

/** Pool size: every core when memory can be shared, otherwise the one worker a sequential run uses. */
export const poolSize = (): number => (parallelAvailable() ? Math.max(2, Math.min(8, navigator.hardwareConcurrency || 4)) : 1);

let compilerClient: CompilerClient | undefined;
let pool: Runner | undefined;
let queue: Promise<unknown> = Promise.resolve();
/** Runs queued or running on the shared pool. */
let pending = 0;

/** How many times the shared pieces were created (a page-wide count, for tests and diagnostics). */
export const created = { compilers: 0, pools: 0 };

export const sharedCompiler: SessionCompiler = {
  compile(source: string, options?: CompileOptions): Promise<CompileResult> {
    if (!compilerClient) {
      created.compilers++;
      compilerClient = new CompilerClient(new Worker(new URL("../compile-worker.ts", import.meta.url), { type: "module", name: "kara-compiler" }));
    }
    return compilerClient.compile(source, options);
  },
};

function sharedPool(): Runner {
  if (!pool) {
    created.pools++;
    pool = createBrowserRunner(poolSize());
  }
  return pool;
}

const STOPPED: RunResult = { status: "stopped", exitCode: 1, message: "stopped", wallMs: 0 };

/** One snippet's view of the shared pool. */
export class RunnerLane implements Runner {
  private state: "idle" | "waiting" | "running" = "idle";
  private cancelWait: (() => void) | undefined;

  /** `onWaiting(true)` when a run has to wait for another snippet's, `false` when its turn comes. */
  constructor(private readonly onWaiting: (waiting: boolean) => void = () => {}) {}

  get size(): number {
    return poolSize();
  }

  get mode(): "parallel" | "sequential" {
    return parallelAvailable() ? "parallel" : "sequential";
  }

  run(options: RunOptions): Promise<RunResult> {
    this.state = "waiting";
    if (pending > 0) this.onWaiting(true);
    pending++;
    const turn = new Promise<RunResult>((resolve) => {
      let cancelled = false;
      this.cancelWait = () => {
        cancelled = true;
        resolve(STOPPED);
      };
      queue = queue.then(async () => {
        if (cancelled) return;
        this.state = "running";
        this.cancelWait = undefined;
        this.onWaiting(false);
        try {
          resolve(await sharedPool().run(options));
        } catch (err) {
          resolve({ status: "crash", exitCode: 1, message: err instanceof Error ? err.message : String(err), wallMs: 0 });
        }
      });
    });
    return turn.finally(() => {
      pending--;
      this.state = "idle";
      this.cancelWait = undefined;
    });
  }

  stop(): void {
    if (this.state === "waiting") this.cancelWait?.();
    else if (this.state === "running") pool?.stop();
  }

  dispose(): void {
    this.stop();
  }
}

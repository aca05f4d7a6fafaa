// One Run at a time: compile in the worker, then run on the pool, reporting each step.
// The DOM stays out of here so the state machine can be tested with stand-ins.

import type { CompileOptions, CompileResult } from "../compiler/api.js";
import type { Diagnostic } from "../compiler/diagnostics.js";
import type { RunResult, Runner, Trace } from "../wasm-runtime/api.js";

export type SessionStatus =
  | { kind: "idle" }
  | { kind: "compiling" }
  | { kind: "compile-failed"; errors: number }
  | { kind: "running"; workers: number }
  | { kind: "finished"; result: RunResult }
  /** Something outside the program failed: the compiler or the runner itself. */
  | { kind: "failed"; message: string };

export interface SessionCompiler {
  compile(source: string, options?: CompileOptions): Promise<CompileResult>;
}

export interface SessionEvents {
  status(status: SessionStatus): void;
  /** Output is about to start for a new Run: clear the previous one. */
  reset(): void;
  diagnostics(diagnostics: Diagnostic[]): void;
  /** The compiler's answer, with its effects and concurrency reports (before the run starts), and
   * the source it was compiled from (the reports' offsets point into it). */
  compiled?(result: CompileResult, source: string): void;
  output(fd: 1 | 2, text: string): void;
  trace(trace: Trace | undefined): void;
}

export interface RunRequest {
  source: string;
  workers: number;
  trace: boolean;
  /** Measure work and span (RunResult.profile). */
  profile?: boolean;
  fileName?: string;
}

/** A generous ceiling so a forgotten endless loop ends on its own eventually. */
export const RUN_TIMEOUT_MS = 120_000;

export class Session {
  private current: { token: number; phase: "compiling" | "running" } | undefined;
  private nextToken = 1;

  constructor(
    private readonly compiler: SessionCompiler,
    private readonly runner: Runner | undefined,
    private readonly events: SessionEvents,
  ) {}

  get busy(): boolean {
    return this.current !== undefined;
  }

  /** Compile and run; resolves when the Run is over (finished, failed or stopped). */
  async run(request: RunRequest): Promise<void> {
    if (this.current) return;
    const token = this.nextToken++;
    this.current = { token, phase: "compiling" };
    const stillCurrent = (): boolean => this.current?.token === token;
    this.events.reset();
    this.events.status({ kind: "compiling" });

    let compiled: CompileResult;
    try {
      compiled = await this.compiler.compile(request.source, { fileName: request.fileName ?? "main.kara" });
    } catch (err) {
      if (stillCurrent()) this.end({ kind: "failed", message: errorText(err) });
      return;
    }
    if (!stillCurrent()) return; // stopped while compiling
    this.events.diagnostics(compiled.diagnostics);
    this.events.compiled?.(compiled, request.source);
    if (!compiled.ok || !compiled.wasm) {
      const errors = compiled.diagnostics.filter((d) => d.severity === "error").length;
      this.end({ kind: "compile-failed", errors });
      return;
    }
    if (!this.runner) {
      this.end({ kind: "failed", message: "the worker pool is not available" });
      return;
    }

    const workers = Math.max(1, Math.min(this.runner.size, request.workers));
    this.current = { token, phase: "running" };
    this.events.status({ kind: "running", workers });
    let result: RunResult;
    try {
      result = await this.runner.run({
        wasm: compiled.wasm,
        workers,
        trace: request.trace,
        profile: request.profile,
        timeoutMs: RUN_TIMEOUT_MS,
        onOutput: (fd, text) => {
          if (stillCurrent()) this.events.output(fd, text);
        },
      });
    } catch (err) {
      if (stillCurrent()) this.end({ kind: "failed", message: errorText(err) });
      return;
    }
    if (!stillCurrent()) return;
    this.events.trace(result.trace);
    this.end({ kind: "finished", result });
  }

  /** Stop the current Run, whatever it is doing. */
  stop(): void {
    const current = this.current;
    if (!current) return;
    if (current.phase === "running") {
      // The runner resolves run() with status "stopped"; run() reports it.
      this.runner?.stop();
      return;
    }
    // Compiling: the compiler cannot be interrupted, so its result is dropped when it arrives.
    this.end({ kind: "finished", result: { status: "stopped", exitCode: 1, message: "stopped", wallMs: 0 } });
  }

  private end(status: SessionStatus): void {
    this.current = undefined;
    this.events.status(status);
  }
}

function errorText(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

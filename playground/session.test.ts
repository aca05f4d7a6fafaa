import { describe, expect, it } from "vitest";
import type { CompileResult } from "../compiler/api.js";
import type { Diagnostic } from "../compiler/diagnostics.js";
import type { RunOptions, RunResult, Runner } from "../wasm-runtime/api.js";
import { Session, type SessionEvents, type SessionStatus } from "./session.js";

function deferred<T>() {
  let resolve!: (v: T) => void;
  let reject!: (e: unknown) => void;
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}

const WASM = new Uint8Array([0, 97, 115, 109, 1, 0, 0, 0]);
const okCompile = (): CompileResult => ({ ok: true, wasm: WASM, diagnostics: [], timings: [] });
const syntaxError: Diagnostic = {
  code: "E0020",
  severity: "error",
  phase: "parse",
  message: "expected an expression",
  span: { offset: 4, length: 1, line: 1, column: 5 },
};

/** A runner that records its calls and finishes when the test says so. */
class ScriptedRunner implements Runner {
  readonly size = 4;
  calls: RunOptions[] = [];
  stops = 0;
  private pending?: ReturnType<typeof deferred<RunResult>>;
  run(options: RunOptions): Promise<RunResult> {
    this.calls.push(options);
    this.pending = deferred<RunResult>();
    return this.pending.promise;
  }
  finish(result: RunResult): void {
    this.pending!.resolve(result);
  }
  stop(): void {
    this.stops++;
    this.finish({ status: "stopped", exitCode: 1, message: "stopped", wallMs: 5 });
  }
  dispose(): void {}
}

function recorder() {
  const log: string[] = [];
  const statuses: SessionStatus[] = [];
  const events: SessionEvents = {
    status: (s) => {
      statuses.push(s);
      log.push(`status:${s.kind}`);
    },
    reset: () => log.push("reset"),
    diagnostics: (ds) => log.push(`diagnostics:${ds.length}`),
    output: (fd, text) => log.push(`out${fd}:${text}`),
    trace: (t) => log.push(`trace:${t ? t.tasks.length : "none"}`),
  };
  return { log, statuses, events };
}

const tick = () => new Promise((r) => setTimeout(r, 0));

describe("Session", () => {
  it("compiles, runs with the chosen workers, streams output and reports the result", async () => {
    const runner = new ScriptedRunner();
    const { log, statuses, events } = recorder();
    const session = new Session({ compile: async () => okCompile() }, runner, events);
    const done = session.run({ source: "fn main() {}", workers: 9, trace: true });
    await tick();
    expect(session.busy).toBe(true);
    expect(runner.calls[0].workers).toBe(4); // clamped to the pool
    expect(runner.calls[0].trace).toBe(true);
    expect(runner.calls[0].wasm).toBe(WASM);
    runner.calls[0].onOutput!(1, "hello\n");
    runner.calls[0].onOutput!(2, "warn\n");
    runner.finish({ status: "ok", exitCode: 0, wallMs: 12, trace: { workers: 4, tasks: [] } });
    await done;
    expect(log).toEqual(["reset", "status:compiling", "diagnostics:0", "status:running", "out1:hello\n", "out2:warn\n", "trace:0", "status:finished"]);
    expect(statuses.at(-1)).toEqual({ kind: "finished", result: { status: "ok", exitCode: 0, wallMs: 12, trace: { workers: 4, tasks: [] } } });
    expect(session.busy).toBe(false);
  });

  it("reports compile errors and never starts the runner", async () => {
    const runner = new ScriptedRunner();
    const { log, statuses, events } = recorder();
    const session = new Session({ compile: async () => ({ ok: false, diagnostics: [syntaxError, { ...syntaxError, severity: "warning" }], timings: [] }) }, runner, events);
    await session.run({ source: "fn (", workers: 1, trace: false });
    expect(runner.calls).toEqual([]);
    expect(log).toContain("diagnostics:2");
    expect(statuses.at(-1)).toEqual({ kind: "compile-failed", errors: 1 });
  });

  it("Stop while running asks the runner to stop and reports stopped", async () => {
    const runner = new ScriptedRunner();
    const { statuses, events } = recorder();
    const session = new Session({ compile: async () => okCompile() }, runner, events);
    const done = session.run({ source: "", workers: 2, trace: false });
    await tick();
    session.stop();
    await done;
    expect(runner.stops).toBe(1);
    const last = statuses.at(-1)!;
    expect(last.kind === "finished" && last.result.status).toBe("stopped");
  });

  it("Stop while compiling drops the late compile result and frees the session at once", async () => {
    const runner = new ScriptedRunner();
    const { log, events } = recorder();
    const compile = deferred<CompileResult>();
    const session = new Session({ compile: () => compile.promise }, runner, events);
    const done = session.run({ source: "", workers: 2, trace: false });
    session.stop();
    expect(session.busy).toBe(false);
    compile.resolve(okCompile());
    await done;
    expect(runner.calls).toEqual([]);
    expect(log.filter((l) => l.startsWith("status:"))).toEqual(["status:compiling", "status:finished"]);
  });

  it("ignores a second Run while one is in progress", async () => {
    const runner = new ScriptedRunner();
    let compiles = 0;
    const { events } = recorder();
    const session = new Session({ compile: async () => (compiles++, okCompile()) }, runner, events);
    const first = session.run({ source: "", workers: 1, trace: false });
    await session.run({ source: "", workers: 1, trace: false });
    await tick();
    runner.finish({ status: "ok", exitCode: 0, wallMs: 1 });
    await first;
    expect(compiles).toBe(1);
    expect(runner.calls.length).toBe(1);
  });

  it("turns a compiler failure or a runner exception into a failed status", async () => {
    const { statuses, events } = recorder();
    await new Session({ compile: () => Promise.reject(new Error("compiler unavailable: 404")) }, new ScriptedRunner(), events).run({
      source: "",
      workers: 1,
      trace: false,
    });
    expect(statuses.at(-1)).toEqual({ kind: "failed", message: "compiler unavailable: 404" });

    const throwing: Runner = { size: 1, run: () => Promise.reject(new Error("a run is already in progress")), stop() {}, dispose() {} };
    await new Session({ compile: async () => okCompile() }, throwing, events).run({ source: "", workers: 1, trace: false });
    expect(statuses.at(-1)).toEqual({ kind: "failed", message: "a run is already in progress" });

    await new Session({ compile: async () => okCompile() }, undefined, events).run({ source: "", workers: 1, trace: false });
    expect(statuses.at(-1)).toEqual({ kind: "failed", message: "the worker pool is not available" });
  });
});

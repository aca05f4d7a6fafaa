// A compile sandbox: one worker thread running the oracle, restarted when an input exceeds its
// time limit. A timeout is confirmed with a second, longer attempt before it counts as a hang,
// because the machine may simply be busy.

import { Worker } from "node:worker_threads";
import type { CompileOptions } from "../api.js";
import { judge, type Outcome } from "./oracle.js";

export type SandboxOutcome = Outcome | { kind: "hang"; ms: number; phase: string; signature: string; message: string };

/** Something that compiles an input and classifies the outcome, with a time limit. */
export interface Judge {
  judge(source: string, options?: CompileOptions & { validate?: boolean }): Promise<SandboxOutcome>;
  dispose(): void;
}

/**
 * Compiles in this thread: no start-up cost, so it suits the short run inside `npm test`, but it
 * cannot stop a compile that never ends; an input over the limit is reported as a hang once it
 * finishes, and a true infinite loop shows up as the test's own timeout.
 */
export class InlineJudge implements Judge {
  constructor(private readonly timeoutMs: number) {}
  async judge(source: string, options: CompileOptions & { validate?: boolean } = {}): Promise<SandboxOutcome> {
    const o = await judge(source, options);
    if (o.ms > this.timeoutMs) return { kind: "hang", ms: o.ms, phase: "compile()", signature: "hang", message: `compile took ${o.ms.toFixed(0)} ms (limit ${this.timeoutMs} ms)` };
    return o;
  }
  dispose(): void {}
}

const ENTRY = new URL("./worker.mjs", import.meta.url);

export class Sandbox implements Judge {
  private worker?: Worker;
  private ready?: Promise<void>;
  private nextId = 1;

  constructor(private readonly timeoutMs: number) {}

  private start(): Promise<void> {
    if (this.ready) return this.ready;
    // The stack of a browser worker or of `kara`'s main thread (about 1 MB), so a compile that
    // recurses too deeply for the playground or the CLI crashes here too.
    const w = new Worker(ENTRY, { resourceLimits: { stackSizeMb: 1, maxOldGenerationSizeMb: 1024 } });
    this.worker = w;
    this.ready = new Promise((resolve, reject) => {
      const onMessage = (m: { ready?: boolean }) => {
        if (m.ready) {
          w.off("message", onMessage);
          resolve();
        }
      };
      w.on("message", onMessage);
      w.once("error", reject);
    });
    return this.ready;
  }

  private kill(): void {
    void this.worker?.terminate();
    this.worker = undefined;
    this.ready = undefined;
  }

  private async attempt(source: string, options: CompileOptions & { validate?: boolean }, limitMs: number): Promise<SandboxOutcome | "timeout"> {
    await this.start();
    const w = this.worker!;
    const id = this.nextId++;
    const t0 = performance.now();
    return new Promise((resolve) => {
      const done = (v: SandboxOutcome | "timeout") => {
        clearTimeout(timer);
        w.off("message", onMessage);
        w.off("error", onError);
        w.off("exit", onExit);
        resolve(v);
      };
      const onMessage = (m: { id?: number; outcome?: Outcome }) => {
        if (m.id === id && m.outcome) done(m.outcome);
      };
      // A worker that dies (stack or heap exhaustion) is a crash of the compiler on this input.
      const onError = (e: unknown) => {
        this.kill();
        const message = e instanceof Error ? `${e.name}: ${e.message}` : String(e);
        done({ kind: "crash", ms: performance.now() - t0, phase: "compile()", signature: `worker died: ${message.slice(0, 80)}`, message });
      };
      const onExit = (code: number) => {
        this.kill();
        done({ kind: "crash", ms: performance.now() - t0, phase: "compile()", signature: `worker exited ${code}`, message: `worker exited with code ${code}` });
      };
      const timer = setTimeout(() => {
        this.kill();
        done("timeout");
      }, limitMs);
      w.on("message", onMessage);
      w.once("error", onError);
      w.once("exit", onExit);
      w.postMessage({ id, source, options });
    });
  }

  async judge(source: string, options: CompileOptions & { validate?: boolean } = {}): Promise<SandboxOutcome> {
    const first = await this.attempt(source, options, this.timeoutMs);
    if (first !== "timeout") return first;
    const second = await this.attempt(source, options, this.timeoutMs * 4);
    if (second !== "timeout") return second;
    return { kind: "hang", ms: this.timeoutMs * 4, phase: "compile()", signature: "hang", message: `compile did not finish within ${this.timeoutMs * 4} ms` };
  }

  dispose(): void {
    this.kill();
  }
}

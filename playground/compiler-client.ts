// The page's handle on the compile worker: turns its messages into promises and a load state
// the status line can show.

import type { CompileOptions, CompileResult, ProgramFile } from "../compiler/api.js";
import type { FormatResult } from "../compiler/fmt/index.js";
import type { CodeIndex } from "./code-index.js";
import type { CompileReply, CompileRequest } from "./compile-protocol.js";

/** A check's answer: the compiler's result and, when asked for and the program is clean, its index. */
export interface CheckAnswer {
  result: CompileResult;
  index?: CodeIndex;
}

export type CompilerLoadState =
  /** `loaded`/`total`: bytes of the compiler's WebAssembly so far, once the download reports them. */
  | { kind: "loading"; loaded?: number; total?: number }
  | { kind: "ready"; loadMs: number }
  | { kind: "failed"; message: string };

/** The part of a Worker the client uses (a real Worker, or a stand-in in tests). */
export interface CompileWorkerLike {
  postMessage(message: CompileRequest): void;
  onmessage: ((event: MessageEvent<CompileReply>) => void) | null;
  onerror: ((event: ErrorEvent) => void) | null;
}

interface Pending {
  resolve(answer: CheckAnswer | undefined): void;
  formatted?(result: FormatResult): void;
  reject(error: Error): void;
}

export class CompilerClient {
  private state: CompilerLoadState = { kind: "loading" };
  private readonly pending = new Map<number, Pending>();
  private readonly listeners = new Set<(state: CompilerLoadState) => void>();
  private nextId = 1;

  constructor(private readonly worker: CompileWorkerLike) {
    worker.onmessage = (event) => this.receive(event.data);
    worker.onerror = (event) => {
      event.preventDefault?.();
      this.fail(event.message || "the compile worker failed to start");
    };
  }

  get loadState(): CompilerLoadState {
    return this.state;
  }

  /** Calls `listener` now and on every change of the load state. */
  onLoadState(listener: (state: CompilerLoadState) => void): void {
    this.listeners.add(listener);
    listener(this.state);
  }

  async compile(source: string, options: CompileOptions = {}): Promise<CompileResult> {
    return (await this.request(source, options))!.result;
  }

  /**
   * A compile of which only the newest of the same `name` matters: resolves undefined when a newer
   * one arrived at the worker before this one started.
   */
  async compileLatest(name: string, source: string, options: CompileOptions = {}): Promise<CompileResult | undefined> {
    return (await this.request(source, options, name))?.result;
  }

  /** compileLatest, also describing the program's names for the editor when it checks cleanly. */
  checkLatest(name: string, source: string, options: CompileOptions = {}): Promise<CheckAnswer | undefined> {
    return this.request(source, options, name, true);
  }

  /** The program in `kara fmt`'s layout, or the parser's diagnostics when it does not parse. */
  format(source: string): Promise<FormatResult> {
    if (this.state.kind === "failed") return Promise.reject(new Error(`compiler unavailable: ${this.state.message}`));
    const id = this.nextId++;
    return new Promise<FormatResult>((resolve, reject) => {
      this.pending.set(id, { resolve: () => reject(new Error("unexpected compile answer to a format request")), formatted: resolve, reject });
      this.worker.postMessage({ type: "format", id, source });
    });
  }

  /**
   * The whole program for the editor's text `source`, when the page holds several files (file
   * tabs): every compile and check then builds all of them. Unset, a compile is of `source` alone.
   */
  programOf: ((source: string) => ProgramFile[]) | undefined;

  private request(source: string, options: CompileOptions, latest?: string, index?: boolean): Promise<CheckAnswer | undefined> {
    if (this.state.kind === "failed") return Promise.reject(new Error(`compiler unavailable: ${this.state.message}`));
    const id = this.nextId++;
    const files = this.programOf?.(source);
    return new Promise<CheckAnswer | undefined>((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      this.worker.postMessage({ type: "compile", id, source, options, ...(latest === undefined ? {} : { latest }), ...(index ? { index } : {}), ...(files && files.length > 1 ? { files } : {}) });
    });
  }

  private receive(reply: CompileReply): void {
    switch (reply.type) {
      case "ready":
        this.setState({ kind: "ready", loadMs: reply.loadMs });
        break;
      case "load-failed":
        this.fail(reply.message);
        break;
      case "result":
        this.settle(reply.id, (p) => p.resolve({ result: reply.result, index: reply.index }));
        break;
      case "formatted":
        this.settle(reply.id, (p) => p.formatted?.(reply.result));
        break;
      case "superseded":
        this.settle(reply.id, (p) => p.resolve(undefined));
        break;
      case "progress":
        if (this.state.kind === "loading") this.setState({ kind: "loading", loaded: reply.loaded, total: reply.total });
        break;
      case "crashed":
        this.settle(reply.id, (p) => p.reject(new Error(`the compiler crashed: ${reply.message}`)));
        break;
    }
  }

  private settle(id: number, action: (p: Pending) => void): void {
    const p = this.pending.get(id);
    if (!p) return;
    this.pending.delete(id);
    action(p);
  }

  private fail(message: string): void {
    this.setState({ kind: "failed", message });
    for (const p of this.pending.values()) p.reject(new Error(`compiler unavailable: ${message}`));
    this.pending.clear();
  }

  private setState(state: CompilerLoadState): void {
    this.state = state;
    for (const l of this.listeners) l(state);
  }
}

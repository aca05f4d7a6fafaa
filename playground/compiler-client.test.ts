import { describe, expect, it } from "vitest";
import type { CompileJob, CompileReply, CompileRequest } from "./compile-protocol.js";
import { CompilerClient, type CompileWorkerLike, type CompilerLoadState } from "./compiler-client.js";

class FakeWorker implements CompileWorkerLike {
  sent: CompileRequest[] = [];
  /** The compile requests among those sent. */
  get jobs(): CompileJob[] {
    return this.sent.filter((m): m is CompileJob => m.type === "compile");
  }
  onmessage: ((event: MessageEvent<CompileReply>) => void) | null = null;
  onerror: ((event: ErrorEvent) => void) | null = null;
  postMessage(message: CompileRequest): void {
    this.sent.push(message);
  }
  reply(data: CompileReply): void {
    this.onmessage!({ data } as MessageEvent<CompileReply>);
  }
}

describe("CompilerClient", () => {
  it("reports loading, then ready, to every listener", () => {
    const worker = new FakeWorker();
    const client = new CompilerClient(worker);
    const seen: CompilerLoadState[] = [];
    client.onLoadState((s) => seen.push(s));
    worker.reply({ type: "ready", loadMs: 420 });
    expect(seen).toEqual([{ kind: "loading" }, { kind: "ready", loadMs: 420 }]);
  });

  it("matches replies to requests by id, in any order", async () => {
    const worker = new FakeWorker();
    const client = new CompilerClient(worker);
    const a = client.compile("a", { fileName: "a.kara" });
    const b = client.compile("b");
    expect(worker.jobs.map((m) => [m.source, m.options.fileName])).toEqual([
      ["a", "a.kara"],
      ["b", undefined],
    ]);
    worker.reply({ type: "result", id: worker.sent[1].id, result: { ok: false, diagnostics: [], timings: [] } });
    worker.reply({ type: "crashed", id: worker.sent[0].id, message: "boom" });
    await expect(b).resolves.toEqual({ ok: false, diagnostics: [], timings: [] });
    await expect(a).rejects.toThrow("the compiler crashed: boom");
  });

  it("fails pending and later requests when the compiler cannot load", async () => {
    const worker = new FakeWorker();
    const client = new CompilerClient(worker);
    const pending = client.compile("x");
    worker.reply({ type: "load-failed", message: "network error" });
    await expect(pending).rejects.toThrow("compiler unavailable: network error");
    await expect(client.compile("y")).rejects.toThrow("compiler unavailable: network error");
    expect(client.loadState).toEqual({ kind: "failed", message: "network error" });
  });

  it("treats a worker that fails to start as a failed load", async () => {
    const worker = new FakeWorker();
    const client = new CompilerClient(worker);
    const pending = client.compile("x");
    worker.onerror!({ message: "script error", preventDefault() {} } as ErrorEvent);
    await expect(pending).rejects.toThrow("script error");
    expect(client.loadState.kind).toBe("failed");
  });
});

describe("CompilerClient: checks and progress", () => {
  it("names the lane of a latest-only request and resolves a superseded one with undefined", async () => {
    const worker = new FakeWorker();
    const client = new CompilerClient(worker);
    const first = client.compileLatest("check", "a", { checkOnly: true });
    const second = client.compileLatest("check", "ab", { checkOnly: true });
    expect(worker.jobs.map((m) => [m.latest, m.source, m.options.checkOnly])).toEqual([
      ["check", "a", true],
      ["check", "ab", true],
    ]);
    worker.reply({ type: "superseded", id: worker.sent[0].id });
    worker.reply({ type: "result", id: worker.sent[1].id, result: { ok: true, diagnostics: [], timings: [] } });
    await expect(first).resolves.toBeUndefined();
    await expect(second).resolves.toEqual({ ok: true, diagnostics: [], timings: [] });
    expect(client.compile("c")).toBeInstanceOf(Promise);
    expect(worker.jobs[2].latest).toBeUndefined();
  });

  it("reports download progress while loading, and not after", () => {
    const worker = new FakeWorker();
    const client = new CompilerClient(worker);
    const seen: CompilerLoadState[] = [];
    client.onLoadState((s) => seen.push(s));
    worker.reply({ type: "progress", loaded: 1000, total: 4000 });
    worker.reply({ type: "ready", loadMs: 10 });
    worker.reply({ type: "progress", loaded: 4000, total: 4000 });
    expect(seen).toEqual([{ kind: "loading" }, { kind: "loading", loaded: 1000, total: 4000 }, { kind: "ready", loadMs: 10 }]);
  });

  it("formats through the worker and resolves with the formatter's answer", async () => {
    const worker = new FakeWorker();
    const client = new CompilerClient(worker);
    const formatted = client.format("fn main(){}");
    expect(worker.sent).toEqual([{ type: "format", id: 1, source: "fn main(){}" }]);
    worker.reply({ type: "formatted", id: 1, result: { ok: true, text: "fn main() {}\n", changed: true } });
    await expect(formatted).resolves.toEqual({ ok: true, text: "fn main() {}\n", changed: true });
  });
});

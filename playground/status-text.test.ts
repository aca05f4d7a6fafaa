import { describe, expect, it } from "vitest";
import type { RunResult } from "../wasm-runtime/api.js";
import { formatMs, statusLine } from "./status-text.js";

const ready = { kind: "ready", loadMs: 1234 } as const;
const finished = (r: Partial<RunResult>) => ({ kind: "finished", result: { status: "ok", exitCode: 0, wallMs: 42, ...r } }) as const;

describe("status line", () => {
  it("shows compiler loading progress and readiness", () => {
    expect(statusLine({ kind: "loading" }, { kind: "idle" }, 2345)).toEqual({ state: "loading", text: "Loading compiler… 2.3 s", tone: "busy" });
    expect(statusLine(ready, { kind: "idle" }, 0).text).toBe("Ready (compiler loaded in 1.23 s)");
    expect(statusLine({ kind: "loading" }, { kind: "compiling" }, 500).text).toBe("Loading compiler… 0.5 s (Run will start when it is ready)");
    expect(statusLine({ kind: "failed", message: "404" }, { kind: "idle" }, 0).state).toBe("compiler-failed");
    expect(statusLine({ kind: "loading", loaded: 3_160_000, total: 10_200_000 }, { kind: "idle" }, 1200).text).toBe(
      "Loading compiler… 3.2 MB of 10.2 MB, 1.2 s",
    );
  });

  it("does not call a run with truncated output a plain success", () => {
    const line = statusLine(ready, finished({}), 0, 20_000);
    expect(line).toEqual({ state: "output-truncated", text: "Finished in 42 ms; output truncated after 20,000 lines", tone: "neutral" });
    // A failure stays a failure whether or not the output was cut.
    expect(statusLine(ready, finished({ status: "panic", exitCode: 1 }), 0, 20_000).state).toBe("panicked");
  });

  it("names every way a run can end", () => {
    expect(statusLine(ready, finished({}), 0)).toEqual({ state: "finished", text: "Finished in 42 ms", tone: "good" });
    expect(statusLine(ready, finished({ status: "panic", exitCode: 1 }), 0).state).toBe("panicked");
    expect(statusLine(ready, finished({ status: "stopped" }), 0).text).toBe("Stopped");
    expect(statusLine(ready, finished({ status: "timeout", message: "timed out after 120 s" }), 0).text).toBe("Timeout: timed out after 120 s");
    expect(statusLine(ready, finished({ status: "deadlock", wallMs: 2500 }), 0).text).toBe("Deadlock after 2.50 s");
    expect(statusLine(ready, finished({ status: "crash", message: "worker 1 failed" }), 0).text).toBe("Crashed: worker 1 failed");
    expect(statusLine(ready, finished({ status: "error-result", exitCode: 1 }), 0).state).toBe("error-result");
    expect(statusLine(ready, { kind: "compile-failed", errors: 2 }, 0).text).toBe("Compilation failed: 2 errors");
    expect(statusLine(ready, { kind: "running", workers: 1 }, 0).text).toBe("Running on 1 worker…");
  });

  it("formats durations", () => {
    expect(formatMs(0.04)).toBe("0.0 ms");
    expect(formatMs(2.345)).toBe("2.3 ms");
    expect(formatMs(999)).toBe("999 ms");
    expect(formatMs(12_345)).toBe("12.3 s");
  });
});

// The words of the status line, from the compiler's load state and the session's status.

import type { CompilerLoadState } from "./compiler-client.js";
import type { SessionStatus } from "./session.js";

export interface StatusLine {
  /** A stable name for the state (styling and tests). */
  state: string;
  text: string;
  tone: "neutral" | "busy" | "good" | "bad";
}

export function formatMs(ms: number): string {
  if (ms < 10) return `${ms.toFixed(1)} ms`;
  if (ms < 1000) return `${Math.round(ms)} ms`;
  return `${(ms / 1000).toFixed(ms < 10_000 ? 2 : 1)} s`;
}

export function formatMB(bytes: number): string {
  return `${(bytes / 1_000_000).toFixed(1)} MB`;
}

/**
 * @param loadElapsedMs how long the compiler has been loading (for the progress text)
 * @param outputTruncatedLines the output pane stopped after this many lines (its cap)
 */
export function statusLine(load: CompilerLoadState, session: SessionStatus, loadElapsedMs: number, outputTruncatedLines?: number): StatusLine {
  if (load.kind === "failed") return { state: "compiler-failed", text: `Compiler failed to load: ${load.message}`, tone: "bad" };
  const bytes =
    load.kind === "loading" && load.loaded !== undefined
      ? `${load.total ? `${formatMB(load.loaded)} of ${formatMB(load.total)}` : formatMB(load.loaded)}, `
      : "";
  const loading = `Loading compiler… ${bytes}${(loadElapsedMs / 1000).toFixed(1)} s`;
  switch (session.kind) {
    case "idle":
      if (load.kind === "loading") return { state: "loading", text: loading, tone: "busy" };
      return { state: "ready", text: `Ready (compiler loaded in ${formatMs(load.loadMs)})`, tone: "neutral" };
    case "compiling":
      if (load.kind === "loading") return { state: "loading", text: `${loading} (Run will start when it is ready)`, tone: "busy" };
      return { state: "compiling", text: "Compiling…", tone: "busy" };
    case "compile-failed":
      return { state: "compile-failed", text: `Compilation failed: ${plural(session.errors, "error")}`, tone: "bad" };
    case "running":
      return { state: "running", text: `Running on ${plural(session.workers, "worker")}…`, tone: "busy" };
    case "failed":
      return { state: "failed", text: `Failed: ${session.message}`, tone: "bad" };
    case "finished": {
      const r = session.result;
      const took = formatMs(r.wallMs);
      switch (r.status) {
        case "ok":
          if (outputTruncatedLines !== undefined) {
            const lines = outputTruncatedLines.toLocaleString("en");
            return { state: "output-truncated", text: `Finished in ${took}; output truncated after ${lines} lines`, tone: "neutral" };
          }
          return { state: "finished", text: `Finished in ${took}`, tone: "good" };
        case "panic":
          return { state: "panicked", text: `Panicked after ${took}`, tone: "bad" };
        case "error-result":
          return { state: "error-result", text: `main returned an error (exit code ${r.exitCode}) after ${took}`, tone: "bad" };
        case "stopped":
          return { state: "stopped", text: "Stopped", tone: "neutral" };
        case "timeout":
          return { state: "timeout", text: `Timeout: ${r.message ?? `stopped after ${took}`}`, tone: "bad" };
        case "deadlock":
          return { state: "deadlock", text: `Deadlock after ${took}`, tone: "bad" };
        case "crash":
          return { state: "crashed", text: `Crashed: ${r.message ?? "unknown reason"}`, tone: "bad" };
      }
    }
  }
}

export function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? "" : "s"}`;
}

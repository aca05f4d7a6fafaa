// Compiling a deeply nested program again on a thread with a large stack. The parser and the
// later phases walk the tree recursively; on the main thread V8 allows about 1 MB of stack, enough
// for a few hundred to a few thousand levels depending on the construct. Generated code nests
// deeper, and a worker thread's stack size can be chosen: a program reported as nested too deeply
// (E0059 from the parser, E0296 from a later phase) is compiled once more on such a thread. Other
// programs never pay for the extra thread.

import { existsSync } from "node:fs";
import { Worker } from "node:worker_threads";
import type { CompileOptions, CompileResult } from "../compiler/api.js";

export interface DeepCompileRequest {
  source: string;
  options: CompileOptions;
}

export type DeepCompileReply = { type: "result"; result: CompileResult } | { type: "error"; message: string };

/** The stack of the retry thread: about 250 times the main thread's. */
export const DEEP_STACK_MB = 256;

/** The built worker, next to the built CLI (cli/build.mjs); absent when running from the sources. */
const ENTRY = new URL("./deep-compile-worker.mjs", import.meta.url);

/** Whether the result failed only for want of stack: every error is a nesting-depth report. */
export function failedForDepth(result: CompileResult): boolean {
  const errors = result.diagnostics.filter((d) => d.severity === "error");
  return errors.length > 0 && errors.every((d) => d.code === "E0296" || (d.code === "E0059" && /nested too deeply/.test(d.message)));
}

/** `result`, or when it failed for depth, the result of compiling again on a large stack. */
export async function retryOnDeepStack(result: CompileResult, source: string, options: CompileOptions): Promise<CompileResult> {
  if (!failedForDepth(result) || !existsSync(ENTRY)) return result;
  const worker = new Worker(ENTRY, { resourceLimits: { stackSizeMb: DEEP_STACK_MB } });
  try {
    const reply = await new Promise<DeepCompileReply>((resolve, reject) => {
      worker.once("message", resolve);
      worker.once("error", reject);
      worker.once("exit", (code) => reject(new Error(`the compile thread exited with code ${code}`)));
      worker.postMessage({ source, options } satisfies DeepCompileRequest);
    });
    // The thread's own failure leaves the first result, which already says what went wrong.
    return reply.type === "result" ? reply.result : result;
  } catch {
    return result;
  } finally {
    void worker.terminate();
  }
}

// Code generation on a worker thread, for `kara build` and `kara run`. Binaryen takes longer to
// load than everything before code generation takes to run, and loading a module is work for
// the thread that imports it; on its own thread it overlaps the parse, check, effect and
// concurrency phases instead of following them. The lowered program crosses over by structured
// clone (plain data: objects, arrays, Maps), the wasm bytes come back transferred.

import { existsSync } from "node:fs";
import { Worker } from "node:worker_threads";
import type { TProgram } from "../compiler/tir/nodes.js";
import type { GenerateOptions, GenerateResult } from "../compiler/codegen/index.js";
import type { CodeGenerator } from "../compiler/compile.js";

export interface CodegenRequest {
  program: TProgram;
  options: GenerateOptions;
}

export type CodegenReply = { type: "ready" } | { type: "result"; result: GenerateResult } | { type: "error"; message: string };

/** The built worker, next to the built CLI (cli/build.mjs); absent when running from the sources. */
const ENTRY = new URL("./codegen-worker.mjs", import.meta.url);

export interface DisposableGenerator extends CodeGenerator {
  dispose(): void;
}

/**
 * A generator on its own thread, starting to load now. Run from the TypeScript sources, where no
 * built worker exists, it is undefined and compile() generates in this thread.
 */
export function startCodegenThread(): DisposableGenerator | undefined {
  if (!existsSync(ENTRY)) return undefined;
  const worker = new Worker(ENTRY);
  let pending: { resolve: (r: GenerateResult) => void; reject: (e: unknown) => void } | undefined;
  let failure: unknown;
  const ready = new Promise<void>((resolve, reject) => {
    worker.on("message", (reply: CodegenReply) => {
      if (reply.type === "ready") resolve();
      else if (reply.type === "result") pending?.resolve(reply.result);
      else pending?.reject(new Error(reply.message));
      if (reply.type !== "ready") pending = undefined;
    });
    const fail = (e: unknown): void => {
      failure ??= e;
      reject(e);
      pending?.reject(e);
      pending = undefined;
    };
    worker.on("error", fail);
    worker.on("exit", (code) => fail(new Error(`the code generation thread exited with code ${code}`)));
  });
  ready.catch(() => {}); // compile() awaits it only when the analyses succeed
  return {
    ready,
    generate(program, options) {
      if (failure !== undefined) return Promise.reject(failure);
      return new Promise<GenerateResult>((resolve, reject) => {
        try {
          worker.postMessage({ program, options } satisfies CodegenRequest);
          pending = { resolve, reject };
        } catch (e) {
          // A program that cannot be cloned (not plain data) is generated here instead.
          if (!(e instanceof Error && e.name === "DataCloneError")) throw e;
          import("../compiler/codegen/index.js").then((m) => resolve(m.generate(program, options)), reject);
        }
      });
    },
    dispose: () => void worker.terminate(),
  };
}

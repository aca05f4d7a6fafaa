// worker_threads entry that compiles one program on a thread started with a large stack (see
// deep-stack-compile.ts), code generation included.

import { parentPort } from "node:worker_threads";
import { compile } from "../compiler/compile.js";
import type { DeepCompileReply, DeepCompileRequest } from "./deep-stack-compile.js";

const port = parentPort;
if (!port) throw new Error("deep-compile-worker must run inside worker_threads");

port.once("message", (request: DeepCompileRequest) => {
  compile(request.source, request.options).then(
    (result) => port.postMessage({ type: "result", result } satisfies DeepCompileReply, result.wasm ? [result.wasm.buffer as ArrayBuffer] : []),
    (e: unknown) => port.postMessage({ type: "error", message: e instanceof Error ? e.message : String(e) } satisfies DeepCompileReply),
  );
});

// worker_threads entry that generates code for the CLI (see codegen-thread.ts). Loading this
// module loads Binaryen, on this thread, while the main thread runs the analyses.

import { parentPort } from "node:worker_threads";
import { generate } from "../compiler/codegen/index.js";
import type { CodegenReply, CodegenRequest } from "./codegen-thread.js";

const port = parentPort;
if (!port) throw new Error("codegen-worker must run inside worker_threads");

port.on("message", (request: CodegenRequest) => {
  let reply: CodegenReply;
  try {
    reply = { type: "result", result: generate(request.program, request.options) };
  } catch (e) {
    reply = { type: "error", message: e instanceof Error ? e.message : String(e) };
  }
  const wasm = reply.type === "result" ? reply.result.wasm : undefined;
  port.postMessage(reply, wasm ? [wasm.buffer as ArrayBuffer] : []);
});
port.postMessage({ type: "ready" } satisfies CodegenReply);

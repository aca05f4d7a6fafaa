// The compile worker: loads the compiler (with Binaryen, ~15 MB) off the page thread as soon
// as the worker starts, then answers compile requests in order. The page stays interactive
// while the compiler downloads; requests that arrive early wait for it.

import type { CompileReply, CompileRequest } from "./compile-protocol.js";

type CompileFn = typeof import("../compiler/compile.js").compile;

const scope = self as unknown as DedicatedWorkerGlobalScope;
const post = (reply: CompileReply, transfer: Transferable[] = []): void => scope.postMessage(reply, transfer);

const started = performance.now();
const compiler: Promise<CompileFn | undefined> = import("../compiler/compile.js").then(
  (m) => {
    post({ type: "ready", loadMs: performance.now() - started });
    return m.compile;
  },
  (err: unknown) => {
    post({ type: "load-failed", message: err instanceof Error ? err.message : String(err) });
    return undefined;
  },
);

// One compile at a time, in arrival order.
let queue: Promise<void> = Promise.resolve();

scope.onmessage = (event: MessageEvent<CompileRequest>) => {
  const request = event.data;
  if (request?.type !== "compile") return;
  queue = queue.then(() => handle(request));
};

async function handle(request: CompileRequest): Promise<void> {
  const compile = await compiler;
  if (!compile) return; // load-failed was already reported; the page fails pending requests
  try {
    const result = await compile(request.source, request.options);
    if (result.wasm) result.wasm = transferable(result.wasm);
    post({ type: "result", id: request.id, result }, result.wasm ? [result.wasm.buffer as ArrayBuffer] : []);
  } catch (err) {
    post({ type: "crashed", id: request.id, message: err instanceof Error ? err.message : String(err) });
  }
}

// Only a whole, plain ArrayBuffer can be transferred; a view into something larger (or shared)
// is copied first so the transfer never detaches memory the compiler still uses.
function transferable(bytes: Uint8Array): Uint8Array {
  const whole = bytes.byteOffset === 0 && bytes.byteLength === bytes.buffer.byteLength;
  return whole && bytes.buffer instanceof ArrayBuffer ? bytes : bytes.slice();
}

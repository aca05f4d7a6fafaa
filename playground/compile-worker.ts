// The compile worker: loads the compiler (with Binaryen, ~10 MB of wasm) off the page thread as
// soon as the worker starts, then answers compile requests in order. The page stays interactive
// while the compiler downloads; requests that arrive early wait for it.
//
// Start-up runs three things at once: Binaryen's wasm downloads and compiles on background
// threads (in a build, where it is a separate file), the compiler's JavaScript loads, and the
// front end warms up (its first parse is expensive) while Binaryen is still on its way. Once
// loaded, an idle worker also warms up the whole pipeline (see warm-up.ts).

import { compileBinaryen } from "virtual:binaryen-wasm";
import type { CompileResult } from "../compiler/api.js";
import { indexProgramFile, indexSource, type CodeIndex } from "./code-index.js";
import type { CompileJob, CompileReply, CompileRequest } from "./compile-protocol.js";

type CompileFn = typeof import("../compiler/compile.js").compile;

const scope = self as unknown as DedicatedWorkerGlobalScope;
const post = (reply: CompileReply, transfer: Transferable[] = []): void => scope.postMessage(reply, transfer);

const started = performance.now();
// Failures surface through Binaryen's own load (the compiler import below), not here.
compileBinaryen((loaded, total) => post({ type: "progress", loaded, total }))?.catch(() => {});
const warmUp = import("./warm-up.js");
const frontEndWarm: Promise<unknown> = warmUp.then((m) => m.warmUpFrontEnd()).catch(() => {});
// compile() loads the code generator (and Binaryen) only when first asked for a module; loading
// it here too keeps "ready" meaning Binaryen has loaded, and its failure a load failure.
const compiler: Promise<CompileFn | undefined> = Promise.all([import("../compiler/compile.js"), import("../compiler/codegen/index.js"), frontEndWarm]).then(
  ([m]) => {
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
let received = false;
/** Per `latest` name, the id of the newest request received. */
const newest = new Map<string, number>();

scope.onmessage = (event: MessageEvent<CompileRequest>) => {
  const request = event.data;
  if (request?.type === "format") {
    void format(request.id, request.source);
    return;
  }
  if (request?.type !== "compile") return;
  // Checks as the user types warm the front end themselves; only a Run (or the like) needs the
  // whole pipeline warm, so only those skip the idle warm-up.
  if (request.latest === undefined) received = true;
  else newest.set(request.latest, request.id);
  queue = queue.then(() => handle(request));
};

// A request already waiting gains nothing from a warm-up before it (it would pay the same
// first-use costs itself), so only an idle worker warms up. The timer lets requests that arrived
// while the compiler loaded (queued as message events) be seen first.
queue = queue.then(async () => {
  const compile = await compiler;
  await new Promise((resolve) => setTimeout(resolve, 0));
  if (!compile || received) return;
  await (await warmUp).warmUpCompile(compile);
}).catch(() => {}); // a failed warm-up must not stall the queue

async function handle(request: CompileJob): Promise<void> {
  const compile = await compiler;
  if (!compile) return; // load-failed was already reported; the page fails pending requests
  if (request.latest !== undefined && newest.get(request.latest) !== request.id) {
    post({ type: "superseded", id: request.id });
    return;
  }
  try {
    const several = request.files !== undefined && request.files.length > 1;
    const result = several ? await (await import("../compiler/compile.js")).compileFiles(request.files!, request.options) : await compile(request.source, request.options);
    if (result.wasm) result.wasm = transferable(result.wasm);
    // The index describes the names of the file shown (`source`); in a program of several files
    // it comes from a check of the whole program, so other modules' items are known.
    const index = request.index ? await codeIndex(request, several, result) : undefined;
    post({ type: "result", id: request.id, result, index }, result.wasm ? [result.wasm.buffer as ArrayBuffer] : []);
  } catch (err) {
    post({ type: "crashed", id: request.id, message: err instanceof Error ? err.message : String(err) });
  }
}

/**
 * Formatting needs only the front end, so it does not wait behind compiles or for Binaryen: the
 * formatter (and the parser it shares with the compiler) loads on the first request.
 */
async function format(id: number, source: string): Promise<void> {
  try {
    const { formatSource } = await import("../compiler/fmt/index.js");
    post({ type: "formatted", id, result: formatSource(source, "main.kara") });
  } catch (err) {
    post({ type: "crashed", id, message: err instanceof Error ? err.message : String(err) });
  }
}

/** The editor's description of a program that checked cleanly; none (never a crash) otherwise. */
async function codeIndex(request: CompileJob, several: boolean, result: CompileResult): Promise<CodeIndex | undefined> {
  if (result.effects === undefined || result.diagnostics.some((d) => d.severity === "error")) return undefined;
  try {
    if (!several) return await indexSource(request.source, request.options.fileName ?? "main.kara", result.effects);
    const active = request.files!.findIndex((f) => f.text === request.source);
    return active < 0 ? undefined : await indexProgramFile(request.files!, active, result.effects);
  } catch {
    return undefined; // hover and completion keep the previous description
  }
}

// Only a whole, plain ArrayBuffer can be transferred; a view into something larger (or shared)
// is copied first so the transfer never detaches memory the compiler still uses.
function transferable(bytes: Uint8Array): Uint8Array {
  const whole = bytes.byteOffset === 0 && bytes.byteLength === bytes.buffer.byteLength;
  return whole && bytes.buffer instanceof ArrayBuffer ? bytes : bytes.slice();
}

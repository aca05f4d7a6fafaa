// Compiling and running the Kāra programs of bench/programs in-process: one compile per build,
// one shared worker pool, output checked against an independently computed answer on every run.

import { readFile } from "node:fs/promises";
import { fileURLToPath } from "node:url";
import { compile, type CodeGenerator } from "../compiler/compile.js";
import { generate, type GenerateOptions } from "../compiler/codegen/index.js";
import type { Runner } from "../wasm-runtime/api.js";

export const ROOT = fileURLToPath(new URL("..", import.meta.url));

export async function compileProgram(name: string, autoPar: boolean): Promise<Uint8Array> {
  const fileName = `bench/programs/${name}.kara`;
  const source = await readFile(ROOT + fileName, "utf8");
  const r = await compile(source, { fileName, autoPar });
  if (!r.ok || !r.wasm) {
    const d = r.diagnostics.find((x) => x.severity === "error");
    throw new Error(`${fileName} does not compile: ${d ? `${d.code} ${d.span.line}:${d.span.column} ${d.message}` : "no wasm"}`);
  }
  return r.wasm;
}

/**
 * A sequential build (auto-par off, as `kara run --no-auto-par`) of a bench program or a `.kara`
 * file with some code generator options changed: the A/B benches compare builds made this way.
 */
export async function buildWithCodegen(name: string, codegen: Partial<GenerateOptions>): Promise<Uint8Array> {
  const fileName = name.endsWith(".kara") ? name : `bench/programs/${name}.kara`;
  const generator: () => CodeGenerator = () => ({ ready: Promise.resolve(), generate: (program, options) => generate(program, { ...options, ...codegen }) });
  const r = await compile(await readFile(name.endsWith(".kara") ? name : ROOT + fileName, "utf8"), { fileName, autoPar: false }, generator);
  if (!r.wasm) throw new Error(`${fileName} does not compile: ${r.diagnostics[0]?.message ?? ""}`);
  return r.wasm;
}

/** Runs a module once and returns its wall time in ms; throws if it fails or prints the wrong thing. */
export async function timeRun(runner: Runner, wasm: Uint8Array, workers: number, expected: string, label: string): Promise<number> {
  let out = "";
  const r = await runner.run({ wasm, workers, timeoutMs: 120_000, onOutput: (fd, t) => void (fd === 1 && (out += t)) });
  if (r.status !== "ok") throw new Error(`${label} on ${workers} worker(s): ${r.status} ${r.message ?? ""}`);
  if (out !== expected) throw new Error(`${label} on ${workers} worker(s) printed ${JSON.stringify(out)}, expected ${JSON.stringify(expected)}`);
  return r.wallMs;
}

/** Compile-and-check a tiny program whose run time is the fixed cost of any run (instantiation, start, exit). */
export async function emptyProgram(): Promise<Uint8Array> {
  const r = await compile("fn main() {\n    println(0);\n}\n", { fileName: "bench/empty.kara" });
  if (!r.wasm) throw new Error("the empty program does not compile");
  return r.wasm;
}

let nonceCounter = 0;

/**
 * The same module with a unique custom section appended. V8 caches compiled modules by their
 * bytes, and the pool's workers live across runs, so re-running identical bytes reuses code that
 * has already been optimised; unique bytes force the first-run path a user sees (baseline tier
 * first, optimised code only for calls that start after tier-up).
 */
export function freshBytes(wasm: Uint8Array): Uint8Array {
  const name = [...new TextEncoder().encode("bench")];
  const nonce = new Uint8Array(new Float64Array([++nonceCounter + Math.random()]).buffer);
  const payload = [name.length, ...name, ...nonce];
  const out = new Uint8Array(wasm.length + 2 + payload.length);
  out.set(wasm);
  out.set([0, payload.length, ...payload], wasm.length);
  return out;
}

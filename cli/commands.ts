// The `kara` subcommands. Each returns the process exit code; output goes to the given streams.

import { readFile, writeFile } from "node:fs/promises";
import type { CompileOptions, CompileResult } from "../compiler/api.js";
import { diagnosticToJson, renderDiagnostic } from "../compiler/diagnostics.js";
import { applyFixes } from "../compiler/fixes.js";
import type { Trace } from "../wasm-runtime/api.js";
import type { Command } from "./args.js";

export interface Streams {
  stdout: (text: string) => void;
  stderr: (text: string) => void;
}

type Compile = (source: string, options?: CompileOptions) => Promise<CompileResult>;

// The compiler (and Binaryen) load only for commands that compile, so usage errors stay fast.
async function loadCompiler(): Promise<Compile> {
  const mod = await import("../compiler/compile.js");
  return mod.compile;
}

class CliError extends Error {}

async function readSource(file: string): Promise<string> {
  try {
    return await readFile(file, "utf8");
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    throw new CliError(code === "ENOENT" ? `cannot read '${file}': no such file` : `cannot read '${file}': ${(e as Error).message}`);
  }
}

function printDiagnostics(result: CompileResult, file: string, source: string, io: Streams): void {
  for (const d of result.diagnostics) io.stderr(renderDiagnostic(d, file, source) + "\n");
}

async function compileFile(file: string, options: CompileOptions): Promise<{ result: CompileResult; source: string }> {
  const source = await readSource(file);
  const compile = await loadCompiler();
  const result = await compile(source, { fileName: file, ...options });
  return { result, source };
}

export async function execute(cmd: Command, io: Streams): Promise<number> {
  try {
    switch (cmd.kind) {
      case "help":
        return 0; // main prints the usage
      case "check":
        return await check(cmd, io);
      case "fix":
        return await fix(cmd, io);
      case "build":
        return await build(cmd, io);
      case "run":
        return await run(cmd, io);
      case "query":
        return await query(cmd, io);
    }
  } catch (e) {
    if (e instanceof CliError) {
      io.stderr(`error: ${e.message}\n`);
      return 1;
    }
    throw e;
  }
}

async function check(cmd: Extract<Command, { kind: "check" }>, io: Streams): Promise<number> {
  const { result, source } = await compileFile(cmd.file, {});
  const failed = result.diagnostics.some((d) => d.severity === "error");
  if (cmd.json) {
    io.stdout(JSON.stringify({ diagnostics: result.diagnostics.map(diagnosticToJson) }, null, 2) + "\n");
  } else {
    printDiagnostics(result, cmd.file, source, io);
  }
  return failed ? 1 : 0;
}

// A fix can uncover the next mistake (a parse error hides later phases), so repeat while fixes apply.
const MAX_FIX_ROUNDS = 10;

async function fix(cmd: Extract<Command, { kind: "fix" }>, io: Streams): Promise<number> {
  let { result, source } = await compileFile(cmd.file, {});
  let total = 0;
  for (let round = 0; round < MAX_FIX_ROUNDS; round++) {
    const next = applyFixes(source, result.diagnostics);
    if (next.applied === 0) break;
    total += next.applied;
    source = next.source;
    await writeOut(cmd.file, source);
    ({ result, source } = await compileFile(cmd.file, {}));
  }
  io.stderr(`applied ${total} fix${total === 1 ? "" : "es"} to ${cmd.file}\n`);
  printDiagnostics(result, cmd.file, source, io);
  return result.diagnostics.some((d) => d.severity === "error") ? 1 : 0;
}

async function build(cmd: Extract<Command, { kind: "build" }>, io: Streams): Promise<number> {
  const { result, source } = await compileFile(cmd.file, { emitText: cmd.wat });
  printDiagnostics(result, cmd.file, source, io);
  if (!result.ok || !result.wasm) return 1;
  await writeOut(cmd.out, result.wasm);
  if (cmd.wat && result.wat !== undefined) await writeOut(cmd.out.replace(/\.wasm$/, "") + ".wat", result.wat);
  return 0;
}

async function writeOut(path: string, data: Uint8Array | string): Promise<void> {
  try {
    await writeFile(path, data);
  } catch (e) {
    throw new CliError(`cannot write '${path}': ${(e as Error).message}`);
  }
}

async function run(cmd: Extract<Command, { kind: "run" }>, io: Streams): Promise<number> {
  const { createNodeRunner, defaultPoolSize } = await import("../wasm-runtime/node.js");
  const workers = cmd.workers ?? defaultPoolSize();
  // Workers start up on their own threads while this one compiles.
  const runner = createNodeRunner(workers);
  try {
    const wasm = cmd.file.endsWith(".wasm") ? await readModule(cmd.file) : await compileForRun(cmd, io);
    if (!wasm) return 1;
    const outcome = await runner.run({
      wasm,
      workers,
      memoryPages: cmd.memoryPages,
      trace: cmd.traceOut !== undefined,
      timeoutMs: cmd.timeoutSeconds !== undefined ? cmd.timeoutSeconds * 1000 : undefined,
      onOutput: (fd, text) => (fd === 1 ? io.stdout(text) : io.stderr(text)),
    });
    if (cmd.traceOut !== undefined) {
      const trace: Trace = outcome.trace ?? { workers, tasks: [] };
      await writeOut(cmd.traceOut, JSON.stringify(trace) + "\n");
    }
    // A panic line is program output (stdout, as karac prints it); other endings are ours.
    if (outcome.status !== "ok" && outcome.status !== "panic" && outcome.message) io.stderr(`error: ${outcome.message}\n`);
    return outcome.exitCode;
  } finally {
    runner.dispose();
  }
}

/** A module written by `kara build` runs as is. */
async function readModule(file: string): Promise<Uint8Array> {
  try {
    return new Uint8Array(await readFile(file));
  } catch (e) {
    throw new CliError(`cannot read '${file}': ${(e as Error).message}`);
  }
}

async function compileForRun(cmd: Extract<Command, { kind: "run" }>, io: Streams): Promise<Uint8Array | undefined> {
  const { result, source } = await compileFile(cmd.file, { autoPar: cmd.autoPar });
  printDiagnostics(result, cmd.file, source, io);
  return result.ok ? result.wasm : undefined;
}

async function query(cmd: Extract<Command, { kind: "query" }>, io: Streams): Promise<number> {
  const { result, source } = await compileFile(cmd.file, {});
  if (result.diagnostics.some((d) => d.severity === "error")) {
    printDiagnostics(result, cmd.file, source, io);
    return 1;
  }
  const data = cmd.what === "effects" ? result.effects : result.concurrency;
  if (cmd.fn === undefined) {
    io.stdout(JSON.stringify(data ?? null, null, 2) + "\n");
    return 0;
  }
  const entry = findFunction(data, cmd.fn);
  if (entry === undefined) {
    io.stderr(`error: function '${cmd.fn}' not found\n`);
    return 1;
  }
  io.stdout(JSON.stringify(entry, null, 2) + "\n");
  return 0;
}

/**
 * The per-function reports are either keyed by function name or a list of entries that carry
 * the name (`name`, `function` or `fn`), possibly under a `functions` field.
 */
export function findFunction(data: unknown, fn: string): unknown {
  if (data === null || typeof data !== "object") return undefined;
  if (Array.isArray(data)) {
    return data.find((e) => e && typeof e === "object" && [e.name, e.function, e.fn].includes(fn));
  }
  const record = data as Record<string, unknown>;
  if ("functions" in record) return findFunction(record.functions, fn);
  return Object.prototype.hasOwnProperty.call(record, fn) ? record[fn] : undefined;
}

// The `kara` subcommands. Each returns the process exit code; output goes to the given streams.

import { readFile, writeFile } from "node:fs/promises";
import type { CompileOptions, CompileResult } from "../compiler/api.js";
import { diagnosticToJson, renderDiagnostic } from "../compiler/diagnostics.js";
import { applyFixes } from "../compiler/fixes.js";
import { decodeSource, type DecodedSource } from "../compiler/syntax/utf8.js";
import type { ProfileReport, RunResult, Trace } from "../wasm-runtime/api.js";
import type { Command } from "./args.js";
import { startCodegenThread, type DisposableGenerator } from "./codegen-thread.js";
import { retryOnDeepStack } from "./deep-stack-compile.js";
import { runExitStatus } from "./exit-status.js";
import { timingTable, type TimedPhase } from "./timings.js";
import { displayPath, loadProgram, type LoadedProgram } from "./program-files.js";
import type { CodeGenerator } from "../compiler/compile.js";

export interface Streams {
  stdout: (text: string) => void;
  stderr: (text: string) => void;
}

type Compile = typeof import("../compiler/compile.js").compile;

// The compiler loads only for commands that compile, so usage errors stay fast; compile() itself
// loads codegen (and Binaryen) only when it is asked for a module, never for check, fix or query.
async function loadCompiler(): Promise<Compile> {
  const mod = await import("../compiler/compile.js");
  return mod.compile;
}

export class CliError extends Error {}

// Bytes that are not UTF-8 come back as diagnostics (E0008, at their line:col), and the file
// is then not compiled.
export async function readSource(file: string): Promise<DecodedSource> {
  try {
    return decodeSource(await readFile(file));
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    throw new CliError(code === "ENOENT" ? `cannot read '${file}': no such file` : `cannot read '${file}': ${(e as Error).message}`);
  }
}

function printDiagnostics(result: CompileResult, file: string, source: string, io: Streams, program?: LoadedProgram): void {
  for (const d of result.diagnostics) {
    // A program of several files: each diagnostic is shown in its own file.
    const own = program && d.file !== undefined ? program.files.find((f) => f.name === d.file) : undefined;
    io.stderr(renderDiagnostic(d, own ? displayPath(program!, own.name) : file, own ? own.text : source) + "\n");
  }
}

/**
 * The program `target` names when it has several files (a directory, or a file importing sibling
 * modules); undefined for a lone file, which compiles exactly as before.
 */
async function severalFiles(target: string): Promise<LoadedProgram | undefined> {
  const program = await loadProgram(target);
  return program.files.length > 1 || program.rootPath !== target ? program : undefined;
}

async function compileProgram(program: LoadedProgram, options: CompileOptions, codegen?: () => CodeGenerator): Promise<{ result: CompileResult; source: string; program: LoadedProgram }> {
  const source = program.files[0].text;
  if (program.diagnostics.length > 0) return { result: { ok: false, diagnostics: program.diagnostics, timings: [] }, source, program };
  const { compileFiles } = await import("../compiler/compile.js");
  const result = await compileFiles(program.files, { fileName: program.rootPath, ...options }, codegen);
  return { result, source, program };
}

/**
 * Compiles with analyses only (check, fix, query): Binaryen is never loaded. check and fix also
 * check the `test` blocks; the query reports describe the program without them.
 */
async function analyzeFile(file: string, checkTests = false, modules = false): Promise<{ result: CompileResult; source: string; program?: LoadedProgram }> {
  const program = modules ? await severalFiles(file) : undefined;
  if (program) return compileProgram(program, { checkOnly: true, checkTests });
  const { text: source, diagnostics } = await readSource(file);
  if (diagnostics.length > 0) return { result: { ok: false, diagnostics, timings: [] }, source };
  const compile = await loadCompiler();
  const options: CompileOptions = { fileName: file, checkOnly: true, checkTests };
  return { result: await retryOnDeepStack(await compile(source, options), source, options), source };
}

/**
 * Compiles to a module, generating code on the given thread (started by the caller as early as
 * it can be, so Binaryen loads while the analyses run); without one, compile() generates here.
 */
async function compileFile(
  file: string,
  options: CompileOptions,
  codegen: DisposableGenerator | undefined,
): Promise<{ result: CompileResult; source: string; program?: LoadedProgram }> {
  try {
    const program = await severalFiles(file);
    if (program) return await compileProgram(program, options, codegen && (() => codegen));
    const { text: source, diagnostics } = await readSource(file);
    if (diagnostics.length > 0) return { result: { ok: false, diagnostics, timings: [] }, source };
    const compile = await loadCompiler();
    const first = await compile(source, { fileName: file, ...options }, codegen && (() => codegen));
    return { result: await retryOnDeepStack(first, source, { fileName: file, ...options }), source };
  } finally {
    codegen?.dispose();
  }
}

/** Phase timings of one command, printed at its end when --timings asks for them. */
class Timings {
  private readonly phases: { phase: TimedPhase; ms: number }[] = [];
  /** From process start (performance's time origin) to the command's first step. */
  private readonly startupMs = performance.now();

  constructor(private readonly enabled: boolean) {}

  addCompile(result: CompileResult): void {
    this.phases.push(...result.timings);
  }

  addRun(outcome: RunResult): void {
    const startup = outcome.startupMs ?? 0;
    this.phases.push({ phase: "instantiate", ms: startup }, { phase: "run", ms: Math.max(0, outcome.wallMs - startup) });
  }

  print(io: Streams): void {
    if (this.enabled) io.stderr(timingTable(this.startupMs, this.phases, performance.now()));
  }
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
      case "fmt": {
        const { runFmt } = await import("./fmt-command.js");
        return await runFmt(cmd, io);
      }
      case "test": {
        const { runTests } = await import("./test-command.js");
        return await runTests(cmd, io);
      }
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
  const timings = new Timings(cmd.timings);
  const { result, source, program } = await analyzeFile(cmd.file, true, true);
  timings.addCompile(result);
  const failed = result.diagnostics.some((d) => d.severity === "error");
  if (cmd.json) {
    io.stdout(JSON.stringify({ diagnostics: result.diagnostics.map(diagnosticToJson) }, null, 2) + "\n");
  } else {
    printDiagnostics(result, cmd.file, source, io, program);
  }
  timings.print(io);
  return failed ? 1 : 0;
}

// A fix can uncover the next mistake (a parse error hides later phases), so repeat while fixes apply.
const MAX_FIX_ROUNDS = 10;

async function fix(cmd: Extract<Command, { kind: "fix" }>, io: Streams): Promise<number> {
  let { result, source } = await analyzeFile(cmd.file, true);
  let total = 0;
  for (let round = 0; round < MAX_FIX_ROUNDS; round++) {
    const next = applyFixes(source, result.diagnostics);
    if (next.applied === 0) break;
    total += next.applied;
    source = next.source;
    await writeOut(cmd.file, source);
    ({ result, source } = await analyzeFile(cmd.file, true));
  }
  io.stderr(`applied ${total} fix${total === 1 ? "" : "es"} to ${cmd.file}\n`);
  printDiagnostics(result, cmd.file, source, io);
  return result.diagnostics.some((d) => d.severity === "error") ? 1 : 0;
}

async function build(cmd: Extract<Command, { kind: "build" }>, io: Streams): Promise<number> {
  const timings = new Timings(cmd.timings);
  const { result, source, program } = await compileFile(cmd.file, { emitText: cmd.wat }, startCodegenThread());
  timings.addCompile(result);
  printDiagnostics(result, cmd.file, source, io, program);
  if (result.ok && result.wasm) {
    await writeOut(cmd.out, result.wasm);
    if (cmd.wat && result.wat !== undefined) await writeOut(cmd.out.replace(/\.wasm$/, "") + ".wat", result.wat);
  }
  timings.print(io);
  return result.ok && result.wasm ? 0 : 1;
}

async function writeOut(path: string, data: Uint8Array | string): Promise<void> {
  try {
    await writeFile(path, data);
  } catch (e) {
    throw new CliError(`cannot write '${path}': ${(e as Error).message}`);
  }
}

async function run(cmd: Extract<Command, { kind: "run" }>, io: Streams): Promise<number> {
  const timings = new Timings(cmd.timings);
  const prebuilt = cmd.file.endsWith(".wasm");
  // Threads first, the longest load first: code generation (Binaryen), then the run's workers.
  // They load their code while this thread reads and analyses the program.
  const codegen = prebuilt ? undefined : startCodegenThread();
  const { createNodeRunner, defaultPoolSize } = await import("../wasm-runtime/node.js");
  const workers = cmd.workers ?? defaultPoolSize();
  const runner = createNodeRunner(workers);
  try {
    const wasm = prebuilt ? await readModule(cmd.file) : await compileForRun(cmd, io, timings, codegen);
    if (!wasm) {
      timings.print(io);
      return 1;
    }
    const outcome = await runner.run({
      wasm,
      workers,
      memoryPages: cmd.memoryPages,
      maxMemoryPages: cmd.maxMemoryPages,
      trace: cmd.traceOut !== undefined,
      profile: cmd.profileOut !== undefined,
      timeoutMs: cmd.timeoutSeconds !== undefined ? cmd.timeoutSeconds * 1000 : undefined,
      onOutput: (fd, text) => (fd === 1 ? io.stdout(text) : io.stderr(text)),
    });
    timings.addRun(outcome);
    if (cmd.traceOut !== undefined) {
      const trace: Trace = outcome.trace ?? { workers, tasks: [] };
      await writeOut(cmd.traceOut, JSON.stringify(trace) + "\n");
    }
    if (cmd.profileOut !== undefined) await reportProfile(outcome.profile, cmd.profileOut, io);
    // A panic line is program output (stdout, as karac prints it); other endings are ours.
    if (outcome.status !== "ok" && outcome.status !== "panic" && outcome.message) io.stderr(`error: ${outcome.message}\n`);
    timings.print(io);
    return runExitStatus(outcome);
  } finally {
    runner.dispose();
  }
}

/** --profile: the short report on stderr, and the JSON report when a file is named. */
async function reportProfile(profile: ProfileReport | undefined, out: string, io: Streams): Promise<void> {
  if (profile === undefined) {
    io.stderr("profile: not available (main did not finish)\n");
    return;
  }
  const { formatProfile } = await import("../wasm-runtime/profile-report.js");
  io.stderr(formatProfile(profile));
  if (out !== "") await writeOut(out, JSON.stringify(profile, null, 2) + "\n");
}

/** A module written by `kara build` runs as is. */
async function readModule(file: string): Promise<Uint8Array> {
  try {
    return new Uint8Array(await readFile(file));
  } catch (e) {
    throw new CliError(`cannot read '${file}': ${(e as Error).message}`);
  }
}

async function compileForRun(
  cmd: Extract<Command, { kind: "run" }>,
  io: Streams,
  timings: Timings,
  codegen: DisposableGenerator | undefined,
): Promise<Uint8Array | undefined> {
  const { result, source, program } = await compileFile(cmd.file, { autoPar: cmd.autoPar }, codegen);
  timings.addCompile(result);
  printDiagnostics(result, cmd.file, source, io, program);
  return result.ok ? result.wasm : undefined;
}

async function query(cmd: Extract<Command, { kind: "query" }>, io: Streams): Promise<number> {
  const { result, source } = await analyzeFile(cmd.file);
  if (result.diagnostics.some((d) => d.severity === "error")) {
    printDiagnostics(result, cmd.file, source, io);
    return 1;
  }
  if (cmd.what === "tir") return queryTir(cmd, source, io);
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

/** `kara query tir`: the typed program as the checker produces it (before automatic parallelisation). */
async function queryTir(cmd: Extract<Command, { kind: "query" }>, source: string, io: Streams): Promise<number> {
  const [{ parse }, { check }, print] = await Promise.all([import("../compiler/syntax/parser.js"), import("../compiler/check/index.js"), import("../compiler/tir/print.js")]);
  const program = check(parse(source, cmd.file).program).program;
  if (!program) throw new CliError(`'${cmd.file}' does not check`); // analyzeFile reported no error, so this does not happen
  if (cmd.fn === undefined) {
    io.stdout(print.printProgram(program));
    return 0;
  }
  const fn = program.functions.find((f) => (f.kind === "fn" || f.kind === "method") && f.name === cmd.fn);
  if (!fn) {
    io.stderr(`error: function '${cmd.fn}' not found\n`);
    return 1;
  }
  io.stdout(print.printFunctionWithLifted(program, fn) + "\n");
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

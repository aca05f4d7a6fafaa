// The program corpus: Kāra programs with their exact expected behaviour, and the code that
// compiles, runs and judges them. Shared by programs.test.ts (the suite) and update-pending.ts
// (which regenerates the list of programs that do not pass yet).
//
// Layout under compiler/tests/programs (see README.md there):
//   <area>/<name>.kara    a program
//   <area>/<name>.out     exact expected stdout (positive programs)
//   <area>/<name>.stderr  expected stderr when not empty
//   <area>/<name>.exit    expected exit code when not 0
//   errors/<name>.diag    expected error diagnostics, one `CODE LINE:COL` per line (negative programs)
//   pending.txt           programs that are known not to pass yet, each with a reason

import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import { join, relative, sep } from "node:path";
import { fileURLToPath } from "node:url";
import type { CompileResult } from "../api.js";
import type { Diagnostic } from "../diagnostics.js";
import type { Runner, RunResult } from "../../wasm-runtime/api.js";

export const PROGRAMS_DIR = fileURLToPath(new URL("./programs", import.meta.url));
export const PENDING_FILE = join(PROGRAMS_DIR, "pending.txt");
export const WORKER_COUNTS = [1, 2] as const;
/** A run longer than this is a failure (the corpus programs each take well under a second). */
export const RUN_TIMEOUT_MS = 20_000;

export type ProgramKind = "run" | "diag";

export interface ProgramEntry {
  /** Path relative to the programs folder, with forward slashes; also the fileName given to compile(). */
  path: string;
  kind: ProgramKind;
  source: string;
  /** Positive programs. */
  stdout?: string;
  stderr?: string;
  exitCode?: number;
  /** Negative programs. */
  diagnostics?: ExpectedDiagnostic[];
}

export interface ExpectedDiagnostic {
  code: string; // a code, or "ANY" for "some error at this position"
  line: number;
  column: number;
}

/** Outcome of one check: passed, or the first line that explains the failure. */
export type Verdict = { pass: true } | { pass: false; reason: string };

// ---- discovery -----------------------------------------------------------------------------------

function walk(dir: string, out: string[]): void {
  for (const name of readdirSync(dir).sort()) {
    const full = join(dir, name);
    if (statSync(full).isDirectory()) walk(full, out);
    else if (name.endsWith(".kara")) out.push(full);
  }
}

function readIfExists(path: string): string | undefined {
  return existsSync(path) ? readFileSync(path, "utf8") : undefined;
}

export function parseDiagFile(text: string, where: string): ExpectedDiagnostic[] {
  const out: ExpectedDiagnostic[] = [];
  for (const raw of text.split("\n")) {
    const line = raw.trim();
    if (line === "" || line.startsWith("#")) continue;
    const m = /^([A-Z][A-Z0-9_]*)\s+(\d+):(\d+)$/.exec(line);
    if (!m) throw new Error(`${where}: bad diagnostic line '${line}' (want 'CODE LINE:COL')`);
    out.push({ code: m[1], line: Number(m[2]), column: Number(m[3]) });
  }
  if (out.length === 0) throw new Error(`${where}: lists no diagnostics`);
  return out;
}

/** Every program in the corpus, sorted by path. A program without expectations is an error. */
export function discoverPrograms(root: string = PROGRAMS_DIR): ProgramEntry[] {
  const files: string[] = [];
  walk(root, files);
  return files.map((file) => {
    const path = relative(root, file).split(sep).join("/");
    const base = file.slice(0, -".kara".length);
    const source = readFileSync(file, "utf8");
    const diag = readIfExists(base + ".diag");
    if (diag !== undefined) {
      return { path, kind: "diag", source, diagnostics: parseDiagFile(diag, path) };
    }
    const stdout = readIfExists(base + ".out");
    if (stdout === undefined) throw new Error(`${path}: has neither a .out nor a .diag file`);
    const exitText = readIfExists(base + ".exit");
    const exitCode = exitText === undefined ? 0 : Number(exitText.trim());
    if (!Number.isInteger(exitCode)) throw new Error(`${path}: bad .exit file`);
    return { path, kind: "run", source, stdout, stderr: readIfExists(base + ".stderr") ?? "", exitCode };
  });
}

// ---- pending list -------------------------------------------------------------------------------

/**
 * A pending key is a program path, optionally narrowed to one worker count with `@N`
 * (`par/nested.kara@2`): the program passes with the other worker count.
 */
export function pendingKey(path: string, workers?: number): string {
  return workers === undefined ? path : `${path}@${workers}`;
}

/** pending.txt: `path[@workers]  # reason` per line; blank lines and `#` lines are comments. */
export function readPending(file: string = PENDING_FILE): Map<string, string> {
  const out = new Map<string, string>();
  const text = readIfExists(file);
  if (text === undefined) return out;
  for (const raw of text.split("\n")) {
    const line = raw.trim();
    if (line === "" || line.startsWith("#")) continue;
    const hash = line.indexOf(" #");
    const key = (hash < 0 ? line : line.slice(0, hash)).trim();
    const reason = hash < 0 ? "" : line.slice(hash + 2).trim();
    out.set(key, reason);
  }
  return out;
}

/** The reason a (program, worker count) is pending, or undefined when it must pass. */
export function pendingReason(pending: Map<string, string>, path: string, workers?: number): string | undefined {
  if (pending.has(path)) return pending.get(path);
  if (workers !== undefined && pending.has(pendingKey(path, workers))) return pending.get(pendingKey(path, workers));
  return undefined;
}

// ---- compiling ------------------------------------------------------------------------------------

type CompileFn = (source: string, options: { fileName?: string; checkTests?: boolean }) => Promise<CompileResult>;

let compileFn: Promise<CompileFn> | undefined;

/**
 * The compiler is loaded lazily so that a pipeline that cannot even be imported yet makes
 * each program fail with the reason, instead of making the whole suite fail to load.
 */
function loadCompiler(): Promise<CompileFn> {
  compileFn ??= import("../compile.js").then((m) => m.compile as CompileFn);
  return compileFn;
}

const compiled = new Map<string, Promise<CompileResult>>();

/** Compile once per program; both worker counts reuse the module. */
export function compileProgram(entry: ProgramEntry): Promise<CompileResult> {
  let result = compiled.get(entry.path);
  if (!result) {
    // A negative program's `test` blocks are checked too, as `kara check` checks them.
    result = loadCompiler().then((compile) => compile(entry.source, { fileName: entry.path, checkTests: entry.kind === "diag" }));
    compiled.set(entry.path, result);
  }
  return result;
}

function describeDiagnostic(d: Diagnostic): string {
  return `${d.code} ${d.span.line}:${d.span.column} ${d.message.split("\n")[0]}`;
}

function errorsOf(result: CompileResult): Diagnostic[] {
  return result.diagnostics.filter((d) => d.severity === "error");
}

function failureText(e: unknown): string {
  return (e instanceof Error ? e.message : String(e)).split("\n")[0];
}

// ---- judging ----------------------------------------------------------------------------------------

/** Output and exit status as the `kara run` CLI presents them (cli/commands.ts). */
export interface Observed {
  stdout: string;
  stderr: string;
  exitCode: number;
  result: RunResult;
}

/**
 * Runs a compiled module and assembles what the CLI prints: stdout is everything written to fd 1
 * (the runtime itself writes the panic line there, after the output before it, as karac does);
 * stderr is fd 2 plus, for endings that are not program behaviour (crash, deadlock, timeout),
 * the `error: <message>` line the CLI adds.
 */
export async function execute(runner: Runner, wasm: Uint8Array, workers: number): Promise<Observed> {
  let stdout = "";
  let stderr = "";
  const result = await runner.run({
    wasm,
    workers,
    timeoutMs: RUN_TIMEOUT_MS,
    onOutput: (fd, text) => {
      if (fd === 1) stdout += text;
      else stderr += text;
    },
  });
  if (result.status !== "ok" && result.status !== "panic" && result.message) stderr += `error: ${result.message}\n`;
  return { stdout, stderr, exitCode: result.exitCode, result };
}

function show(text: string): string {
  return JSON.stringify(text.length > 200 ? text.slice(0, 200) + "…" : text);
}

/** The first line where two texts differ, for a readable failure reason. */
export function firstDifference(label: string, expected: string, actual: string): string {
  const e = expected.split("\n");
  const a = actual.split("\n");
  for (let i = 0; i < Math.max(e.length, a.length); i++) {
    if (e[i] !== a[i]) {
      const want = e[i] === undefined ? "<end>" : show(e[i]);
      const got = a[i] === undefined ? "<end>" : show(a[i]);
      return `${label} line ${i + 1}: expected ${want}, got ${got}`;
    }
  }
  return `${label} differs`;
}

export function compareRun(entry: ProgramEntry, observed: Observed): Verdict {
  if (observed.stdout !== entry.stdout) return { pass: false, reason: firstDifference("stdout", entry.stdout ?? "", observed.stdout) };
  if (observed.stderr !== entry.stderr) return { pass: false, reason: firstDifference("stderr", entry.stderr ?? "", observed.stderr) };
  if (observed.exitCode !== entry.exitCode) {
    const why = observed.result.message ? ` (${observed.result.status}: ${observed.result.message.split("\n")[0]})` : ` (${observed.result.status})`;
    return { pass: false, reason: `exit code: expected ${entry.exitCode}, got ${observed.exitCode}${why}` };
  }
  return { pass: true };
}

/** Compile, run with `workers` workers, and compare with the expectations. Never throws. */
export async function checkRun(entry: ProgramEntry, runner: Runner, workers: number): Promise<Verdict> {
  let result: CompileResult;
  try {
    result = await compileProgram(entry);
  } catch (e) {
    return { pass: false, reason: `compile threw: ${failureText(e)}` };
  }
  const errors = errorsOf(result);
  if (errors.length > 0) return { pass: false, reason: `compile error: ${describeDiagnostic(errors[0])}` };
  if (!result.wasm) return { pass: false, reason: "compile produced no wasm" };
  try {
    return compareRun(entry, await execute(runner, result.wasm, workers));
  } catch (e) {
    return { pass: false, reason: `run threw: ${failureText(e)}` };
  }
}

/**
 * A pass confirmed by `extraRuns` more runs: a race in generated code or the runtime can make a
 * broken program pass now and then, and one lucky run must not take it off the pending list.
 */
export async function checkRunConfirmed(entry: ProgramEntry, runner: Runner, workers: number, extraRuns: number): Promise<Verdict> {
  let verdict = await checkRun(entry, runner, workers);
  for (let i = 0; i < extraRuns && verdict.pass; i++) verdict = await checkRun(entry, runner, workers);
  return verdict;
}

/**
 * Extra runs that must also pass before a pending program counts as passing (in the suite). They
 * are spent only when a pending program passes, so they cost nothing while it still fails; they
 * keep an intermittently failing entry from being reported as fixed after a few lucky runs.
 */
export const CONFIRM_RUNS = 29;

/**
 * Extra runs update-pending.ts makes before it leaves a program off the list: more than the suite
 * makes, so an intermittent failure is very likely to be listed rather than to flake the suite.
 */
export const PROBE_RUNS = 9;

/**
 * The listed diagnostics must be exactly the reported errors: each expected line is matched by a
 * distinct error at that line:column (with that code, or any code for ANY), and no error is left over.
 */
export function compareDiagnostics(expected: ExpectedDiagnostic[], actual: Diagnostic[]): Verdict {
  const remaining = [...actual];
  const missing: ExpectedDiagnostic[] = [];
  // Exact codes claim their match first so an ANY line cannot steal it.
  const ordered = [...expected].sort((a, b) => Number(a.code === "ANY") - Number(b.code === "ANY"));
  for (const want of ordered) {
    const i = remaining.findIndex(
      (d) => d.span.line === want.line && d.span.column === want.column && (want.code === "ANY" || d.code === want.code),
    );
    if (i < 0) missing.push(want);
    else remaining.splice(i, 1);
  }
  if (missing.length > 0) {
    const m = missing[0];
    const got = actual.length === 0 ? "no errors" : actual.map(describeDiagnostic).join("; ");
    return { pass: false, reason: `missing ${m.code} ${m.line}:${m.column}; reported: ${got}` };
  }
  if (remaining.length > 0) return { pass: false, reason: `unexpected error ${describeDiagnostic(remaining[0])}` };
  return { pass: true };
}

export async function checkDiagnostics(entry: ProgramEntry): Promise<Verdict> {
  let result: CompileResult;
  try {
    result = await compileProgram(entry);
  } catch (e) {
    return { pass: false, reason: `compile threw: ${failureText(e)}` };
  }
  return compareDiagnostics(entry.diagnostics ?? [], errorsOf(result));
}

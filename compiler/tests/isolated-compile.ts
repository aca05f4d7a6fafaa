// Compiles Kāra programs in a child process, one after another, so that a compiler that loops
// forever on one program costs that program a timeout instead of hanging the whole test run
// (compile() is synchronous work, which a test timeout cannot interrupt).
//
// Child mode: `node --import tsx isolated-compile.ts <outDir> <file>...` compiles each file and
// writes `<outDir>/<index>.wasm` or `<outDir>/<index>.err` (the first error), then prints
// `done <index>` (after `ready` once the compiler is loaded). The parent side is `compileIsolated`.

import { spawn } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { basename, join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";

export type IsolatedResult = { wasm: Uint8Array } | { error: string };

const SELF = fileURLToPath(import.meta.url);
/** The repository root, where `--import tsx` resolves. */
const ROOT = fileURLToPath(new URL("../..", import.meta.url));

/** Time a fresh child gets to load the compiler and say `ready`. */
const STARTUP_MS = 90_000;

/**
 * Compiles every file (fileName = its base name). A file whose compilation makes no progress for
 * `timeoutMs` gets `{ error: "compile timed out …" }`
 * and the rest continue in a fresh child.
 */
export async function compileIsolated(files: string[], timeoutMs: number): Promise<IsolatedResult[]> {
  const out = mkdtempSync(join(tmpdir(), "kara-compile-"));
  const results: (IsolatedResult | undefined)[] = new Array(files.length).fill(undefined);
  try {
    let next = 0;
    while (next < files.length) {
      const start = next;
      const finished = await runChild(out, files.slice(start), timeoutMs, (i) => {
        const k = start + i;
        try {
          results[k] = { wasm: new Uint8Array(readFileSync(join(out, `${i}.wasm`))) };
        } catch {
          results[k] = { error: readFileSync(join(out, `${i}.err`), "utf8") };
        }
      });
      next = start + finished;
      if (next < files.length) {
        results[next] = { error: `compile timed out after ${timeoutMs} ms (or the compiling process died)` };
        next += 1;
      }
    }
  } finally {
    rmSync(out, { recursive: true, force: true });
  }
  return results.map((r) => r ?? { error: "not compiled" });
}

/** Runs one child over `files`; resolves with how many it finished before exiting or stalling. */
function runChild(out: string, files: string[], timeoutMs: number, onDone: (i: number) => void): Promise<number> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ["--import", "tsx", SELF, out, ...files], { cwd: ROOT, stdio: ["ignore", "pipe", "ignore"] });
    let finished = 0;
    let buffered = "";
    let timer = setTimeout(stall, STARTUP_MS);
    function stall(): void {
      child.kill("SIGKILL");
    }
    child.stdout.setEncoding("utf8");
    child.stdout.on("data", (chunk: string) => {
      buffered += chunk;
      let nl: number;
      while ((nl = buffered.indexOf("\n")) >= 0) {
        const line = buffered.slice(0, nl);
        buffered = buffered.slice(nl + 1);
        if (line === "ready") {
          clearTimeout(timer);
          timer = setTimeout(stall, timeoutMs);
          continue;
        }
        const m = /^done (\d+)$/.exec(line);
        if (!m) continue;
        onDone(Number(m[1]));
        finished = Number(m[1]) + 1;
        clearTimeout(timer);
        timer = setTimeout(stall, timeoutMs);
      }
    });
    child.on("close", () => {
      clearTimeout(timer);
      resolve(finished);
    });
  });
}

async function childMain(out: string, files: string[]): Promise<void> {
  const { compile } = await import("../compile.js");
  // compile() loads code generation (and Binaryen) lazily; load it before `ready` so a slow
  // start counts against STARTUP_MS, not against the first program's compile timeout.
  await import("../codegen/index.js");
  process.stdout.write("ready\n");
  for (let i = 0; i < files.length; i++) {
    let error: string | undefined;
    let wasm: Uint8Array | undefined;
    try {
      const result = await compile(readFileSync(files[i], "utf8"), { fileName: basename(files[i]) });
      const first = result.diagnostics.find((d) => d.severity === "error");
      if (first) error = `compile error: ${first.code} ${first.span.line}:${first.span.column} ${first.message.split("\n")[0]}`;
      else if (!result.wasm) error = "compile produced no wasm";
      else wasm = result.wasm;
    } catch (e) {
      error = `compile threw: ${e instanceof Error ? e.message.split("\n")[0] : String(e)}`;
    }
    if (wasm) writeFileSync(join(out, `${i}.wasm`), wasm);
    else writeFileSync(join(out, `${i}.err`), error ?? "unknown failure");
    process.stdout.write(`done ${i}\n`);
  }
}

if (process.argv[1] !== undefined && pathToFileURL(process.argv[1]).href === import.meta.url) {
  const [out, ...files] = process.argv.slice(2);
  await childMain(out, files);
}

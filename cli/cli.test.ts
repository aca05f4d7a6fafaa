// The real `kara` command, spawned as a process, running hand-built modules.

import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { ensureCliBuilt, kara as karaIn } from "./testing/kara-process.js";
import { counterProgram, fibProgram, panicProgram, spinForeverProgram } from "../wasm-runtime/testing/programs.js";

const dir = mkdtempSync(join(tmpdir(), "kara-cli-"));
const kara = (args: string[]) => karaIn(args, { cwd: dir });

beforeAll(ensureCliBuilt);

function module(name: string, wasm: Uint8Array): string {
  const path = join(dir, name);
  writeFileSync(path, wasm);
  return path;
}

describe("kara run", () => {
  it("runs a module on the requested workers and exits 0", async () => {
    const r = await kara(["run", module("counter.wasm", counterProgram(32, 500)), "--workers", "2"]);
    expect(r.stderr).toBe("");
    expect(r.stdout).toBe("16000\n");
    expect(r.code).toBe(0);
  });

  it("prints the panic line on stdout after earlier output and exits 1", async () => {
    const r = await kara(["run", module("panic.wasm", panicProgram("hello\n", "panic at p.kara:2:3 in f: oops", 3)), "--workers=2"]);
    expect(r.stdout).toBe("hello\npanic at p.kara:2:3 in f: oops\n");
    expect(r.code).toBe(1);
  });

  it("--timeout stops a program that never ends, with status 124", async () => {
    const t0 = performance.now();
    const r = await kara(["run", module("spin.wasm", spinForeverProgram()), "--timeout", "0.3", "--workers", "1"]);
    expect(r.code).toBe(124);
    expect(r.stdout).toBe("7\n");
    expect(r.stderr).toMatch(/timed out after 0.3 s/);
    expect(performance.now() - t0).toBeLessThan(5000);
  });

  it("--trace writes every task with its worker and times", async () => {
    const out = join(dir, "trace.json");
    const r = await kara(["run", module("fib.wasm", fibProgram(8)), "--workers", "2", "--trace", out]);
    expect(r.code).toBe(0);
    expect(r.stdout).toBe("21\n");
    const trace = JSON.parse(readFileSync(out, "utf8"));
    expect(trace.workers).toBe(2);
    // fib(8): 2 * fib(9) - 1 calls, plus main.
    expect(trace.tasks.length).toBe(2 * 34 - 1 + 1);
    for (const t of trace.tasks) {
      expect(Object.keys(t).sort()).toEqual(["cancelled", "end_us", "failed", "firstBranch", "id", "kind", "line", "parent", "start_us", "stolen", "worker"]);
    }
  });

  it("a missing file is an error, a bad option a usage error", async () => {
    const missing = await kara(["run", "nope.wasm"]);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toMatch(/cannot read 'nope.wasm'/);
    const usage = await kara(["run", "x.kara", "--workers", "many"]);
    expect(usage.code).toBe(2);
    expect(usage.stderr).toMatch(/--workers needs a whole number/);
  });
});

// `kara run --profile[=OUT.json]`: parsing, the stderr report and the JSON file, through the real
// command on a hand-built module (the profile's figures are tested in wasm-runtime/profile.test.ts).

import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { fibProgram } from "../wasm-runtime/testing/programs.js";
import { parseArgs, UsageError } from "./args.js";
import { ensureCliBuilt, kara as karaIn } from "./testing/kara-process.js";

describe("--profile parsing", () => {
  it("takes a file only as --profile=OUT.json, so the next argument stays the program", () => {
    expect(parseArgs(["run", "--profile", "a.kara"])).toMatchObject({ kind: "run", file: "a.kara", profileOut: "" });
    expect(parseArgs(["run", "a.kara", "--profile=p.json"])).toMatchObject({ file: "a.kara", profileOut: "p.json" });
    expect(parseArgs(["run", "a.kara"])).not.toHaveProperty("profileOut");
    expect(() => parseArgs(["run", "a.kara", "--profile="])).toThrow(UsageError);
    expect(() => parseArgs(["run", "a.kara", "--profile", "--profile=x"])).toThrow(/given twice/);
  });
});

describe("kara run --profile", () => {
  const dir = mkdtempSync(join(tmpdir(), "kara-profile-"));
  const kara = (args: string[]) => karaIn(args, { cwd: dir });
  beforeAll(ensureCliBuilt);

  it("prints the report on stderr and writes the JSON report", async () => {
    const wasm = join(dir, "fib.wasm");
    writeFileSync(wasm, fibProgram(12, 20_000));
    const out = join(dir, "profile.json");
    const r = await kara(["run", wasm, "--workers", "2", `--profile=${out}`]);
    expect(r.code).toBe(0);
    expect(r.stdout).toBe("144\n");
    expect(r.stderr).toMatch(/^profile: work .* (ms|µs), span .* (ms|µs), parallelism /);
    expect(r.stderr).toMatch(/predicted speed-up: 1: .*, 64: /);
    // The workers' CPU clock comes through an experimental Node module: its warning must not show.
    expect(r.stderr).not.toMatch(/Warning/);
    const p = JSON.parse(readFileSync(out, "utf8"));
    for (const key of ["work_us", "span_us", "parallelism", "burdened_span_us", "burdened_work_us", "burdened_parallelism", "spawns", "median_task_us", "predicted", "critical_path"]) {
      expect(p).toHaveProperty(key);
    }
    // fib(12) forks one of its two calls at every level: fib(13) − 1 forks.
    expect(p.spawns).toBe(232);
    expect(p.predicted.map((x: { workers: number }) => x.workers)).toEqual([1, 2, 4, 8, 16, 32, 64]);
    expect(p.parallelism).toBeGreaterThan(1.5);
    expect(p.span_us).toBeLessThanOrEqual(p.work_us);
    expect(p.burdened_work_us).toBeGreaterThan(p.work_us);
  }, 120_000);

  it("without a file, only the stderr report", async () => {
    const wasm = join(dir, "fib8.wasm");
    writeFileSync(wasm, fibProgram(8));
    const r = await kara(["run", wasm, "--workers", "1", "--profile"]);
    expect(r.code).toBe(0);
    expect(r.stderr).toMatch(/^profile: work /);
  }, 120_000);
});

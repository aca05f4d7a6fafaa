// Stress of the programs in examples/stress/ on Node's worker pool (the Chromium spec
// e2e/stress.spec.ts runs the same programs in the browser): each is compiled once, then run many
// times on 1, 2 and 8 workers, some runs with random scheduling pauses (jitterUs), and every run
// must end normally and print exactly its .out file. A lost update, a lost task, a misordered
// replay or a hang shows up as a wrong line, a failed status or a timeout.

import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, describe, expect, it } from "vitest";
import { compile } from "../compile.js";
import { createNodeRunner } from "../../wasm-runtime/node.js";

const STRESS_DIR = fileURLToPath(new URL("../../examples/stress", import.meta.url));
const POOL = 8;
const RUN_TIMEOUT_MS = 30_000;

/** One batch of runs: this many runs on this many workers, with pauses of up to jitterUs µs. */
interface Batch {
  workers: number;
  runs: number;
  jitterUs: number;
}

const batch = (workers: number, runs: number, jitterUs = 0): Batch => ({ workers, runs, jitterUs });

/**
 * Runs per program, sized from measured run times so the file stays well under a minute on two
 * cores: hundreds of runs for the quick programs, fewer for the ones whose every run forks
 * thousands of tasks (where random pauses multiply the run time, so they get only a few).
 */
const PLANS: Record<string, Batch[]> = {
  mutex_64: [batch(1, 100), batch(1, 100, 20), batch(2, 250), batch(2, 250, 20), batch(8, 100), batch(8, 100, 20)],
  nested_par: [batch(1, 40), batch(1, 5, 20), batch(2, 200), batch(2, 20, 5), batch(8, 80), batch(8, 10, 5)],
  par_fib: [batch(1, 20), batch(2, 60), batch(2, 5, 5), batch(8, 40), batch(8, 5, 5)],
  task_group_10k: [batch(1, 40), batch(2, 200), batch(2, 10, 5), batch(8, 60), batch(8, 10, 5)],
  // Producers, consumers and main all block on channels; a task the runtime runs inside a
  // blocked receive sits on top of the waiting one, which the program tolerates (no task waits for
  // a value only its spawner sends), so every worker count must finish.
  channel_pipeline: [batch(1, 60), batch(2, 150), batch(2, 50, 50), batch(4, 60), batch(8, 60), batch(8, 40, 50)],
};

/** A program added to examples/stress/ without a plan of its own still gets stressed. */
const DEFAULT_PLAN: Batch[] = [batch(1, 10), batch(2, 30), batch(2, 5, 5), batch(8, 20), batch(8, 5, 5)];

const programs = readdirSync(STRESS_DIR)
  .filter((f) => f.endsWith(".kara"))
  .sort()
  .map((f) => {
    const name = f.slice(0, -".kara".length);
    return {
      name,
      source: readFileSync(join(STRESS_DIR, f), "utf8"),
      expected: readFileSync(join(STRESS_DIR, `${name}.out`), "utf8"),
    };
  });

const runner = createNodeRunner(POOL);
afterAll(() => runner.dispose());

describe("examples/stress programs on the Node worker pool", () => {
  it("finds the stress programs", () => {
    expect(programs.map((p) => p.name)).toEqual(expect.arrayContaining(Object.keys(PLANS)));
  });

  for (const program of programs) {
    const plan = PLANS[program.name] ?? DEFAULT_PLAN;
    const total = plan.reduce((n, b) => n + b.runs, 0);
    it(`${program.name}: exact stdout and a normal end on every one of ${total} runs`, async () => {
      const compiled = await compile(program.source, { fileName: `${program.name}.kara` });
      expect(compiled.diagnostics.filter((d) => d.severity === "error")).toEqual([]);
      const wasm = compiled.wasm!;
      for (const { workers, runs, jitterUs } of plan) {
        for (let run = 0; run < runs; run++) {
          let stdout = "";
          let stderr = "";
          const result = await runner.run({
            wasm,
            workers,
            jitterUs,
            timeoutMs: RUN_TIMEOUT_MS,
            onOutput: (fd, text) => {
              if (fd === 1) stdout += text;
              else stderr += text;
            },
          });
          const where = { workers, jitterUs, run };
          // The message (a deadlock or crash report) is compared too, so a failure shows it.
          expect({ ...where, status: result.status, exitCode: result.exitCode, message: result.message ?? "", stdout, stderr }).toEqual({
            ...where,
            status: "ok",
            exitCode: 0,
            message: "",
            stdout: program.expected,
            stderr: "",
          });
        }
      }
    }, 120_000);
  }
});

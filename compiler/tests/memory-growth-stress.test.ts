// Stress of a growing shared memory under a busy scheduler: par branches fill freshly allocated
// vectors (one filled at its full size, one grown by pushes) from a 4 MiB start, and the row loop
// of each fill is fanned out by auto-par, so the memory grows many times on whichever worker runs
// out while task records, capture buffers and wait words land in the new pages and other workers
// steal, park, wake, join and print, and the coordinator drains the output. A host access through
// a view that does not yet cover the new pages shows up as a crash ("Invalid atomic access
// index"), a lost task as a wrong line or a timeout.

import { afterAll, describe, expect, it } from "vitest";
import { compile } from "../compile.js";
import { createNodeRunner } from "../../wasm-runtime/node.js";

const ROUNDS = 6;
const BRANCHES = 3;
const WIDTH = 1024;
const rowsOf = (round: number) => 64 + round * 32;

const source = `fn fill(rows: i64, w: i64, seed: i64) -> i64 {
    let mut img: Vec[i64] = Vec.filled(rows * w, 0);
    for row in 0..rows {
        for x in 0..w {
            img[row * w + x] = (row * 31 + x * 7 + seed) % 101;
        }
    }
    let mut grown: Vec[i64] = Vec.new();
    for i in 0..rows * 64 {
        grown.push(i % 5);
    }
    let mut s = 0;
    for i in 0..rows * w {
        s = s + img[i];
    }
    for v in grown {
        s = s + v;
    }
    s
}

fn main() {
    for round in 0..${ROUNDS} {
        let rows = 64 + round * 32;
        par {
${Array.from({ length: BRANCHES }, (_, k) => `            println(fill(rows, ${WIDTH}, round * ${BRANCHES} + ${k}));`).join("\n")}
        }
        println(round);
    }
}
`;

function fillSum(rows: number, w: number, seed: number): number {
  let s = 0;
  for (let row = 0; row < rows; row++) for (let x = 0; x < w; x++) s += (row * 31 + x * 7 + seed) % 101;
  for (let i = 0; i < rows * 64; i++) s += i % 5;
  return s;
}

function expectedOutput(): string {
  let out = "";
  for (let round = 0; round < ROUNDS; round++) {
    for (let k = 0; k < BRANCHES; k++) out += `${fillSum(rowsOf(round), WIDTH, round * BRANCHES + k)}\n`;
    out += `${round}\n`;
  }
  return out;
}

/** Runs per worker count, half of them with random scheduling pauses of up to 20 µs. */
const PLAN = [
  { workers: 2, runs: 40 },
  { workers: 4, runs: 30 },
  { workers: 8, runs: 30 },
];

const runner = createNodeRunner(8);
afterAll(() => runner.dispose());

describe("a memory that grows while every worker is busy", () => {
  it(`exact stdout and a normal end on every run (2, 4 and 8 workers, ${PLAN.reduce((n, p) => n + p.runs, 0)} runs)`, async () => {
    const compiled = await compile(source, { fileName: "memory_growth_stress.kara" });
    expect(compiled.diagnostics.filter((d) => d.severity === "error")).toEqual([]);
    const wasm = compiled.wasm!;
    const expected = expectedOutput();
    for (const { workers, runs } of PLAN) {
      for (let run = 0; run < runs; run++) {
        const jitterUs = run % 2 ? 20 : 0;
        let stdout = "";
        let stderr = "";
        const result = await runner.run({
          wasm,
          workers,
          jitterUs,
          memoryPages: 64,
          timeoutMs: 30_000,
          onOutput: (fd, text) => {
            if (fd === 1) stdout += text;
            else stderr += text;
          },
        });
        const where = { workers, jitterUs, run };
        expect({ ...where, status: result.status, message: result.message ?? "", stdout, stderr }).toEqual({
          ...where,
          status: "ok",
          message: "",
          stdout: expected,
          stderr: "",
        });
      }
    }
  }, 300_000);
});

// Fuzzing in `npm test`: a short campaign with a fixed seed (generated and mutated programs must
// compile to valid wasm or be rejected with diagnostics), plus replay of every minimised crash
// found so far. Longer campaigns, with programs at the size limits: `npm run fuzz`.

import { afterAll, describe, expect, it } from "vitest";
import { loadSeeds } from "./corpus.js";
import { makeInput, runCampaign } from "./campaign.js";
import { loadKnownCrashes, loadRegressions } from "./regressions.js";
import { InlineJudge, type Judge, type SandboxOutcome } from "./sandbox.js";
import { generateProgram } from "./generate.js";
import { mutateProgram } from "./mutate.js";
import { EDGE_VALUE_SHAPES, EXTREME_SHAPES, INVALID_SHAPES, extremeProgram } from "./extremes.js";
import { Rng } from "./rng.js";

const SEED = 20261123;
const BUDGET_SECONDS = 15;

// In-process: a worker would spend most of the budget loading the compiler.
const sandbox = new InlineJudge(20_000);
afterAll(() => sandbox.dispose());

describe("fuzz inputs", () => {
  it("are reproducible from the seed and input index", async () => {
    const seeds = await loadSeeds();
    expect(seeds.length).toBeGreaterThan(10);
    for (const i of [0, 1, 7, 8]) expect(makeInput(SEED, i, seeds)).toEqual(makeInput(SEED, i, seeds));
    expect(makeInput(SEED, 0, seeds).source).not.toEqual(makeInput(SEED, 2, seeds).source);
  });

  it("generated programs mostly compile, so the later phases are exercised", async () => {
    let ok = 0;
    const n = 12;
    for (let i = 0; i < n; i++) {
      const o = await sandbox.judge(generateProgram(new Rng(SEED + i)));
      if (o.kind === "ok") ok++;
    }
    expect(ok).toBeGreaterThanOrEqual(n / 3);
  });

  it("the seeds include the larger programs: LeetCode-style solutions and benchmarks", async () => {
    const paths = (await loadSeeds()).map((s) => s.path);
    expect(paths.some((p) => p.startsWith("compiler/tests/leetcode/"))).toBe(true);
    expect(paths.some((p) => p.startsWith("bench/programs/"))).toBe(true);
  });

  it("one input in eight is a program at the size limits", async () => {
    const seeds = await loadSeeds();
    const origins = Array.from({ length: 32 }, (_, i) => makeInput(SEED, i, seeds).origin);
    expect(origins.filter((o) => o.startsWith("extreme ")).length).toBe(4);
  });

  it("each size-limit shape is a valid program at a small size, so its later phases run too", async () => {
    const failures: string[] = [];
    for (const shape of EXTREME_SHAPES) {
      const o = await sandbox.judge(extremeProgram(new Rng(SEED), shape, 8));
      const expected = INVALID_SHAPES.has(shape) ? ["diagnostics"] : EDGE_VALUE_SHAPES.has(shape) ? ["ok", "diagnostics"] : ["ok"];
      if (!expected.includes(o.kind)) failures.push(`${shape}: ${o.kind}${"codes" in o ? ` ${o.codes.join(",")}` : ""}${"message" in o ? ` ${o.message}` : ""}`);
    }
    expect(failures).toEqual([]);
  }, 60_000);

  it("size-limit shapes scale: 2 000 nested parentheses and a 20 000-term chain are that large", () => {
    expect(extremeProgram(new Rng(1), "parens", 2_000)).toContain(`= ${"(".repeat(2_000)}x${")".repeat(2_000)} + 1;`);
    expect(extremeProgram(new Rng(1), "and", 20_000).split(" and ").length).toBe(20_000);
  });

  it("mutation changes the program", () => {
    const src = "fn main() {\n    let x = 1;\n    println(x + 2);\n}\n";
    let changed = 0;
    for (let i = 0; i < 20; i++) if (mutateProgram(new Rng(i), src, src) !== src) changed++;
    expect(changed).toBeGreaterThanOrEqual(15);
  });
});

describe("campaign shards and parallel judges", () => {
  // A stand-in compiler: slow by a random few milliseconds, and "crashing" on every input whose
  // source contains a marker, so the test knows which inputs must be reported.
  class FakeJudge implements Judge {
    seen: string[] = [];
    constructor(private readonly rng: Rng) {}
    async judge(source: string): Promise<SandboxOutcome> {
      this.seen.push(source);
      await new Promise((r) => setTimeout(r, this.rng.int(0, 4)));
      if (source.includes("fn ")) return { kind: "crash", ms: 1, phase: "check", signature: "fake", message: "fake crash" };
      return { kind: "diagnostics", ms: 1, codes: ["E0001"] };
    }
    dispose(): void {}
  }

  it("judge exactly the inputs of their range, once each, and name the earliest input of a crash kind", async () => {
    const seeds = await loadSeeds();
    for (let round = 0; round < 5; round++) {
      const judges = [new FakeJudge(new Rng(round)), new FakeJudge(new Rng(round + 100)), new FakeJudge(new Rng(round + 200))];
      const result = await runCampaign(seeds, { seed: SEED, first: 40, count: 30, judge: judges, minimize: false });
      const judged = judges.flatMap((j) => j.seen.slice(1)).sort();
      const expected = Array.from({ length: 30 }, (_, k) => makeInput(SEED, 40 + k, seeds).source);
      expect(judged).toEqual([...expected].sort());
      expect(result.inputs).toBe(30);
      const firstCrash = expected.findIndex((s) => s.includes("fn "));
      expect(result.crashes.map((c) => c.index)).toEqual([40 + firstCrash]);
      expect(result.crashes[0].occurrences).toBe(expected.filter((s) => s.includes("fn ")).length);
    }
  });
});

describe("regressions", () => {
  it("every minimised crash either compiles cleanly now or is listed in known-crashes.txt", async () => {
    const known = await loadKnownCrashes();
    const regressions = await loadRegressions();
    for (const file of known.keys()) expect(regressions.map((r) => r.file), `known-crashes.txt lists a missing file`).toContain(file);
    for (const r of regressions) {
      const o = await sandbox.judge(r.source, { autoPar: r.autoPar });
      const crashed = o.kind === "crash" || o.kind === "hang";
      if (known.has(r.file)) {
        expect(crashed, `${r.file} no longer crashes: remove it from known-crashes.txt`).toBe(true);
      } else {
        expect(crashed ? `${o.kind}: ${"message" in o ? o.message : ""}` : "no crash", r.file).toBe("no crash");
      }
    }
  });
});

describe("fuzz campaign (fixed seed)", () => {
  it(`finds no crash kind beyond the known ones within ${BUDGET_SECONDS} s`, async () => {
    const seeds = await loadSeeds();
    const known = await loadKnownCrashes();
    const knownSigs = new Set<string>();
    for (const r of await loadRegressions()) {
      if (!known.has(r.file)) continue;
      const o = await sandbox.judge(r.source, { autoPar: r.autoPar });
      if (o.kind === "crash" || o.kind === "hang") knownSigs.add(o.signature);
    }
    // Size-limit inputs take seconds each, too many for this budget: `npm run fuzz` runs them, and
    // every shape is checked above at a small size.
    const result = await runCampaign(seeds, { seed: SEED, count: 2000, seconds: BUDGET_SECONDS, judge: sandbox, extremes: false });
    console.log(`fuzz seed ${SEED}: ${result.inputs} inputs, ${result.ok} compiled, ${result.diagnostics} rejected, ${result.crashes.length} crash kinds`);
    const fresh = result.crashes.filter((c) => !knownSigs.has(c.signature));
    const report = fresh.map((c) => `${c.kind} in ${c.phase}: ${c.message.split("\n")[0]}\n--- input ${c.index} (${c.origin}) ---\n${c.source}`);
    expect(result.inputs).toBeGreaterThan(10);
    expect(report).toEqual([]);
  }, 120_000);
});

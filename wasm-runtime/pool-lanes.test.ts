// Lanes of one pool running programs at the same time, and a file's test blocks run in parallel
// on them (compiler/testing/suite.ts) with real modules: many tests, some panicking, some slow,
// some printing, with random pauses before each run, on 1, 2 and 4 workers.

import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { compile } from "../compiler/compile.js";
import type { TestEvent } from "../compiler/testing/outcome.js";
import { runSuite, type SuiteTest, type TestLane, type TestPool } from "../compiler/testing/suite.js";
import type { Runner } from "./api.js";
import { createNodeRunner } from "./node.js";
import { outputProgram, spinForeverProgram } from "./testing/programs.js";

let pool: Runner;
beforeAll(() => {
  pool = createNodeRunner(4);
});
afterAll(() => pool.dispose());

describe("lanes", () => {
  it("run programs at the same time, each with its own output, and a stop on one leaves the others running", async () => {
    const [a, b] = pool.lanes!([1, 3]);
    expect([a.size, b.size]).toEqual([1, 3]);
    const spinning = a.run({ wasm: spinForeverProgram() });
    // A lane runs one program at a time.
    await expect(a.run({ wasm: spinForeverProgram() })).rejects.toThrow(/already in progress/);
    let out = "";
    const printed = await b.run({ wasm: outputProgram(6, 20, 50), onOutput: (_fd, t) => void (out += t) });
    expect(printed.status).toBe("ok");
    expect(out.split("\n").length).toBe(6 * 20 + 3);
    a.stop();
    expect((await spinning).status).toBe("stopped");
    // The stopped lane's worker was replaced; the lane runs again.
    expect((await a.run({ wasm: outputProgram(2, 2, 10) })).status).toBe("ok");
  }, 30_000);

  it("are refused when they ask for more workers than the pool has", () => {
    expect(() => pool.lanes!([2, 3])).toThrow(/cannot split 4 workers/);
    expect(() => pool.lanes!([0, 1])).toThrow();
  });

  it("are stopped together by the pool's stop", async () => {
    const lanes = pool.lanes!([2, 2]);
    const runs = lanes.map((l) => l.run({ wasm: spinForeverProgram() }));
    await new Promise((r) => setTimeout(r, 100));
    pool.stop();
    expect((await Promise.all(runs)).map((r) => r.status)).toEqual(["stopped", "stopped"]);
  }, 30_000);
});

type Kind = "prints" | "asserts" | "panics" | "slow";
const KINDS: Kind[] = ["prints", "asserts", "panics", "slow"];

/** A file with `count` tests of the kinds in turn; test i prints lines naming itself. */
function testFile(count: number): { source: string; kinds: Kind[] } {
  const kinds = Array.from({ length: count }, (_, i) => KINDS[i % KINDS.length]);
  const lines = ["fn spin(n: i64) -> i64 {", "    let mut acc = 0;", "    let mut i = 0;", "    while i < n { acc = (acc + i * 7) % 1000003; i = i + 1; }", "    acc", "}"];
  kinds.forEach((kind, i) => {
    lines.push(`test "t${i} ${kind}" {`, `    println("t${i} first");`, `    println("t${i} second");`);
    if (kind === "asserts") lines.push(`    assert_eq(${i}, ${i + 1});`);
    if (kind === "panics") lines.push(`    panic("t${i} gave up");`);
    if (kind === "slow") lines.push(`    assert(spin(${2_000_000 + i * 100_000}) >= 0);`);
    lines.push("}");
  });
  return { source: lines.join("\n") + "\n", kinds };
}

/** Lanes that wait a random while before each run, so the lanes finish in ever different orders. */
function withRandomPauses(runner: Runner): TestPool {
  const pause = (lane: TestLane): TestLane => ({
    size: lane.size,
    run: async (o) => {
      await new Promise((r) => setTimeout(r, Math.random() * 30));
      return lane.run(o);
    },
  });
  return { size: runner.size, run: (o) => runner.run(o), lanes: (sizes) => runner.lanes!(sizes).map(pause) };
}

describe("a file's tests on lanes", () => {
  it("each test isolated, reported once in listing order with its own output, on 1, 2 and 4 workers", async () => {
    const { source, kinds } = testFile(12);
    const checked = await compile(source, { fileName: "t.kara", checkOnly: true, checkTests: true });
    expect(checked.diagnostics.filter((d) => d.severity === "error")).toEqual([]);
    const tests: SuiteTest[] = checked.tests!.map((t, index) => ({ name: t.name, index, timeoutSeconds: 30 }));
    expect(tests.length).toBe(12);
    // One build per test, shared by every round.
    const built = new Map<number, Uint8Array>();
    for (const t of tests) {
      const r = await compile(source, { fileName: "t.kara", runTest: t.index });
      expect(r.ok).toBe(true);
      built.set(t.index, r.wasm!);
    }
    for (const workers of [1, 2, 4]) {
      for (let round = 0; round < 3; round++) {
        const results: [number, TestEvent, string][] = [];
        const outcome = await runSuite(tests, withRandomPauses(pool), workers, {
          stopped: () => false,
          build: async (t) => ({ wasm: built.get(t.index)! }),
          result: (i, e, out) => void results.push([i, e, out]),
        });
        expect(outcome.interrupted).toEqual([]);
        expect(results.map(([i]) => i)).toEqual(tests.map((t) => t.index));
        for (const [i, event, output] of results) {
          expect(output).toBe(`t${i} first\nt${i} second\n`);
          expect(event.type !== "run_start" && event.type !== "summary" && event.test).toBe(`t${i} ${kinds[i]}`);
          if (kinds[i] === "asserts") expect(event).toMatchObject({ type: "test_fail", message: "assertion `left == right` failed", left: String(i), right: String(i + 1) });
          else if (kinds[i] === "panics") expect(event).toMatchObject({ type: "test_fail", message: `t${i} gave up` });
          else expect(event.type).toBe("test_pass");
        }
      }
    }
  }, 120_000);

  it("a test past its time limit is reported by name, the others still pass", async () => {
    const source = 'test "quick" { assert(true); }\ntest "forever" {\n    let mut n = 0;\n    while n >= 0 { n = (n + 1) % 7; }\n}\ntest "also quick" { assert_eq(2, 2); }\n';
    const checked = await compile(source, { fileName: "t.kara", checkOnly: true, checkTests: true });
    const tests: SuiteTest[] = checked.tests!.map((t, index) => ({ name: t.name, index, timeoutSeconds: t.name === "forever" ? 0.5 : 30 }));
    const events: TestEvent[] = [];
    await runSuite(tests, pool, 2, {
      stopped: () => false,
      build: async (t) => ({ wasm: (await compile(source, { fileName: "t.kara", runTest: t.index })).wasm! }),
      result: (_i, e) => void events.push(e),
    });
    expect(events.map((e) => [e.type, "test" in e ? e.test : ""])).toEqual([
      ["test_pass", "quick"],
      ["test_timeout", "forever"],
      ["test_pass", "also quick"],
    ]);
  }, 60_000);
});

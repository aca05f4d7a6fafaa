// runSuite without wasm: lanes that stand in for the pool's, with random delays, output written
// in pieces, panics, timeouts and stops, on 1, 2 and 4 workers. What must hold whatever the
// timing: every test reported once, in listing order, with its own output whole; a panic fails
// only its test; no lane runs two tests at once and no two builds overlap.

import { describe, expect, it } from "vitest";
import type { TestEvent, TestRun } from "./outcome.js";
import { laneSizes, runSuite, withoutPanicLine, type LaneRunOptions, type SuiteTest, type TestLane, type TestPool } from "./suite.js";

type Behaviour = "pass" | "panic" | "slow" | "timeout";

/** Deterministic pseudo-random numbers, so a failing seed can be replayed. */
function random(seed: number): () => number {
  let s = seed >>> 0 || 1;
  return () => {
    s ^= s << 13;
    s ^= s >>> 17;
    s ^= s << 5;
    return (s >>> 0) / 2 ** 32;
  };
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

interface Stats {
  active: number;
  most: number;
  runs: number[];
  lanes: number[][];
}

/**
 * A pool of `size` workers whose lanes "run" test `wasm[0]`: print three lines with pauses
 * between them, then pass, panic with karac's panic line, or time out.
 */
function fakePool(size: number, behaviours: Behaviour[], rnd: () => number, stopped: () => boolean = () => false): TestPool & { stats: Stats } {
  const stats: Stats = { active: 0, most: 0, runs: [], lanes: [] };
  const lane = (laneSize: number): TestLane => {
    let busy = false;
    return {
      size: laneSize,
      async run(options: LaneRunOptions): Promise<TestRun> {
        expect(busy).toBe(false);
        expect(options.workers).toBe(laneSize);
        busy = true;
        stats.active++;
        stats.most = Math.max(stats.most, stats.active);
        const test = options.wasm[0];
        stats.runs.push(test);
        try {
          for (let line = 0; line < 3; line++) {
            await sleep(rnd() * 3);
            if (stopped()) return { status: "stopped", exitCode: 1, message: "stopped", wallMs: 1 };
            options.onOutput(1, `test ${test} line ${line}\n`);
          }
          switch (behaviours[test]) {
            case "pass":
            case "slow":
              if (behaviours[test] === "slow") await sleep(5 + rnd() * 10);
              if (stopped()) return { status: "stopped", exitCode: 1, message: "stopped", wallMs: 1 };
              return { status: "ok", exitCode: 0, wallMs: 2 };
            case "panic": {
              const message = `panic at t.kara:${test + 1}:5 in __test_${test}: assertion \`left == right\` failed\n  left: ${test}\n right: ${test + 1}`;
              options.onOutput(1, message + "\n");
              return { status: "panic", exitCode: 101, message, wallMs: 2 };
            }
            case "timeout":
              return { status: "timeout", exitCode: 1, message: `timed out after ${options.timeoutMs / 1000} s`, wallMs: options.timeoutMs };
          }
        } finally {
          busy = false;
          stats.active--;
        }
      },
    };
  };
  return {
    size,
    stats,
    // The whole pool as one lane, on as many of its workers as asked.
    run: (o) => lane(o.workers).run(o),
    lanes(sizes) {
      expect(sizes.reduce((a, b) => a + b, 0)).toBeLessThanOrEqual(size);
      stats.lanes.push(sizes);
      return sizes.map(lane);
    },
  };
}

function suiteOf(behaviours: Behaviour[]): SuiteTest[] {
  return behaviours.map((_, index) => ({ name: `test ${index}`, index, timeoutSeconds: behaviours[index] === "timeout" ? 2 : 30 }));
}

function expectedOutput(test: number): string {
  return `test ${test} line 0\ntest ${test} line 1\ntest ${test} line 2\n`;
}

describe("runSuite", () => {
  it("under random delays on 1, 2 and 4 workers, reports every test once, in listing order, each with its own output", async () => {
    for (const workers of [1, 2, 4]) {
      for (let seed = 1; seed <= 12; seed++) {
        const rnd = random(seed * 7919 + workers);
        const count = 6 + Math.floor(rnd() * 20);
        const kinds: Behaviour[] = ["pass", "panic", "slow", "pass", "timeout"];
        const behaviours = Array.from({ length: count }, () => kinds[Math.floor(rnd() * kinds.length)]);
        const pool = fakePool(4, behaviours, rnd);
        const results: [number, TestEvent, string][] = [];
        const settled = new Set<number>();
        let building = 0;
        const outcome = await runSuite(suiteOf(behaviours), pool, workers, {
          stopped: () => false,
          build: async (test) => {
            expect(building).toBe(0);
            building++;
            await sleep(rnd() * 2);
            building--;
            return { wasm: new Uint8Array([test.index]) };
          },
          settled: (index) => {
            expect(settled.has(index)).toBe(false);
            settled.add(index);
          },
          result: (index, event, output) => results.push([index, event, output]),
        });
        expect(results.map(([i]) => i)).toEqual(behaviours.map((_, i) => i));
        expect(settled.size).toBe(count);
        expect(outcome.interrupted).toEqual([]);
        expect(outcome.events).toEqual(results.map(([, e]) => e));
        for (const [index, event, output] of results) {
          // The panic line is in the event, not in the output; no other test's lines are.
          expect(output).toBe(expectedOutput(index));
          expect(event.type === "run_start" || event.type === "summary" ? "" : event.test).toBe(`test ${index}`);
          switch (behaviours[index]) {
            case "pass":
            case "slow":
              expect(event.type).toBe("test_pass");
              break;
            case "panic":
              expect(event).toMatchObject({ type: "test_fail", location: { line: index + 1, col: 5 }, left: String(index), right: String(index + 1) });
              break;
            case "timeout":
              expect(event).toMatchObject({ type: "test_timeout", test: `test ${index}`, timeout_s: 2 });
              break;
          }
        }
        // One lane per worker (one worker: the pool itself is the lane).
        expect(pool.stats.lanes).toEqual(workers === 1 ? [] : [Array.from({ length: workers }, () => 1)]);
        expect(pool.stats.most).toBeLessThanOrEqual(Math.min(workers, count));
        expect([...pool.stats.runs].sort((a, b) => a - b)).toEqual(behaviours.map((_, i) => i));
      }
    }
  });

  it("runs tests at the same time on two or more workers", async () => {
    const behaviours: Behaviour[] = Array.from({ length: 8 }, () => "slow");
    const pool = fakePool(4, behaviours, random(5));
    await runSuite(suiteOf(behaviours), pool, 4, { stopped: () => false, build: async (t) => ({ wasm: new Uint8Array([t.index]) }) });
    expect(pool.stats.lanes).toEqual([[1, 1, 1, 1]]);
    expect(pool.stats.most).toBeGreaterThan(1);
  });

  it("reports skipped tests without running them and a test that does not build as failed", async () => {
    const behaviours: Behaviour[] = ["pass", "pass", "panic", "pass"];
    const tests = suiteOf(behaviours);
    tests[1].skip = { type: "test_skip", test: "test 1", reason: "unsatisfied_requires", resources: ["db.Users"] };
    const pool = fakePool(2, behaviours, random(3));
    const order: string[] = [];
    const outcome = await runSuite(tests, pool, 2, {
      stopped: () => false,
      build: async (t) => (t.index === 3 ? { failure: "too deep" } : { wasm: new Uint8Array([t.index]) }),
      result: (_i, e) => void order.push(e.type),
    });
    expect(order).toEqual(["test_pass", "test_skip", "test_fail", "test_fail"]);
    expect(outcome.events[3]).toMatchObject({ type: "test_fail", test: "test 3", message: "too deep" });
    expect(pool.stats.runs.sort()).toEqual([0, 2]);
  });

  it("a stop interrupts the running tests, names them, and starts no other", async () => {
    for (const workers of [1, 2, 4]) {
      const behaviours: Behaviour[] = Array.from({ length: 12 }, () => "slow");
      let stop = false;
      const pool = fakePool(4, behaviours, random(workers), () => stop);
      const started: number[] = [];
      const reported: number[] = [];
      const outcome = await runSuite(suiteOf(behaviours), pool, workers, {
        stopped: () => stop,
        build: async (t) => ({ wasm: new Uint8Array([t.index]) }),
        started: (i) => {
          started.push(i);
          // Stop as the fifth test starts.
          if (started.length === 5) stop = true;
        },
        result: (i) => void reported.push(i),
      });
      expect(started.length).toBe(5);
      const interrupted = outcome.interrupted.map((t) => t.index);
      expect(interrupted.length).toBeGreaterThanOrEqual(1);
      // Every started test either ended (reported) or was interrupted; none both.
      expect([...reported, ...interrupted].sort((a, b) => a - b)).toEqual([...started].sort((a, b) => a - b));
      expect(reported).toEqual([...reported].sort((a, b) => a - b));
      expect(outcome.interrupted.map((t) => t.name)).toEqual(interrupted.map((i) => `test ${i}`));
    }
  });

  it("shares the workers out among the lanes", () => {
    expect(laneSizes(4, 10)).toEqual([1, 1, 1, 1]);
    expect(laneSizes(4, 2)).toEqual([2, 2]);
    expect(laneSizes(5, 2)).toEqual([3, 2]);
    expect(laneSizes(1, 8)).toEqual([1]);
    expect(laneSizes(3, 1)).toEqual([3]);
  });
});

describe("withoutPanicLine", () => {
  it("takes the trailing panic line out of a test's output", () => {
    expect(withoutPanicLine("a\npanic at x\n", "panic at x")).toBe("a\n");
    expect(withoutPanicLine("a\n", undefined)).toBe("a\n");
    expect(withoutPanicLine("a\n", "other")).toBe("a\n");
  });
});

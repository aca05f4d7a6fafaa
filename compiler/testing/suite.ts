// Running a file's test blocks in parallel: each test is its own program (the module
// `compile(source, { runTest: i })` builds), so tests share nothing and a panic fails only its
// own test. The pool's workers are split into lanes (wasm-runtime `Runner.lanes`); each lane
// takes the next test in listing order, builds it, runs it and takes the next. Builds go one at
// a time (one compiler), overlapping the runs of the other lanes. Results are gathered per test
// and handed on in listing order, whatever order the lanes finish in. Shared by `kara test` and
// the playground's Test panel; the runtime is reached only through the small interfaces below.

import type { TestInfo } from "../api.js";
import { testEvent, type TestEvent, type TestRun } from "./outcome.js";

/** What a lane needs of a run (wasm-runtime RunOptions). */
export interface LaneRunOptions {
  wasm: Uint8Array;
  workers: number;
  timeoutMs: number;
  onOutput: (fd: 1 | 2, text: string) => void;
}

/** Runs one program at a time on its own workers (a wasm-runtime Runner or a lane of one). */
export interface TestLane {
  readonly size: number;
  run(options: LaneRunOptions): Promise<TestRun>;
}

/** A runner that may split its workers into lanes (wasm-runtime Runner). */
export interface TestPool extends TestLane {
  lanes?(sizes: number[]): TestLane[];
}

export interface SuiteTest extends Pick<TestInfo, "name"> {
  /** Position among the file's test blocks (what `CompileOptions.runTest` takes). */
  index: number;
  /** The run's time limit. */
  timeoutSeconds: number;
  /** Set when the test is not run (its event, e.g. a `test_skip`). */
  skip?: TestEvent;
}

export type BuiltTest = { wasm: Uint8Array } | { failure: string };

export interface SuiteHooks {
  /** Build test `index`'s module. Never called twice at once. */
  build(test: SuiteTest): Promise<BuiltTest>;
  /** Test `index` is being built and run. */
  started?(index: number): void;
  /** Test `index` ended (as soon as it does): its event and what it printed, panic line taken out. */
  settled?(index: number, event: TestEvent, output: string): void;
  /** Test `index` ended: called in listing order, once every earlier test has ended. */
  result?(index: number, event: TestEvent, output: string): void;
  /** True once the run should end: no test starts after that, and running ones are interrupted. */
  stopped(): boolean;
}

export interface SuiteOutcome {
  /** The events of the tests that ended, in listing order. */
  events: TestEvent[];
  /** Tests that were running when the suite was stopped, in listing order (they have no event). */
  interrupted: SuiteTest[];
}

/**
 * Lane sizes for `workers` workers and `tests` tests: as many lanes as there are tests to run,
 * up to one per worker, with the workers shared out as evenly as possible (so a few tests each
 * get several workers for their own `par` and spawns).
 */
export function laneSizes(workers: number, tests: number): number[] {
  const count = Math.max(1, Math.min(workers, tests));
  const each = Math.floor(workers / count);
  const extra = workers - each * count;
  return Array.from({ length: count }, (_, i) => Math.max(1, each + (i < extra ? 1 : 0)));
}

/** Runs `tests` on `pool`'s workers (at most `workers` of them), as described at the top. */
export async function runSuite(tests: SuiteTest[], pool: TestPool, workers: number, hooks: SuiteHooks): Promise<SuiteOutcome> {
  const ended = new Map<number, { event: TestEvent; output: string }>();
  const interrupted = new Set<number>();
  let reported = 0;
  const settle = (position: number, event: TestEvent, output: string): void => {
    ended.set(position, { event, output });
    hooks.settled?.(tests[position].index, event, output);
    // Hand on every result whose predecessors have all ended.
    for (let entry = ended.get(reported); entry !== undefined; entry = ended.get(++reported)) {
      hooks.result?.(tests[reported].index, entry.event, entry.output);
    }
  };

  const toRun: number[] = [];
  tests.forEach((test, position) => {
    if (test.skip) settle(position, test.skip, "");
    else toRun.push(position);
  });
  const usable = Math.max(1, Math.min(workers, pool.size));
  const lanes = toRun.length === 0 ? [] : splitPool(pool, laneSizes(usable, toRun.length));

  let building = Promise.resolve();
  /** Builds one after another: the compiler (a worker or thread) takes one request at a time. */
  const build = (test: SuiteTest): Promise<BuiltTest> => {
    const built = building.then(() => hooks.build(test));
    building = built.then(
      () => {},
      () => {},
    );
    return built;
  };

  let next = 0;
  const work = async (lane: TestLane): Promise<void> => {
    while (next < toRun.length && !hooks.stopped()) {
      const position = toRun[next++];
      const test = tests[position];
      hooks.started?.(test.index);
      let built: BuiltTest;
      try {
        built = await build(test);
      } catch (err) {
        built = { failure: err instanceof Error ? err.message : String(err) };
      }
      if (hooks.stopped()) {
        interrupted.add(position);
        return;
      }
      if ("failure" in built) {
        settle(position, { type: "test_fail", test: test.name, duration_ms: 0, message: built.failure }, "");
        continue;
      }
      let output = "";
      const run = await lane.run({
        wasm: built.wasm,
        workers: lane.size,
        timeoutMs: test.timeoutSeconds * 1000,
        onOutput: (_fd, text) => void (output += text),
      });
      if (run.status === "stopped" && hooks.stopped()) {
        interrupted.add(position);
        return;
      }
      settle(position, testEvent(test, run, test.timeoutSeconds), withoutPanicLine(output, run.message));
    }
  };
  await Promise.all(lanes.map(work));

  const events: TestEvent[] = [];
  for (let position = 0; position < tests.length; position++) {
    const entry = ended.get(position);
    if (entry) events.push(entry.event);
    // A stop leaves gaps: what ended after a gap is handed on now, still in listing order.
    if (entry && position >= reported) hooks.result?.(tests[position].index, entry.event, entry.output);
  }
  return { events, interrupted: [...interrupted].sort((a, b) => a - b).map((p) => tests[p]) };
}

/** The pool's lanes, or the pool itself as the one lane when it cannot be split. */
function splitPool(pool: TestPool, sizes: number[]): TestLane[] {
  if (sizes.length > 1 && pool.lanes) return pool.lanes(sizes);
  return [{ size: Math.min(pool.size, sizes.reduce((a, b) => a + b, 0)), run: (o) => pool.run(o) }];
}

/** The program prints its own panic line; the test's event carries it, so the output need not. */
export function withoutPanicLine(output: string, message: string | undefined): string {
  if (!message) return output;
  if (output.endsWith(message + "\n")) return output.slice(0, -(message.length + 1));
  if (output.endsWith(message)) return output.slice(0, -message.length);
  return output;
}

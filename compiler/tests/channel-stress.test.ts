// Stress of channels through the whole path — compiler, channel runtime, scheduler, parking in
// the host — with Kāra source: TaskGroup producers and consumers plus a producer and a consumer
// par branch share one channel, with pseudo-random busy delays between operations, run hundreds
// of times on 1, 2 and 8 workers with the runtime's random pauses. Every value is distinct, each
// consumer takes a fixed count, and the totals must be exact on every run: a lost, duplicated or
// corrupted message shows up as a wrong sum, a lost wake-up as a deadlock or a timeout.

import { afterAll, describe, expect, it } from "vitest";
import { compile } from "../compile.js";
import { createNodeRunner } from "../../wasm-runtime/node.js";

const PRODUCERS = 4;
const PER_PRODUCER = 60;
const CONSUMERS = [100, 80, 60]; // takes of the TaskGroup consumers: PRODUCERS * PER_PRODUCER in all
const BRANCH_VALUES = 40; // sent by the producer branch, taken by the consumer branch

function source(): string {
  const consumers = CONSUMERS.map((n, k) => `    let c${k}: TaskHandle[i64] = tg.spawn(|| consume(rx, ${n}, ${k * 7 + 1}));`).join("\n");
  const producers = Array.from({ length: PRODUCERS }, (_, k) => `    tg.spawn(|| produce(tx, ${k + 1}, ${PER_PRODUCER}));`).join("\n");
  const joins = CONSUMERS.map((_, k) => `c${k}.join()`).join(" + ");
  return `// Channel stress: producers and consumers as TaskGroup tasks and par branches.
fn delay(seed: i64) -> i64 {
    let mut x = seed;
    let spins = (seed * 7919 + 13) % 61;
    let mut i = 0;
    while i < spins {
        x = (x * 31 + 7) % 1000003;
        i = i + 1;
    }
    x
}

fn produce(tx: ref Sender[i64], id: i64, n: i64) {
    let mut i = 0;
    while i < n {
        let _ = delay(id * 1000 + i);
        tx.send(id * 100000 + i + 1);
        i = i + 1;
    }
}

fn consume(rx: ref Receiver[i64], n: i64, seed: i64) -> i64 {
    let mut sum = 0;
    let mut i = 0;
    while i < n {
        sum = sum + rx.recv();
        let _ = delay(seed * 31 + i);
        i = i + 1;
    }
    sum
}

fn main() {
    let (tx, rx) = Channel.new[i64]();
    let mut tg = TaskGroup.new();
${consumers}
${producers}
    par {
        let branch_sum = consume(rx, ${BRANCH_VALUES}, 99);
        produce(tx, ${PRODUCERS + 1}, ${BRANCH_VALUES});
    }
    let total = branch_sum + ${joins};
    println(total);
    match rx.try_recv() {
        Some(v) => println(f"left over: {v}"),
        None => println("drained"),
    }
}
`;
}

function expectedTotal(): number {
  let total = 0;
  for (let id = 1; id <= PRODUCERS + 1; id++) {
    const n = id <= PRODUCERS ? PER_PRODUCER : BRANCH_VALUES;
    for (let i = 0; i < n; i++) total += id * 100000 + i + 1;
  }
  return total;
}

const runner = createNodeRunner(8);
afterAll(() => runner.dispose());

/**
 * Compiles `source` once and runs it `runs` times on each worker count, random pauses on every
 * other run (those whose index has parity `jitterParity`); every run must end normally with
 * exactly `expected` on stdout.
 */
async function runMany(source: string, fileName: string, expected: string, plan: [workers: number, runs: number][], jitterParity: number): Promise<void> {
  const compiled = await compile(source, { fileName });
  expect(compiled.diagnostics.filter((d) => d.severity === "error")).toEqual([]);
  const wasm = compiled.wasm!;
  for (const [workers, runs] of plan) {
    for (let run = 0; run < runs; run++) {
      let out = "";
      const result = await runner.run({
        wasm,
        workers,
        timeoutMs: 20_000,
        jitterUs: run % 2 === jitterParity ? 30 : 0,
        onOutput: (fd, text) => (fd === 1 ? (out += text) : undefined),
      });
      expect({ workers, run, status: result.status, message: result.message, out }).toEqual({ workers, run, status: "ok", message: undefined, out: expected });
    }
  }
}

describe("producers and consumers on one channel", () => {
  it("deliver every value exactly once on every run, on 1, 2 and 8 workers", async () => {
    expect(CONSUMERS.reduce((a, b) => a + b, 0)).toBe(PRODUCERS * PER_PRODUCER);
    await runMany(source(), "channel_stress.kara", `${expectedTotal()}\ndrained\n`, [[1, 100], [2, 300], [8, 100]], 0);
  }, 600_000);
});

const WORKERS = 4;
const JOBS = 300;

/** Workers stop when the job channel closes: the last Sender is dropped at the end of `submit`. */
function queueSource(): string {
  const spawns = Array.from({ length: WORKERS }, (_, k) => `    tg.spawn(|| worker(jobs_rx, results_tx, ${k + 1}));`).join("\n");
  return `// Channel stress: a job queue that shuts down by closing.
fn delay(seed: i64) -> i64 {
    let mut x = seed;
    let spins = (seed * 7919 + 13) % 53;
    let mut i = 0;
    while i < spins {
        x = (x * 31 + 7) % 1000003;
        i = i + 1;
    }
    x
}

fn worker(jobs: ref Receiver[i64], results: ref Sender[i64], id: i64) {
    let mut done = 0;
    let mut job = jobs.recv();
    while job != 0 {
        let _ = delay(job * 17 + id);
        results.send(job * 3);
        done = done + 1;
        job = jobs.recv();
    }
    // Finished: a negative marker (never 0, so a worker that got no job still reports).
    results.send(-1 - done);
}

fn submit(jobs: Sender[i64], n: i64) {
    let mut i = 1;
    while i <= n {
        jobs.send(i);
        let _ = delay(i);
        i = i + 1;
    }
}

fn main() {
    let (jobs_tx, jobs_rx) = Channel.new[i64]();
    let (results_tx, results_rx) = Channel.new[i64]();
    let mut tg = TaskGroup.new();
${spawns}
    submit(jobs_tx, ${JOBS});
    let mut total = 0;
    let mut counted = 0;
    let mut finished = 0;
    while finished < ${WORKERS} {
        let v = results_rx.recv();
        if v < 0 {
            counted = counted - v - 1;
            finished = finished + 1;
        } else if v > 0 {
            total = total + v;
        }
    }
    println(f"{total} {counted}");
}
`;
}

describe("a job queue closed by dropping its last Sender", () => {
  it("stops every worker exactly once the jobs run out, on every run, on 1, 2 and 8 workers", async () => {
    await runMany(queueSource(), "channel_queue_stress.kara", `${(3 * JOBS * (JOBS + 1)) / 2} ${JOBS}\n`, [[1, 60], [2, 200], [8, 60]], 1);
  }, 600_000);
});

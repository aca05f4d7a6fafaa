// The panic protocol between generated code and the pool, under real parallelism: a panic in a
// par branch or joined task fails only that task and cancels its siblings; the joiner waits for
// them, passes their output on in source order and re-raises the panic, so the panic line comes
// last, once, after every line printed before it and the siblings' cleanup.

import { Worker } from "node:worker_threads";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { compile } from "../compiler/compile.js";
import type { RunOptions, RunResult, Runner, WorkerLike } from "./api.js";
import { createNodeRunner } from "./node.js";
import { WorkerPool } from "./pool.js";

let runner: Runner;

beforeAll(() => {
  runner = createNodeRunner(4);
});
afterAll(() => runner.dispose());

async function build(source: string, autoPar = true): Promise<Uint8Array> {
  const r = await compile(source, { fileName: "main.kara", autoPar });
  if (!r.wasm) throw new Error(`does not compile: ${r.diagnostics.map((d) => d.message).join("; ")}`);
  return r.wasm;
}

async function run(wasm: Uint8Array, options: Partial<RunOptions> = {}, on: Runner = runner): Promise<{ result: RunResult; out: string }> {
  let out = "";
  const result = await on.run({ wasm, onOutput: (fd, text) => void (fd === 1 && (out += text)), ...options });
  return { result, out };
}

// Siblings that had not reached their call when branch 3 panicked are cancelled: their lines are
// missing, but whatever is printed keeps source order and the panic line comes last.
const LATER_EXPECTED = /^start\n(branch 1 done\n)?(branch 2 done\n)?branch 3 before panic\n(branch 4 done\n)?panic at main\.kara:14:5 in boom: branch failed\n$/;

const SPIN = `fn spin(n: i64) -> i64 {
    let mut i = 0;
    let mut acc = 0;
    while i < n { acc = (acc + i) % 1000; i = i + 1; }
    acc
}`;

/** Four branches; the third panics. `work` sets how long each of the other three computes. */
function laterBranchProgram(work: [number, number, number]): string {
  return `${SPIN}
fn work(tag: i64, n: i64) -> i64 {
    let v = spin(n);
    println(f"branch {tag} done");
    v
}
fn boom(tag: i64) -> i64 {
    println(f"branch {tag} before panic");
    panic("branch failed")
}
fn main() {
    println("start");
    par {
        let a = work(1, ${work[0]});
        let b = work(2, ${work[1]});
        let c = boom(3);
        let d = work(4, ${work[2]});
    }
    println(a + b + c + d);
}`;
}

describe("a panic while output is captured", () => {
  it("keeps the output of earlier par branches, then prints the panic line (stress)", async () => {
    const expected = LATER_EXPECTED;
    // Slow first branch (the panic happens long before it is done), slow second, slow last.
    const variants = [
      [2_000_000, 10, 10],
      [10, 2_000_000, 10],
      [10, 10, 2_000_000],
      [200_000, 100_000, 300_000],
    ] as [number, number, number][];
    for (const work of variants) {
      const wasm = await build(laterBranchProgram(work));
      for (const workers of [1, 2, 4]) {
        for (let i = 0; i < 8; i++) {
          const { result, out } = await run(wasm, { workers });
          expect(out).toMatch(expected);
          expect(result.status).toBe("panic");
          expect(result.exitCode).toBe(1);
          expect(result.message).toBe("panic at main.kara:14:5 in boom: branch failed");
        }
      }
    }
  });

  it("a panic three par levels deep ends the run within a second with the right line", async () => {
    const wasm = await build(`fn leaf(tag: i64) -> i64 {
    println(f"leaf {tag}");
    tag
}
fn boom() -> i64 {
    println("deep before panic");
    panic("deep failure")
}
fn level3() -> i64 {
    par {
        let x = leaf(31);
        let y = boom();
        let z = leaf(33);
    }
    x + y + z
}
fn level2() -> i64 {
    par {
        let x = leaf(21);
        let y = level3();
        let z = leaf(23);
    }
    x + y + z
}
fn main() {
    println("start");
    par {
        let x = leaf(11);
        let y = level2();
        let z = leaf(13);
    }
    println(x + y + z);
}`);
    const line = "panic at main.kara:7:5 in boom: deep failure";
    for (const workers of [1, 2, 4]) {
      for (let i = 0; i < 20; i++) {
        const { result, out } = await run(wasm, { workers, timeoutMs: 5000 });
        expect(out).toMatch(/^start\n(leaf 11\n)?(leaf 21\n)?(leaf 31\n)?deep before panic\n(leaf 33\n)?(leaf 23\n)?(leaf 13\n)?panic at main\.kara:7:5 in boom: deep failure\n$/);
        expect(result.status).toBe("panic");
        expect(result.message).toBe(line);
        expect(result.wallMs).toBeLessThan(1000);
      }
    }
  });

  it("a spawned task that panics surfaces at its join, after the output before the join", async () => {
    const wasm = await build(`fn noisy(tag: i64) -> i64 {
    println(f"task {tag}");
    if tag == 2 { panic("task 2 failed"); }
    tag
}
fn main() {
    let mut tg = TaskGroup.new();
    let h1: TaskHandle[i64] = tg.spawn(|| noisy(1));
    let h2: TaskHandle[i64] = tg.spawn(|| noisy(2));
    let h3: TaskHandle[i64] = tg.spawn(|| noisy(3));
    println("spawned");
    let a: i64 = h1.join();
    println(f"joined {a}");
    let b: i64 = h2.join();
    println(f"joined {b}");
    let c: i64 = h3.join();
    println(f"joined {c}");
}`);
    const line = "panic at main.kara:3:19 in noisy: task 2 failed";
    for (const workers of [1, 2, 4]) {
      for (let i = 0; i < 20; i++) {
        const { result, out } = await run(wasm, { workers });
        // Task 2's panic cancels the group: a join that happens after it surfaces the panic
        // instead of handing out a cancelled sibling's value.
        expect(out).toMatch(/^spawned\n(task 1\njoined 1\n|(task 1\n)?)task 2\n(task 3\n)?panic at main\.kara:3:19 in noisy: task 2 failed\n$/);
        expect(result.message).toBe(line);
        expect(result.status).toBe("panic");
        expect(result.exitCode).toBe(1);
      }
    }
  });

  it("a detached task that panics ends the run, and stops the rest promptly", async () => {
    // Nobody joins a detached task, so its panic cannot wait for a replay: it ends the run.
    // Without automatic parallelisation, so that "start" is printed before the spawn happens.
    const wasm = await build(
      `${SPIN}
fn boom() -> i64 {
    panic("detached failure")
}
fn main() {
    println("start");
    spawn(|| boom());
    println(spin(5000000000));
}`,
      false,
    );
    const line = "panic at main.kara:8:5 in boom: detached failure";
    for (const workers of [2, 4]) {
      for (let i = 0; i < 10; i++) {
        const { result, out } = await run(wasm, { workers, timeoutMs: 10_000 });
        expect(result.status).toBe("panic");
        expect(out).toBe(`start\n${line}\n`);
        expect(result.wallMs).toBeLessThan(3000);
      }
    }
  });

  it("marks the failed task in the trace", async () => {
    const wasm = await build(laterBranchProgram([10, 10, 10]));
    const { result } = await run(wasm, { workers: 2, trace: true });
    expect(result.status).toBe("panic");
    const failed = (result.trace?.tasks ?? []).filter((t) => t.failed);
    // The third branch (line 21) fails; the main task unwinds with the re-raised panic.
    expect(failed.some((t) => t.kind === "par" && t.line === 21)).toBe(true);
    expect(failed.some((t) => t.kind === "main")).toBe(true);
    expect((result.trace?.tasks ?? []).filter((t) => t.kind === "par" && t.line !== 21).every((t) => !t.failed)).toBe(true);
  });

  it("behaves the same in sequential mode (one worker, memory not shared)", async () => {
    const factory = (): WorkerLike => {
      const w = new Worker(new URL("./node-worker.mjs", import.meta.url));
      w.unref();
      return {
        postMessage: (m) => w.postMessage(m),
        onMessage: (h) => void w.on("message", h),
        onError: (h) => void w.on("error", h),
        terminate: () => void w.terminate(),
      };
    };
    const seq = new WorkerPool(factory, 2, "sequential");
    try {
      const wasm = await build(laterBranchProgram([100_000, 10, 10]));
      for (let i = 0; i < 5; i++) {
        const { result, out } = await run(wasm, { workers: 2 }, seq);
        expect(out).toMatch(LATER_EXPECTED);
        expect(result.status).toBe("panic");
        expect(result.exitCode).toBe(1);
      }
    } finally {
      seq.dispose();
    }
  });
});

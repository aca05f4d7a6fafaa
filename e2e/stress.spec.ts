// Stress in Chromium: the built site compiles each program of examples/stress/ and runs it on its
// worker pool with 4 workers many times in a row; every run must print exactly the expected output
// and end within a per-run time limit. The repetitions run in a loop inside the page (pressing Run
// and watching the status line), not as page loads, so hundreds of runs fit in a CI budget. Random
// delays perturb the timing: a random pause before each run, and random stalls of the page's main
// thread while a run is going (which delay its handling of the workers' messages). The pool is as
// large as the browser reports cores, so the page is told it has four (this machine may have fewer;
// the workers then share the cores, which only adds stress).
//   STRESS_REPEATS=N  runs per program (default 200)

import { expect, test } from "@playwright/test";
import { chapterExamples, RUN_TIMEOUT, shareLink, ui, watchErrors } from "./helpers.js";

const STRESS_DIR = new URL("../examples/stress/", import.meta.url);
const REPEATS = Math.max(1, Number(process.env.STRESS_REPEATS ?? 200));
const WORKERS = 4;
/** A run that has not ended after this long counts as a hang (one run takes well under a second). */
const RUN_LIMIT_MS = 20_000;
/** Upper bounds of the random pause before a run and of one main-thread stall during it. */
const MAX_PAUSE_MS = 20;
const MAX_STALL_MS = 4;

const programs = chapterExamples(STRESS_DIR);

test.describe.configure({ timeout: RUN_TIMEOUT + REPEATS * 2_000 });

test.beforeEach(async ({ page }) => {
  await page.addInitScript((cores) => {
    Object.defineProperty(Navigator.prototype, "hardwareConcurrency", { get: () => cores, configurable: true });
  }, WORKERS);
});

interface Tally {
  runs: number;
  finished: number;
  /** Finished, but printed something other than the expected output (or wrote to stderr). */
  wrong: string[];
  /** Did not end within the per-run limit (then stopped with the Stop button). */
  hangs: number;
  /** Ended in another state: panic, deadlock, crash, timeout… */
  failed: string[];
  slowestMs: number;
  totalMs: number;
}

test("the stress programs are present", () => {
  expect(programs.map((p) => p.name)).toEqual(expect.arrayContaining(["channel_pipeline", "mutex_64", "nested_par", "par_fib", "task_group_10k"]));
});

for (const program of programs) {
  test(`${program.name}: exact output on ${WORKERS} workers, ${REPEATS} runs with random delays, no hang`, async ({ page }) => {
    const errors = watchErrors(page);
    await page.goto(shareLink(program.source));
    const u = ui(page);
    await expect(u.workers).toHaveValue(String(WORKERS));
    await page.getByRole("checkbox", { name: "Timeline" }).uncheck(); // only the results count here
    // The first run also waits for the compiler to load and compiles; the loop then measures runs.
    await u.run.click();
    await expect(u.status).toHaveAttribute("data-state", "finished", { timeout: RUN_TIMEOUT });

    const tally: Tally = await page.evaluate(
      async ({ repeats, expected, limitMs, maxPauseMs, maxStallMs }) => {
        const END = new Set(["finished", "output-truncated", "panicked", "error-result", "stopped", "timeout", "deadlock", "crashed", "failed", "compile-failed", "compiler-failed"]);
        const status = document.getElementById("status")!;
        const run = document.getElementById("run") as HTMLButtonElement;
        const stop = document.getElementById("stop") as HTMLButtonElement;
        const output = document.getElementById("output")!;
        const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));
        const stdout = () => Array.from(output.querySelectorAll(".out-stdout"), (e) => e.textContent ?? "").join("");
        const stderr = () => Array.from(output.querySelectorAll(".out-stderr"), (e) => e.textContent ?? "").join("");

        /** Clicks `button` and resolves with the end state of the run it starts, or "hang" after `ms`. */
        const runToEnd = (button: HTMLButtonElement, ms: number) =>
          new Promise<string>((resolve) => {
            // Every value data-state takes is seen through the records' old values, so a run that
            // starts and ends between two callbacks is still told apart from the previous run's end.
            let started = false;
            const check = (records: MutationRecord[]) => {
              for (const r of records) if (r.oldValue !== null && !END.has(r.oldValue)) started = true;
              const now = status.dataset.state ?? "";
              if (!END.has(now)) started = true;
              else if (started) finish(now);
            };
            const observer = new MutationObserver(check);
            const timer = setTimeout(() => finish("hang"), ms);
            const finish = (state: string) => {
              observer.disconnect();
              clearTimeout(timer);
              resolve(state);
            };
            observer.observe(status, { attributes: true, attributeFilter: ["data-state"], attributeOldValue: true });
            button.click();
          });

        /** Blocks the main thread for short random spans until `done` is set. */
        const stallWhile = async (done: { value: boolean }) => {
          while (!done.value) {
            await sleep(Math.random() * 3 * maxStallMs);
            const until = performance.now() + Math.random() * maxStallMs;
            while (performance.now() < until) {
              // busy: the page handles no worker message meanwhile
            }
          }
        };

        const t: Tally = { runs: 0, finished: 0, wrong: [], hangs: 0, failed: [], slowestMs: 0, totalMs: 0 };
        for (let i = 0; i < repeats; i++) {
          await sleep(Math.random() * maxPauseMs);
          const done = { value: false };
          const stalls = stallWhile(done);
          const t0 = performance.now();
          const state = await runToEnd(run, limitMs);
          done.value = true;
          await stalls;
          t.runs++;
          t.slowestMs = Math.max(t.slowestMs, performance.now() - t0);
          t.totalMs += performance.now() - t0;
          if (state === "hang") {
            t.hangs++;
            if (!stop.disabled) await runToEnd(stop, limitMs);
          } else if (state !== "finished") {
            t.failed.push(`run ${i + 1}: ${state}: ${status.textContent} ${stderr()}`.slice(0, 300));
          } else {
            t.finished++;
            const out = stdout();
            const err = stderr();
            if (out !== expected || err !== "") t.wrong.push(`run ${i + 1}: stdout ${JSON.stringify(out.slice(0, 200))} stderr ${JSON.stringify(err.slice(0, 200))}`);
          }
        }
        return t;
      },
      { repeats: REPEATS, expected: program.expected, limitMs: RUN_LIMIT_MS, maxPauseMs: MAX_PAUSE_MS, maxStallMs: MAX_STALL_MS },
    );

    console.log(`${program.name}: ${tally.runs} runs on ${WORKERS} workers, ${tally.finished} finished, ${tally.wrong.length} wrong outputs, ${tally.hangs} hangs, ${tally.failed.length} other failures; mean run ${(tally.totalMs / tally.runs).toFixed(0)} ms, slowest ${tally.slowestMs.toFixed(0)} ms`);
    expect(tally.runs).toBe(REPEATS);
    expect({ wrongOutputs: tally.wrong.length, hangs: tally.hangs, otherFailures: tally.failed.length }).toEqual({ wrongOutputs: 0, hangs: 0, otherFailures: 0 });
    expect(tally.wrong.slice(0, 5)).toEqual([]);
    expect(tally.failed.slice(0, 5)).toEqual([]);
    expect(errors).toEqual([]);
  });
}

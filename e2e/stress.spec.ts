// Stress in Chromium: the built site compiles each program of examples/stress/ and runs it on its
// worker pool with 2 and with 4 workers, several times each; every run must print exactly the
// expected output. The pool is as large as the browser reports cores, so the page is told it has
// four (this machine may have fewer; the workers then share the cores, which only adds stress).
//   STRESS_REPEATS=N  runs per program and worker count (default 4)

import { expect, test, type Page } from "@playwright/test";
import { chapterExamples, RUN_TIMEOUT, shareLink, stdoutText, ui, watchErrors } from "./helpers.js";

const STRESS_DIR = new URL("../examples/stress/", import.meta.url);
const REPEATS = Math.max(1, Number(process.env.STRESS_REPEATS ?? 4));
const WORKER_COUNTS = [2, 4];
const POOL_SIZE = Math.max(...WORKER_COUNTS);
const END_STATES = /^(finished|panicked|error-result|stopped|timeout|deadlock|crashed|failed|compile-failed|compiler-failed)$/;

const programs = chapterExamples(STRESS_DIR);

test.describe.configure({ timeout: 4 * RUN_TIMEOUT });

test.beforeEach(async ({ page }) => {
  await page.addInitScript((cores) => {
    Object.defineProperty(Navigator.prototype, "hardwareConcurrency", { get: () => cores, configurable: true });
  }, POOL_SIZE);
});

/** Press Run and wait for the run to end; returns the status line and what the program printed. */
async function runOnce(page: Page): Promise<{ state: string; status: string; stdout: string; stderr: string }> {
  const u = ui(page);
  await u.run.click();
  await expect(u.status).toHaveAttribute("data-state", END_STATES, { timeout: RUN_TIMEOUT });
  return {
    state: (await u.status.getAttribute("data-state")) ?? "",
    status: (await u.status.textContent()) ?? "",
    stdout: await stdoutText(page),
    stderr: (await page.locator("#output .out-stderr").allTextContents()).join(""),
  };
}

test("the stress programs are present", () => {
  expect(programs.map((p) => p.name)).toEqual(expect.arrayContaining(["channel_pipeline", "mutex_64", "nested_par", "par_fib", "task_group_10k"]));
});

for (const program of programs) {
  test(`${program.name}: exact output on 2 and 4 workers, ${REPEATS} runs each`, async ({ page }) => {
    const errors = watchErrors(page);
    await page.goto(shareLink(program.source));
    const u = ui(page);
    await expect(u.workers).toHaveValue(String(POOL_SIZE));
    await page.getByRole("checkbox", { name: "Timeline" }).uncheck(); // only the results count here
    for (const workers of WORKER_COUNTS) {
      await u.workers.selectOption(String(workers));
      for (let i = 0; i < REPEATS; i++) {
        const run = await runOnce(page);
        const where = `${program.name}, ${workers} workers, run ${i + 1}`;
        expect(run.state, `${where}: ${run.status} ${run.stderr}`).toBe("finished");
        expect(run.status, where).toMatch(/^Finished in /);
        expect(run.stdout, where).toBe(program.expected);
        expect(run.stderr, where).toBe("");
      }
    }
    expect(errors).toEqual([]);
  });
}

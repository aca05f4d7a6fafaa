// The Test button runs a file's test blocks in parallel on the worker pool: the Tests tab still
// lists every test in source order with its outcome, karac's message, its own output and links to
// its lines; Stop names the tests it interrupted. The timeline gathers a fanned-out loop's chunks
// into one bar per run of the loop, labelled with the loop's line.

import AxeBuilder from "@axe-core/playwright";
import { expect, test, type Page } from "@playwright/test";
import { expectState, shareLink, ui, watchErrors } from "./helpers.js";

const testsPanel = (page: Page) => page.getByRole("tabpanel", { name: "Tests" });
const rows = (page: Page) => testsPanel(page).getByRole("list", { name: "Tests" }).getByRole("listitem");

const SPIN = `fn spin(n: i64) -> i64 {
    let mut acc = 0;
    let mut i = 0;
    while i < n {
        acc = (acc + i * 7) % 1000003;
        i = i + 1;
    }
    acc
}
`;

// Line numbers matter below: the tests start on lines 11, 17, 22, 26, 31 and 36.
const SUITE = `${SPIN}
test "slow first" {
    println("slow first: begins");
    assert(spin(3000000) >= 0);
    println("slow first: ends");
}

test "compares" {
    println("compares: checking");
    assert_eq(spin(10) + 1, spin(10) + 2);
}

test "quick" {
    assert(spin(5) >= 0);
}

test "gives up" {
    println("gives up: trying");
    panic("no luck");
}

test "slow last" {
    assert(spin(2000000) >= 0);
    println("slow last: done");
}

test "also quick" {
    println("also quick: hi");
}
`;

/** Counts, from now on, the most rows the Tests list shows as running at once. */
async function watchRunningRows(page: Page): Promise<void> {
  await page.evaluate(() => {
    const w = window as unknown as { mostRunning: number };
    w.mostRunning = 0;
    const list = document.querySelector("#tests")!;
    new MutationObserver(() => {
      w.mostRunning = Math.max(w.mostRunning, list.querySelectorAll('.test-row[data-state="running"]').length);
    }).observe(list, { subtree: true, childList: true, attributes: true, attributeFilter: ["data-state"] });
  });
}

test("tests run in parallel and each is listed in order with its outcome, message, output and line links", async ({ page }) => {
  const errors = watchErrors(page);
  await page.goto(shareLink(SUITE));
  await expectState(ui(page).status, "ready");
  await ui(page).workers.selectOption("2");
  await watchRunningRows(page);
  await page.getByRole("button", { name: "Test", exact: true }).click();
  await expectState(ui(page).status, "tests-finished");
  // Two tests were under way at once (one per lane of the two workers).
  expect(await page.evaluate(() => (window as unknown as { mostRunning: number }).mostRunning)).toBe(2);

  const listed = await rows(page).evaluateAll((els) => els.map((e) => [(e as HTMLElement).dataset.test, (e as HTMLElement).dataset.state]));
  expect(listed).toEqual([
    ["slow first", "passed"],
    ["compares", "failed"],
    ["quick", "passed"],
    ["gives up", "failed"],
    ["slow last", "passed"],
    ["also quick", "passed"],
  ]);
  await expect(page.locator("#tests-summary")).toHaveText(/^4 passed, 2 failed of 6 in /);

  const compares = rows(page).nth(1);
  await expect(compares.locator(".test-message")).toHaveText("assertion `left == right` failed");
  await expect(compares.locator(".test-values")).toHaveText("  left: 316\n right: 317");
  await expect(rows(page).nth(3).locator(".test-message")).toHaveText("no luck");

  // Each test's output stays with it, whole, whatever order the tests ended in.
  const outputs: Record<number, string> = { 0: "slow first: begins\nslow first: ends\n", 1: "compares: checking\n", 3: "gives up: trying\n", 4: "slow last: done\n", 5: "also quick: hi\n" };
  for (const [i, text] of Object.entries(outputs)) {
    const row = rows(page).nth(Number(i));
    await row.getByText("Output").click();
    await expect(row.locator(".test-output pre")).toHaveText(text);
  }
  await expect(rows(page).nth(2).locator(".test-output")).toHaveCount(0);

  // Line links: the failed assertion's place and each test's own line.
  await compares.getByRole("button", { name: "main.kara:19:5: go to where the test failed" }).click();
  await expect(page.locator(".cm-activeLine")).toHaveText("    assert_eq(spin(10) + 1, spin(10) + 2);");
  await rows(page).nth(3).getByRole("button", { name: "main.kara:28:5: go to where the test failed" }).click();
  await expect(page.locator(".cm-activeLine")).toHaveText('    panic("no luck");');
  await rows(page).nth(4).getByRole("button", { name: 'line 31: go to the test "slow last"' }).click();
  await expect(page.locator(".cm-activeLine")).toHaveText('test "slow last" {');
  await page.screenshot({ path: "e2e/screenshots/parallel-tests.png" });
  expect(errors).toEqual([]);
});

test("Stop names every test it interrupted and runs no other", async ({ page }) => {
  const errors = watchErrors(page);
  const forever = (name: string) => `test "${name}" {\n    let mut i = 0;\n    while i >= 0 {\n        i = (i + 1) % 1000;\n    }\n}\n`;
  await page.goto(shareLink(`test "quick" {\n    assert(true);\n}\n\n${forever("spins a")}\n${forever("spins b")}\ntest "never reached" {\n    assert(true);\n}\n`));
  await expectState(ui(page).status, "ready");
  await ui(page).workers.selectOption("2");
  await page.getByRole("button", { name: "Test", exact: true }).click();
  await expect(rows(page).nth(1)).toHaveAttribute("data-state", "running", { timeout: 60_000 });
  await expect(rows(page).nth(2)).toHaveAttribute("data-state", "running", { timeout: 60_000 });
  await ui(page).stop.click();
  await expectState(ui(page).status, "tests-finished");
  await expect(page.locator("#tests-summary")).toHaveText(/^Stopped while running "spins a", "spins b": 1 passed, 0 failed of 1 in /);
  const states = await rows(page).evaluateAll((els) => els.map((e) => (e as HTMLElement).dataset.state));
  expect(states).toEqual(["passed", "stopped", "stopped", "pending"]);
  await expect(rows(page).nth(1).locator(".test-state")).toHaveText("stopped while running");
  await expect(page.locator(".cm-test-gutter .cm-test-marker").nth(1)).toHaveAttribute("aria-label", 'test "spins a": stopped while running');
  await expect(ui(page).run).toBeEnabled();
  expect(errors).toEqual([]);
});

// A reduction the compiler fans out (line 15), run three times.
const LOOP_RUNS = `fn weight(i: i64) -> i64 {
    let mut x = i;
    let mut k = 0;
    while k < 50 {
        x = (x * 1103515245 + 12345) % 2147483648;
        k = k + 1;
    }
    x % 1000
}

fn main() {
    let mut round = 0;
    while round < 3 {
        let mut total = 0;
        for i in 0..100000 {
            total += weight(i);
        }
        println(total);
        round = round + 1;
    }
}
`;

test("the timeline shows each run of a fanned-out loop as one group of its chunks, labelled with the loop's line", async ({ page }) => {
  const errors = watchErrors(page);
  await page.goto(shareLink(LOOP_RUNS));
  const u = ui(page);
  await u.workers.selectOption("2");
  await u.run.click();
  await expectState(u.status, "finished");
  await u.tab("Timeline").click();

  const loops = u.timeline.getByRole("group", { name: "fanned-out loops" });
  const groups = loops.getByRole("button");
  await expect(groups).toHaveCount(3);
  await expect(groups).toHaveText(["line 15", "line 15", "line 15"]);
  const labels = await groups.evaluateAll((els) => els.map((e) => e.getAttribute("aria-label")));
  for (const label of labels) expect(label).toMatch(/^loop at line 15 · (\d+) chunks on [12] workers? · [\d.]+ ms$/);
  const chunksPerRun = labels.map((l) => Number(/(\d+) chunks/.exec(l!)![1]));
  // Every chunk bar in the workers' lanes belongs to one run, and says which.
  const chunkBars = u.timeline.locator(".bar-reduce");
  await expect(chunkBars).toHaveCount(chunksPerRun.reduce((a, b) => a + b, 0));
  expect(await u.timeline.locator(".bar-reduce:not([data-loop])").count()).toBe(0);
  await expect(chunkBars.first()).toHaveAttribute("aria-label", /· chunk \d+ of \d+ of the loop at line 15$/);
  await expect(u.timeline.getByRole("list", { name: "Legend" })).toContainText("one run of a split loop");

  // The runs follow one another, left to right, each spanning its own chunks.
  const spans = await groups.evaluateAll((els) => els.map((e) => [e.getBoundingClientRect().left, e.getBoundingClientRect().right]));
  for (let i = 1; i < spans.length; i++) expect(spans[i][0]).toBeGreaterThanOrEqual(spans[i - 1][1] - 1);

  // Focusing a run highlights its chunks; choosing it selects the loop's line.
  await groups.nth(1).focus();
  await expect(u.timeline.locator(".bar-loop-highlight")).toHaveCount(chunksPerRun[1]);
  expect(await u.timeline.locator('.bar-loop-highlight:not([data-loop="1"])').count()).toBe(0);
  await expect(u.timeline.locator(".timeline-details")).toHaveText(labels[1]!);
  await groups.nth(1).click();
  await expect(page.locator(".cm-activeLine")).toHaveText("        for i in 0..100000 {");
  await page.screenshot({ path: "e2e/screenshots/timeline-loop-groups.png" });
  // The loops row is labelled and its bars' names hold their visible text: no serious axe findings.
  const axe = await new AxeBuilder({ page }).include("#panel-timeline").analyze();
  expect(axe.violations.filter((v) => v.impact === "serious" || v.impact === "critical").map((v) => v.id)).toEqual([]);
  expect(errors).toEqual([]);
});

// The Test button runs the file's `test "name" { .. }` blocks on the worker pool and lists each in
// the Tests tab: passed or failed with karac's failure message and compared values, its time, and
// buttons that select the test's line (and the failed assertion's) in the editor.

import AxeBuilder from "@axe-core/playwright";
import { expect, test, type Page } from "@playwright/test";
import { chooseExample, expectState, shareLink, ui, watchErrors } from "./helpers.js";

const MIXED = `fn add(a: i64, b: i64) -> i64 {
    a + b
}

test "adds small numbers" {
    assert_eq(add(2, 3), 5);
}

test "fails on purpose" {
    println("checking the sum");
    assert_eq(add(1, 2), 4);
}

test "branches in parallel" {
    par {
        let a = add(1, 1);
        let b = add(2, 2);
    }
    assert(a + b == 6);
}

test "panics" {
    let v: Vec[i64] = [];
    if v.is_empty() {
        panic("nothing to sum");
    }
}
`;

const testsPanel = (page: Page) => page.getByRole("tabpanel", { name: "Tests" });
const rows = (page: Page) => testsPanel(page).getByRole("list", { name: "Tests" }).getByRole("listitem");

test("the Test button runs every test block and lists each result", async ({ page }) => {
  const errors = watchErrors(page);
  await page.goto("/");
  await chooseExample(page, "tests");
  await expectState(ui(page).status, "ready");
  await page.getByRole("button", { name: "Test", exact: true }).click();
  await expectState(ui(page).status, "tests-finished");
  await expect(ui(page).tab("Tests")).toHaveAttribute("aria-selected", "true");
  await expect(rows(page)).toHaveCount(3);
  const states = await rows(page).evaluateAll((els) => els.map((e) => [(e as HTMLElement).dataset.test, (e as HTMLElement).dataset.state]));
  expect(states).toEqual([
    ["gcd of coprime numbers is 1", "passed"],
    ["gcd divides both", "passed"],
    ["sum of squares in parallel halves", "passed"],
  ]);
  await expect(page.locator("#tests-summary")).toHaveText(/^3 passed, 0 failed of 3 in /);
  await expect(ui(page).status).toHaveText(/^Tests: 3 passed, 0 failed of 3/);
  await expect(ui(page).status).toHaveAttribute("data-tone", "good");
  // Run still runs main, which ignores the tests.
  await ui(page).run.click();
  await expectState(ui(page).status, "finished");
  await expect(ui(page).outputText).toHaveText("12\n385\n");
  expect(errors).toEqual([]);
});

test("a failing test shows karac's message, the compared values, its output and links to its lines", async ({ page }) => {
  const errors = watchErrors(page);
  await page.goto(shareLink(MIXED));
  await ui(page).tab("Tests").click();
  await testsPanel(page).getByRole("button", { name: "Run tests" }).click();
  await expectState(ui(page).status, "tests-finished");
  const states = await rows(page).evaluateAll((els) => els.map((e) => (e as HTMLElement).dataset.state));
  expect(states).toEqual(["passed", "failed", "passed", "failed"]);
  await expect(page.locator("#tests-summary")).toHaveText(/^2 passed, 2 failed of 4 in /);
  await expect(ui(page).status).toHaveAttribute("data-tone", "bad");

  // The editor's gutter shows each outcome beside its test's line, named for screen readers.
  const marks = page.locator(".cm-test-gutter .cm-test-marker");
  await expect(marks).toHaveCount(4);
  expect(await marks.allTextContents()).toEqual(["✓", "✗", "✓", "✗"]);
  await expect(marks.nth(1)).toHaveAttribute("aria-label", /^test "fails on purpose": failed in .*: assertion `left == right` failed$/);
  const gutterTops = await marks.evaluateAll((els) => els.map((e) => Math.round(e.getBoundingClientRect().top)));
  const lineTops = await page.locator(".cm-line").evaluateAll((els, lines) => lines.map((n) => Math.round(els[n - 1].getBoundingClientRect().top)), [5, 9, 14, 22]);
  gutterTops.forEach((top, i) => expect(Math.abs(top - lineTops[i])).toBeLessThan(4));

  const failed = rows(page).nth(1);
  await expect(failed.locator(".test-message")).toHaveText("assertion `left == right` failed");
  await expect(failed.locator(".test-values")).toHaveText("  left: 3\n right: 4");
  // What the test printed, without the panic line (the message already says it).
  await failed.getByText("Output").click();
  await expect(failed.locator(".test-output pre")).toHaveText("checking the sum\n");
  // The place of the failed assertion selects its line in the editor.
  await failed.getByRole("button", { name: "main.kara:11:5: go to where the test failed" }).click();
  await expect(page.locator(".cm-activeLine")).toHaveText("    assert_eq(add(1, 2), 4);");
  // The test's own line.
  await rows(page).nth(3).getByRole("button", { name: 'line 22: go to the test "panics"' }).click();
  await expect(page.locator(".cm-activeLine")).toHaveText('test "panics" {');
  await expect(rows(page).nth(3).locator(".test-message")).toHaveText("nothing to sum");
  await page.screenshot({ path: "e2e/screenshots/tests.png" });
  // Labelled and keyboard-reachable: no serious axe findings in the filled panel, in both themes.
  const serious = async (): Promise<string[]> =>
    (await new AxeBuilder({ page }).include("#panel-tests").analyze()).violations.filter((v) => v.impact === "serious" || v.impact === "critical").map((v) => v.id);
  expect(await serious()).toEqual([]);
  await page.evaluate(() => (document.documentElement.dataset.theme = "dark"));
  expect(await serious()).toEqual([]);
  expect(errors).toEqual([]);
});

test("a test block with a type error runs nothing and lists the error; a file without tests says so", async ({ page }) => {
  const errors = watchErrors(page);
  await page.goto(shareLink('test "bad" {\n    let x: i64 = true;\n}\n\nfn main() {\n    println("hi");\n}\n'));
  await expectState(ui(page).status, "ready");
  await page.getByRole("button", { name: "Test", exact: true }).click();
  await expectState(ui(page).status, "tests-finished");
  await expect(page.locator("#tests-summary")).toContainText("does not compile");
  await expect(ui(page).problems.getByRole("listitem")).not.toHaveCount(0);
  await expect(testsPanel(page).locator(".test-row")).toHaveCount(0);

  await page.goto(shareLink('fn main() {\n    println("hi");\n}\n'));
  await expect.poll(() => page.locator(".cm-content").textContent()).toContain("hi");
  await page.getByRole("button", { name: "Test", exact: true }).click();
  await expectState(ui(page).status, "tests-finished");
  await expect(page.locator("#tests-summary")).toHaveText("No tests.");
  expect(errors).toEqual([]);
});

test("Stop ends the running test and skips the rest", async ({ page }) => {
  const errors = watchErrors(page);
  const source = 'test "quick" {\n    assert(true);\n}\n\ntest "spins" {\n    let mut i = 0;\n    while i >= 0 {\n        i = (i + 1) % 1000;\n    }\n}\n\ntest "never reached" {\n    assert(true);\n}\n';
  await page.goto(shareLink(source));
  await expectState(ui(page).status, "ready");
  // One worker, one lane: the tests run one after another (parallel-tests.spec.ts stops a parallel run).
  await ui(page).workers.selectOption("1");
  await page.getByRole("button", { name: "Test", exact: true }).click();
  await expect(rows(page).nth(1)).toHaveAttribute("data-state", "running", { timeout: 60_000 });
  await expect(ui(page).run).toBeDisabled();
  await ui(page).stop.click();
  await expectState(ui(page).status, "tests-finished");
  await expect(page.locator("#tests-summary")).toHaveText(/^Stopped while running "spins": 1 passed, 0 failed of 1 in /);
  const states = await rows(page).evaluateAll((els) => els.map((e) => (e as HTMLElement).dataset.state));
  expect(states).toEqual(["passed", "stopped", "pending"]);
  await expect(ui(page).run).toBeEnabled();
  await expect(ui(page).stop).toBeDisabled();
  // The pool is usable again at once.
  await page.getByRole("button", { name: "Test", exact: true }).click();
  await expect(rows(page).nth(1)).toHaveAttribute("data-state", "running", { timeout: 60_000 });
  await ui(page).stop.click();
  await expectState(ui(page).status, "tests-finished");
  expect(errors).toEqual([]);
});

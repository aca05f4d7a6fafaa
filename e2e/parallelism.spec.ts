// The Parallelism tab: after a profiled run of a program with `par`, the figures, the critical
// path (its lines select the editor's line) and the speed-up plot with its predicted band.

import AxeBuilder from "@axe-core/playwright";
import { expect, test } from "@playwright/test";
import { chapterExamples, chooseExample, expectState, ui, watchErrors } from "./helpers.js";

test("a profiled run of a par example fills the Parallelism tab", async ({ page }) => {
  const errors = watchErrors(page);
  await page.goto("/");
  const u = ui(page);
  await expectState(u.status, "ready");
  await chooseExample(page, "par_heavy");
  await expect(u.editor).toContainText("par");
  const profile = page.getByRole("checkbox", { name: "Profile" });
  await profile.check();
  await u.workers.selectOption("2");

  const panel = page.getByRole("tabpanel", { name: "Parallelism" });
  await u.tab("Parallelism").click();
  await expect(panel).toContainText("Profile on");
  await u.run.click();
  await expectState(u.status, "finished");

  const figures = panel.locator("dl.profile-figures");
  for (const term of ["Work", "Span", "Parallelism", "Burdened parallelism", "Spawns", "Median task", "Measured on 2 workers"]) {
    await expect(figures.locator("dt", { hasText: new RegExp(`^${term}$`) })).toHaveCount(1);
  }
  const parallelism = await figures.locator("dt:text-is('Parallelism') + dd").textContent();
  expect(parseFloat(parallelism!)).toBeGreaterThan(1); // the par branches overlap in the profile
  expect(Number(await figures.locator("dt:text-is('Spawns') + dd").textContent())).toBeGreaterThan(0);

  // The plot: an SVG image with a closed band and the measured point, axis labels and a legend.
  const plot = panel.getByRole("img", { name: /Predicted speed-up by worker count/ });
  await expect(plot).toBeVisible();
  await expect(plot.locator("path.plot-band")).toHaveAttribute("d", /^M.+Z$/);
  await expect(plot.locator("circle.plot-measured")).toHaveCount(1);
  await expect(plot.locator("text.plot-tick", { hasText: /^64$/ })).toHaveCount(1);
  await expect(plot).toContainText("workers (log₂ scale)");
  await expect(panel.getByRole("list", { name: "Plot legend" })).toContainText("measured, 2 workers");

  // The critical path: choosing a step by keyboard selects its line in the editor.
  const steps = panel.getByRole("list", { name: "Critical path" }).getByRole("button");
  expect(await steps.count()).toBeGreaterThan(0);
  const first = steps.first();
  const line = Number((await first.textContent())!.replace("line ", ""));
  await first.focus();
  await page.keyboard.press("Enter");
  await expect(u.editor).toBeFocused();
  const source = chapterExamples().find((e) => e.name === "par_heavy")!.source;
  await expect(page.locator(".cm-activeLine")).toHaveText(source.split("\n")[line - 1]);

  // Keyboard-reachable and labelled: no serious axe findings in the filled panel.
  const results = await new AxeBuilder({ page }).include("#panel-parallelism").analyze();
  expect(results.violations.filter((v) => v.impact === "serious" || v.impact === "critical").map((v) => v.id)).toEqual([]);

  // The setting is remembered.
  await page.waitForTimeout(500);
  await page.reload();
  await expect(page.getByRole("checkbox", { name: "Profile" })).toBeChecked();

  expect(errors).toEqual([]);
});

test("Measure on every worker count times the program on 1..N workers and plots each speed-up", async ({ page }) => {
  const errors = watchErrors(page);
  await page.goto("/");
  const u = ui(page);
  await expectState(u.status, "ready");
  await chooseExample(page, "par_heavy");
  await page.getByRole("checkbox", { name: "Profile" }).check();
  await u.workers.selectOption("2");
  await u.run.click();
  await expectState(u.status, "finished");
  const stdout = await u.outputText.textContent();
  await u.tab("Parallelism").click();
  const panel = page.getByRole("tabpanel", { name: "Parallelism" });
  const pool = await u.workers.locator("option").count();
  const measure = panel.getByRole("button", { name: `Measure on 1–${pool} workers` });
  await measure.click();
  await expect(u.run).toBeDisabled();
  const table = panel.getByRole("table", { name: "Measured speed-up by worker count" });
  await expect(table.locator("tbody tr")).toHaveCount(pool, { timeout: 120_000 });
  await expect(measure).toBeEnabled({ timeout: 120_000 });
  await expect(u.run).toBeEnabled();
  const rows = await table.locator("tbody tr").evaluateAll((trs) => trs.map((tr) => Array.from(tr.querySelectorAll("td"), (td) => td.textContent ?? "")));
  expect(rows.map((r) => Number(r[0]))).toEqual(Array.from({ length: pool }, (_, i) => i + 1));
  const ms = (text: string): number => (text.endsWith(" ms") ? parseFloat(text) : parseFloat(text) * 1000);
  expect(rows[0][2]).toBe("1.00×");
  // Each speed-up is the one-worker time over that count's time (to the shown precision).
  for (const r of rows.slice(1)) expect(parseFloat(r[2])).toBeCloseTo(ms(rows[0][1]) / ms(r[1]), 0);
  // A point per count on the plot, named in its description; the legend says what they are.
  const plot = panel.getByRole("img", { name: /measured on each count: 1: 1\.00/ });
  await expect(plot.locator("rect.plot-sweep")).toHaveCount(pool);
  await expect(panel.getByRole("list", { name: "Plot legend" })).toContainText("measured on each worker count");
  await panel.screenshot({ path: "e2e/screenshots/parallelism-sweep.png" });
  const results = await new AxeBuilder({ page }).include("#panel-parallelism").analyze();
  expect(results.violations.filter((v) => v.impact === "serious" || v.impact === "critical").map((v) => v.id)).toEqual([]);
  // The measuring runs' output is not shown: the pane still has the profiled Run's.
  expect(await u.outputText.textContent()).toBe(stdout);
  expect(errors).toEqual([]);
});

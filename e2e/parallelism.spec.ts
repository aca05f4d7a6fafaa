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

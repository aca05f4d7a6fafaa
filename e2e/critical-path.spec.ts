// A profiled run's critical path is drawn where the run and the code are: its tasks' bars are
// outlined in the timeline (with a legend entry and a note in their details) and its lines get a
// ◆ in the editor's gutter naming the time spent there. A run without Profile clears both.

import { expect, test } from "@playwright/test";
import { chapterExamples, expectState, shareLink, ui, watchErrors } from "./helpers.js";

test("the critical path is outlined in the timeline and marked in the editor's gutter", async ({ page }) => {
  const errors = watchErrors(page);
  const example = chapterExamples().find((e) => e.name === "par_heavy")!;
  await page.goto(shareLink(example.source));
  const u = ui(page);
  await u.workers.selectOption("2");
  await page.getByRole("checkbox", { name: "Profile" }).check();
  await u.run.click();
  await expectState(u.status, "finished");

  // The Parallelism tab's list of steps: "line N — task T, …".
  await u.tab("Parallelism").click();
  const steps = await page.getByRole("list", { name: "Critical path" }).getByRole("listitem").allTextContents();
  expect(steps.length).toBeGreaterThan(0);
  const pathTasks = new Set(steps.map((s) => Number(/task (\d+)/.exec(s)![1])));
  const pathLines = new Set(steps.map((s) => Number(/^line (\d+)/.exec(s)![1])));

  // Timeline: exactly the bars of those tasks are outlined, and say so.
  await u.tab("Timeline").click();
  const critical = u.timeline.locator(".bar-critical");
  await expect(critical).not.toHaveCount(0);
  const outlined = await critical.evaluateAll((els) => els.map((e) => Number((e as HTMLElement).dataset.task)));
  const allBars = await u.timeline.locator(".bar").evaluateAll((els) => els.map((e) => Number((e as HTMLElement).dataset.task)));
  expect(new Set(outlined)).toEqual(new Set(allBars.filter((id) => pathTasks.has(id))));
  for (const title of await critical.evaluateAll((els) => els.map((e) => e.getAttribute("aria-label") ?? ""))) expect(title).toMatch(/on the critical path$/);
  await expect(u.timeline.getByRole("list", { name: "Legend" })).toContainText("critical path");
  // main is on every path; at least one par branch is too (the path runs through the join).
  expect(await u.timeline.locator(".bar-main.bar-critical").count()).toBeGreaterThan(0);
  expect(await u.timeline.locator(".bar-par.bar-critical").count()).toBeGreaterThan(0);

  // Editor: a ◆ on each line of the path, labelled with its line and time.
  const markers = page.locator(".cm-crit-marker");
  await expect(markers).toHaveCount(pathLines.size);
  const labels = await markers.evaluateAll((els) => els.map((e) => e.getAttribute("aria-label") ?? ""));
  expect(new Set(labels.map((l) => Number(/on line (\d+)/.exec(l)![1])))).toEqual(pathLines);
  for (const l of labels) expect(l).toMatch(/^Critical path: [\d.]+ (µs|ms) on line \d+ \(tasks? [\d, ]+\)$/);
  const lines = example.source.split("\n");
  const striped = await page.locator(".cm-line.cm-crit-line").allTextContents();
  expect(new Set(striped)).toEqual(new Set([...pathLines].map((n) => lines[n - 1])));
  await page.screenshot({ path: "e2e/screenshots/critical-path.png" });

  // A run without Profile has no path to show: both marks go.
  await page.getByRole("checkbox", { name: "Profile" }).uncheck();
  await u.run.click();
  await expectState(u.status, "finished");
  await expect(markers).toHaveCount(0);
  await expect(u.timeline.locator(".bar-critical")).toHaveCount(0);
  await expect(u.timeline.getByRole("list", { name: "Legend" })).not.toContainText("critical path");
  expect(errors).toEqual([]);
});

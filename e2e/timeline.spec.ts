// The timeline reads on its own: a legend of the task kinds, a time axis, details of the chosen
// bar, and one Tab stop for all bars with arrow keys between them.

import { expect, test } from "@playwright/test";
import { chapterExamples, expectState, runUntilParallel, shareLink, ui, watchErrors } from "./helpers.js";

test("legend, axis, details on click, and arrow keys between the bars", async ({ page }) => {
  const errors = watchErrors(page);
  const example = chapterExamples().find((e) => e.name === "par_heavy")!;
  await page.goto(shareLink(example.source));
  const u = ui(page);
  await u.workers.selectOption("2");
  // Both workers ran bars (so there is a lane to move down to).
  expect(await runUntilParallel(page)).toBe(true);
  await expectState(u.status, "finished");
  const legend = u.timeline.getByRole("list", { name: "Legend" });
  await expect(legend).toContainText("main");
  await expect(legend).toContainText("par branch");
  const ticks = u.timeline.locator(".axis-tick");
  expect(await ticks.count()).toBeGreaterThanOrEqual(3);
  await expect(ticks.first()).toHaveText(/^0\.0 ms$/);

  const bars = u.timeline.getByRole("button");
  const count = await bars.count();
  expect(count).toBeGreaterThanOrEqual(3); // main and two branches
  // One Tab stop.
  expect(await u.timeline.locator('.bar[tabindex="0"]').count()).toBe(1);
  // Clicking a bar shows its details.
  const par = u.timeline.locator(".bar-par").first();
  await par.click();
  const details = u.timeline.locator(".timeline-details");
  await expect(details).toHaveText((await par.getAttribute("title"))!);
  // The click selected the bar's line in the editor (and focused it).
  await expect(u.editor).toBeFocused();
  // Keyboard: Home goes to the first bar (main, worker 0), arrows move and update the details.
  await par.focus();
  await page.keyboard.press("Home");
  const first = await page.evaluate(() => document.activeElement?.getAttribute("title"));
  expect(first).toMatch(/^main task/);
  await expect(details).toHaveText(first!);
  await page.keyboard.press("ArrowDown"); // to worker 1's nearest bar
  expect(await page.evaluate(() => document.activeElement?.getAttribute("title"))).toMatch(/worker 1/);
  await page.keyboard.press("End");
  const last = await page.evaluate(() => document.activeElement?.getAttribute("title"));
  expect(last).not.toBe(first);
  await expect(details).toHaveText(last!);
  expect(await u.timeline.locator('.bar[tabindex="0"]').count()).toBe(1);
  // Tab leaves the timeline at once (one stop), Shift+Tab comes back to the same bar.
  await page.keyboard.press("Tab");
  expect(await page.evaluate(() => document.activeElement?.classList.contains("bar"))).toBe(false);
  await page.keyboard.press("Shift+Tab");
  expect(await page.evaluate(() => document.activeElement?.getAttribute("title"))).toBe(last);
  await page.screenshot({ path: "e2e/screenshots/timeline-details.png" });
  expect(errors).toEqual([]);
});

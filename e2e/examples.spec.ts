// The playground's own examples (examples/playground): each is listed in the Examples menu and,
// chosen from it and run, prints exactly its expected output.

import { expect, test } from "@playwright/test";
import { chooseExample, editorText, expectState, listedExamples, moreExamples, RUN_TIMEOUT, SCREENSHOTS, stdoutText, ui, watchErrors } from "./helpers.js";

const all = moreExamples();
test.describe.configure({ timeout: all.length * RUN_TIMEOUT });

test("every example in the menu's second section runs and prints its expected output", async ({ page }) => {
  const errors = watchErrors(page);
  await page.goto("/");
  const u = ui(page);
  const listed = await listedExamples(page, "More examples");
  expect(listed).toEqual(all.map((e) => e.name));
  expect(all.length).toBeGreaterThanOrEqual(12);
  for (const example of all) {
    await test.step(example.name, async () => {
      await chooseExample(page, example.name);
      await expect.poll(() => editorText(page)).toBe(example.source);
      await u.run.click();
      // A program that panics on purpose ends "panicked"; every other one "finished".
      await expectState(u.status, example.expected.includes("\npanic at ") ? "panicked" : "finished");
      expect(await stdoutText(page)).toBe(example.expected);
      if (example.name === "auto_par_independent") {
        // The three calls were dispatched as automatic parallel tasks, and the gutter says so.
        await expect(page.locator(".cm-par-marker")).toHaveCount(3);
        await expect(u.timeline.locator(".bar-auto")).toHaveCount(3);
        await page.screenshot({ path: `${SCREENSHOTS}/example-auto-par.png` });
      }
    });
  }
  expect(errors).toEqual([]);
});

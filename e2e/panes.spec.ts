// The output's live region says how a Run ended in one sentence, and the separator between the
// editor and the output column resizes them by pointer or keyboard and is remembered.

import { expect, test } from "@playwright/test";
import { expectState, shareLink, ui, watchErrors } from "./helpers.js";

test("a finished run is announced as one summary, not line by line", async ({ page }) => {
  const errors = watchErrors(page);
  await page.goto(shareLink('fn main() {\n    for i in 0..12 {\n        println(f"line {i}");\n    }\n}\n'));
  const announcer = page.locator("#output-announcer");
  await expect(announcer).toHaveAttribute("aria-live", "polite");
  await ui(page).run.click();
  await expectState(ui(page).status, "finished");
  await expect(announcer).toHaveText("Program finished, 12 lines of output.");
  expect(errors).toEqual([]);
});

test("the editor/output separator moves with the keyboard and the mouse, and is remembered", async ({ page }) => {
  const errors = watchErrors(page);
  await page.goto("/");
  const separator = page.getByRole("separator", { name: "Resize editor and output" });
  const editorPane = page.locator("#editor-pane");
  const start = Number(await separator.getAttribute("aria-valuenow"));
  const width0 = (await editorPane.boundingBox())!.width;

  await separator.focus();
  for (let i = 0; i < 5; i++) await page.keyboard.press("ArrowLeft");
  await expect(separator).toHaveAttribute("aria-valuenow", String(start - 10));
  expect((await editorPane.boundingBox())!.width).toBeLessThan(width0 - 50);
  await page.keyboard.press("Home");
  await expect(separator).toHaveAttribute("aria-valuenow", "20");

  // Drag it to 70% of the layout's width.
  const layout = (await page.locator("main.layout").boundingBox())!;
  const box = (await separator.boundingBox())!;
  await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
  await page.mouse.down();
  await page.mouse.move(layout.x + layout.width * 0.7, box.y + box.height / 2, { steps: 5 });
  await page.mouse.up();
  await expect(separator).toHaveAttribute("aria-valuenow", "70");
  const dragged = (await editorPane.boundingBox())!.width;
  expect(dragged).toBeGreaterThan(layout.width * 0.6);

  await page.reload();
  await expect(separator).toHaveAttribute("aria-valuenow", "70");
  expect(Math.abs((await editorPane.boundingBox())!.width - dragged)).toBeLessThan(2);
  expect(errors).toEqual([]);
});

// The page itself: loads isolated and error-free, becomes interactive before the compiler
// arrives, share links round-trip, the Examples menu loads programs, and the fallback notice
// appears without cross-origin isolation.

import { expect, test } from "@playwright/test";
import { chapterExamples, chooseExample, editorText, listedExamples, expectState, SCREENSHOTS, serveWithoutIsolation, shareLink, ui, watchErrors } from "./helpers.js";

test("loads cross-origin isolated, interactive, without errors", async ({ page }) => {
  const errors = watchErrors(page);
  await page.goto("/");
  const u = ui(page);
  await expect(u.editor).toBeVisible();
  await expect(u.run).toBeEnabled();
  await expect(u.stop).toBeDisabled();
  await expect(u.output).toBeVisible();
  expect(await page.evaluate(() => crossOriginIsolated)).toBe(true);
  // The editor takes input while the compiler may still be loading.
  await u.editor.click();
  await page.keyboard.press("ControlOrMeta+End");
  await page.keyboard.type("// typed while loading");
  expect(await editorText(page)).toContain("// typed while loading");
  // No notice about missing isolation.
  await expect(page.getByText("not cross-origin isolated")).toHaveCount(0);
  // The pool was sized and the control offers every worker.
  expect(await u.workers.locator("option").count()).toBeGreaterThanOrEqual(2);
  await page.screenshot({ path: `${SCREENSHOTS}/loaded.png` });
  expect(errors).toEqual([]);
});

test("share round trip keeps the source byte for byte", async ({ page, context }) => {
  const errors = watchErrors(page);
  await context.grantPermissions(["clipboard-read", "clipboard-write"]);
  const source = 'fn main() {\n    // Kāra — ünïcödé 日本語 🚀\n\n    println(f"x = {1 + 2}");\n}';
  await page.goto(shareLink(source));
  await expect.poll(() => editorText(page)).toBe(source);
  // Edit, then share the edited program.
  await ui(page).editor.click();
  await page.keyboard.press("ControlOrMeta+End");
  await page.keyboard.type("\n// ende ✓");
  const edited = await editorText(page);
  expect(edited).toContain("// ende ✓");
  await ui(page).share.click();
  await expect(page).toHaveURL(/#code=[A-Za-z0-9_-]+$/);
  await expect(page.getByText(/^Link copied \(\d+ characters\)\.$/)).toBeVisible();
  const url = page.url();
  expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(url);

  const other = await context.newPage();
  const otherErrors = watchErrors(other);
  await other.goto(url);
  await expect(ui(other).editor).toBeVisible();
  await expect.poll(() => editorText(other)).toBe(edited);
  expect(errors).toEqual([]);
  expect(otherErrors).toEqual([]);
});

test("a broken link shows a notice instead of failing", async ({ page }) => {
  const errors = watchErrors(page);
  await page.goto("/#code=%%%not-a-link");
  await expect(page.getByRole("alert")).toContainText("could not be decoded");
  await expect(ui(page).editor).toBeVisible();
  expect(errors).toEqual([]);
});

test("the Examples menu loads each chapter program", async ({ page }) => {
  const errors = watchErrors(page);
  await page.goto("/");
  const all = chapterExamples();
  expect(await listedExamples(page, "Concurrency chapter")).toEqual(all.map((e) => e.name));
  for (const example of all) {
    await chooseExample(page, example.name);
    await expect.poll(() => editorText(page)).toBe(example.source);
  }
  // Choosing the same example again restores it after an edit (the edit stays one Undo away).
  const last = all[all.length - 1];
  await ui(page).editor.click();
  await page.keyboard.type("// edit");
  await chooseExample(page, last.name);
  await expect.poll(() => editorText(page)).toBe(last.source);
  expect(errors).toEqual([]);
});

test("the compiler loads in the background with visible progress", async ({ page }) => {
  const errors = watchErrors(page);
  await page.goto("/");
  const status = ui(page).status;
  // Either still loading (with a running clock) or already done.
  await expect(status).toHaveText(/Loading compiler… (\d+\.\d MB of \d+\.\d MB, )?\d+\.\d s|Ready/);
  await expectState(status, "ready");
  await expect(status).toHaveText(/Ready \(compiler loaded in .+\)/);
  expect(errors).toEqual([]);
});

test("a Run pressed while the compiler downloads starts once it arrives", async ({ page }) => {
  const errors = watchErrors(page);
  // Hold the compiler's chunk back so the page is seen working without it.
  let release!: () => void;
  const held = new Promise<void>((r) => (release = r));
  await page.route(/\/assets\/compile-(?!worker-)[^/]*\.js$/, async (route) => {
    await held;
    await route.continue();
  });
  await page.goto(shareLink('fn main() {\n    println("late start");\n}\n'));
  const u = ui(page);
  await expectState(u.status, "loading", 5_000);
  await expect(u.status).toHaveText(/^Loading compiler… (\d+\.\d MB of \d+\.\d MB, )?\d+\.\d s$/);
  await u.run.click();
  await expect(u.status).toHaveText(/Run will start when it is ready/);
  // The page stays responsive: the editor takes input meanwhile.
  await u.editor.click();
  await page.keyboard.press("ControlOrMeta+End");
  await page.keyboard.type("// still typing");
  expect(await editorText(page)).toContain("// still typing");
  release();
  await expectState(u.status, "finished");
  expect(await page.locator("#output .out-stdout").textContent()).toBe("late start\n");
  expect(errors).toEqual([]);
});

test("without cross-origin isolation a notice explains the sequential fallback", async ({ page }) => {
  const errors = watchErrors(page);
  await serveWithoutIsolation(page);
  await page.goto("/");
  expect(await page.evaluate(() => crossOriginIsolated)).toBe(false);
  await expect(page.getByText("programs run sequentially on one worker")).toBeVisible();
  await expect(ui(page).workers).toBeDisabled();
  await expect(ui(page).workers).toHaveValue("1");
  await page.screenshot({ path: `${SCREENSHOTS}/not-isolated.png` });
  expect(errors).toEqual([]);
});

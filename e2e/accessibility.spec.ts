// Accessibility: no serious or critical axe-core violations on the page (idle, after a run, with
// the Examples menu open), and the keyboard can leave the editor (Esc, then Tab), as its hint says.

import AxeBuilder from "@axe-core/playwright";
import { expect, test, type Page } from "@playwright/test";
import { expectState, ui, watchErrors } from "./helpers.js";

async function seriousViolations(page: Page): Promise<string[]> {
  const results = await new AxeBuilder({ page }).analyze();
  return results.violations
    .filter((v) => v.impact === "serious" || v.impact === "critical")
    .map((v) => `${v.id} (${v.impact}): ${v.help} — ${v.nodes.map((n) => n.target.join(" ")).slice(0, 3).join(", ")}`);
}

test("no serious accessibility violations, idle, after a run and with the menu open", async ({ page }) => {
  const errors = watchErrors(page);
  await page.goto("/");
  const u = ui(page);
  await expectState(u.status, "ready");
  expect(await seriousViolations(page)).toEqual([]);
  await u.run.click();
  await expectState(u.status, "finished");
  expect(await seriousViolations(page)).toEqual([]);
  await u.examples.click();
  await expect(u.examplesMenu).toBeVisible();
  expect(await seriousViolations(page)).toEqual([]);
  expect(errors).toEqual([]);
});

test("Esc then Tab leaves the editor; Tab alone indents", async ({ page }) => {
  const errors = watchErrors(page);
  await page.goto("/");
  const u = ui(page);
  await expect(u.editor).toHaveAccessibleDescription(/Esc, then Tab/);
  await u.editor.click();
  await page.keyboard.press("Tab");
  await expect(u.editor).toBeFocused();
  await page.keyboard.press("Escape");
  await page.keyboard.press("Tab");
  await expect(u.editor).not.toBeFocused();
  expect(errors).toEqual([]);
});

test("the theme follows the system and the toggle overrides it, across reloads", async ({ page }) => {
  const errors = watchErrors(page);
  await page.emulateMedia({ colorScheme: "dark" });
  await page.goto("/");
  const html = page.locator("html");
  const theme = page.locator("#theme");
  await expect(html).toHaveAttribute("data-theme", "dark");
  await expect(theme).toHaveText("Theme: system");
  const background = () => page.locator("html").evaluate((b) => getComputedStyle(b).backgroundColor);
  const dark = await background();
  await page.emulateMedia({ colorScheme: "light" });
  await expect(html).toHaveAttribute("data-theme", "light");
  expect(await background()).not.toBe(dark);
  // system → dark → light → system
  await theme.click();
  await expect(theme).toHaveText("Theme: dark");
  await expect(html).toHaveAttribute("data-theme", "dark");
  await page.reload();
  await expect(html).toHaveAttribute("data-theme", "dark");
  await expect(theme).toHaveText("Theme: dark");
  await theme.click();
  await expect(html).toHaveAttribute("data-theme", "light");
  await theme.click();
  await expect(theme).toHaveText("Theme: system");
  expect(errors).toEqual([]);
});

test("no serious accessibility violations in the dark theme", async ({ page }) => {
  await page.emulateMedia({ colorScheme: "dark" });
  await page.goto("/");
  await expectState(ui(page).status, "ready");
  await ui(page).run.click();
  await expectState(ui(page).status, "finished");
  expect(await seriousViolations(page)).toEqual([]);
});

test("on a phone the editor takes at least half of the screen's height", async ({ page }) => {
  await page.setViewportSize({ width: 390, height: 800 });
  await page.goto("/");
  const box = await page.locator("#editor").boundingBox();
  expect(box!.height).toBeGreaterThanOrEqual(400);
  // The panes are one tab away (Code / Output; e2e/phone-layout.spec.ts covers the tabs).
  await page.getByRole("tablist", { name: "View" }).getByRole("tab", { name: "Output" }).click();
  await expect(ui(page).output).toBeInViewport();
});

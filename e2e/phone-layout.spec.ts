// Phone-sized screens: the editor and the output column are tabs (Code / Output), each filling
// the screen; Run shows the output, choosing a line shows the code. Soft-wrapped lines keep
// their indentation: a long indented line continues under its first character, not at the margin.

import { expect, test, type Page } from "@playwright/test";
import { editorText, expectState, shareLink, stdoutText, ui, watchErrors } from "./helpers.js";

const PHONE = { width: 390, height: 800 };

test("on a phone, Code and Output are tabs; Run shows the output, a problem shows the code", async ({ page }) => {
  const errors = watchErrors(page);
  await page.setViewportSize(PHONE);
  await page.goto(shareLink('fn main() {\n    println("on a phone");\n}\n'));
  const u = ui(page);
  const views = page.getByRole("tablist", { name: "View" });
  await expect(views).toBeVisible();
  const code = views.getByRole("tab", { name: "Code" });
  const out = views.getByRole("tab", { name: "Output" });
  await expect(code).toHaveAttribute("aria-selected", "true");
  // The editor fills the screen below the toolbar; the output column is not shown.
  const box = (await page.locator("#editor").boundingBox())!;
  expect(box.height).toBeGreaterThanOrEqual(PHONE.height / 2);
  expect(box.y + box.height).toBeLessThanOrEqual(PHONE.height + 1);
  await expect(u.output).toBeHidden();
  await page.screenshot({ path: "e2e/screenshots/phone-code.png" });

  // Keyboard: the arrow keys move between the two tabs.
  await code.focus();
  await page.keyboard.press("ArrowRight");
  await expect(out).toBeFocused();
  await expect(out).toHaveAttribute("aria-selected", "true");
  await expect(u.output).toBeVisible();
  await expect(page.locator("#editor")).toBeHidden();
  await page.keyboard.press("ArrowLeft");
  await expect(u.output).toBeHidden();

  // Run from the Code tab switches to the output.
  await expectState(u.status, "ready");
  await u.run.click();
  await expectState(u.status, "finished");
  await expect(out).toHaveAttribute("aria-selected", "true");
  await expect(u.output).toBeVisible();
  expect(await stdoutText(page)).toBe("on a phone\n");
  await page.screenshot({ path: "e2e/screenshots/phone-output.png" });

  // A program with an error: choosing the problem goes back to the code, at the error.
  await code.click();
  await u.editor.click();
  await page.keyboard.press("ControlOrMeta+End");
  await page.keyboard.type("\nfn broken() { let x: i64 = true; }");
  await u.run.click();
  await expectState(u.status, /compile-failed|failed/);
  await expect(out).toHaveAttribute("aria-selected", "true");
  await u.problems.getByRole("button").first().click();
  await expect(code).toHaveAttribute("aria-selected", "true");
  await expect(u.editor).toBeFocused();
  expect(errors).toEqual([]);
});

test("on a wide screen the tabs are hidden and both columns show", async ({ page }) => {
  await page.setViewportSize({ width: 1280, height: 800 });
  await page.goto("/");
  await expect(page.getByRole("tablist", { name: "View" })).toBeHidden();
  await expect(page.locator("#editor")).toBeVisible();
  await expect(ui(page).output).toBeVisible();
});

/** Left edges (px) of the first non-blank character and of each continuation row of the editor line containing `marker`. */
async function wrappedRows(page: Page, marker: string): Promise<{ first: number; rows: number[] }> {
  return page.locator(".cm-line", { hasText: marker }).evaluate((line) => {
    const walker = line.ownerDocument.createTreeWalker(line, NodeFilter.SHOW_TEXT);
    const range = line.ownerDocument.createRange();
    let first: number | undefined;
    const tops = new Map<number, number>();
    for (let node = walker.nextNode() as Text | null; node; node = walker.nextNode() as Text | null) {
      for (let i = 0; i < node.length; i++) {
        range.setStart(node, i);
        range.setEnd(node, i + 1);
        const r = range.getBoundingClientRect();
        if (first === undefined && node.data[i].trim() !== "") first = r.left;
        const top = Math.round(r.top);
        tops.set(top, Math.min(tops.get(top) ?? Infinity, r.left));
      }
    }
    const rows = [...tops.entries()].sort((a, b) => a[0] - b[0]).map(([, left]) => left);
    return { first: first ?? NaN, rows };
  });
}

test("a soft-wrapped line keeps its indentation", async ({ page }) => {
  const errors = watchErrors(page);
  await page.setViewportSize(PHONE);
  const words = Array.from({ length: 24 }, (_, i) => `word${i}`).join(" ");
  const source = `fn main() {\n    if true {\n        println("WRAPME ${words}");\n    }\n}\n`;
  await page.goto(shareLink(source));
  await expect.poll(() => editorText(page)).toBe(source);
  const { first, rows } = await wrappedRows(page, "WRAPME");
  expect(rows.length).toBeGreaterThanOrEqual(2); // it does wrap at this width
  // Every continuation row starts where the text of the first row starts (8 columns in).
  for (const left of rows.slice(1)) expect(Math.abs(left - first)).toBeLessThan(2);
  // The first row itself is not shifted: its indentation is still drawn before the text.
  expect(rows[0]).toBeLessThan(first - 20);
  // An unindented line that wraps starts its continuation at the margin.
  const flat = `fn main() {\n    println("x");\n}\n// FLATLINE ${words}\n`;
  await page.goto(shareLink(flat));
  await expect.poll(() => editorText(page)).toBe(flat);
  const unindented = await wrappedRows(page, "FLATLINE");
  expect(unindented.rows.length).toBeGreaterThanOrEqual(2);
  expect(Math.abs(unindented.rows[1] - unindented.rows[0])).toBeLessThan(2);
  expect(errors).toEqual([]);
});

test("on a phone the toolbar is compact: the run settings fold behind Options", async ({ page }) => {
  const errors = watchErrors(page);
  await page.setViewportSize(PHONE);
  await page.goto("/");
  const u = ui(page);
  const toolbar = page.locator("header.toolbar");
  // Run, Test, Stop, Format, Examples and Share are in view; the settings are not.
  for (const name of ["Run", "Test", "Stop", "Format", "Share"]) await expect(page.getByRole("button", { name, exact: true })).toBeInViewport();
  await expect(u.examples).toBeInViewport();
  await expect(u.workers).toBeHidden();
  await expect(page.getByRole("checkbox", { name: "Profile" })).toBeHidden();
  const folded = (await toolbar.boundingBox())!.height;
  // Two rows of buttons and the status line.
  expect(folded).toBeLessThanOrEqual(130);
  const options = page.getByRole("button", { name: "Options" });
  await expect(options).toHaveAttribute("aria-expanded", "false");
  await options.click();
  await expect(options).toHaveAttribute("aria-expanded", "true");
  await expect(u.workers).toBeVisible();
  await expect(page.getByRole("checkbox", { name: "Profile" })).toBeVisible();
  await page.screenshot({ path: "e2e/screenshots/phone-options.png" });
  // A setting changed here is a setting like any other (and the editor still has its height).
  await page.getByRole("checkbox", { name: "Profile" }).check();
  await page.keyboard.press("Escape");
  await expect(options).toHaveAttribute("aria-expanded", "false");
  await expect(options).toBeFocused();
  await expect(u.workers).toBeHidden();
  const box = (await page.locator("#editor").boundingBox())!;
  expect(box.height).toBeGreaterThanOrEqual(PHONE.height / 2);
  await page.reload();
  await expect(page.getByRole("checkbox", { name: "Profile", includeHidden: true })).toBeChecked();
  // On a wide screen there is no Options button and the settings are in the toolbar.
  await page.setViewportSize({ width: 1280, height: 800 });
  await expect(options).toBeHidden();
  await expect(u.workers).toBeVisible();
  expect(errors).toEqual([]);
});

// Work is never lost and the editor helps as you type: the draft survives reloads, links and
// examples never silently replace edits, the Examples menu commits only on an explicit choice,
// Share (and Ctrl/Cmd+S) puts the program in the URL, errors appear while typing, and quotes,
// braces and f-string holes close correctly when typed key by key.

import { expect, test } from "@playwright/test";
import { chapterExamples, chooseExample, editorText, expectState, shareLink, ui, watchErrors } from "./helpers.js";

const typed = "// my own work ✓";

async function appendLine(page: import("@playwright/test").Page, text: string): Promise<void> {
  await ui(page).editor.click();
  await page.keyboard.press("ControlOrMeta+End");
  await page.keyboard.type(`\n${text}`);
}

test("a reload keeps the editor's text and the run settings", async ({ page }) => {
  const errors = watchErrors(page);
  await page.goto("/");
  await expect(ui(page).workers.locator("option")).not.toHaveCount(0);
  await appendLine(page, typed);
  await ui(page).workers.selectOption("1");
  const before = await editorText(page);
  await page.reload();
  await expect.poll(() => editorText(page)).toBe(before);
  await expect(ui(page).workers).toHaveValue("1");
  expect(errors).toEqual([]);
});

test("choosing an example keeps the edited text one Undo away, with a notice", async ({ page }) => {
  const errors = watchErrors(page);
  await page.goto("/");
  await appendLine(page, typed);
  const edited = await editorText(page);
  const example = chapterExamples().find((e) => e.name === "task_group")!;
  await chooseExample(page, example.name);
  await expect.poll(() => editorText(page)).toBe(example.source);
  const note = page.getByRole("note").filter({ hasText: "previous text is one Undo" });
  await expect(note).toBeVisible();
  await note.getByRole("button", { name: "Restore previous text" }).click();
  await expect.poll(() => editorText(page)).toBe(edited);
  // Plain Undo does the same.
  await chooseExample(page, example.name);
  await ui(page).editor.click();
  await page.keyboard.press("ControlOrMeta+Z");
  await expect.poll(() => editorText(page)).toBe(edited);
  expect(errors).toEqual([]);
});

test("opening a share link keeps the saved draft one Undo away; reloading the link keeps later edits", async ({ page }) => {
  const errors = watchErrors(page);
  await page.goto("/");
  await appendLine(page, typed);
  const draft = await editorText(page);
  const linked = 'fn main() {\n    println("from a link");\n}\n';
  await page.goto(shareLink(linked));
  await expect.poll(() => editorText(page)).toBe(linked);
  await expect(page.getByRole("note").filter({ hasText: "Loaded the shared program" })).toBeVisible();
  await ui(page).editor.click();
  await page.keyboard.press("ControlOrMeta+Z");
  await expect.poll(() => editorText(page)).toBe(draft);
  // Redo, edit the linked program, reload the same URL: the edits stay.
  await page.keyboard.press("ControlOrMeta+Shift+Z");
  await expect.poll(() => editorText(page)).toBe(linked);
  await appendLine(page, "// edited after opening");
  const edited = await editorText(page);
  await page.reload();
  await expect.poll(() => editorText(page)).toBe(edited);
  expect(errors).toEqual([]);
});

test("the Examples menu opens with the keyboard and loads only on Enter", async ({ page }) => {
  const errors = watchErrors(page);
  await page.goto("/");
  const start = await editorText(page);
  const u = ui(page);
  await u.examples.focus();
  await page.keyboard.press("ArrowDown");
  await expect(u.examplesMenu).toBeVisible();
  await expect(u.examples).toHaveAttribute("aria-expanded", "true");
  // Moving through the list changes nothing.
  await page.keyboard.press("ArrowDown");
  await page.keyboard.press("ArrowDown");
  await page.keyboard.press("ArrowUp");
  expect(await editorText(page)).toBe(start);
  const focused = await page.evaluate(() => (document.activeElement as HTMLElement).dataset.example);
  expect(focused).toBeTruthy();
  // Escape closes it without loading, focus back on the button.
  await page.keyboard.press("Escape");
  await expect(u.examplesMenu).toBeHidden();
  await expect(u.examples).toBeFocused();
  expect(await editorText(page)).toBe(start);
  // Enter on an item loads exactly that one.
  await page.keyboard.press("ArrowDown");
  await page.keyboard.press("End");
  const last = await page.evaluate(() => (document.activeElement as HTMLElement).dataset.example!);
  await page.keyboard.press("Enter");
  await expect(u.examplesMenu).toBeHidden();
  const all = [...chapterExamples(), ...(await import("./helpers.js")).moreExamples()];
  await expect.poll(() => editorText(page)).toBe(all.find((e) => e.name === last)!.source);
  // Items carry their title and description.
  await u.examples.click();
  await expect(u.examplesMenu.getByRole("menuitem", { name: /^par_counter Explicit concurrency with `par`/ })).toBeVisible();
  expect(errors).toEqual([]);
});

test("Ctrl/Cmd+S shares: the URL carries the current program, with its length and a warning when long", async ({ page }) => {
  const errors = watchErrors(page);
  await page.goto("/");
  await appendLine(page, typed);
  await page.keyboard.press("ControlOrMeta+S");
  await expect(page).toHaveURL(/#code=[A-Za-z0-9_-]+$/);
  const note = page.locator("#share-note");
  await expect(note).toHaveText(/\(\d[\d,]* characters\)\.$/);
  await expect(note).not.toHaveAttribute("data-tone", "warning");
  const url = page.url();
  const other = await page.context().browser()!.newPage();
  await other.goto(url);
  await expect.poll(() => editorText(other)).toBe(await editorText(page));
  await other.close();
  // A long program makes a long link: the note warns.
  const noise = Array.from({ length: 200 }, (_, i) => `    let v${i} = ${(i * 7919) % 10007} * ${(i * 104729) % 1009};`).join("\n");
  await ui(page).editor.click();
  await page.keyboard.press("ControlOrMeta+End");
  await page.keyboard.insertText(`\n${noise}`);
  await ui(page).share.click();
  await expect(note).toHaveAttribute("data-tone", "warning");
  await expect(note).toContainText("long");
  expect(errors).toEqual([]);
});

test("errors appear while typing, without Run, and go away when fixed", async ({ page }) => {
  const errors = watchErrors(page);
  await page.goto(shareLink('fn main() {\n    let x: i64 = 1;\n    println(f"{x}");\n}\n'));
  const u = ui(page);
  await expectState(u.status, "ready");
  await expect(page.locator(".cm-lintRange-error, .cm-lintPoint-error")).toHaveCount(0);
  // Type an undefined name.
  await page.getByText("let x: i64 = 1;").click();
  await page.keyboard.press("End");
  await page.keyboard.type("\n    let y = nope + 1;");
  await expect(page.locator(".cm-lintRange-error, .cm-lintPoint-error")).toHaveCount(1, { timeout: 5_000 });
  await expect(u.problems.locator(".diag-error")).toHaveCount(1);
  await expect(u.status).toHaveAttribute("data-state", "ready"); // nothing ran
  // Fix it: the squiggle and the problem go.
  for (let i = 0; i < "nope + 1;".length; i++) await page.keyboard.press("Backspace");
  await page.keyboard.type("x + 1;");
  await expect(page.locator(".cm-lintRange-error, .cm-lintPoint-error")).toHaveCount(0, { timeout: 5_000 });
  await expect(u.problems.locator(".diag-error")).toHaveCount(0);
  expect(errors).toEqual([]);
});

test("the parallel gutter follows the program as it is typed", async ({ page }) => {
  const errors = watchErrors(page);
  const example = chapterExamples().find((e) => e.name === "build_dashboard")!;
  await page.goto(shareLink(example.source));
  await expectState(ui(page).status, "ready");
  await appendLine(page, "// a trailing comment starts a check");
  await expect(page.locator(".cm-par-marker").first()).toBeVisible({ timeout: 5_000 });
  expect(errors).toEqual([]);
});

test("quotes, braces and f-string holes close correctly when typed key by key", async ({ page }) => {
  const errors = watchErrors(page);
  await page.goto("/");
  const u = ui(page);
  await u.editor.click();
  await page.keyboard.press("ControlOrMeta+A");
  await page.keyboard.press("Delete");
  const lines = [
    'println(f"hello {name}");',
    'let s = "plain";',
    'let t = f"{a} and {b}";',
    "let v = [(1, 2), (3, 4)];",
    'let w = f"{xs[0]} {f(y)}";',
  ];
  for (const line of lines) {
    await page.keyboard.press("ControlOrMeta+End");
    await page.keyboard.type(line);
    expect(await editorText(page)).toBe(lines.slice(0, lines.indexOf(line) + 1).join("\n"));
    await page.keyboard.press("ControlOrMeta+End");
    if (line !== lines[lines.length - 1]) await page.keyboard.press("Enter");
    // Enter may indent the new line; start each line at column 0.
    await page.keyboard.press("Shift+Home");
    await page.keyboard.press("Delete");
  }
  expect(errors).toEqual([]);
});

// Format: the toolbar button and Shift+Alt+F rewrite the program in `kara fmt`'s layout as one
// undoable edit; a program with syntax errors is left alone and its errors listed; Format on Run
// formats before compiling and is remembered.

import { expect, test } from "@playwright/test";
import { editorText, expectState, shareLink, stdoutText, ui, watchErrors } from "./helpers.js";

const messy = 'fn add(a:i64,b:i64)->i64{a+b}\nfn main(){let x=add(1,2);println(f"{x}");}\n';
// What `kara fmt` writes for it (checked against the CLI).
const tidy = 'fn add(a: i64, b: i64) -> i64 {\n    a + b\n}\n\nfn main() {\n    let x = add(1, 2);\n    println(f"{x}");\n}\n';

test("Format and Shift+Alt+F lay the program out as kara fmt does; Undo restores it", async ({ page }) => {
  const errors = watchErrors(page);
  await page.goto(shareLink(messy));
  await expect.poll(() => editorText(page)).toBe(messy);
  const format = page.getByRole("button", { name: "Format", exact: true });
  await format.click();
  await expect.poll(() => editorText(page)).toBe(tidy);
  await expect(page.locator("#share-note")).toHaveText("Formatted.");
  // Formatting again changes nothing.
  await format.click();
  await expect(page.locator("#share-note")).toHaveText("Already formatted.");
  expect(await editorText(page)).toBe(tidy);
  // One edit: a single Undo brings the original text back.
  await ui(page).editor.click();
  await page.keyboard.press("ControlOrMeta+Z");
  await expect.poll(() => editorText(page)).toBe(messy);
  // The keyboard shortcut, from inside the editor.
  await page.keyboard.press("Shift+Alt+F");
  await expect.poll(() => editorText(page)).toBe(tidy);
  expect(errors).toEqual([]);
});

test("a program that does not parse is not formatted and its errors are listed", async ({ page }) => {
  const errors = watchErrors(page);
  const broken = "fn main() {\n    let x = ;\n}\n";
  await page.goto(shareLink(broken));
  await expect.poll(() => editorText(page)).toBe(broken);
  await page.getByRole("button", { name: "Format", exact: true }).click();
  await expect(page.locator("#share-note")).toContainText("syntax errors");
  await expect(ui(page).problems.getByRole("listitem")).not.toHaveCount(0);
  expect(await editorText(page)).toBe(broken);
  expect(errors).toEqual([]);
});

test("Format on Run formats before compiling, and the setting is remembered", async ({ page }) => {
  const errors = watchErrors(page);
  await page.goto(shareLink(messy));
  await expect.poll(() => editorText(page)).toBe(messy);
  const onRun = page.getByRole("checkbox", { name: "Format on Run" });
  await expect(onRun).not.toBeChecked();
  await onRun.check();
  await ui(page).run.click();
  await expectState(ui(page).status, "finished");
  expect(await editorText(page)).toBe(tidy);
  expect(await stdoutText(page)).toBe("3\n");
  await page.waitForTimeout(500); // the draft is saved after a short delay
  await page.reload();
  await expect(page.getByRole("checkbox", { name: "Format on Run" })).toBeChecked();
  expect(errors).toEqual([]);
});

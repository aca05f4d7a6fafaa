// The page names the compiler's version and commit, and a help dialog (the "?" button or key)
// lists the keyboard shortcuts and links to the language reference.

import { execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { expect, test } from "@playwright/test";
import { ui, watchErrors } from "./helpers.js";

const version = (JSON.parse(readFileSync(new URL("../package.json", import.meta.url), "utf8")) as { version: string }).version;
const commit = execFileSync("git", ["rev-parse", "--short", "HEAD"]).toString().trim();

test("the page shows the compiler's version and commit", async ({ page }) => {
  await page.goto("/");
  await expect(page.locator("#build-info")).toHaveText(`v${version} · ${commit}`);
});

test("? opens the shortcut help outside the editor, types a ? inside it; the button opens it too", async ({ page }) => {
  const errors = watchErrors(page);
  await page.goto("/");
  const dialog = page.getByRole("dialog", { name: "Keyboard shortcuts" });
  await expect(dialog).toBeHidden();

  // In the editor, ? is text.
  await ui(page).editor.click();
  await page.keyboard.press("ControlOrMeta+End");
  await page.keyboard.type("?");
  await expect(dialog).toBeHidden();
  await expect(page.locator(".cm-content")).toContainText("?");

  // Elsewhere it opens the help.
  await ui(page).run.focus();
  await page.keyboard.press("?");
  await expect(dialog).toBeVisible();
  await expect(dialog.getByRole("row", { name: /Ctrl\/Cmd\+Enter.*Run the program/ })).toBeVisible();
  await expect(dialog.getByRole("row", { name: /F12.*definition/ })).toBeVisible();
  const book = dialog.getByRole("link", { name: "Effects" });
  await expect(book).toHaveAttribute("href", /^https:\/\/github\.com\/karalang\/kara\/.*ch11-effects\.md$/);
  await expect(dialog).toContainText(`Compiler ${version} (commit ${commit})`);
  await page.keyboard.press("Escape");
  await expect(dialog).toBeHidden();

  await page.getByRole("button", { name: "Keyboard shortcuts" }).click();
  await expect(dialog).toBeVisible();
  await dialog.getByRole("button", { name: "Close" }).click();
  await expect(dialog).toBeHidden();
  expect(errors).toEqual([]);
});

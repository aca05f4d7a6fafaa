// Hover, completion and go-to-definition, from the compile worker's last clean check.

import { expect, test, type Page } from "@playwright/test";
import { coordsOf, expectState, shareLink, ui, watchErrors } from "./helpers.js";

const program = `effect resource Db;

fn fetch(id: i64) -> String with reads(Db) {
    f"row {id}"
}

fn main() {
    let mut v: Vec[i64] = Vec.new();
    v.push(1);
    let s = fetch(v.len());
    println(s);
}
`;


/** The editor's main selection, as offsets. */
function selection(page: Page): Promise<{ from: number; to: number }> {
  return page.locator(".cm-content").evaluate((el) => {
    const view = (el as unknown as { cmTile?: { root?: { view?: { state: { selection: { main: { from: number; to: number } } } } } } }).cmTile?.root?.view;
    if (!view) throw new Error("no editor view");
    return { from: view.state.selection.main.from, to: view.state.selection.main.to };
  });
}

async function openProgram(page: Page): Promise<void> {
  await page.goto(shareLink(program));
  await expectState(ui(page).status, "ready");
}

test("hovering a function shows its signature and inferred effects; a variable its type", async ({ page }) => {
  const errors = watchErrors(page);
  await openProgram(page);
  const hover = page.locator(".cm-tooltip-hover .cm-code-hover");
  await expect(async () => {
    await page.mouse.move(0, 0);
    const at = await coordsOf(page, "fetch", 1); // the call in main
    await page.mouse.move(at.x, at.y);
    await expect(hover).toHaveText("fn fetch(id: i64) -> String  with reads(Db), allocates(Heap)", { timeout: 2000 });
  }).toPass({ timeout: 30_000 });

  const v = await coordsOf(page, "v", 1);
  await page.mouse.move(v.x, v.y);
  await expect(hover).toHaveText("let mut v: Vec[i64]");
  const push = await coordsOf(page, "push");
  await page.mouse.move(push.x, push.y);
  await expect(hover).toContainText("v.push(x: T)");
  await expect(hover).toContainText("Appends x.");
  expect(errors).toEqual([]);
});

test("after `v.` on a Vec, completion lists push; typing keeps the last clean check's answers", async ({ page }) => {
  const errors = watchErrors(page);
  await openProgram(page);
  // Wait until the index has arrived (hover answers), then edit.
  await expect(async () => {
    const at = await coordsOf(page, "fetch", 1);
    await page.mouse.move(0, 0);
    await page.mouse.move(at.x, at.y);
    await expect(page.locator(".cm-code-hover")).toBeVisible({ timeout: 2000 });
  }).toPass({ timeout: 30_000 });
  await page.mouse.move(0, 0);

  const at = await coordsOf(page, "println");
  await page.mouse.click(at.x, at.y);
  await page.mouse.move(0, 0);
  await page.keyboard.press("End");
  await page.keyboard.press("Enter");
  await page.keyboard.type("v.");
  const list = page.locator(".cm-tooltip-autocomplete");
  await expect(list).toBeVisible();
  await expect(list.locator(".cm-completionLabel", { hasText: /^push$/ })).toBeVisible();
  await expect(list.locator(".cm-completionLabel", { hasText: /^len$/ })).toBeVisible();
  await page.keyboard.type("pu");
  await expect(list.locator(".cm-completionLabel")).toHaveText(["push"]);
  // CodeMirror ignores Enter for 75 ms after the list changes, so a fast typist's Enter stays a newline.
  await page.waitForTimeout(200);
  await page.keyboard.press("Enter");
  await expect(page.locator(".cm-line", { hasText: /^\s*v\.push$/ })).toBeVisible();

  // Names in scope, by a word's start.
  await page.keyboard.press("Enter");
  await page.keyboard.type("fe");  // two characters open the list
  await expect(list.locator(".cm-completionLabel", { hasText: /^fetch$/ })).toBeVisible();
  await page.keyboard.press("Escape");
  expect(errors).toEqual([]);
});

test("F12 and Ctrl+click go to the definition", async ({ page }) => {
  const errors = watchErrors(page);
  await openProgram(page);
  const def = program.indexOf("fetch");
  await expect(async () => {
    const call = await coordsOf(page, "fetch", 1);
    await page.mouse.click(call.x, call.y);
    await page.keyboard.press("F12");
    expect(await selection(page)).toEqual({ from: def, to: def + "fetch".length });
  }).toPass({ timeout: 30_000 });

  const use = await coordsOf(page, "s", program.slice(0, program.indexOf("println(s)") + 8).split("s").length - 2);
  await page.keyboard.down("Control");
  await page.mouse.click(use.x, use.y);
  await page.keyboard.up("Control");
  const sDef = program.indexOf("let s") + 4;
  expect(await selection(page)).toEqual({ from: sDef, to: sDef + 1 });
  expect(errors).toEqual([]);
});

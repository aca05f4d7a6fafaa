// Programs of several files: a `#files=` link opens as file tabs and runs, diagnostics land in
// their own file's tab, tabs can be added, renamed and removed, every tab survives a reload, and
// a single-file program still shares as `#code=`; test and ∥ gutter markers are in their own
// file's tab, and hover and completion work in every tab.

import { deflateRawSync } from "node:zlib";
import { expect, test, type Page } from "@playwright/test";
import { coordsOf, editorText, expectState, RUN_TIMEOUT, stdoutText, typeProgram, ui, watchErrors } from "./helpers.js";

test.describe.configure({ timeout: 2 * RUN_TIMEOUT });

/** A `#files=` link built with node:zlib, independently of the page's own encoder. */
function filesLink(files: [string, string][]): string {
  return `/#files=${deflateRawSync(Buffer.from(JSON.stringify(files), "utf8")).toString("base64url")}`;
}

const MAIN = "import util.{greet};\nimport geo.area;\n\nfn main() {\n    println(greet(\"modules\"));\n    println(area.square(7));\n}\n";
const UTIL = 'pub fn greet(who: String) -> String {\n    f"hello, {who}"\n}\n';
const AREA = "pub fn square(x: i64) -> i64 {\n    x * x\n}\n";

const tabs = (page: Page) => page.getByRole("toolbar", { name: "Files" });
const tab = (page: Page, name: string) => tabs(page).getByRole("button", { name, exact: true });

test("a two-file program runs from a share link, each file in its own tab", async ({ page }) => {
  const errors = watchErrors(page);
  await page.goto(filesLink([["main.kara", MAIN], ["util.kara", UTIL], ["geo/area.kara", AREA]]));
  await expect(tabs(page).locator(".file-tab")).toHaveText(["main.kara", "util.kara", "geo/area.kara"]);
  await expect(tab(page, "main.kara")).toHaveAttribute("aria-current", "true");
  await expect.poll(() => editorText(page)).toBe(MAIN);
  await tab(page, "util.kara").click();
  await expect.poll(() => editorText(page)).toBe(UTIL);
  const u = ui(page);
  await u.run.click();
  await expectState(u.status, "finished");
  expect(await stdoutText(page)).toBe("hello, modules\n49\n");
  // Back to main: its text is as it was.
  await tab(page, "main.kara").click();
  await expect.poll(() => editorText(page)).toBe(MAIN);
  expect(errors).toEqual([]);
});

test("an error in a module is listed with its file, and choosing it opens that tab", async ({ page }) => {
  await page.goto(filesLink([["main.kara", MAIN], ["util.kara", 'pub fn greet(who: String) -> String {\n    42\n}\n'], ["geo/area.kara", AREA]]));
  const u = ui(page);
  await u.run.click();
  await expectState(u.status, "compile-failed");
  const entry = u.problems.getByRole("button").filter({ hasText: "util.kara:2:" }).first();
  await expect(entry).toBeVisible();
  await entry.click();
  await expect(tab(page, "util.kara")).toHaveAttribute("aria-current", "true");
  await expect.poll(() => editorText(page)).toContain("    42");
});

test("tabs are added, renamed and removed; all of them survive a reload; Share carries them", async ({ page }) => {
  await page.goto("/");
  // The editor closes brackets as they are typed, so the closing braces are not typed.
  await typeProgram(page, "import helpers.{twice};\nfn main() {\nprintln(twice(21));");
  await tabs(page).getByRole("button", { name: "Add a file" }).click();
  await expect(tabs(page).locator(".file-tab")).toHaveCount(2);
  page.once("dialog", (d) => void d.accept("helpers"));
  await tabs(page).locator(".file-tab").nth(1).dblclick();
  await expect(tab(page, "helpers.kara")).toHaveAttribute("aria-current", "true");
  await ui(page).editor.click();
  await page.keyboard.type("pub fn twice(x: i64) -> i64 {\nx * 2");
  await ui(page).run.click();
  await expectState(ui(page).status, "finished");
  expect(await stdoutText(page)).toBe("42\n");

  await page.reload();
  await expect(tabs(page).locator(".file-tab")).toHaveText(["main.kara", "helpers.kara"]);
  await expect.poll(() => editorText(page)).toContain("x * 2");

  await ui(page).share.click();
  await expect(page).toHaveURL(/#files=[A-Za-z0-9_-]+$/);

  page.once("dialog", (d) => void d.accept());
  await tabs(page).getByRole("button", { name: "Delete helpers.kara" }).click();
  await expect(tabs(page).locator(".file-tab")).toHaveText(["main.kara"]);
  await ui(page).share.click();
  await expect(page).toHaveURL(/#code=[A-Za-z0-9_-]+$/);
});

const TESTED_MAIN = 'import util.{twice};\n\nfn main() {\n    println(twice(2));\n}\n\ntest "main doubles" {\n    assert_eq(twice(4), 8);\n}\n';
const TESTED_UTIL = 'pub fn twice(x: i64) -> i64 {\n    x * 2\n}\n\ntest "twice is not square" {\n    assert_eq(twice(3), 9);\n}\n';
const testMarks = (page: Page) => page.locator(".cm-test-gutter .cm-test-marker");

test("each test's gutter mark is in its own file's tab, and a failure's place opens that tab", async ({ page }) => {
  const errors = watchErrors(page);
  await page.goto(filesLink([["main.kara", TESTED_MAIN], ["util.kara", TESTED_UTIL]]));
  await ui(page).tab("Tests").click();
  await page.getByRole("tabpanel", { name: "Tests" }).getByRole("button", { name: "Run tests" }).click();
  await expectState(ui(page).status, "tests-finished");
  // main.kara is shown: only its own test's mark, beside its line (7).
  await expect(testMarks(page)).toHaveCount(1);
  await expect(testMarks(page)).toHaveText("✓");
  await expect(testMarks(page)).toHaveAttribute("aria-label", /^test "main doubles": passed/);
  await tab(page, "util.kara").click();
  await expect(testMarks(page)).toHaveCount(1);
  await expect(testMarks(page)).toHaveText("✗");
  await expect(testMarks(page)).toHaveAttribute("aria-label", /^test "twice is not square": failed/);
  const markTop = await testMarks(page).evaluate((e) => Math.round(e.getBoundingClientRect().top));
  const lineTop = await page.locator(".cm-line").nth(4).evaluate((e) => Math.round(e.getBoundingClientRect().top));
  expect(Math.abs(markTop - lineTop)).toBeLessThan(4);
  // From main's tab, the failed assertion's place opens util.kara at its line.
  await tab(page, "main.kara").click();
  await expect(testMarks(page)).toHaveText("✓");
  await page.getByRole("button", { name: "util.kara:6:5: go to where the test failed" }).click();
  await expect(tab(page, "util.kara")).toHaveAttribute("aria-current", "true");
  await expect(page.locator(".cm-activeLine")).toHaveText("    assert_eq(twice(3), 9);");
  expect(errors).toEqual([]);
});


async function expectHover(page: Page, needle: string, nth: number, text: string): Promise<void> {
  const hover = page.locator(".cm-tooltip-hover .cm-code-hover");
  await expect(async () => {
    await page.mouse.move(0, 0);
    const at = await coordsOf(page, needle, nth);
    await page.mouse.move(at.x, at.y);
    await expect(hover).toHaveText(text, { timeout: 2000 });
  }).toPass({ timeout: 30_000 });
}

test("hover and completion work in every tab, knowing the other files' items", async ({ page }) => {
  const errors = watchErrors(page);
  await page.goto(filesLink([["main.kara", TESTED_MAIN], ["util.kara", TESTED_UTIL]]));
  await expectState(ui(page).status, "ready");
  // In main, a function of util.
  await expectHover(page, "twice", 1, "fn twice(x: i64) -> i64");
  // In util, its own function and parameter.
  await tab(page, "util.kara").click();
  await expect.poll(() => editorText(page)).toBe(TESTED_UTIL);
  await expectHover(page, "twice", 0, "fn twice(x: i64) -> i64");
  await expectHover(page, "x", 1, "x: i64");
  // Completion in util offers the function by name.
  const at = await coordsOf(page, "x", 1);
  await page.mouse.click(at.x, at.y);
  await page.keyboard.press("End");
  await page.keyboard.press("Enter");
  await page.keyboard.type("twi");
  await page.keyboard.press("Control+Space");
  await expect(page.locator(".cm-tooltip-autocomplete")).toContainText("twice");
  expect(errors).toEqual([]);
});

test("the ∥ markers of a module's parallel statements are in that module's tab", async ({ page }) => {
  const errors = watchErrors(page);
  const work = [
    "effect resource Left;",
    "effect resource Right;",
    "fn spin(seed: i64) -> i64 {",
    "    let mut acc = seed;",
    "    let mut i = 0;",
    "    while i < 2000000 { acc = (acc * 31 + i) % 1000003; i = i + 1; }",
    "    acc",
    "}",
    "fn left() -> i64 with reads(Left) { spin(1) }",
    "fn right() -> i64 with reads(Right) { spin(2) }",
    "fn both() -> i64 {",
    "    let a = left();",
    "    let b = right();",
    "    a + b",
    "}",
    "",
  ].join("\n");
  await page.goto(filesLink([["main.kara", "import work.{both};\n\nfn main() {\n    println(both());\n}\n"], ["work.kara", work]]));
  const u = ui(page);
  await u.tab("Effects & concurrency").click();
  await u.analysis.getByRole("button", { name: "Analyze" }).click();
  await expect(u.analysis.getByRole("list", { name: "Parallel groups" })).toContainText("both: lines 12, 13");
  await expect(page.locator(".cm-par-marker")).toHaveCount(0);
  await tab(page, "work.kara").click();
  await expect(page.locator(".cm-par-marker")).toHaveCount(2);
  expect(await page.locator(".cm-par-line").allTextContents()).toEqual(["    let a = left();", "    let b = right();"]);
  await tab(page, "main.kara").click();
  await expect(page.locator(".cm-par-marker")).toHaveCount(0);
  expect(errors).toEqual([]);
});

// Programs of several files: a `#files=` link opens as file tabs and runs, diagnostics land in
// their own file's tab, tabs can be added, renamed and removed, every tab survives a reload, and
// a single-file program still shares as `#code=`; test, ∥ and critical-path gutter markers are
// in their own file's tab, the panels' links to source open the right tab, and hover and
// completion work in every tab.

import { expect, test, type Page } from "@playwright/test";
import { analyze, coordsOf, editorText, expectState, fileTab as tab, fileTabs as tabs, filesLink, LEFT_RIGHT, RUN_TIMEOUT, stdoutText, typeProgram, ui, watchErrors } from "./helpers.js";

test.describe.configure({ timeout: 2 * RUN_TIMEOUT });

const MAIN = "import util.{greet};\nimport geo.area;\n\nfn main() {\n    println(greet(\"modules\"));\n    println(area.square(7));\n}\n";
const UTIL = 'pub fn greet(who: String) -> String {\n    f"hello, {who}"\n}\n';
const AREA = "pub fn square(x: i64) -> i64 {\n    x * x\n}\n";

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

const WORK = [...LEFT_RIGHT, "fn both() -> i64 {", "    let a = left();", "    let b = right();", "    a + b", "}", ""].join("\n");
const BOTH_MAIN = "import work.{both};\n\nfn main() {\n    println(both());\n}\n";

test("the ∥ markers of a module's parallel statements are in that module's tab", async ({ page }) => {
  const errors = watchErrors(page);
  await page.goto(filesLink([["main.kara", BOTH_MAIN], ["work.kara", WORK]]));
  const u = ui(page);
  await analyze(page);
  await expect(u.analysis.getByRole("list", { name: "Parallel groups" })).toContainText("both: work.kara lines 12, 13");
  await expect(page.locator(".cm-par-marker")).toHaveCount(0);
  await tab(page, "work.kara").click();
  await expect(page.locator(".cm-par-marker")).toHaveCount(2);
  expect(await page.locator(".cm-par-line").allTextContents()).toEqual(["    let a = left();", "    let b = right();"]);
  await tab(page, "main.kara").click();
  await expect(page.locator(".cm-par-marker")).toHaveCount(0);
  expect(errors).toEqual([]);
});

test("choosing a place in the Effects & concurrency tab opens its file's tab at its line", async ({ page }) => {
  const errors = watchErrors(page);
  await page.goto(filesLink([["main.kara", BOTH_MAIN], ["work.kara", WORK]]));
  const u = ui(page);
  await analyze(page);
  await expect(tab(page, "main.kara")).toHaveAttribute("aria-current", "true");
  await u.analysis.getByRole("list", { name: "Parallel groups" }).getByRole("button", { name: /both: work\.kara lines 12, 13/ }).click();
  await expect(tab(page, "work.kara")).toHaveAttribute("aria-current", "true");
  await expect(page.locator(".cm-activeLine")).toHaveText("    let a = left();");
  expect(errors).toEqual([]);
});

// A module whose explicit `par` runs two heavy branches: the run's markers belong to its lines.
const PAR_UTIL = [
  "fn spin(n: i64) -> i64 {",
  "    let mut acc = 0;",
  "    let mut i = 0;",
  "    while i < n { acc = (acc * 31 + i) % 1000003; i = i + 1; }",
  "    acc",
  "}",
  "",
  "fn spin_both(n: i64) -> i64 {",
  "    par {",
  "        let a = spin(n);",
  "        let b = spin(n + 1);",
  "    }",
  "    a + b",
  "}",
  "",
].join("\n");
const PAR_MAIN = "import util.{spin_both};\n\nfn main() {\n    println(spin_both(3000000));\n}\n";

test("a run's trace and critical-path markers are in the tab of the file they belong to", async ({ page }) => {
  const errors = watchErrors(page);
  await page.goto(filesLink([["main.kara", PAR_MAIN], ["util.kara", PAR_UTIL]]));
  const u = ui(page);
  await u.workers.selectOption("2");
  await page.getByRole("checkbox", { name: "Profile" }).check();
  await u.run.click();
  await expectState(u.status, "finished");
  // main.kara (shown): no branch ran from its lines, and its one ◆ is main's own task (line 3).
  const critLines = () => page.locator(".cm-crit-marker").evaluateAll((els) => els.map((e) => Number(/on line (\d+) /.exec(e.getAttribute("aria-label") ?? "")?.[1])));
  await expect(page.locator(".cm-crit-marker")).not.toHaveCount(0);
  expect(new Set(await critLines())).toEqual(new Set([3]));
  await expect(page.locator(".cm-par-marker")).toHaveCount(0);
  await tab(page, "util.kara").click();
  const par = page.locator(".cm-par-marker");
  await expect(par).toHaveCount(2);
  expect(await page.locator(".cm-par-line").allTextContents()).toEqual(["        let a = spin(n);", "        let b = spin(n + 1);"]);
  await expect(par.first()).toHaveAttribute("title", /^Ran as a `par` branch \(once, on worker \d\)$/);
  await expect(page.locator(".cm-crit-marker")).not.toHaveCount(0);
  for (const line of await critLines()) expect([10, 11]).toContain(line);
  // A branch's bar in the timeline opens util.kara's tab at the branch's line, from any tab.
  await tab(page, "main.kara").click();
  await u.tab("Timeline").click();
  await u.timeline.locator(".bar-par").first().click();
  await expect(tab(page, "util.kara")).toHaveAttribute("aria-current", "true");
  expect([PAR_UTIL.split("\n")[9], PAR_UTIL.split("\n")[10]]).toContain(await page.locator(".cm-activeLine").textContent());
  // The Parallelism tab's steps name the file and open its tab at the line.
  await tab(page, "main.kara").click();
  await u.tab("Parallelism").click();
  const step = page.getByRole("list", { name: "Critical path" }).getByRole("button", { name: /^util\.kara line 1[01]$/ }).first();
  const stepLine = Number(/line (\d+)/.exec((await step.textContent())!)![1]);
  await step.click();
  await expect(tab(page, "util.kara")).toHaveAttribute("aria-current", "true");
  await expect(page.locator(".cm-activeLine")).toHaveText(PAR_UTIL.split("\n")[stepLine - 1]);
  // Switching back shows main's own again.
  await tab(page, "main.kara").click();
  await expect(page.locator(".cm-par-marker")).toHaveCount(0);
  await expect.poll(critLines).toEqual([3]);
  expect(errors).toEqual([]);
});

test("the Wasm tab names each function's file, follows the cursor in any tab, and opens a function's tab", async ({ page }) => {
  const errors = watchErrors(page);
  await page.goto(filesLink([["main.kara", PAR_MAIN], ["util.kara", PAR_UTIL]]));
  const u = ui(page);
  await u.tab("Wasm").click();
  await u.wasm.getByRole("button", { name: "Show wasm" }).click();
  const functions = u.wasm.getByLabel("Function");
  await expect(functions).toBeEnabled({ timeout: RUN_TIMEOUT });
  const options = await functions.locator("option").allTextContents();
  expect(options).toContain("spin — util.kara line 1");
  expect(options).toContain("main — main.kara line 3");
  // Choosing util's function opens util.kara at its line.
  await functions.selectOption({ label: "spin — util.kara line 1" });
  await expect(tab(page, "util.kara")).toHaveAttribute("aria-current", "true");
  await expect(page.locator(".cm-activeLine")).toHaveText("fn spin(n: i64) -> i64 {");
  // The cursor on util's line 2 marks spin's function and that line's instructions, not main's line 2.
  await page.locator(".cm-line", { hasText: "let mut acc = 0;" }).click();
  const current = u.wasm.locator("mark.wat-current");
  await expect(current).toHaveAttribute("data-symbol", /:spin$/);
  await expect(current.locator("mark.wat-line").first()).toHaveAttribute("data-line", "2");
  await tab(page, "main.kara").click();
  await page.locator(".cm-line", { hasText: "println(spin_both" }).click();
  await expect(current).toHaveAttribute("data-symbol", /:main$/);
  expect(errors).toEqual([]);
});

test("a test companion's tests run from the Tests tab, each marked in the companion's tab", async ({ page }) => {
  const errors = watchErrors(page);
  const util = "pub fn twice(x: i64) -> i64 {\n    x * 2\n}\n";
  const companion = 'test "twice of two" {\n    assert_eq(twice(2), 4);\n}\n\nfn test_twice_is_not_square() {\n    assert_eq(twice(3), 9);\n}\n';
  await page.goto(filesLink([["main.kara", "import util.{twice};\n\nfn main() {\n    println(twice(2));\n}\n"], ["util.kara", util], ["util_test.kara", companion]]));
  const u = ui(page);
  // A Run leaves the companion out.
  await u.run.click();
  await expectState(u.status, "finished");
  expect(await stdoutText(page)).toBe("4\n");
  await u.tab("Tests").click();
  await page.getByRole("tabpanel", { name: "Tests" }).getByRole("button", { name: "Run tests" }).click();
  await expectState(u.status, "tests-finished");
  await expect(u.status).toContainText("1 passed, 1 failed of 2");
  await tab(page, "util_test.kara").click();
  const marks = page.locator(".cm-test-gutter .cm-test-marker");
  await expect(marks).toHaveText(["✓", "✗"]);
  await expect(marks.nth(1)).toHaveAttribute("aria-label", /^test "test_twice_is_not_square": failed/);
  // An error typed into the companion is squiggled while typing, without a Run, and goes when fixed.
  const squiggles = page.locator(".cm-lintRange-error, .cm-lintPoint-error");
  await expect(squiggles).toHaveCount(0);
  await page.getByText("assert_eq(twice(2), 4);").click();
  await page.keyboard.press("End");
  await page.keyboard.type("\n    let y = nope + 1;");
  await expect(squiggles).toHaveCount(1, { timeout: 5_000 });
  for (let i = 0; i < "\n    let y = nope + 1;".length; i++) await page.keyboard.press("Backspace");
  await expect(squiggles).toHaveCount(0, { timeout: 5_000 });
  expect(errors).toEqual([]);
});

// The ∥ gutter marks a parallel statement over all of its lines, not just its first: the
// compiler's concurrency report carries each statement's end offset.

import { expect, test, type Page } from "@playwright/test";
import { analyze, expectState, RUN_TIMEOUT, shareLink, SPIN_RESOURCES, ui, watchErrors } from "./helpers.js";

test.describe.configure({ timeout: 2 * RUN_TIMEOUT });

// `let a = …` spans lines 12-15 and `let b = …` line 16; they read different resources, and
// enough work makes the cost gate dispatch them.
const PROGRAM = [
  ...SPIN_RESOURCES,
  "fn left(x: i64, y: i64) -> i64 with reads(Left) { spin(x + y) }",
  "fn right(x: i64) -> i64 with reads(Right) { spin(x) }",
  "fn main() {",
  "    let a = left(",
  "        1,",
  "        2,",
  "    );",
  "    let b = right(2);",
  '    println(f"{a} {b}");',
  "}",
].join("\n");

/** For each editor line (1-based) that is tinted: its number and its gutter marker. */
async function markedLines(page: Page): Promise<{ line: number; glyph: string; title: string }[]> {
  return page.evaluate(() => {
    const lines = Array.from(document.querySelectorAll(".cm-content > .cm-line"));
    const gutter = Array.from(document.querySelectorAll(".cm-par-gutter .cm-gutterElement")).filter((el) => el.querySelector(".cm-par-marker"));
    const markerAt = (top: number) => gutter.find((el) => Math.abs(el.getBoundingClientRect().top - top) < 2)?.querySelector(".cm-par-marker");
    return lines.flatMap((el, i) => {
      if (!el.classList.contains("cm-par-line")) return [];
      const marker = markerAt(el.getBoundingClientRect().top);
      return [{ line: i + 1, glyph: marker?.textContent ?? "", title: marker?.getAttribute("title") ?? "" }];
    });
  });
}

test("a multi-line statement in a parallel group is marked over all its lines", async ({ page }) => {
  const errors = watchErrors(page);
  await page.goto(shareLink(PROGRAM));
  const u = ui(page);
  await analyze(page);
  await expect(u.analysis.getByRole("list", { name: "Parallel groups" })).toContainText("main: lines 12, 16", { timeout: RUN_TIMEOUT });
  await expect(page.locator(".cm-par-line")).toHaveCount(5);

  const marked = await markedLines(page);
  expect(marked.map((m) => [m.line, m.glyph])).toEqual([
    [12, "∥"],
    [13, "│"],
    [14, "│"],
    [15, "│"],
    [16, "∥"],
  ]);
  // The continuation lines explain the same statement; the untouched lines around stay plain.
  const reason = "Runs in parallel with line 16 (in main): independent reads on different resources";
  expect(marked.filter((m) => m.line <= 15).map((m) => m.title)).toEqual([reason, reason, reason, reason]);
  expect(marked[4].title).toBe("Runs in parallel with line 12 (in main): independent reads on different resources");
  await expect(page.locator(".cm-par-gutter .cm-par-marker:not(.cm-par-continued)")).toHaveCount(2);

  // A Run keeps the ranges and adds how each statement ran (on its first line's marker).
  await u.run.click();
  await expectState(u.status, "finished");
  await expect(page.locator("#output .out-stdout")).toHaveText(/^\d+ \d+\n$/);
  await expect(page.locator(".cm-par-line")).toHaveCount(5);
  const after = await markedLines(page);
  expect(after.map((m) => m.line)).toEqual([12, 13, 14, 15, 16]);
  expect(after[0].title.split("\n")).toEqual([reason, expect.stringMatching(/^Ran as an automatic parallel branch \(once, on worker \d\)$/)]);

  // Editing inside the statement moves the marks with the text.
  await page.locator(".cm-line", { hasText: "fn main() {" }).click();
  await page.keyboard.press("End");
  await page.keyboard.press("Enter");
  await page.keyboard.type("// moved down");
  await expect.poll(async () => (await markedLines(page)).map((m) => m.line)).toEqual([13, 14, 15, 16, 17]);
  expect(errors).toEqual([]);
});

// The Effects & concurrency tab and the editor's ∥ gutter, and the Wasm tab with its
// optimisation levels.

import { expect, test } from "@playwright/test";
import { analyze, chapterExamples, expectState, LEFT_RIGHT, RUN_TIMEOUT, SCREENSHOTS, shareLink, typeProgram, ui, watchErrors } from "./helpers.js";

test.describe.configure({ timeout: 2 * RUN_TIMEOUT });

const dashboard = () => chapterExamples().find((e) => e.name === "build_dashboard")!;
const lineOf = (source: string, needle: string): number => source.split("\n").findIndex((l) => l.includes(needle)) + 1;

test("a Run shows declared vs inferred effects, the parallel groups, and ∥ markers with their reason", async ({ page }) => {
  const errors = watchErrors(page);
  const example = dashboard();
  await page.goto(shareLink(example.source));
  const u = ui(page);
  await u.run.click();
  await expectState(u.status, "finished");

  await u.tab("Effects & concurrency").click();
  await expect(u.analysis).toBeVisible();
  const table = u.analysis.getByRole("table", { name: "Effects per function" });
  const profile = table.getByRole("row").filter({ hasText: "fetch_profile" });
  await expect(profile.getByRole("cell").nth(1)).toHaveText("reads(UserDB)");
  await expect(profile.getByRole("cell").nth(2)).toContainText("reads(UserDB)");
  // main declares nothing but inherits what it calls.
  const main = table.getByRole("row").filter({ has: page.getByRole("cell", { name: "main", exact: true }) });
  await expect(main.getByRole("cell").nth(1)).toHaveText("—");
  await expect(main.getByRole("cell").nth(2)).toContainText("reads(UserDB)");

  const fetches = ["fetch_profile(user_id)", "fetch_orders(user_id)", "fetch_analytics(user_id)"].map((c) => lineOf(example.source, `= ${c}`));
  const groups = u.analysis.getByRole("list", { name: "Parallel groups" });
  const group = groups.getByRole("button").filter({ hasText: `build_dashboard: lines ${fetches.join(", ")}` });
  await expect(group).toContainText("runs in parallel");
  await expect(group).toContainText("independent reads on different resources");

  // Exactly the three fetch lines carry a marker, each naming the other two and the reason.
  const markers = page.locator(".cm-par-gutter .cm-par-marker");
  await expect(markers).toHaveCount(3);
  const marked = await page.locator(".cm-par-line").allTextContents();
  expect(marked.map((t) => t.trim())).toEqual(fetches.map((l) => example.source.split("\n")[l - 1].trim()));
  const first = markers.first();
  await first.hover();
  const title = (await first.getAttribute("title"))!;
  expect(title.split("\n")[0]).toBe(`Runs in parallel with lines ${fetches[1]}, ${fetches[2]} (in build_dashboard): independent reads on different resources`);
  // The run's trace adds how the statement actually ran.
  expect(title.split("\n")[1]).toMatch(/^Ran as an automatic parallel branch \(once, on worker \d\)$/);
  await page.screenshot({ path: `${SCREENSHOTS}/analysis.png` });

  // Choosing the group selects its first line.
  await group.click();
  await expect(page.locator(".cm-activeLine")).toHaveText(example.source.split("\n")[fetches[0] - 1]);
  expect(errors).toEqual([]);
});

test("Analyze reports without running, and an edit that breaks independence removes the markers", async ({ page }) => {
  const errors = watchErrors(page);
  const independent = [
    ...LEFT_RIGHT,
    "fn main() {",
    "    let a = left();",
    "    let b = right();",
    '    println(f"{a} {b}");',
    "}",
  ].join("\n");
  await page.goto(shareLink(independent));
  const u = ui(page);
  await analyze(page);
  await expect(u.analysis.getByRole("table")).toContainText("left");
  await expect(page.locator(".cm-par-marker")).toHaveCount(2);
  await expect(u.outputText).toBeEmpty(); // nothing ran
  await expect(u.analysis.getByRole("list", { name: "Parallel groups" })).toContainText("main: lines 12, 13");

  // Make the second call depend on the first: no group, no markers.
  await page.locator(".cm-line", { hasText: "let b = right();" }).click();
  await page.keyboard.press("End");
  await page.keyboard.press("ArrowLeft");
  await page.keyboard.type(" + a");
  await expect(page.locator(".cm-line", { hasText: "let b = right() + a;" })).toHaveCount(1);
  await analyze(page);
  await expect(page.locator(".cm-par-marker")).toHaveCount(0);
  await expect(u.analysis.getByRole("table")).toContainText("left");
  await expect(u.analysis.getByText("main: lines 12, 13")).toHaveCount(0);
  const kept = u.analysis.getByRole("list", { name: "Kept in order" }).getByRole("button", { name: /main: lines 12 → 13/ });
  await expect(kept).toContainText("data dependency");
  await page.screenshot({ path: `${SCREENSHOTS}/analysis-kept-in-order.png` });

  // A program with errors shows no stale analysis.
  await typeProgram(page, "fn main() { let x = ; }");
  await analyze(page);
  await expect(u.analysis).toContainText("The program has errors");
  await expect(u.problems).toContainText("error[");
  expect(errors).toEqual([]);
});

test("the Wasm tab shows the module as text at -O0 and, on demand, optimised", async ({ page }) => {
  const errors = watchErrors(page);
  await page.goto(shareLink('fn twice(x: i64) -> i64 { x * 2 }\nfn main() {\n    println(twice(21));\n}\n'));
  const u = ui(page);
  await u.tab("Wasm").click();
  const level = u.wasm.getByLabel("Optimisation");
  await expect(level).toHaveValue("0");
  await expect(u.wasm).toContainText("slower");
  await u.wasm.getByRole("button", { name: "Show wasm" }).click();
  const wat = u.wasm.getByLabel("WebAssembly text");
  await expect(wat).toContainText("(module", { timeout: RUN_TIMEOUT });
  await expect(wat).toContainText("shared");
  await expect(u.wasm).toContainText(/-O0: [\d,]+ bytes of wasm/);
  const o0 = Number(/-O0: ([\d,]+) bytes/.exec((await u.wasm.textContent())!)![1].replace(/,/g, ""));
  await page.screenshot({ path: `${SCREENSHOTS}/wasm-O0.png` });

  await level.selectOption("2");
  await u.wasm.getByRole("button", { name: "Show wasm" }).click();
  await expect(u.wasm).toContainText(/-O2: [\d,]+ bytes of wasm/, { timeout: RUN_TIMEOUT });
  const o2 = Number(/-O2: ([\d,]+) bytes/.exec((await u.wasm.textContent())!)![1].replace(/,/g, ""));
  expect(o2).toBeLessThan(o0);
  await expect(wat).toContainText("(module");
  await page.screenshot({ path: `${SCREENSHOTS}/wasm-O2.png` });

  // Running is unaffected by the chosen level and still works.
  await u.run.click();
  await expectState(u.status, "finished");
  await expect(u.outputText).toContainText("42");
  expect(errors).toEqual([]);
});

test("after a Run, explicit par branches carry a marker saying how they ran", async ({ page }) => {
  const errors = watchErrors(page);
  const example = chapterExamples().find((e) => e.name === "par_counter")!;
  await page.goto(shareLink(example.source));
  const u = ui(page);
  await expect(page.locator(".cm-par-marker")).toHaveCount(0);
  await u.run.click();
  await expectState(u.status, "finished");
  const bumps = example.source.split("\n").flatMap((l, i) => (l.trim() === "bump(counter);" ? [i + 1] : []));
  expect(bumps).toHaveLength(3);
  const markers = page.locator(".cm-par-marker");
  await expect(markers).toHaveCount(3);
  const marked = await page.locator(".cm-par-line").allTextContents();
  expect(marked.map((t) => t.trim())).toEqual(["bump(counter);", "bump(counter);", "bump(counter);"]);
  await expect(markers.first()).toHaveAttribute("title", /^Ran as a `par` branch \(once, on worker \d\)$/);
  // Turning the timeline off records no trace, so only the compiler's report marks lines.
  await page.getByRole("checkbox", { name: "Timeline" }).uncheck();
  await u.run.click();
  await expectState(u.status, "finished");
  await expect(markers).toHaveCount(0);
  expect(errors).toEqual([]);
});

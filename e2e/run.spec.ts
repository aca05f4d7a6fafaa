// Running programs: every chapter example prints what karac prints, diagnostics point at the
// mistake, Stop ends a runaway program, output is text only, and the timeline shows the run.

import { readFileSync } from "node:fs";
import { expect, test } from "@playwright/test";
import {
  chapterExamples,
  editorText,
  expectState,
  RUN_TIMEOUT,
  SCREENSHOTS,
  runUntilParallel,
  serveWithoutIsolation,
  shareLink,
  stdoutText,
  typeProgram,
  ui,
  watchErrors,
} from "./helpers.js";

test.describe.configure({ timeout: 2 * RUN_TIMEOUT });

for (const example of chapterExamples()) {
  test(`runs ${example.name} and prints its expected output`, async ({ page }) => {
    const errors = watchErrors(page);
    await page.goto(shareLink(example.source));
    expect(await page.evaluate(() => crossOriginIsolated)).toBe(true);
    await expect.poll(() => editorText(page)).toBe(example.source);
    const u = ui(page);
    await u.run.click();
    await expectState(u.status, "finished");
    await expect(u.status).toHaveText(/Finished in \d/);
    await expect(u.output).toContainText(example.expected.trim());
    expect(await stdoutText(page)).toBe(example.expected);
    await page.screenshot({ path: `${SCREENSHOTS}/run-${example.name}.png` });
    expect(errors).toEqual([]);
  });
}

test("a syntax error is listed with its code and line:col, and selecting it moves the cursor", async ({ page }) => {
  const errors = watchErrors(page);
  await page.goto("/");
  await typeProgram(page, "fn main() { let x = ; }");
  expect(await editorText(page)).toBe("fn main() { let x = ; }");
  const u = ui(page);
  await u.run.click();
  await expectState(u.status, "compile-failed");
  const entry = u.problems.getByRole("button").first();
  await expect(entry).toHaveText(/error\[E\d{4}\] 1:\d+ .+/);
  // A squiggle marks the span in the editor.
  await expect(page.locator(".cm-lintRange-error").first()).toBeVisible();
  await page.screenshot({ path: `${SCREENSHOTS}/diagnostic.png` });
  const col = Number((await entry.locator(".diag-where").textContent())!.split(":")[1]);
  await entry.click();
  // The caret now sits at the diagnostic's column (one line, so the column is the offset + 1).
  const caretColumn = await page.evaluate(() => {
    const sel = getSelection()!;
    const node = sel.anchorNode!;
    const line = (node instanceof Element ? node : node.parentElement)!.closest(".cm-line")!;
    const range = document.createRange();
    range.setStart(line, 0);
    range.setEnd(node, sel.anchorOffset);
    return range.toString().length + 1;
  });
  expect(caretColumn).toBe(col);
  expect(errors).toEqual([]);
});

test("Stop ends an endless loop and the next Run works", async ({ page }) => {
  const errors = watchErrors(page);
  await page.goto(shareLink("fn main() {\n    loop { }\n}\n"));
  const u = ui(page);
  await u.run.click();
  await expectState(u.status, "running");
  await expect(u.stop).toBeEnabled();
  await page.waitForTimeout(500);
  await page.screenshot({ path: `${SCREENSHOTS}/running.png` });
  await u.stop.click();
  await expectState(u.status, "stopped", 10_000);
  await expect(u.run).toBeEnabled();
  await expect(u.stop).toBeDisabled();

  await page.goto(shareLink('fn main() {\n    println("after stop");\n}\n'));
  await expect.poll(() => editorText(page)).toContain("after stop");
  await ui(page).run.click();
  await expectState(ui(page).status, "finished");
  expect(await stdoutText(page)).toBe("after stop\n");
  expect(errors).toEqual([]);
});

test("Stop works again on the same page, and Ctrl+Enter runs", async ({ page }) => {
  const errors = watchErrors(page);
  await page.goto(shareLink("fn main() {\n    loop { }\n}\n"));
  const u = ui(page);
  for (let i = 0; i < 2; i++) {
    await u.run.click();
    await expectState(u.status, "running");
    await u.stop.click();
    await expectState(u.status, "stopped", 10_000);
  }
  await typeProgram(page, 'fn main() { println("keyboard"); }');
  await page.keyboard.press("ControlOrMeta+Enter");
  await expectState(u.status, "finished");
  expect(await stdoutText(page)).toBe("keyboard\n");
  expect(errors).toEqual([]);
});

test("a program printing without end is capped, stays responsive and stops", async ({ page }) => {
  const errors = watchErrors(page);
  const line = "0123456789".repeat(20);
  await page.goto(shareLink(`fn main() {\n    loop {\n        println("${line}");\n    }\n}\n`));
  const u = ui(page);
  await u.run.click();
  await expectState(u.status, "running");
  await expect(page.locator("#output .out-note")).toHaveText(/output truncated after [\d,]+ lines/, { timeout: RUN_TIMEOUT });
  // The page still answers: the editor takes input while the program keeps running.
  await u.editor.click();
  await page.keyboard.type("// responsive");
  expect(await editorText(page)).toContain("// responsive");
  await u.stop.click();
  await expectState(u.status, "stopped", 10_000);
  // Download has every kept line (the pane draws only those in view), and ends at a line's end.
  const [download] = await Promise.all([page.waitForEvent("download"), page.getByRole("button", { name: "Download" }).click()]);
  const text = readFileSync(await download.path(), "utf8");
  expect(text.startsWith(`${line}\n${line}\n`)).toBe(true);
  expect(text.length).toBeGreaterThan(100_000);
  expect(text.endsWith(`${line}\n`)).toBe(true);
  expect(errors).toEqual([]);
});

test("program output is shown as text, never as markup", async ({ page }) => {
  const errors = watchErrors(page);
  await page.goto(shareLink('fn main() {\n    println("<b id=\\"injected\\">bold</b> & <img src=x onerror=alert(1)>");\n}\n'));
  const u = ui(page);
  await u.run.click();
  await expectState(u.status, "finished");
  expect(await stdoutText(page)).toBe('<b id="injected">bold</b> & <img src=x onerror=alert(1)>\n');
  await expect(page.locator("#injected")).toHaveCount(0);
  await expect(page.locator("#output img")).toHaveCount(0);
  expect(errors).toEqual([]);
});

test("stderr is shown apart from stdout, in program order", async ({ page }) => {
  const errors = watchErrors(page);
  await page.goto(shareLink('fn main() {\n    println("out");\n    eprintln("err line");\n    println("out2");\n}\n'));
  const u = ui(page);
  await u.run.click();
  await expectState(u.status, "finished");
  expect(await stdoutText(page)).toBe("out\nout2\n");
  await expect(page.locator("#output .out-stderr")).toHaveText("err line\n", { useInnerText: false });
  // Arrival order is kept across the two streams.
  await expect(page.locator("#output")).toHaveText("out\nerr line\nout2\n", { useInnerText: false });
  const colour = (selector: string) => page.locator(selector).first().evaluate((el) => getComputedStyle(el).color);
  expect(await colour("#output .out-stderr")).not.toBe(await colour("#output .out-stdout"));
  expect(errors).toEqual([]);
});

test("a panic is reported distinctly after the output printed before it", async ({ page }) => {
  const errors = watchErrors(page);
  await page.goto(shareLink('fn main() {\n    println("before");\n    panic("boom");\n}\n'));
  const u = ui(page);
  await u.run.click();
  await expectState(u.status, "panicked");
  await expect(u.output).toContainText("before");
  await expect(u.output).toContainText("boom");
  await expect(page.locator("#output .out-note-error")).toBeVisible();
  await page.screenshot({ path: `${SCREENSHOTS}/panic.png` });
  expect(errors).toEqual([]);
});

test("the timeline draws one lane per worker and a bar selects its source line", async ({ page }) => {
  const errors = watchErrors(page);
  const example = chapterExamples().find((e) => e.name === "par_heavy")!;
  await page.goto(shareLink(example.source));
  const u = ui(page);
  await u.workers.selectOption("2");
  // The two heavy branches ran on different workers, at the same time.
  expect(await runUntilParallel(page)).toBe(true);
  const lanes = u.timeline.locator(".lane");
  await expect(lanes).toHaveCount(2);
  const bars = u.timeline.getByRole("button");
  expect(await bars.count()).toBeGreaterThanOrEqual(3); // main and the two branches
  await page.screenshot({ path: `${SCREENSHOTS}/timeline.png` });

  const bar = u.timeline.locator(".bar-par").first();
  const title = (await bar.getAttribute("title"))!;
  expect(title).toMatch(/^par task #\d+ · line \d+ · [\d.]+ ms · worker \d/);
  const line = Number(/line (\d+)/.exec(title)![1]);
  await bar.click();
  await expect(page.locator(".cm-activeLine")).toHaveText(example.source.split("\n")[line - 1]);
  expect(errors).toEqual([]);
});

test("without cross-origin isolation programs still run, on one worker", async ({ page }) => {
  const errors = watchErrors(page);
  await serveWithoutIsolation(page);
  const example = chapterExamples().find((e) => e.name === "par_counter")!;
  await page.goto(shareLink(example.source));
  expect(await page.evaluate(() => crossOriginIsolated)).toBe(false);
  const u = ui(page);
  await u.run.click();
  await expectState(u.status, "finished");
  await expect(u.status).toHaveText(/Finished/);
  expect(await stdoutText(page)).toBe(example.expected);
  expect(errors).toEqual([]);
});

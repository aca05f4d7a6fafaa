// The Wasm tab maps the text to the source: the function at the editor's cursor is highlighted
// (and follows the cursor), and within it the instructions of the cursor's line; a click on an
// instruction selects its statement's line (its function's line outside any statement); the
// Function list does both by keyboard, and the module and its text download.
// The view's code loads only when the tab is first used.

import { readFileSync } from "node:fs";
import { expect, test, type Page } from "@playwright/test";
import { chapterExamples, editorText, expectState, shareLink, ui, watchErrors } from "./helpers.js";

const example = chapterExamples().find((e) => e.name === "par_heavy")!;
const lines = example.source.split("\n");
const lineOf = (text: string): number => lines.findIndex((l) => l.includes(text)) + 1;

async function putCursorOn(page: Page, line: number): Promise<void> {
  await page.locator(".cm-line").nth(line - 1).click();
  await expect(page.locator(".cm-activeLine")).toHaveText(lines[line - 1]);
}

test("the function at the cursor is highlighted, and a click in the text finds its source", async ({ page }) => {
  const errors = watchErrors(page);
  const requested: string[] = [];
  page.on("request", (r) => requested.push(r.url()));
  await page.goto(shareLink(example.source));
  await expect.poll(() => editorText(page)).toBe(example.source);
  const u = ui(page);
  await expectState(u.status, "ready");
  await putCursorOn(page, lineOf("acc = (acc * 7"));
  await u.tab("Wasm").click();
  expect(requested.some((url) => /wasm-view/.test(url))).toBe(false); // not loaded until used
  await u.wasm.getByRole("button", { name: "Show wasm" }).click();
  const mark = u.wasm.locator("mark.wat-current");
  await expect(mark).toHaveAttribute("data-symbol", /:work$/);
  await expect(mark).toContainText("(func $f0:work");
  await expect(mark).toBeInViewport();
  expect(requested.some((url) => /wasm-view/.test(url))).toBe(true);
  await page.screenshot({ path: "e2e/screenshots/wasm-map.png" });

  // The highlight follows the cursor: a par branch is its own function, main the rest.
  await putCursorOn(page, lineOf("let b = work(2"));
  await expect(mark).toHaveAttribute("data-symbol", /main\$par2$/);
  await putCursorOn(page, lineOf("println(a)"));
  await expect(mark).toHaveAttribute("data-symbol", /:main$/);

  // A click in the text of `work` outside any statement selects `work`'s line in the editor.
  const point = await pointAt(page, "(func $f0:work", "local.");
  await page.mouse.click(point.x, point.y);
  await expect(mark).toHaveAttribute("data-symbol", /:work$/);
  await expect(u.editor).toBeFocused();
  await expect(page.locator(".cm-activeLine")).toHaveText(lines[lineOf("fn work") - 1]);
  expect(errors).toEqual([]);
});

/** The viewport point of the text `inner` after `outer` in the wasm text, scrolled into view. */
async function pointAt(page: Page, outer: string, inner: string): Promise<{ x: number; y: number }> {
  return ui(page).wasm.locator("#wat").evaluate((pre, [outerText, innerText]) => {
    const text = pre.textContent ?? "";
    const at = text.indexOf(outerText);
    const body = text.indexOf(innerText, at);
    const walker = document.createTreeWalker(pre, NodeFilter.SHOW_TEXT);
    let offset = 0;
    for (let n = walker.nextNode() as Text | null; n; n = walker.nextNode() as Text | null) {
      if (body < offset + n.length) {
        const range = document.createRange();
        range.setStart(n, body - offset);
        range.setEnd(n, body - offset + 1);
        // Scroll the text (not the page) so the instruction is visible, then aim at it.
        const box = pre.getBoundingClientRect();
        pre.scrollTop += range.getBoundingClientRect().top - box.top - box.height / 2;
        const r = range.getBoundingClientRect();
        return { x: r.left + r.width / 2, y: r.top + r.height / 2 };
      }
      offset += n.length;
    }
    throw new Error(`no ${innerText} after ${outerText}`);
  }, [outer, inner]);
}

test("a source line highlights its own instructions inside its function, and an instruction finds its line", async ({ page }) => {
  const errors = watchErrors(page);
  await page.goto(shareLink(example.source));
  await expect.poll(() => editorText(page)).toBe(example.source);
  const u = ui(page);
  await expectState(u.status, "ready");
  const step = lineOf("acc = (acc * 7");
  await putCursorOn(page, step);
  await u.tab("Wasm").click();
  await u.wasm.getByRole("button", { name: "Show wasm" }).click();
  const fn = u.wasm.locator("mark.wat-current");
  await expect(fn).toHaveAttribute("data-symbol", /:work$/);
  // The line's instructions are marked inside the function's mark, and are only part of it.
  const lineMarks = fn.locator("mark.wat-line");
  await expect(lineMarks.first()).toHaveAttribute("data-line", String(step));
  await expect(lineMarks.first()).toBeInViewport();
  const lineText = (await lineMarks.allTextContents()).join("");
  expect(lineText).toMatch(/i64\.mul|ck_mul_i64/);
  const fnText = (await fn.textContent()) ?? "";
  expect(lineText.length).toBeGreaterThan(0);
  expect(lineText.length).toBeLessThan(fnText.length);
  expect(lineText).not.toContain("(func");
  expect(lineText).not.toContain("(loop"); // the loop around the step is the `while` line's
  expect(fnText).toContain(lineText.slice(0, 40));
  // Another line of the same body marks other instructions of the same function.
  await putCursorOn(page, lineOf("i = i + 1"));
  await expect(lineMarks.first()).toHaveAttribute("data-line", String(lineOf("i = i + 1")));
  expect((await lineMarks.allTextContents()).join("")).not.toBe(lineText);
  await page.screenshot({ path: "e2e/screenshots/wasm-map-line.png" });

  // Back: with the cursor elsewhere, a click on the step's multiplication selects the step's line.
  await putCursorOn(page, lineOf("println(a)"));
  await expect(fn).toHaveAttribute("data-symbol", /:main$/);
  const point = await pointAt(page, "(func $f0:work", "i64.mul");
  await page.mouse.click(point.x, point.y);
  await expect(page.locator(".cm-activeLine")).toHaveText(lines[step - 1]);
  await expect(fn).toHaveAttribute("data-symbol", /:work$/);
  await expect(lineMarks.first()).toHaveAttribute("data-line", String(step));
  expect(errors).toEqual([]);
});

test("the Function list maps by keyboard; the module and its text download", async ({ page }) => {
  const errors = watchErrors(page);
  await page.goto(shareLink(example.source));
  await expect.poll(() => editorText(page)).toBe(example.source);
  const u = ui(page);
  await u.tab("Wasm").click();
  await u.wasm.getByRole("button", { name: "Show wasm" }).click();
  const list = u.wasm.getByLabel("Function");
  await expect(list).toBeEnabled({ timeout: 90_000 });
  const options = await list.locator("option").allTextContents();
  expect(options).toEqual(expect.arrayContaining([`work — line ${lineOf("fn work")}`, `main — line ${lineOf("fn main")}`, `main (par1) — line ${lineOf("let a = work")}`]));
  await list.focus();
  await list.selectOption({ label: `main (par1) — line ${lineOf("let a = work")}` });
  await expect(u.wasm.locator("mark.wat-current")).toHaveAttribute("data-symbol", /main\$par1$/);
  await expect(page.locator(".cm-activeLine")).toHaveText(lines[lineOf("let a = work") - 1]);

  const [wasmFile] = await Promise.all([page.waitForEvent("download"), u.wasm.getByRole("button", { name: "Download .wasm" }).click()]);
  expect(wasmFile.suggestedFilename()).toBe("main.wasm");
  const bytes = readFileSync((await wasmFile.path())!);
  expect([...bytes.subarray(0, 4)]).toEqual([0, 0x61, 0x73, 0x6d]);
  const [watFile] = await Promise.all([page.waitForEvent("download"), u.wasm.getByRole("button", { name: "Download .wat" }).click()]);
  expect(watFile.suggestedFilename()).toBe("main.wat");
  expect(readFileSync((await watFile.path())!, "utf8")).toMatch(/^\(module/);
  expect(errors).toEqual([]);
});

/** The text of each range of the named `::highlight()`. */
function highlighted(page: Page, kind: string): Promise<string[]> {
  return page.evaluate((name) => {
    const h = (CSS as unknown as { highlights: Map<string, Set<Range>> }).highlights.get(name);
    return h ? [...h].map((r) => r.toString()) : [];
  }, `wat-${kind}`);
}

test("the text is coloured by kind of token around the view, following the scroll", async ({ page }) => {
  const errors = watchErrors(page);
  await page.goto(shareLink(example.source));
  await expect.poll(() => editorText(page)).toBe(example.source);
  const u = ui(page);
  await putCursorOn(page, lineOf("fn work")); // the declaration: the view opens at the function's head
  await u.tab("Wasm").click();
  await u.wasm.getByRole("button", { name: "Show wasm" }).click();
  await expect(u.wasm.locator("mark.wat-current")).toHaveAttribute("data-symbol", /:work$/);
  // Around the function `work`: its header's form, names and types, its instructions.
  await expect.poll(() => highlighted(page, "keyword")).toEqual(expect.arrayContaining(["func", "param", "result", "local"]));
  expect(await highlighted(page, "type")).toEqual(expect.arrayContaining(["i64"]));
  expect(await highlighted(page, "name")).toEqual(expect.arrayContaining(["$f0:work"]));
  const instructions = await highlighted(page, "instr");
  expect(instructions).toEqual(expect.arrayContaining(["local.get", "i64.const"]));
  expect(instructions.every((t) => /^[a-z][\w.]*$/.test(t))).toBe(true);
  // Scrolled to the end, the module's last lines are coloured (only lines near the view are).
  const wat = u.wasm.locator("pre.wat");
  const total = await wat.evaluate((el) => el.textContent!.length);
  await wat.evaluate((el) => el.scrollTo(0, el.scrollHeight));
  await expect.poll(async () => page.evaluate((name) => {
    const h = (CSS as unknown as { highlights: Map<string, Set<Range>> }).highlights.get(name)!;
    const pre = document.querySelector("pre.wat")!;
    const ends = [...h].map((r) => {
      const probe = document.createRange();
      probe.setStart(pre, 0);
      probe.setEnd(r.endContainer, r.endOffset);
      return probe.toString().length;
    });
    return Math.max(0, ...ends);
  }, "wat-instr")).toBeGreaterThan(total * 0.9);
  expect(errors).toEqual([]);
});

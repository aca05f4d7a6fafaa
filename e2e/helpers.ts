// Shared steps for the playground's end-to-end tests.

import { readFileSync, readdirSync } from "node:fs";
import { deflateRawSync } from "node:zlib";
import { expect, type Locator, type Page } from "@playwright/test";

export const EXAMPLES_DIR = new URL("../examples/chapter/", import.meta.url);
export const MORE_EXAMPLES_DIR = new URL("../examples/playground/", import.meta.url);
export const SCREENSHOTS = "e2e/screenshots";

/** Compiler download + compile + run on a slow machine. */
export const RUN_TIMEOUT = 90_000;

export interface ChapterExample {
  name: string;
  source: string;
  expected: string;
}

export function chapterExamples(dir: URL = EXAMPLES_DIR): ChapterExample[] {
  return readdirSync(dir)
    .filter((f) => f.endsWith(".kara"))
    .sort()
    .map((f) => {
      const name = f.replace(/\.kara$/, "");
      return {
        name,
        source: readFileSync(new URL(f, dir), "utf8"),
        expected: readFileSync(new URL(`${name}.out`, dir), "utf8"),
      };
    });
}

/** The playground's own examples; expected output as the playground prints it (its file is main.kara). */
export function moreExamples(): ChapterExample[] {
  return chapterExamples(MORE_EXAMPLES_DIR).map((e) => ({
    ...e,
    expected: e.expected.split(`examples/playground/${e.name}.kara`).join("main.kara"),
  }));
}

/** A share link built with node:zlib, independently of the page's own encoder. */
export function shareLink(source: string): string {
  return `/#code=${deflateRawSync(Buffer.from(source, "utf8")).toString("base64url")}`;
}

/** A `#files=` link (a program of several files, main.kara first), built with node:zlib independently of the page's own encoder. */
export function filesLink(files: [string, string][]): string {
  return `/#files=${deflateRawSync(Buffer.from(JSON.stringify(files), "utf8")).toString("base64url")}`;
}

/**
 * Two resources and a costly function: calls that read one resource each (`left()`, `right()`,
 * declared after these lines, lines 9 and 10) are independent, and the work makes the cost
 * gate dispatch them as a parallel group.
 */
export const SPIN_RESOURCES = [
  "effect resource Left;",
  "effect resource Right;",
  "fn spin(seed: i64) -> i64 {",
  "    let mut acc = seed;",
  "    let mut i = 0;",
  "    while i < 2000000 { acc = (acc * 31 + i) % 1000003; i = i + 1; }",
  "    acc",
  "}",
];

/** SPIN_RESOURCES with `left()` and `right()` on lines 9 and 10. */
export const LEFT_RIGHT = [...SPIN_RESOURCES, "fn left() -> i64 with reads(Left) { spin(1) }", "fn right() -> i64 with reads(Right) { spin(2) }"];

/** Open the Effects & concurrency tab and analyse the program there without running it. */
export async function analyze(page: Page): Promise<void> {
  const u = ui(page);
  await u.tab("Effects & concurrency").click();
  // Checking as you type may already have filled the tab; Analyze (re)fills it without running.
  await u.analysis.getByRole("button", { name: "Analyze" }).click();
}

/** The file tabs above the editor, and the tab of one file. */
export const fileTabs = (page: Page) => page.getByRole("toolbar", { name: "Files" });
export const fileTab = (page: Page, name: string) => fileTabs(page).getByRole("button", { name, exact: true });

/** Collects uncaught page errors and console errors; assert it is empty at the end of a test. */
export function watchErrors(page: Page): string[] {
  const errors: string[] = [];
  page.on("pageerror", (e) => errors.push(`pageerror: ${e.message}`));
  page.on("console", (m) => {
    if (m.type() === "error") errors.push(`console.error: ${m.text()}`);
  });
  return errors;
}

export const ui = (page: Page) => ({
  editor: page.getByRole("textbox", { name: "Editor" }),
  run: page.getByRole("button", { name: "Run", exact: true }),
  stop: page.getByRole("button", { name: "Stop", exact: true }),
  share: page.getByRole("button", { name: "Share", exact: true }),
  workers: page.getByLabel("Workers"),
  examples: page.getByRole("button", { name: "Examples" }),
  examplesMenu: page.getByRole("menu", { name: "Examples" }),
  status: page.getByRole("status"),
  output: page.getByRole("region", { name: "Output" }),
  outputText: page.locator("#output"),
  problems: page.getByRole("region", { name: "Problems" }),
  timeline: page.getByRole("tabpanel", { name: "Timeline" }),
  tab: (name: string) => page.getByRole("tab", { name }),
  analysis: page.getByRole("tabpanel", { name: "Effects & concurrency" }),
  wasm: page.getByRole("tabpanel", { name: "Wasm" }),
});

/** Open the Examples menu and choose an example by name. */
export async function chooseExample(page: Page, name: string): Promise<void> {
  await ui(page).examples.click();
  await ui(page).examplesMenu.locator(`[role=menuitem][data-example="${name}"]`).click();
}

/** The example names listed under a group of the Examples menu. */
export async function listedExamples(page: Page, group: string): Promise<string[]> {
  return page.locator("#examples-menu [role=group]").filter({ has: page.getByText(group, { exact: true }) }).locator("[role=menuitem]").evaluateAll((els) => els.map((e) => (e as HTMLElement).dataset.example ?? ""));
}

/** The editor's text, line by line as the user sees it. */
export async function editorText(page: Page): Promise<string> {
  // CodeMirror renders only the lines near the viewport, so a long program is read from the
  // editor's state (reached through its DOM node), not from the rendered lines.
  return page.locator(".cm-content").evaluate((el) => {
    const view = (el as unknown as { cmTile?: { root?: { view?: { state: { doc: { toString(): string } } } } } }).cmTile?.root?.view;
    if (view) return view.state.doc.toString();
    return Array.from(el.querySelectorAll(":scope > .cm-line"), (line) => line.textContent ?? "").join("\n");
  });
}

/** What the program wrote to stdout in the last run. */
export async function stdoutText(page: Page): Promise<string> {
  return page.locator("#output .out-stdout").evaluateAll((els) => els.map((e) => e.textContent ?? "").join(""));
}

/** Replace the editor's content by typing, as a person would. */
export async function typeProgram(page: Page, text: string): Promise<void> {
  const editor = ui(page).editor;
  await editor.click();
  await page.keyboard.press("ControlOrMeta+A");
  await page.keyboard.press("Delete");
  await page.keyboard.type(text);
}

export async function expectState(status: Locator, state: string | RegExp, timeout = RUN_TIMEOUT): Promise<void> {
  await expect(status).toHaveAttribute("data-state", state, { timeout });
}

/** Serve every response without COOP/COEP, as a static host that does not send them would. */
export async function serveWithoutIsolation(page: Page): Promise<void> {
  await page.route("**/*", async (route) => {
    try {
      const response = await route.fetch();
      const headers = { ...response.headers() };
      delete headers["cross-origin-opener-policy"];
      delete headers["cross-origin-embedder-policy"];
      await route.fulfill({ response, headers });
    } catch {
      // The page went away while a request was in flight.
    }
  });
}

/** Left and right edges of the `par` bars in each timeline lane. */
export async function parBarSpans(page: Page): Promise<Array<Array<readonly [number, number]>>> {
  const lanes = ui(page).timeline.locator(".lane");
  const n = await lanes.count();
  return Promise.all(
    Array.from({ length: n }, (_, w) =>
      lanes
        .nth(w)
        .locator(".bar-par")
        .evaluateAll((els) => els.map((e) => e.getBoundingClientRect()).map((r) => [r.left, r.right] as const)),
    ),
  );
}

/** Two workers ran `par` bars that overlap in time. */
export function parallelOverlap(spans: Array<Array<readonly [number, number]>>): boolean {
  if (spans.length < 2) return false;
  return spans[0].some(([l0, r0]) => spans[1].some(([l1, r1]) => Math.min(r0, r1) - Math.max(l0, l1) > 0));
}

/**
 * Run until the two heavy branches of the program ran on two workers at the same time. Which
 * worker picks up a branch is up to the scheduler, and on a loaded 2-core machine an idle worker
 * can wake too late to steal one; a few runs tell "never parallel" from "not this time".
 */
export async function runUntilParallel(page: Page, attempts = 3): Promise<boolean> {
  for (let i = 0; i < attempts; i++) {
    await ui(page).run.click();
    await expectState(ui(page).status, "finished");
    if (parallelOverlap(await parBarSpans(page))) return true;
  }
  return false;
}

/** The screen position of the middle of the `nth` occurrence of `needle` in the editor's rendered text. */
export async function coordsOf(page: Page, needle: string, nth = 0): Promise<{ x: number; y: number }> {
  return page.locator(".cm-content").evaluate(
    (content, [needle, nth]) => {
      const walker = document.createTreeWalker(content, NodeFilter.SHOW_TEXT);
      let seen = 0;
      for (let node = walker.nextNode(); node; node = walker.nextNode()) {
        const text = node.textContent ?? "";
        for (let i = text.indexOf(needle as string); i >= 0; i = text.indexOf(needle as string, i + 1)) {
          if (seen++ < (nth as number)) continue;
          const range = document.createRange();
          range.setStart(node, i);
          range.setEnd(node, i + (needle as string).length);
          const r = range.getBoundingClientRect();
          return { x: r.left + r.width / 2, y: r.top + r.height / 2 };
        }
      }
      throw new Error(`"${needle}" not rendered`);
    },
    [needle, nth] as const,
  );
}

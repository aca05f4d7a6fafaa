// Runnable snippets for documentation: <pre class="kara"> blocks and <kara-snippet> elements on a
// docs page share one lazily loaded compiler and pool; the iframe page embed.html#code=…; and a
// host page without cross-origin isolation that includes only dist/kara-snippet.js.

import { expect, test, type Page, type Request } from "@playwright/test";
import { editorText, RUN_TIMEOUT, SCREENSHOTS, shareLink, watchErrors } from "./helpers.js";

test.describe.configure({ timeout: 3 * RUN_TIMEOUT });

const isCompilerChunk = (r: Request): boolean => /\/assets\/compile-(?!worker-)[^/]*\.js$/.test(r.url());

function snippets(page: Page) {
  return page.locator("kara-snippet");
}

/** Press a snippet's Run and wait for its run to end; returns its output text. */
async function runSnippet(page: Page, index: number, endState = "ok"): Promise<string> {
  const snippet = snippets(page).nth(index);
  await snippet.getByRole("button", { name: "Run", exact: true }).click();
  await expect(snippet).toHaveAttribute("data-state", endState, { timeout: RUN_TIMEOUT });
  return (await snippet.getByLabel("Output").textContent()) ?? "";
}

test("a docs page turns code blocks into snippets that load the compiler once, on the first Run", async ({ page, context }) => {
  const errors = watchErrors(page);
  const compilerLoads: string[] = [];
  page.on("request", (r) => {
    if (isCompilerChunk(r)) compilerLoads.push(r.url());
  });
  await page.goto("/docs-demo.html");
  await expect(snippets(page)).toHaveCount(3);
  await expect(page.locator("pre.kara")).toHaveCount(0);
  // Plain text until someone runs something: no compiler download yet.
  await expect(snippets(page).first().getByRole("textbox", { name: "Kāra code" })).toHaveValue('fn main() {\n    println("Hello from Kāra!");\n}\n');
  await page.waitForTimeout(500);
  expect(compilerLoads).toEqual([]);
  expect(await page.evaluate(() => crossOriginIsolated)).toBe(true);
  // Isolated page: no one-worker notice.
  await expect(page.getByText("runs on one worker").filter({ visible: true })).toHaveCount(0);

  expect(await runSnippet(page, 0)).toContain("Hello from Kāra!");
  await expect(snippets(page).first().getByRole("status")).toHaveText(/Finished in/);

  // Two snippets started together both finish (they take turns on the shared pool).
  const counter = snippets(page).nth(1);
  const panics = snippets(page).nth(2);
  await counter.getByRole("button", { name: "Run", exact: true }).click();
  await panics.getByRole("button", { name: "Run", exact: true }).click();
  await expect(counter).toHaveAttribute("data-state", "ok", { timeout: RUN_TIMEOUT });
  await expect(panics).toHaveAttribute("data-state", "panic", { timeout: RUN_TIMEOUT });
  await expect(counter.getByLabel("Output")).toHaveText(/^3\n/);
  // Isolated: the snippet ran on the whole pool (at least two workers).
  expect(Number(await counter.getAttribute("data-workers"))).toBeGreaterThanOrEqual(2);
  await expect(panics.getByLabel("Output")).toContainText("before");
  await expect(panics.getByLabel("Output")).toContainText("index 3 out of bounds (len 0)");
  await expect(panics.getByRole("status")).toHaveText("Panicked");

  // Editing a snippet and running it again.
  const hello = snippets(page).first().getByRole("textbox", { name: "Kāra code" });
  await hello.click();
  await hello.press("ControlOrMeta+End");
  await hello.press("ArrowUp"); // the closing brace
  await hello.press("ArrowUp"); // the println line
  await hello.press("End");
  await hello.pressSequentially('\n    println("edited");');
  await hello.press("ControlOrMeta+Enter");
  await expect(snippets(page).first().getByLabel("Output")).toHaveText(/Hello from Kāra!\n\s*edited\n/, { timeout: RUN_TIMEOUT });

  // A compile error is reported in the snippet.
  await hello.fill("fn main() { let x = ; }");
  expect(await runSnippet(page, 0, "compile-failed")).toMatch(/error\[E\d+\] 1:\d+/);
  expect(compilerLoads).toHaveLength(1);
  await page.screenshot({ path: `${SCREENSHOTS}/docs-demo.png`, fullPage: true });

  // "Open in playground" carries the edited code.
  await hello.fill('fn main() {\n    println("to the playground");\n}\n');
  const link = snippets(page).first().getByRole("link", { name: "Open in playground" });
  await expect(link).toHaveAttribute("href", /#code=/);
  const [popup] = await Promise.all([context.waitForEvent("page"), link.click()]);
  await expect.poll(() => editorText(popup), { timeout: 30_000 }).toBe('fn main() {\n    println("to the playground");\n}\n');
  expect(errors).toEqual([]);
});

test("embed.html runs the program of its #code= link, inside an iframe too", async ({ page }) => {
  const errors = watchErrors(page);
  const source = 'fn main() {\n    println(f"six times seven is {6 * 7}");\n}\n';
  await page.goto(shareLink(source).replace("/#", "/embed.html#"));
  await expect(snippets(page)).toHaveCount(1);
  await expect(page.getByRole("textbox", { name: "Kāra code" })).toHaveValue(source);
  expect(await runSnippet(page, 0)).toContain("six times seven is 42");
  await page.screenshot({ path: `${SCREENSHOTS}/embed.png` });

  // The docs page's iframe (no #code=) shows the default program and runs it.
  await page.goto("/docs-demo.html");
  const frame = page.frameLocator("#frame");
  await frame.getByRole("button", { name: "Run", exact: true }).click();
  await expect(frame.getByLabel("Output")).toContainText("Hello from Kāra!", { timeout: RUN_TIMEOUT });
  expect(errors).toEqual([]);
});

test("on a host page without isolation, one script tag gives sequential snippets with a link to a parallel run", async ({ page, context }) => {
  const errors = watchErrors(page);
  // A third-party docs page that only includes dist/kara-snippet.js, served without COOP/COEP.
  const host = `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Third-party docs</title>
<script type="module" src="./kara-snippet.js"></script></head><body>
<h1>Somebody else's docs</h1>
<pre class="kara">
    par struct Counter { count: Atomic[i64] }
    fn bump(counter: ref Counter) {
        let _ = counter.count.fetch_add(1, MemoryOrdering.Relaxed);
    }
    fn main() {
        let counter: Counter = Counter { count: Atomic.new(0) };
        par {
            bump(counter);
            bump(counter);
        }
        println(counter.count.load(MemoryOrdering.Relaxed));
    }
</pre>
<pre class="kara">fn main() { println("second"); }</pre>
</body></html>`;
  await page.route("**/*", async (route) => {
    if (new URL(route.request().url()).pathname === "/third-party.html") {
      await route.fulfill({ contentType: "text/html; charset=utf-8", body: host });
      return;
    }
    const response = await route.fetch();
    const headers = { ...response.headers() };
    delete headers["cross-origin-opener-policy"];
    delete headers["cross-origin-embedder-policy"];
    await route.fulfill({ response, headers });
  });
  await page.goto("/third-party.html");
  expect(await page.evaluate(() => crossOriginIsolated)).toBe(false);
  await expect(snippets(page)).toHaveCount(2);
  const first = snippets(page).first();
  await expect(first.getByText("not cross-origin isolated, so this snippet runs on one worker")).toBeVisible();
  expect(await runSnippet(page, 0)).toMatch(/^2\n/);
  await expect(first).toHaveAttribute("data-workers", "1");
  expect(await runSnippet(page, 1)).toMatch(/^second\n/);
  await page.screenshot({ path: `${SCREENSHOTS}/snippet-not-isolated.png`, fullPage: true });

  // The notice's link opens the playground (which is isolated) with the snippet's code.
  const link = first.locator(".notice").getByRole("link", { name: "Open in playground (parallel)" });
  await expect(link).toHaveAttribute("href", /\/#code=/);
  await page.unrouteAll({ behavior: "ignoreErrors" });
  const [popup] = await Promise.all([context.waitForEvent("page"), link.click()]);
  await expect.poll(() => editorText(popup), { timeout: 30_000 }).toContain("bump(counter);");
  expect(await popup.evaluate(() => crossOriginIsolated)).toBe(true);
  expect(errors).toEqual([]);
});

test("Stop ends a snippet's endless loop, cancels a queued run, and the shared pool keeps working", async ({ page }) => {
  const errors = watchErrors(page);
  await page.goto("/docs-demo.html");
  const [looping, queued, third] = [0, 1, 2].map((i) => snippets(page).nth(i));
  await looping.getByRole("textbox", { name: "Kāra code" }).fill("fn main() {\n    let mut i = 0;\n    while true { i = i + 1; }\n}\n");
  await looping.getByRole("button", { name: "Run", exact: true }).click();
  await expect(looping).toHaveAttribute("data-state", "running", { timeout: RUN_TIMEOUT });
  // Another snippet's Run waits for the pool; stopping it cancels only that wait.
  await queued.getByRole("button", { name: "Run", exact: true }).click();
  await expect(queued).toHaveAttribute("data-state", "running");
  await expect(queued.getByRole("status")).toHaveText("Waiting for another snippet's run to end…");
  await queued.getByRole("button", { name: "Stop", exact: true }).click();
  await expect(queued).toHaveAttribute("data-state", "stopped");
  await expect(looping).toHaveAttribute("data-state", "running");
  await looping.getByRole("button", { name: "Stop", exact: true }).click();
  await expect(looping).toHaveAttribute("data-state", "stopped", { timeout: 30_000 });
  await expect(looping.getByRole("status")).toHaveText("Stopped");
  // The pool was replaced by Stop; the next runs work.
  expect(await runSnippet(page, 1)).toMatch(/^3\n/);
  expect(await runSnippet(page, 2, "panic")).toContain("before");
  await expect(third.getByRole("status")).toHaveText("Panicked");
  expect(errors).toEqual([]);
});

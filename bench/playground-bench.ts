// Playground load and run times in headless Chromium, written to bench/playground.json:
//   cold_uncached  — fresh browser profile: open the page with the par counter example and press
//                    Run at once; time from navigation to the program's first output (includes
//                    downloading and starting the compiler: ~10 MB of Binaryen wasm, ~1 MB of JS).
//   cold_cached    — the same with the HTTP cache warm (a second visit).
//   rerun          — on a loaded page, time from pressing Run to the first output.
//   throttled      — cold_uncached on a slower network (Chromium's network emulation through CDP,
//                    applied to the page and its workers): 20 and 5 Mbit/s, 20 ms latency; served
//                    with the build's precompressed files (as `npm start` does) and, for
//                    comparison, without them (a host that sends files as they are).
// Times are taken in the page: a mutation observer installed before the page's scripts notes when
// the first output appears (performance.now(), from navigation start). Waiting for the element from
// here instead would add Playwright's polling back-off (20, 50, 100, 100, then 500 ms steps) to every
// figure; that observed time is still recorded as `*_observed` for comparison with older results.
// Serves dist/ (or PLAYGROUND_DIST; built first when missing) with COOP/COEP and immutable caching
// of assets/, as a well-configured static host would. Run: npx tsx bench/playground-bench.ts

import { chromium, type Browser, type BrowserContext, type Page } from "@playwright/test";
import { execSync } from "node:child_process";
import { existsSync, writeFileSync } from "node:fs";
import { cpus } from "node:os";
import { fileURLToPath } from "node:url";
import { IMMUTABLE, startStaticServer } from "../e2e/static-server.js";

const ROOT = fileURLToPath(new URL("..", import.meta.url));
const DIST = process.env.PLAYGROUND_DIST ?? fileURLToPath(new URL("../dist/", import.meta.url));
const OUT = fileURLToPath(new URL("./playground.json", import.meta.url));
const REPEATS = Number(process.env.PLAYGROUND_BENCH_REPEATS ?? 3);
const RERUNS = 5;
const THROTTLED_REPEATS = Number(process.env.PLAYGROUND_BENCH_THROTTLED_REPEATS ?? 2);
const THROTTLED_MBITS = [20, 5];
const TIMEOUT = 180_000;

const median = (xs: number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};
const round = (x: number): number => Math.round(x * 10) / 10;
const summary = (runs: number[]) => ({ median_ms: round(median(runs)), min_ms: round(Math.min(...runs)), max_ms: round(Math.max(...runs)), runs_ms: runs.map(round) });

/** In the page, before its scripts: note when output first appears after navigation or a click on Run. */
function watchFirstOutput(): void {
  const w = window as unknown as { __firstOutput?: number; __runPressed?: number };
  const observer = new MutationObserver(() => {
    if (w.__firstOutput === undefined && document.querySelector("#output .out-stdout")) w.__firstOutput = performance.now();
  });
  observer.observe(document, { childList: true, subtree: true });
  document.addEventListener(
    "click",
    (e) => {
      if ((e.target as Element | null)?.closest?.("#run")) {
        w.__runPressed = performance.now();
        w.__firstOutput = undefined;
      }
    },
    true,
  );
}

const firstOutputAt = (page: Page): Promise<number> => page.evaluate(() => (window as unknown as { __firstOutput: number }).__firstOutput);

interface Timed {
  /** From navigation start (or the click) to the first output, measured in the page. */
  ms: number;
  /** The same as seen from here, through Playwright's polling. */
  observedMs: number;
}

/** Network emulation for a page and every worker it starts (their fetches are their own). */
async function throttle(context: BrowserContext, page: Page, mbits: number): Promise<void> {
  const conditions = { offline: false, latency: 20, downloadThroughput: (mbits * 1e6) / 8, uploadThroughput: (mbits * 1e6) / 8 };
  const cdp = await context.newCDPSession(page);
  await cdp.send("Network.enable");
  await cdp.send("Network.emulateNetworkConditions", conditions);
  // Workers are separate targets: attach to each as it starts, throttle it, then let it run.
  cdp.on("Target.attachedToTarget", (event: { sessionId: string; targetInfo: { type: string } }) => {
    const send = (method: string, params: object = {}) =>
      cdp.send("Target.sendMessageToTarget" as never, { sessionId: event.sessionId, message: JSON.stringify({ id: Math.floor(Math.random() * 1e9), method, params }) } as never);
    void (async () => {
      await send("Network.enable");
      await send("Network.emulateNetworkConditions", conditions);
      await send("Runtime.runIfWaitingForDebugger");
    })().catch(() => {});
  });
  await cdp.send("Target.setAutoAttach", { autoAttach: true, waitForDebuggerOnStart: true, flatten: false });
}

/** Open the page (the default example is the par counter), press Run as soon as it can be pressed,
 * and time navigation to the first byte of output. */
async function loadAndRun(context: BrowserContext, url: string, mbits?: number): Promise<Timed & { page: Page }> {
  const page = await context.newPage();
  if (mbits !== undefined) await throttle(context, page, mbits);
  await page.addInitScript(watchFirstOutput);
  const started = Date.now();
  await page.goto(url, { waitUntil: "domcontentloaded" });
  await page.getByRole("button", { name: "Run", exact: true }).click();
  await page.locator("#output .out-stdout").first().waitFor({ timeout: TIMEOUT });
  const observedMs = Date.now() - started;
  await page.locator('#status[data-state="finished"]').waitFor({ timeout: TIMEOUT });
  return { ms: await firstOutputAt(page), observedMs, page };
}

async function rerun(page: Page): Promise<Timed> {
  const started = Date.now();
  await page.getByRole("button", { name: "Run", exact: true }).click();
  await page.locator("#output .out-stdout").first().waitFor({ timeout: TIMEOUT });
  const observedMs = Date.now() - started;
  await page.locator('#status[data-state="finished"]').waitFor({ timeout: TIMEOUT });
  const ms = await page.evaluate(() => {
    const w = window as unknown as { __firstOutput: number; __runPressed: number };
    return w.__firstOutput - w.__runPressed;
  });
  return { ms, observedMs };
}

async function main(): Promise<void> {
  if (!existsSync(`${DIST}/index.html`)) execSync("npx vite build", { cwd: ROOT, stdio: "inherit" });
  const server = await startStaticServer({ root: DIST, isolation: true, assetCache: IMMUTABLE });
  const uncompressed = await startStaticServer({ root: DIST, isolation: true, assetCache: IMMUTABLE, precompressed: false });
  let browser: Browser | undefined;
  try {
    browser = await chromium.launch({
      executablePath: process.env.CHROMIUM ?? "/usr/bin/chromium",
      args: ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
    });
    const url = `${server.url}/`;
    const uncached: Timed[] = [];
    const cached: Timed[] = [];
    const reruns: Timed[] = [];
    for (let i = 0; i < REPEATS; i++) {
      const context = await browser.newContext();
      const first = await loadAndRun(context, url);
      uncached.push(first);
      await first.page.close();
      const second = await loadAndRun(context, url);
      cached.push(second);
      for (let r = 0; r < RERUNS; r++) reruns.push(await rerun(second.page));
      await context.close();
      process.stdout.write(`round ${i + 1}/${REPEATS}: uncached ${round(first.ms)} ms, cached ${round(second.ms)} ms (observed ${first.observedMs} / ${second.observedMs} ms)\n`);
    }
    const throttled: Record<string, ReturnType<typeof summary>> = {};
    for (const mbits of THROTTLED_MBITS) {
      for (const [label, host] of [["precompressed", server], ["uncompressed", uncompressed]] as const) {
        const runs: number[] = [];
        for (let i = 0; i < THROTTLED_REPEATS; i++) {
          const context = await browser.newContext();
          const first = await loadAndRun(context, `${host.url}/`, mbits);
          runs.push(first.ms);
          await context.close();
        }
        throttled[`${mbits}_mbit_${label}`] = summary(runs);
        process.stdout.write(`${mbits} Mbit/s, ${label}: ${runs.map(round).join(", ")} ms\n`);
      }
    }
    const ms = (xs: Timed[]) => xs.map((x) => x.ms);
    const observed = (xs: Timed[]) => xs.map((x) => x.observedMs);
    const result = {
      benchmark: "playground",
      date: new Date().toISOString(),
      example: "par_counter (the page's default program)",
      browser: `Chromium ${browser.version()} (headless)`,
      machine: { cores: cpus().length, cpu: cpus()[0]?.model ?? "unknown" },
      server: "dist/ on 127.0.0.1 with COOP/COEP; assets/ cached as immutable; precompressed .br/.gz (the throttled figures also without)",
      measured: "in the page, from navigation start (rerun: from the click) to the first output",
      cold_uncached: summary(ms(uncached)),
      cold_cached: summary(ms(cached)),
      rerun: summary(ms(reruns)),
      throttled_cold_uncached: throttled,
      throttled_network: "Chromium network emulation (CDP), 20 ms latency; page and workers",
      cold_uncached_observed: summary(observed(uncached)),
      cold_cached_observed: summary(observed(cached)),
      rerun_observed: summary(observed(reruns)),
    };
    writeFileSync(OUT, `${JSON.stringify(result, null, 2)}\n`);
    console.log(JSON.stringify(result, null, 2));
  } finally {
    await browser?.close();
    await server.close();
    await uncompressed.close();
  }
}

await main();

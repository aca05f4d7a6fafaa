// Playground load and run times in headless Chromium, written to bench/playground.json:
//   cold_uncached  — fresh browser profile: open the page with the par counter example and press
//                    Run at once; time from navigation to the program's first output (includes
//                    downloading and starting the compiler, ~15 MB with Binaryen).
//   cold_cached    — the same with the HTTP cache warm (a second visit).
//   rerun          — on a loaded page, time from pressing Run to the first output.
// Serves dist/ (built first when missing) with COOP/COEP and immutable caching of assets/, as a
// well-configured static host would. Run: npx tsx bench/playground-bench.ts

import { chromium, type Browser, type BrowserContext, type Page } from "@playwright/test";
import { execSync } from "node:child_process";
import { existsSync, writeFileSync } from "node:fs";
import { cpus } from "node:os";
import { fileURLToPath } from "node:url";
import { startStaticServer } from "../e2e/static-server.js";

const ROOT = fileURLToPath(new URL("..", import.meta.url));
const DIST = fileURLToPath(new URL("../dist/", import.meta.url));
const OUT = fileURLToPath(new URL("./playground.json", import.meta.url));
const REPEATS = Number(process.env.PLAYGROUND_BENCH_REPEATS ?? 3);
const RERUNS = 5;
const TIMEOUT = 180_000;

const median = (xs: number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};
const round = (x: number): number => Math.round(x * 10) / 10;
const summary = (runs: number[]) => ({ median_ms: round(median(runs)), min_ms: round(Math.min(...runs)), max_ms: round(Math.max(...runs)), runs_ms: runs.map(round) });

/** Open the page (the default example is the par counter), press Run as soon as it can be pressed,
 * and return milliseconds from navigation to the first byte of output. */
async function loadAndRun(context: BrowserContext, url: string): Promise<{ ms: number; page: Page }> {
  const page = await context.newPage();
  const started = Date.now();
  await page.goto(url, { waitUntil: "domcontentloaded" });
  await page.getByRole("button", { name: "Run", exact: true }).click();
  await page.locator("#output .out-stdout").first().waitFor({ timeout: TIMEOUT });
  const ms = Date.now() - started;
  await page.locator('#status[data-state="finished"]').waitFor({ timeout: TIMEOUT });
  return { ms, page };
}

async function rerun(page: Page): Promise<number> {
  const started = Date.now();
  await page.getByRole("button", { name: "Run", exact: true }).click();
  await page.locator("#output .out-stdout").first().waitFor({ timeout: TIMEOUT });
  const ms = Date.now() - started;
  await page.locator('#status[data-state="finished"]').waitFor({ timeout: TIMEOUT });
  return ms;
}

async function main(): Promise<void> {
  if (!existsSync(`${DIST}/index.html`)) execSync("npx vite build", { cwd: ROOT, stdio: "inherit" });
  const server = await startStaticServer({ root: DIST, isolation: true, assetCache: "public, max-age=31536000, immutable" });
  let browser: Browser | undefined;
  try {
    browser = await chromium.launch({
      executablePath: process.env.CHROMIUM ?? "/usr/bin/chromium",
      args: ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
    });
    const url = `${server.url}/`;
    const uncached: number[] = [];
    const cached: number[] = [];
    const reruns: number[] = [];
    for (let i = 0; i < REPEATS; i++) {
      const context = await browser.newContext();
      const first = await loadAndRun(context, url);
      uncached.push(first.ms);
      await first.page.close();
      const second = await loadAndRun(context, url);
      cached.push(second.ms);
      for (let r = 0; r < RERUNS; r++) reruns.push(await rerun(second.page));
      await context.close();
      process.stdout.write(`round ${i + 1}/${REPEATS}: uncached ${first.ms} ms, cached ${second.ms} ms\n`);
    }
    const result = {
      benchmark: "playground",
      date: new Date().toISOString(),
      example: "par_counter (the page's default program)",
      browser: `Chromium ${browser.version()} (headless)`,
      machine: { cores: cpus().length, cpu: cpus()[0]?.model ?? "unknown" },
      server: "dist/ on 127.0.0.1 with COOP/COEP; assets/ cached as immutable",
      cold_uncached: summary(uncached),
      cold_cached: summary(cached),
      rerun: summary(reruns),
    };
    writeFileSync(OUT, `${JSON.stringify(result, null, 2)}\n`);
    console.log(JSON.stringify(result, null, 2));
  } finally {
    await browser?.close();
    await server.close();
  }
}

await main();

// A fast first load: the server sends the build's precompressed files (Brotli when accepted) with
// long-lived caching of hashed assets, and the status line counts the compiler's bytes as they
// arrive.

import { expect, test } from "@playwright/test";
import { expectState, ui, watchErrors } from "./helpers.js";

test("the compiler's wasm and the scripts arrive Brotli-compressed and cached as immutable", async ({ page }) => {
  const errors = watchErrors(page);
  const assets = new Map<string, Record<string, string>>();
  page.on("response", async (r) => {
    if (/\/assets\/[^/]+\.(?:wasm|js)$/.test(new URL(r.url()).pathname)) assets.set(new URL(r.url()).pathname, await r.allHeaders());
  });
  await page.goto("/");
  await expectState(ui(page).status, "ready");
  const wasm = [...assets].find(([path]) => path.endsWith(".wasm"));
  expect(wasm, "the compiler's wasm was fetched").toBeDefined();
  expect(wasm![1]["content-encoding"]).toBe("br");
  expect(wasm![1]["content-type"]).toBe("application/wasm");
  expect(wasm![1]["cache-control"]).toContain("immutable");
  // Binaryen's ~10 MB arrive as well under a fifth of that.
  expect(Number(wasm![1]["content-length"])).toBeLessThan(2_500_000);
  const scripts = [...assets].filter(([path]) => path.endsWith(".js"));
  expect(scripts.length).toBeGreaterThan(2);
  // Every script is compressed, except tiny ones (below 1 KB compressing gains nothing).
  for (const [path, headers] of scripts) {
    if (headers["content-encoding"] === undefined) expect(Number(headers["content-length"]), path).toBeLessThan(1024);
    else expect(headers["content-encoding"], path).toBe("br");
  }
  expect(scripts.filter(([, h]) => h["content-encoding"] === "br").length).toBeGreaterThan(2);
  expect(errors).toEqual([]);
});

test("the status line shows the compiler's bytes as they download", async ({ page }) => {
  const errors = watchErrors(page);
  const cdp = await page.context().newCDPSession(page);
  await cdp.send("Network.enable");
  // 5 Mbit/s: the download takes a few seconds, long enough to be seen in progress.
  await cdp.send("Network.emulateNetworkConditions", { offline: false, latency: 20, downloadThroughput: (5_000_000 / 8), uploadThroughput: (5_000_000 / 8) });
  await page.goto("/");
  const status = ui(page).status;
  const seen: string[] = [];
  await expect
    .poll(async () => {
      const text = (await status.textContent()) ?? "";
      seen.push(text);
      return /Loading compiler… \d+\.\d MB of \d+\.\d MB, \d+\.\d s/.test(text);
    }, { timeout: 60_000, intervals: [100] })
    .toBe(true);
  // The count grows as bytes arrive.
  await expect
    .poll(async () => Number(/([\d.]+) MB of/.exec((await status.textContent()) ?? "")?.[1] ?? Infinity), { timeout: 60_000, intervals: [200] })
    .toBeGreaterThan(Number(/([\d.]+) MB of/.exec(seen[seen.length - 1])![1]));
  await cdp.send("Network.emulateNetworkConditions", { offline: false, latency: 0, downloadThroughput: -1, uploadThroughput: -1 });
  await expectState(status, "ready");
  expect(errors).toEqual([]);
});

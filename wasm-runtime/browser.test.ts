// The browser adapter in Chromium: module Web Workers bundled by Vite, with cross-origin
// isolation (parallel pool) and without it (sequential fallback).

import { chromium, type Browser } from "playwright-core";
import { createServer, type ViteDevServer } from "vite";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { RunResult } from "./api.js";
import { counterProgram, fibProgram, panicProgram } from "./testing/programs.js";

const root = fileURLToPath(new URL("..", import.meta.url));
const isolation = { "Cross-Origin-Opener-Policy": "same-origin", "Cross-Origin-Embedder-Policy": "require-corp" };

let browser: Browser;
const servers: ViteDevServer[] = [];

async function serve(isolated: boolean): Promise<string> {
  const server = await createServer({
    configFile: false,
    root,
    logLevel: "silent",
    server: { port: 0, host: "127.0.0.1", headers: isolated ? isolation : {} },
    optimizeDeps: { noDiscovery: true, include: [] },
  });
  await server.listen();
  servers.push(server);
  const address = server.httpServer!.address() as { port: number };
  return `http://127.0.0.1:${address.port}/wasm-runtime/testing/browser/index.html`;
}

type FixtureRun = { result: RunResult; out: string; mode: string };

async function openFixture(url: string) {
  const page = await browser.newPage();
  await page.goto(url);
  await page.waitForFunction(() => (window as unknown as { fixtureReady?: boolean }).fixtureReady === true);
  return {
    page,
    run: (wasm: Uint8Array, workers: number, trace = false): Promise<FixtureRun> =>
      page.evaluate(
        ([bytes, w, t]) => (window as unknown as { runKara: (b: number[], w: number, t: boolean) => Promise<FixtureRun> }).runKara(bytes, w, t),
        [Array.from(wasm), workers, trace] as [number[], number, boolean],
      ),
  };
}

beforeAll(async () => {
  browser = await chromium.launch({ executablePath: "/usr/bin/chromium", args: ["--no-sandbox", "--disable-gpu"] });
});
afterAll(async () => {
  await browser?.close();
  for (const s of servers) await s.close();
});

describe("browser runner", () => {
  it("runs in parallel on a cross-origin isolated page", async () => {
    const { page, run } = await openFixture(await serve(true));
    const counter = await run(counterProgram(64, 1000), 2);
    expect(counter.mode).toBe("parallel");
    expect(counter.result.status).toBe("ok");
    expect(counter.out).toBe("64000\n");
    for (let i = 0; i < 20; i++) {
      const f = await run(fibProgram(12), 2, true);
      expect(f.out).toBe("144\n");
      expect(f.result.trace!.tasks.length).toBe(2 * 233 - 1 + 1);
    }
    const p = await run(panicProgram("before\n", "panic: deep", 3, 1), 2);
    expect(p.result.status).toBe("panic");
    expect(p.out).toBe("before\npanic: deep\n");
    await page.close();
  });

  it("falls back to one worker without isolation, with the same output", async () => {
    const { page, run } = await openFixture(await serve(false));
    const counter = await run(counterProgram(64, 1000), 2);
    expect(counter.mode).toBe("sequential");
    expect(counter.result.status).toBe("ok");
    expect(counter.out).toBe("64000\n");
    const p = await run(panicProgram("before\n", "panic: deep", 3), 2);
    expect(p.result.status).toBe("panic");
    expect(p.out).toBe("before\npanic: deep\n");
    await page.close();
  });
});

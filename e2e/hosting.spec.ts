// The built site on a static host that sends no COOP/COEP headers: the service-worker shim
// (public/coi-sw.js) makes the page cross-origin isolated after one reload, so programs run in
// parallel; with service workers blocked, or with ?seq, the page runs sequentially and says so.

import { expect, test, type Page } from "@playwright/test";
import { fileURLToPath } from "node:url";
import { chapterExamples, expectState, RUN_TIMEOUT, runUntilParallel, SCREENSHOTS, stdoutText, ui, watchErrors } from "./helpers.js";
import { startStaticServer, type StaticServer } from "./static-server.js";
import { deflateRawSync } from "node:zlib";

test.describe.configure({ timeout: 2 * RUN_TIMEOUT });

/** The built site: the one the suite's own server serves (playwright.config.ts reads E2E_DIST too). */
const SITE = process.env.E2E_DIST ?? fileURLToPath(new URL("../dist/", import.meta.url));

let host: StaticServer;
test.beforeAll(async () => {
  host = await startStaticServer({ root: SITE });
});
test.afterAll(async () => host.close());

const example = () => chapterExamples().find((e) => e.name === "par_heavy")!;
const link = (path: string, source: string) => `${host.url}${path}#code=${deflateRawSync(Buffer.from(source, "utf8")).toString("base64url")}`;

async function runOnTwo(page: Page): Promise<void> {
  const u = ui(page);
  await u.workers.selectOption("2");
  await u.run.click();
  await expectState(u.status, "finished");
  expect(await stdoutText(page)).toBe(example().expected);
}

test.describe("service workers allowed", () => {
  test.use({ serviceWorkers: "allow" });

  test("the shim isolates the page after one reload and programs run in parallel", async ({ page }) => {
    const errors = watchErrors(page);
    let navigations = 0;
    page.on("framenavigated", (f) => {
      if (f === page.mainFrame()) navigations++;
    });
    await page.goto(link("/", example().source));
    // The first response had no headers; the worker takes over and the page reloads once.
    await expect.poll(() => page.evaluate(() => crossOriginIsolated).catch(() => false), { timeout: 30_000 }).toBe(true);
    await expect(ui(page).editor).toBeVisible();
    expect(navigations).toBe(2); // the visit and exactly one reload
    expect(await page.evaluate(() => navigator.serviceWorker.controller?.scriptURL)).toMatch(/\/coi-sw\.js$/);
    await expect(page.getByText("not cross-origin isolated")).toHaveCount(0);
    await runOnTwo(page);
    await expect(ui(page).timeline.locator(".lane")).toHaveCount(2);
    // Both workers ran par branches, at the same time.
    expect(await runUntilParallel(page)).toBe(true);
    expect(await stdoutText(page)).toBe(example().expected);
    await page.screenshot({ path: `${SCREENSHOTS}/hosting-service-worker.png` });
    // Later visits are served through the worker straight away: no further reload.
    const before = navigations;
    await page.reload();
    await expect(ui(page).editor).toBeVisible();
    await page.waitForTimeout(1000);
    expect(navigations).toBe(before + 1);
    expect(await page.evaluate(() => crossOriginIsolated)).toBe(true);
    expect(errors).toEqual([]);
  });

  test("?seq skips the shim: sequential, with the notice", async ({ page }) => {
    const errors = watchErrors(page);
    await page.goto(link("/?seq", example().source));
    await expect(page.getByText("not cross-origin isolated")).toBeVisible();
    await page.waitForTimeout(1500); // time for a registration that must not happen
    expect(await page.evaluate(() => crossOriginIsolated)).toBe(false);
    expect(await page.evaluate(async () => (await navigator.serviceWorker.getRegistrations()).length)).toBe(0);
    const u = ui(page);
    await u.run.click();
    await expectState(u.status, "finished");
    expect(await stdoutText(page)).toBe(example().expected);
    expect(errors).toEqual([]);
  });
});

test.describe("service workers blocked", () => {
  test.use({ serviceWorkers: "block" });

  test("the page still runs programs, sequentially, and says so", async ({ page }) => {
    const errors = watchErrors(page);
    await page.goto(link("/", example().source));
    await expect(page.getByText("not cross-origin isolated")).toBeVisible();
    await page.waitForTimeout(1500);
    expect(await page.evaluate(() => crossOriginIsolated)).toBe(false);
    await expect(ui(page).workers).toBeDisabled();
    const u = ui(page);
    await u.run.click();
    await expectState(u.status, "finished");
    expect(await stdoutText(page)).toBe(example().expected);
    await expect(ui(page).timeline.locator(".lane")).toHaveCount(1);
    await page.screenshot({ path: `${SCREENSHOTS}/hosting-no-service-worker.png` });
    expect(errors).toEqual([]);
  });
});

test("with COOP/COEP from the host the page is isolated at once", async ({ page }) => {
  const isolated = await startStaticServer({ root: SITE, isolation: true });
  try {
    const errors = watchErrors(page);
    await page.goto(link("/", example().source).replace(host.url, isolated.url));
    expect(await page.evaluate(() => crossOriginIsolated)).toBe(true);
    await expect(ui(page).editor).toBeVisible();
    await runOnTwo(page);
    await expect(ui(page).timeline.locator(".lane")).toHaveCount(2);
    expect(errors).toEqual([]);
  } finally {
    await isolated.close();
  }
});

// Timeline zoom: the −, + and Fit buttons, Ctrl/Cmd+wheel around the pointer, a two-finger pinch,
// and the +, − and 0 keys on a focused bar. Zooming widens the bars, scrolls sideways and refines
// the axis; the instant under the pointer stays under it.

import { expect, test, type Page } from "@playwright/test";
import { chapterExamples, expectState, shareLink, ui, watchErrors } from "./helpers.js";

const LABEL_PX = 78;

/** The run's instant (0..1) at `clientX`, and the zoom, read from the scroller's geometry. */
async function instantAt(page: Page, clientX: number): Promise<number> {
  return page.locator(".timeline-scroll").evaluate((el, x) => {
    const canvas = el.firstElementChild as HTMLElement;
    const track = canvas.getBoundingClientRect().width - 78;
    return (el.scrollLeft + x - el.getBoundingClientRect().left - 78) / track;
  }, clientX);
}

async function zoomValue(page: Page): Promise<number> {
  const text = await page.getByRole("group", { name: "Timeline zoom" }).locator(".zoom-value").textContent();
  return Number(text!.replace("×", ""));
}

test("zoom with the buttons, Ctrl+wheel, a pinch and the keyboard", async ({ page }) => {
  const errors = watchErrors(page);
  await page.setViewportSize({ width: 1280, height: 900 });
  const example = chapterExamples().find((e) => e.name === "par_heavy")!;
  await page.goto(shareLink(example.source));
  const u = ui(page);
  await u.workers.selectOption("2");
  await u.run.click();
  await expectState(u.status, "finished");

  const zoom = page.getByRole("group", { name: "Timeline zoom" });
  const zoomIn = zoom.getByRole("button", { name: "Zoom in" });
  const zoomOut = zoom.getByRole("button", { name: "Zoom out" });
  const fit = zoom.getByRole("button", { name: "Zoom to fit the whole run" });
  await expect(zoom.locator(".zoom-value")).toHaveText("×1");
  await expect(zoomOut).toBeDisabled();
  const scroller = page.locator(".timeline-scroll");
  const bar = u.timeline.locator(".bar-par").first();
  const widthAt1 = (await bar.boundingBox())!.width;
  const ticksAt1 = await u.timeline.locator(".axis-tick").allTextContents();

  // Buttons, by keyboard: Enter on Zoom in doubles the bars' widths and the canvas scrolls.
  await zoomIn.focus();
  await page.keyboard.press("Enter");
  await expect(zoom.locator(".zoom-value")).toHaveText("×2");
  expect((await bar.boundingBox())!.width).toBeCloseTo(widthAt1 * 2, -1);
  expect(await scroller.evaluate((el) => el.scrollWidth > el.clientWidth + 10)).toBe(true);
  await zoomIn.click();
  await zoomIn.click();
  await expect(zoom.locator(".zoom-value")).toHaveText("×8");
  // Finer ticks: the axis steps are smaller than at ×1.
  const ticksAt8 = await u.timeline.locator(".axis-tick").allTextContents();
  expect(ticksAt8).not.toEqual(ticksAt1);
  // Scrolled to the end, the lane labels stay at the left edge over the bars (they are sticky).
  await scroller.evaluate((el) => el.scrollTo({ left: el.scrollWidth }));
  await expect.poll(() => scroller.evaluate((el) => el.scrollLeft)).toBeGreaterThan(500);
  const label = u.timeline.locator(".lane-label").first();
  await expect(label).toBeInViewport();
  expect(Math.abs((await label.boundingBox())!.x - (await scroller.boundingBox())!.x)).toBeLessThan(2);
  // The label covers its whole lane, stacked rows included, so no bar shows through beside it.
  const lane = u.timeline.locator(".lane-track").first();
  expect((await label.boundingBox())!.height).toBeCloseTo((await lane.boundingBox())!.height, 0);
  const covered = await page.evaluate(([x, y]) => document.elementFromPoint(x, y)?.className ?? "", [
    (await label.boundingBox())!.x + 70,
    (await lane.boundingBox())!.y + (await lane.boundingBox())!.height - 4,
  ] as const);
  expect(covered).toContain("lane-label");
  await page.screenshot({ path: "e2e/screenshots/timeline-zoomed.png" });
  await fit.click();
  await expect(zoom.locator(".zoom-value")).toHaveText("×1");
  expect(await scroller.evaluate((el) => el.scrollLeft)).toBe(0);

  // Ctrl+wheel zooms around the pointer: the instant under it stays under it.
  const box = (await scroller.boundingBox())!;
  const x = box.x + LABEL_PX + (box.width - LABEL_PX) * 0.7;
  const y = box.y + 10;
  await page.mouse.move(x, y);
  const before = await instantAt(page, x);
  await page.keyboard.down("Control");
  await page.mouse.wheel(0, -400);
  await page.keyboard.up("Control");
  await expect.poll(() => zoomValue(page)).toBeGreaterThan(2);
  expect(Math.abs((await instantAt(page, x)) - before)).toBeLessThan(0.01);
  // A plain wheel does not zoom.
  const zoomed = await zoomValue(page);
  await page.mouse.wheel(0, -400);
  await page.waitForTimeout(200);
  expect(await zoomValue(page)).toBe(zoomed);
  await fit.click();

  // A two-finger pinch on a touch screen (Chromium's touch emulation): fingers apart zoom in.
  const cdp = await page.context().newCDPSession(page);
  const cx = box.x + box.width / 2;
  const finger = (dx: number) => [
    { x: cx - dx, y, id: 0 },
    { x: cx + dx, y, id: 1 },
  ];
  await cdp.send("Input.dispatchTouchEvent", { type: "touchStart", touchPoints: finger(40) });
  for (const dx of [60, 90, 120, 160]) await cdp.send("Input.dispatchTouchEvent", { type: "touchMove", touchPoints: finger(dx) });
  await cdp.send("Input.dispatchTouchEvent", { type: "touchEnd", touchPoints: [] });
  await expect.poll(() => zoomValue(page)).toBeGreaterThan(3);
  await fit.click();

  // Keyboard on a bar: + zooms in around it (and keeps it in view), − out, 0 fits.
  await bar.focus();
  await page.keyboard.press("+");
  await expect(zoom.locator(".zoom-value")).toHaveText("×2");
  await page.keyboard.press("+");
  await expect(zoom.locator(".zoom-value")).toHaveText("×4");
  await expect(bar).toBeFocused();
  await expect(bar).toBeInViewport();
  await page.keyboard.press("-");
  await expect(zoom.locator(".zoom-value")).toHaveText("×2");
  await page.keyboard.press("0");
  await expect(zoom.locator(".zoom-value")).toHaveText("×1");
  await page.screenshot({ path: "e2e/screenshots/timeline-zoom.png" });
  expect(errors).toEqual([]);
});

import { describe, expect, it } from "vitest";
import { clampSplit, SPLIT_DEFAULT, SPLIT_MAX, SPLIT_MIN, splitAfterKey } from "./pane-splitter.js";

describe("pane splitter", () => {
  it("keeps values inside the limits, whole percents", () => {
    expect(clampSplit(5)).toBe(SPLIT_MIN);
    expect(clampSplit(95)).toBe(SPLIT_MAX);
    expect(clampSplit(41.6)).toBe(42);
    expect(clampSplit(Number.NaN)).toBe(SPLIT_DEFAULT);
  });

  it("moves by arrow and page keys and jumps with Home/End", () => {
    expect(splitAfterKey(50, "ArrowLeft")).toBe(48);
    expect(splitAfterKey(50, "ArrowRight")).toBe(52);
    expect(splitAfterKey(50, "PageDown")).toBe(60);
    expect(splitAfterKey(50, "Home")).toBe(SPLIT_MIN);
    expect(splitAfterKey(50, "End")).toBe(SPLIT_MAX);
    expect(splitAfterKey(SPLIT_MAX, "ArrowRight")).toBe(SPLIT_MAX);
    expect(splitAfterKey(50, "a")).toBeUndefined();
  });
});

import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import type { CompileResult } from "../compiler/api.js";
import { LiveCheck } from "./live-check.js";

const result = (tag: string): CompileResult => ({ ok: true, diagnostics: [], timings: [], effects: tag });

function harness() {
  const editor = { version: 0, source: "" };
  const checks: Array<{ source: string; answer(r: CompileResult | undefined): void }> = [];
  const shown: Array<{ tag: unknown; source: string }> = [];
  const live = new LiveCheck<CompileResult>(
    {
      check: (source) => new Promise((answer) => checks.push({ source, answer })),
      current: () => ({ ...editor }),
      show: (r, source) => shown.push({ tag: r.effects, source }),
    },
    100,
  );
  const type = (source: string): void => {
    editor.version++;
    editor.source = source;
    live.edited();
  };
  return { checks, shown, type };
}

describe("LiveCheck", () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it("checks once typing pauses, not on every keystroke", async () => {
    const h = harness();
    for (const s of ["f", "fn", "fn ", "fn m"]) {
      h.type(s);
      vi.advanceTimersByTime(50);
    }
    expect(h.checks).toHaveLength(0);
    vi.advanceTimersByTime(100);
    expect(h.checks.map((c) => c.source)).toEqual(["fn m"]);
    h.checks[0].answer(result("a"));
    await vi.runAllTimersAsync();
    expect(h.shown).toEqual([{ tag: "a", source: "fn m" }]);
  });

  it("never shows a result for text that changed since the check started", async () => {
    const h = harness();
    h.type("old");
    vi.advanceTimersByTime(100);
    h.type("new");
    vi.advanceTimersByTime(100);
    expect(h.checks.map((c) => c.source)).toEqual(["old", "new"]);
    // The newer check answers first, then the stale one arrives: only the newer is shown.
    h.checks[1].answer(result("new"));
    h.checks[0].answer(result("old"));
    await vi.runAllTimersAsync();
    expect(h.shown).toEqual([{ tag: "new", source: "new" }]);
  });

  it("shows nothing for a check the worker skipped", async () => {
    const h = harness();
    h.type("x");
    vi.advanceTimersByTime(100);
    h.checks[0].answer(undefined);
    await vi.runAllTimersAsync();
    expect(h.shown).toEqual([]);
  });
});

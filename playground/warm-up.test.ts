import { describe, expect, it } from "vitest";
import { compile } from "../compiler/compile.js";
import { warmUpCompile, warmUpFrontEnd, WARM_UP_SOURCE } from "./warm-up.js";

describe("compile worker warm-up", () => {
  it("runs the front end over its program", () => {
    expect(warmUpFrontEnd()).toBeGreaterThanOrEqual(0);
  });

  it("compiles its program through the whole pipeline without a diagnostic", async () => {
    const seen: string[] = [];
    const result = await warmUpCompile((source, options) => {
      seen.push(source);
      return compile(source, options);
    });
    expect(seen).toEqual([WARM_UP_SOURCE]);
    expect(result.diagnostics).toEqual([]);
    expect(result.ok).toBe(true);
    expect(result.wasm!.length).toBeGreaterThan(0);
  });
});

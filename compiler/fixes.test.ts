import { describe, expect, it } from "vitest";
import { applyFixes } from "./fixes.js";
import { compile } from "./compile.js";
import type { Diagnostic } from "./diagnostics.js";

const at = (offset: number, length: number, replacement: string): Diagnostic => ({
  code: "E0000",
  severity: "error",
  phase: "parse",
  message: "m",
  span: { offset, length, line: 1, column: offset + 1 },
  fixes: [{ message: "f", span: { offset, length, line: 1, column: offset + 1 }, replacement }],
});

describe("applyFixes", () => {
  it("applies every fix, later edits first, and skips overlapping ones", () => {
    const r = applyFixes("abcdef", [at(4, 1, "X"), at(0, 2, ""), at(1, 2, "Y")]);
    expect(r).toEqual({ source: "cdXf", applied: 2 });
  });

  it("turns a comma between effect items into a program that compiles", async () => {
    const src = "effect resource A;\neffect resource B;\nfn f() with reads(A), writes(B) { }\nfn main() { f(); }\n";
    const before = await compile(src);
    expect(before.diagnostics.map((d) => d.code)).toContain("E0021");
    const fixed = applyFixes(src, before.diagnostics);
    expect(fixed.source).toBe(src.replace("reads(A), writes", "reads(A) writes"));
    const after = await compile(fixed.source);
    expect(after.ok).toBe(true);
  });
});

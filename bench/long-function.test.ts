// The generator behind the "long function" bench rows: one `main` of exactly the requested number
// of statements (plus the closing print) that compiles, with every phase timed.

import { describe, expect, it } from "vitest";
import { compile } from "../compiler/compile.js";
import { generateLongFunction } from "./long-function.js";

describe("long function generator", () => {
  it("emits one main of the requested length that compiles and is analysed", async () => {
    for (const n of [7, 300]) {
      const r = await compile(generateLongFunction(n), { fileName: "long.kara" });
      expect(r.diagnostics.filter((d) => d.severity === "error")).toEqual([]);
      expect(r.ok).toBe(true);
      const main = (r.concurrency as { functions: { function: string; total_statements: number }[] }).functions.find((f) => f.function === "main");
      expect(main?.total_statements).toBe(n + 1);
      expect(r.timings.map((t) => t.phase)).toEqual(["parse", "check", "effects", "concurrency", "codegen", "emit"]);
    }
  });
});

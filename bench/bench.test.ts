// The bench's own machinery: statistics, interleaving, the program generator and the module
// re-labelling used for first-run timings.

import { describe, expect, it } from "vitest";
import { compile } from "../compiler/compile.js";
import { generateProgram } from "./gen-program.js";
import { freshBytes } from "./kara.js";
import { interleave, median } from "./stats.js";

describe("stats", () => {
  it("median of odd and even samples", () => {
    expect(median([5, 1, 3])).toBe(3);
    expect(median([4, 1, 3, 2])).toBe(2.5);
    expect(median([])).toBeNaN();
  });

  it("interleave warms every variant once, then alternates the order each round", async () => {
    const calls: string[] = [];
    const s = await interleave(3, { a: () => (calls.push("a"), 1), b: () => (calls.push("b"), 2) });
    expect(calls).toEqual(["a", "b", "a", "b", "b", "a", "a", "b"]);
    expect(s).toEqual({ a: [1, 1, 1], b: [2, 2, 2] });
  });
});

describe("generated programs", () => {
  it("compile cleanly and have about the requested length", async () => {
    for (const lines of [400, 1000]) {
      const source = generateProgram(lines);
      const n = source.split("\n").length - 1;
      expect(Math.abs(n - lines) / lines).toBeLessThan(0.1);
      const r = await compile(source, { fileName: "generated.kara" });
      expect(r.diagnostics.filter((d) => d.severity === "error")).toEqual([]);
      expect(r.ok).toBe(true);
    }
  });
});

describe("freshBytes", () => {
  it("gives a valid module with different bytes each time", async () => {
    const r = await compile("fn main() {\n    println(1);\n}\n", { fileName: "one.kara" });
    const a = freshBytes(r.wasm!);
    const b = freshBytes(r.wasm!);
    expect(Buffer.from(a).equals(Buffer.from(b))).toBe(false);
    expect(WebAssembly.validate(a as BufferSource)).toBe(true);
    expect(WebAssembly.validate(b as BufferSource)).toBe(true);
  });
});

// Stage-1 contract: the chapter programs compile and print exactly their expected output.

import { readFileSync, readdirSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { build, run, runWasm } from "./test/pipeline.js";

const dir = new URL("../../examples/chapter/", import.meta.url);
const files = readdirSync(dir).filter((f) => f.endsWith(".kara"));

describe("chapter programs under the sequential test host", () => {
  it("finds the chapter programs", () => {
    expect(files.length).toBeGreaterThanOrEqual(4);
  });
  for (const f of files) {
    const src = readFileSync(new URL(f, dir), "utf8");
    const expected = readFileSync(new URL(f.replace(/\.kara$/, ".out"), dir), "utf8");
    it(`${f} prints its expected output`, () => {
      const r = run(src, { fileName: f });
      expect(r.stdout).toBe(expected);
      expect(r.exitCode).toBe(0);
    });
    it(`${f} prints its expected output at optimisation level 2`, () => {
      const r = run(src, { fileName: f, optimize: 2 });
      expect(r.stdout).toBe(expected);
    });
    it(`${f} prints the same output when tasks run in shuffled orders`, () => {
      const wasm = build(src, { fileName: f });
      for (const seed of [1, 7, 42]) {
        const r = runWasm(wasm, { shuffleSeed: seed });
        expect(r.stdout).toBe(expected);
      }
    });
  }
});

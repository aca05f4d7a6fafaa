import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { compile } from "../compiler/compile.js";
import type { SiteTable } from "../compiler/abi.js";
import { customSection, functionAtLine, rangesOfLine, segmentAt, sourceFunctions, watFunctionAt, watFunctions, watLocations, watSegments } from "./wasm-map.js";

/** A module with one custom section, built by hand. */
function moduleWith(name: string, payload: string): Uint8Array {
  const enc = new TextEncoder();
  const nameBytes = enc.encode(name);
  const body = [nameBytes.length, ...nameBytes, ...enc.encode(payload)];
  const size = body.length;
  const leb = size < 128 ? [size] : [(size & 0x7f) | 0x80, size >> 7];
  return new Uint8Array([0, 0x61, 0x73, 0x6d, 1, 0, 0, 0, 1, 1, 0, 0, ...leb, ...body]);
}

const source = [
  "fn work(n: i64) -> i64 {", // 1
  '    let s = "}{";', // 2
  "    n * 2 // }", // 3
  "}", // 4
  "", // 5
  "fn main() {", // 6
  "    par {", // 7
  "        let a = work(1);", // 8
  "        let b = work(2);", // 9
  "    }", // 10
  "    println(a + b);", // 11
  "}", // 12
].join("\n");

const table = {
  functions: { "f0:work": ["work", 1], "f1:main": ["main", 6], "f2:main$par1": ["main", 8], "f3:main$par2": ["main", 9], __main_task: ["main", 6] },
  table: [],
} as { functions: Record<string, [string, number]>; table: string[] };

describe("wasm map", () => {
  it("reads a custom section from the module's bytes", () => {
    const bytes = moduleWith("kara.sites", '{"x":1}');
    expect(new TextDecoder().decode(customSection(bytes, "kara.sites"))).toBe('{"x":1}');
    expect(customSection(bytes, "other")).toBeUndefined();
    expect(customSection(new Uint8Array([1, 2]), "kara.sites")).toBeUndefined();
  });

  it("gives declared functions their body's lines and lifted ones their own line", () => {
    const fns = sourceFunctions(table, source);
    expect(fns.map((f) => [f.symbol, f.line, f.endLine])).toEqual([
      ["f0:work", 1, 4],
      ["f1:main", 6, 12],
      ["f2:main$par1", 8, 8],
      ["f3:main$par2", 9, 9],
    ]);
    expect(functionAtLine(fns, 3)?.symbol).toBe("f0:work");
    expect(functionAtLine(fns, 9)?.symbol).toBe("f3:main$par2");
    expect(functionAtLine(fns, 10)?.symbol).toBe("f1:main");
    expect(functionAtLine(fns, 5)).toBeUndefined();
  });

  it("in a program of several files, measures each function in its own file and matches lines per file", () => {
    const files: Record<string, string> = { "main.kara": "fn main() {\n    println(twice(2));\n}\n", "util.kara": "// twice\nfn twice(x: i64) -> i64 {\n    let y = x;\n    y * 2\n}\n" };
    const several = { functions: { "f0:main": ["main", 1, "main.kara"], "f1:twice": ["twice", 2, "util.kara"] }, table: [] } as SiteTable;
    const fns = sourceFunctions(several, (name) => files[name]);
    expect(fns.map((f) => [f.symbol, f.file, f.line, f.endLine])).toEqual([
      ["f0:main", "main.kara", 1, 3],
      ["f1:twice", "util.kara", 2, 5],
    ]);
    expect(functionAtLine(fns, 2, "main.kara")?.symbol).toBe("f0:main");
    expect(functionAtLine(fns, 2, "util.kara")?.symbol).toBe("f1:twice");
    expect(functionAtLine(fns, 4, "main.kara")).toBeUndefined();
    const wat = ["(func $f0:main", " ;;@ main.kara:2:5", " (call $f1:twice)", ")", "(func $f1:twice", " ;;@ util.kara:2:1", " (nop)", ")"].join("\n");
    const segments = watSegments(watLocations(wat));
    expect(rangesOfLine(segments, wat, 2, "util.kara").map((r) => wat.slice(r.from, r.to))).toEqual(["(nop)"]);
    expect(rangesOfLine(segments, wat, 2, "main.kara").map((r) => wat.slice(r.from, r.to))).toEqual(["(call $f1:twice)"]);
    expect(rangesOfLine(segments, wat, 2)).toHaveLength(2);
  });

  it("finds each function's text and the function at an offset", () => {
    const wat = ['(module', ' (import "kara" "write" (func $host_write (param i32)))', " (func $f0:work (param $0 i64) (result i64)", "  (local.get $0)", " )", " (func $f1:main", "  (nop)", " )", " (export \"x\" (func $f1:main))", ")"].join("\n");
    const fns = watFunctions(wat);
    expect(fns.map((f) => [f.symbol, f.line])).toEqual([
      ["f0:work", 3],
      ["f1:main", 6],
    ]);
    expect(wat.slice(fns[1].from, fns[1].to)).toBe("(func $f1:main\n  (nop)\n )");
    expect(watFunctionAt(fns, wat.indexOf("local.get"))?.symbol).toBe("f0:work");
    expect(watFunctionAt(fns, wat.indexOf("export"))).toBeUndefined();
  });
});

describe("source lines in the wasm text", () => {
  const program = readFileSync(new URL("../examples/chapter/par_heavy.kara", import.meta.url), "utf8");
  const programLines = program.split("\n");
  const lineOf = (text: string): number => programLines.findIndex((l) => l.includes(text)) + 1;

  it("reads the position of each statement, covering the whole expression printed after it", async () => {
    const result = await compile(program, { emitText: true });
    const wat = result.wat!;
    const locations = watLocations(wat);
    const lines = new Set(locations.map((l) => l.line));
    for (const text of ["let mut acc", "while i < rounds", "acc = (acc * 7", "i = i + 1", "let a = work", "println(a)"]) expect(lines).toContain(lineOf(text));
    for (const l of locations) {
      expect(wat[l.from]).toBe("(");
      expect(wat[l.to - 1]).toBe(")");
      expect(programLines[l.line - 1].slice(l.column - 1)).toMatch(/^\S/); // a statement starts there
    }
  });

  it("gives a line of a function body a part of that function's text, and finds the line back", async () => {
    const wat = (await compile(program, { emitText: true })).wat!;
    const segments = watSegments(watLocations(wat));
    const work = watFunctions(wat).find((f) => f.symbol.endsWith(":work"))!;
    const step = rangesOfLine(segments, wat, lineOf("acc = (acc * 7"));
    expect(step.length).toBeGreaterThan(0);
    for (const r of step) {
      expect(r.from).toBeGreaterThan(work.from);
      expect(r.to).toBeLessThan(work.to);
    }
    const text = step.map((r) => wat.slice(r.from, r.to)).join("");
    expect(text).toMatch(/i64\.mul|ck_mul_i64/);
    // The loop holds the step, but the step's instructions are the step's own, not the loop's.
    const loop = rangesOfLine(segments, wat, lineOf("while i < rounds"));
    for (const r of step) for (const l of loop) expect(r.to <= l.from || r.from >= l.to).toBe(true);
    const mul = wat.indexOf("i64.mul", step[0].from);
    expect(segmentAt(segments, mul)?.line).toBe(lineOf("acc = (acc * 7"));
    expect(segmentAt(segments, work.from)).toBeUndefined(); // the function's header has no statement
  });

  it("records positions only when the text is asked for, and they survive optimisation", async () => {
    const plain = await compile(program, {});
    const withText = await compile(program, { emitText: true });
    expect(plain.wat).toBeUndefined();
    expect(withText.wasm).toEqual(plain.wasm);
    const optimised = (await compile(program, { emitText: true, optimize: 2 })).wat!;
    expect(watLocations(optimised).map((l) => l.line)).toContain(lineOf("while i < rounds"));
  });
});

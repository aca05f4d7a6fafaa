import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { describe, expect, it } from "vitest";
import { splitBinaryen } from "./binaryen-wasm.js";

const binaryenSource = readFileSync(createRequire(import.meta.url).resolve("binaryen"), "utf8");

describe("splitting Binaryen's embedded wasm out of its module", () => {
  const split = splitBinaryen(binaryenSource);

  it("finds the embedded module and decodes it to valid wasm", () => {
    expect(split).toBeDefined();
    const wasm = split!.wasm;
    expect(Array.from(wasm.subarray(0, 8))).toEqual([0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00]);
    expect(wasm.length).toBeGreaterThan(1_000_000);
    expect(WebAssembly.validate(wasm)).toBe(true);
  });

  it("leaves a module that is small and loads through the instantiateWasm hook", async () => {
    const code = split!.code(
      "(imports, receive) => { WebAssembly.instantiate(globalThis.__binaryenTestWasm, imports).then((r) => receive(r.instance, r.module)); return {}; }",
    );
    expect(code.length).toBeLessThan(binaryenSource.length / 10);
    expect(code).not.toContain("\\0asm");
    const dir = mkdtempSync(join(tmpdir(), "binaryen-split-"));
    try {
      const file = join(dir, "binaryen.mjs");
      writeFileSync(file, code);
      (globalThis as { __binaryenTestWasm?: Uint8Array }).__binaryenTestWasm = split!.wasm;
      const binaryen = (await import(pathToFileURL(file).href)).default as typeof import("binaryen").default;
      // Build, validate and serialise a small module: the wasm behind the JavaScript really works.
      const m = new binaryen.Module();
      m.addFunction("add", binaryen.createType([binaryen.i32, binaryen.i32]), binaryen.i32, [], m.i32.add(m.local.get(0, binaryen.i32), m.local.get(1, binaryen.i32)));
      m.addFunctionExport("add", "add");
      expect(m.validate()).toBeTruthy();
      const bytes = m.emitBinary();
      m.dispose();
      const { instance } = await WebAssembly.instantiate(new Uint8Array(bytes));
      expect((instance.exports.add as (a: number, b: number) => number)(40, 2)).toBe(42);
    } finally {
      delete (globalThis as { __binaryenTestWasm?: Uint8Array }).__binaryenTestWasm;
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it("declines a module of another shape instead of guessing", () => {
    expect(splitBinaryen("export default 1;")).toBeUndefined();
    // A literal but no factory call to hook into.
    expect(splitBinaryen("var b; b??=d(`\\0asm\\x01\\0\\0\\0`);")).toBeUndefined();
    // Two factory calls: ambiguous.
    expect(splitBinaryen("var b; b??=d(`\\0asm\\x01\\0\\0\\0`); var x=await f(), y=await g();")).toBeUndefined();
  });

  it("accepts the smallest well-formed shape and rewires its factory call", () => {
    const tiny = splitBinaryen("var b; b??=d(`\\0asm\\x01\\0\\0\\0`); var x=await f(),y=x;");
    expect(Array.from(tiny!.wasm)).toEqual([0, 0x61, 0x73, 0x6d, 1, 0, 0, 0]);
    expect(tiny!.code("HOOK")).toBe("var b; b??=d(``); var x=await f({instantiateWasm:HOOK}),y=x;");
  });
});

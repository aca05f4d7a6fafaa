// compile()'s code-generation seam, which the CLI uses to generate on its own thread: analyses
// alone never ask for a generator, and a supplied one produces the module.

import { describe, expect, it } from "vitest";
import { compile, type CodeGenerator } from "../compiler/compile.js";
import { generate } from "../compiler/codegen/index.js";
import type { TProgram } from "../compiler/tir/nodes.js";

const HELLO = 'fn main() {\n    println("hello");\n}\n';

describe("compile() with a supplied code generator", () => {
  it("checkOnly never creates one", async () => {
    let created = 0;
    const result = await compile(HELLO, { checkOnly: true }, () => {
      created++;
      return { ready: Promise.resolve(), generate };
    });
    expect(created).toBe(0);
    expect(result.diagnostics).toEqual([]);
    expect(result.wasm).toBeUndefined();
    expect(result.timings.map((t) => t.phase)).toEqual(["parse", "check", "effects", "concurrency"]);
  });

  it("hands it the lowered program once loaded, and returns the module it made", async () => {
    const seen: TProgram[] = [];
    let loaded = false;
    const generator: CodeGenerator = {
      ready: new Promise<void>((resolve) => setTimeout(() => ((loaded = true), resolve()), 20)),
      generate: (program, options) => {
        expect(loaded).toBe(true);
        seen.push(program);
        return generate(structuredClone(program), options);
      },
    };
    const viaSeam = await compile(HELLO, { fileName: "hello.kara" }, () => generator);
    const inThread = await compile(HELLO, { fileName: "hello.kara" });
    expect(seen).toHaveLength(1);
    expect(seen[0].functions[seen[0].main!].name).toBe("main");
    expect(viaSeam.ok).toBe(true);
    expect(viaSeam.wasm).toEqual(inThread.wasm);
    expect(viaSeam.timings.map((t) => t.phase)).toEqual(["parse", "check", "effects", "concurrency", "codegen", "emit"]);
  });

  it("reports a generator that cannot load as an internal error in codegen", async () => {
    const failing = (): CodeGenerator => {
      const ready = Promise.reject(new Error("Cannot find module 'binaryen'"));
      return { ready, generate };
    };
    const result = await compile(HELLO, {}, failing);
    expect(result.ok).toBe(false);
    expect(result.diagnostics.map((d) => [d.code, d.phase, d.message])).toEqual([["E9999", "codegen", "internal compiler error in codegen: Cannot find module 'binaryen'"]]);
  });
});

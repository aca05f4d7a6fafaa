// The module shape promised by compiler/abi.ts: imports, exports, memory, features,
// passive data, no wasm-side waiting; plus emitText and the optimisation levels.

import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { EXPORTS, HOST_IMPORTS, HOST_MODULE, MEMORY_MAX_PAGES, MEMORY_MIN_PAGES, MEMORY_MODULE, MEMORY_NAME } from "../abi.js";
import { compileSource, run } from "./test/pipeline.js";

const counter = readFileSync(new URL("../../examples/chapter/par_counter.kara", import.meta.url), "utf8");

describe("module shape", () => {
  const g = compileSource(counter, { emitText: true });
  const mod = new WebAssembly.Module(g.wasm! as unknown as BufferSource);

  it("imports exactly the shared memory and the host functions of the ABI", () => {
    const imports = WebAssembly.Module.imports(mod);
    const mem = imports.filter((i) => i.kind === "memory");
    expect(mem).toEqual([{ module: MEMORY_MODULE, name: MEMORY_NAME, kind: "memory" }]);
    const fns = imports.filter((i) => i.kind === "function");
    for (const f of fns) {
      expect(f.module).toBe(HOST_MODULE);
      expect(Object.keys(HOST_IMPORTS)).toContain(f.name);
    }
    expect(fns.map((f) => f.name).sort()).toEqual(Object.keys(HOST_IMPORTS).sort());
  });

  it("declares the memory shared with the ABI limits", () => {
    expect(g.wat).toMatch(new RegExp(`\\(import "env" "memory" \\(memory \\$\\S+ ${MEMORY_MIN_PAGES} ${MEMORY_MAX_PAGES} shared\\)\\)`));
  });

  it("exports __init, __main and __run_task", () => {
    const names = WebAssembly.Module.exports(mod).map((e) => e.name);
    for (const n of Object.values(EXPORTS)) expect(names).toContain(n);
  });

  it("keeps data in a passive segment and never waits inside wasm", () => {
    expect(g.wat).toMatch(/\(data \$data "/);
    expect(g.wat).not.toMatch(/\(data \$data \(i32\.const/);
    expect(g.wat).toContain("memory.init");
    expect(g.wat).not.toContain("memory.atomic.wait");
    expect(g.wat).toContain("i64.atomic.rmw.add");
  });

  it("validates and runs identically at optimisation levels 1 to 4", () => {
    for (const level of [1, 2, 3, 4]) {
      const r = run(counter, { optimize: level });
      expect(r.stdout).toBe("3\n");
    }
  });
});

describe("diagnostics instead of crashes", () => {
  it("reports a codegen diagnostic for an unsupported construct, never throws", async () => {
    const { generate } = await import("./index.js");
    const bogus = { file: "x", functions: [], main: 0, structs: new Map(), enums: new Map(), globals: [], resources: [], verbs: [], effectGroups: [] };
    const r = generate(bogus, { fileName: "x.kara" });
    expect(r.wasm).toBeUndefined();
    expect(r.diagnostics).toHaveLength(1);
    expect(r.diagnostics[0].phase).toBe("codegen");
  });
});

describe("optimised builds", () => {
  it("keep unsigned loads unsigned (Binaryen folds extend(load) by the load's sign flag)", () => {
    const src = readFileSync(new URL("./test/programs/unsigned_loads.kara", import.meta.url), "utf8");
    const expected = readFileSync(new URL("./test/programs/unsigned_loads.out", import.meta.url), "utf8");
    for (const level of [0, 1, 2, 3]) expect(run(src, { optimize: level }).stdout).toBe(expected);
  });
});

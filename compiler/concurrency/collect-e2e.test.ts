// Order-free collect fan-outs on the real worker pool: the corpus programs print exactly their
// expected output with automatic parallelisation on and off, on one and two workers, and the
// fanned-out loops run as chunk tasks.

import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { readFileSync } from "node:fs";
import type { Runner, TraceTask } from "../../wasm-runtime/api.js";
import { createNodeRunner } from "../../wasm-runtime/node.js";
import { generate } from "../codegen/index.js";
import { analyzeEffects } from "../effects/index.js";
import { parallelize } from "./index.js";
import { COLLECT_CHUNKS } from "./collect-lowering.js";
import type { FunctionReport } from "./report.js";
import { checked } from "./testutil.js";

let runner: Runner;
beforeAll(() => {
  runner = createNodeRunner(2);
});
afterAll(() => runner.dispose());

function build(src: string, autoPar: boolean): { wasm: Uint8Array; reports: FunctionReport[] } {
  const program = checked(src);
  const effects = analyzeEffects(program);
  const r = parallelize(program, effects, { autoPar, strict: true });
  const g = generate(r.program, { fileName: "t.kara" });
  expect(g.diagnostics.filter((d) => d.severity === "error").map((d) => d.message)).toEqual([]);
  return { wasm: g.wasm!, reports: (r.report() as { functions: FunctionReport[] }).functions };
}

async function exec(wasm: Uint8Array, workers: number): Promise<{ out: string; status: string; tasks: TraceTask[] }> {
  let out = "";
  const r = await runner.run({ wasm, workers, trace: true, onOutput: (fd, t) => (out += fd === 1 ? t : `[${fd}]${t}`), timeoutMs: 60_000 });
  return { out, status: r.status, tasks: r.trace?.tasks ?? [] };
}

const corpus = (name: string) => ({
  src: readFileSync(new URL(`../tests/programs/concurrency/${name}.kara`, import.meta.url), "utf8"),
  expected: readFileSync(new URL(`../tests/programs/concurrency/${name}.out`, import.meta.url), "utf8"),
});

describe("order-free collect fan-out end to end", () => {
  it("collects in iteration order with auto-par on and off, on 1 and 2 workers", async () => {
    const { src, expected } = corpus("order_free_collect");
    const on = build(src, true);
    const off = build(src, false);
    const fanned = on.reports.flatMap((r) => r.loop_reductions.filter((l) => l.op === "collect" && l.fanned_out).map((l) => `${r.function}:${l.accumulator}`));
    expect(fanned).toEqual(["append_squares:out", "main:table", "main:names", "main:pairs", "main:points", "main:row"]);
    for (const workers of [1, 2]) {
      const s = await exec(off.wasm, workers);
      expect(s.status).toBe("ok");
      expect(s.out).toBe(expected);
      expect(s.tasks.filter((t) => t.kind === "reduce")).toEqual([]);
      const p = await exec(on.wasm, workers);
      expect(p.status).toBe("ok");
      expect(p.out).toBe(expected);
      // Every fanned-out run of a loop is a set of chunk tasks (the first runs inline on the forking worker).
      expect(p.tasks.filter((t) => t.kind === "reduce").length).toBeGreaterThanOrEqual(8 * (COLLECT_CHUNKS - 1));
    }
  });

  it("runs declined loops sequentially with the same output", async () => {
    const { src, expected } = corpus("order_free_declined");
    const on = build(src, true);
    expect(on.reports.find((r) => r.function === "main")!.declined_par_loops.length).toBe(5);
    const off = build(src, false);
    for (const workers of [1, 2]) {
      for (const b of [on, off]) {
        const r = await exec(b.wasm, workers);
        expect(r.status).toBe("ok");
        expect(r.out).toBe(expected);
        expect(r.tasks.filter((t) => t.kind === "reduce")).toEqual([]);
      }
    }
  });
});

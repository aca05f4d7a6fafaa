// Disjoint-write fan-outs on the real worker pool: the image example and loops of every proven
// shape print exactly what the sequential build prints, on any number of workers, run after run.

import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { readFileSync } from "node:fs";
import type { Runner, TraceTask } from "../../wasm-runtime/api.js";
import { createNodeRunner } from "../../wasm-runtime/node.js";
import { generate } from "../codegen/index.js";
import { analyzeEffects } from "../effects/index.js";
import { parallelize } from "./index.js";
import { DISJOINT_CHUNKS } from "./disjoint-lowering.js";
import type { DisjointWriteLoop } from "./disjoint-writes.js";
import { checked } from "./testutil.js";

let runner: Runner;
beforeAll(() => {
  runner = createNodeRunner(4);
});
afterAll(() => runner.dispose());

function build(src: string, autoPar: boolean): { wasm: Uint8Array; loops: DisjointWriteLoop[] } {
  const program = checked(src);
  const effects = analyzeEffects(program);
  const r = parallelize(program, effects, { autoPar, strict: true });
  const g = generate(r.program, { fileName: "t.kara" });
  expect(g.diagnostics.filter((d) => d.severity === "error").map((d) => d.message)).toEqual([]);
  const loops = (r.report() as { functions: { disjoint_write_loops: DisjointWriteLoop[] }[] }).functions.flatMap((f) => f.disjoint_write_loops);
  return { wasm: g.wasm!, loops };
}

async function exec(wasm: Uint8Array, workers: number): Promise<{ out: string; status: string; tasks: TraceTask[] }> {
  let out = "";
  const r = await runner.run({ wasm, workers, trace: true, onOutput: (fd, t) => (out += fd === 1 ? t : `[${fd}]${t}`), timeoutMs: 60_000 });
  return { out, status: r.status, tasks: r.trace?.tasks ?? [] };
}

const chunkTasks = (tasks: TraceTask[]) => tasks.filter((t) => t.kind === "reduce");

describe("disjoint-write fan-out end to end", () => {
  it("renders the image example in parallel exactly as the sequential build does", async () => {
    const src = readFileSync(new URL("../../examples/playground/auto_par_image.kara", import.meta.url), "utf8");
    const expected = readFileSync(new URL("../../examples/playground/auto_par_image.out", import.meta.url), "utf8");
    const seq = build(src, false);
    const par = build(src, true);
    expect(par.loops.filter((l) => l.fanned_out).map((l) => l.loop_var)).toEqual(["row"]);
    const s = await exec(seq.wasm, 2);
    expect(s.status).toBe("ok");
    expect(s.out).toBe(expected);
    expect(chunkTasks(s.tasks)).toEqual([]);
    for (const workers of [1, 2, 4]) {
      const p = await exec(par.wasm, workers);
      expect(p.status).toBe("ok");
      expect(p.out).toBe(expected);
      // Every chunk is a task of the fan-out (the first runs inline on the forking worker).
      expect(chunkTasks(p.tasks).length).toBeGreaterThanOrEqual(DISJOINT_CHUNKS - 1);
    }
  });

  it("writes through a `mut ref` parameter and declines field paths", async () => {
    const source = `
fn heavy(v: i64) -> i64 {
    let mut x = v;
    let mut k = 0;
    while k < 40 {
        x = (x * 31 + k) % 1000003;
        k = k + 1;
    }
    x
}
fn fill(out: mut ref Vec[i64], n: i64) {
    for i in 0..n { out[i] = heavy(i); }
}
struct Img { px: Vec[i64], w: i64 }
impl Img {
    fn paint(mut ref self, h: i64) {
        let w = self.w;
        for r in 0..h { for x in 0..w { self.px[r * w + x] = heavy(r * x); } }
    }
}
fn main() {
    let mut v: Vec[i64] = Vec.filled(100, 0);
    fill(mut v, 100);
    let mut img = Img { px: Vec.filled(60, 0), w: 6 };
    img.paint(10);
    let mut h = 0;
    for i in 0..100 { h = (h * 7 + v[i]) % 1000003; }
    for i in 0..60 { h = (h * 7 + img.px[i]) % 1000003; }
    println(h);
}
`;
    const seq = build(source, false);
    const par = build(source, true);
    expect(par.loops.map((l) => [l.loop_var, l.gate, l.fanned_out])).toEqual([
      ["i", "proven", true],
      ["r", "complex_write_target", false],
      ["x", "complex_write_target", false],
    ]);
    const expected = (await exec(seq.wasm, 1)).out;
    expect(expected).toMatch(/^\d+\n$/);
    for (let round = 0; round < 4; round++) {
      for (const workers of [1, 2, 4]) {
        const p = await exec(par.wasm, workers);
        expect(p.status).toBe("ok");
        expect(p.out).toBe(expected);
      }
    }
  });

  // Shapes with awkward trip counts: fewer iterations than chunks, none, a negative start (the
  // guard's sequential fallback), inclusive ranges, several targets, a base offset, nested tiles.
  const SHAPES = [
    "for i in 0..n { out[i] = heavy(i); }",
    "for i in 0..=n - 1 { out[i] = heavy(i) + 1; }",
    "for i in 0..0 { out[i] = heavy(i); }",
    "for i in -3..n - 3 { out[i + 3] = heavy(i); }",
    "for i in 2..n { out[3 * i + 1] = heavy(i); out[3 * i] = heavy(i + 1); other[i] = i; }",
    "for r in 0..n / 4 { for x in 0..4 { for c in 0..2 { out[(r * 4 + x) * 2 + c] = heavy(r + x * c); } } }",
    "for r in 0..n / 8 { for x in 0..w { out[r * w + x] = heavy(r * x); } }",
  ];
  const program = (n: number, body: string) => `
fn heavy(v: i64) -> i64 {
    let mut x = v;
    let mut k = 0;
    while k < 40 {
        x = (x * 31 + k) % 1000003;
        k = k + 1;
    }
    x
}
fn main() {
    let n = ${n};
    let w = 8;
    let mut out: Vec[i64] = Vec.filled(n * 4 + 16, 0);
    let mut other: Vec[i64] = Vec.filled(n + 1, 0);
    ${body}
    let mut h = 0;
    for i in 0..out.len() { h = (h * 131 + out[i]) % 1000000007; }
    for i in 0..other.len() { h = (h * 131 + other[i]) % 1000000007; }
    println(h);
}
`;

  for (const body of SHAPES) {
    it(`prints the sequential result under stress: ${body}`, async () => {
      for (const n of [5, 37, 200]) {
        const src = program(n, body);
        const seq = build(src, false);
        const par = build(src, true);
        expect(par.loops.some((l) => l.fanned_out), JSON.stringify(par.loops)).toBe(true);
        const expected = (await exec(seq.wasm, 1)).out;
        expect(expected).toMatch(/^-?\d+\n$/);
        for (let round = 0; round < 4; round++) {
          for (const workers of [1, 2, 4]) {
            const p = await exec(par.wasm, workers);
            expect(p.status).toBe("ok");
            expect(p.out).toBe(expected);
          }
        }
      }
    });
  }
});

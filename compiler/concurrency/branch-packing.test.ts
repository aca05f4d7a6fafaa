// Members of a dispatched group cheaper than a fork share branches (transform.ts branchRuns):
// thousands of one-line statements become a handful of tasks, heavy members keep a branch each,
// and the program prints the same as without automatic parallelisation.

import { describe, expect, it } from "vitest";
import { generate } from "../codegen/index.js";
import { runWasm } from "../codegen/test/host.js";
import { branchRuns, MIN_BRANCH_COST } from "./transform.js";
import { UNKNOWN_COST } from "./cost.js";
import { run } from "./testutil.js";

const branchesOf = (src: string) => run(src).result.program.functions.filter((f) => f?.kind === "parBranch");

function outputOf(src: string, autoPar: boolean): string {
  const g = generate(run(src, autoPar).result.program, { fileName: "t.kara" });
  return runWasm(g.wasm!).stdout;
}

describe("packing cheap group members into branches", () => {
  it("packs consecutive cheap members until a run reaches the minimum, heavy members alone", () => {
    const cheap = MIN_BRANCH_COST / 4;
    expect(branchRuns([cheap, cheap, cheap, cheap, cheap])).toEqual([[0, 1, 2, 3], [4]]);
    expect(branchRuns([UNKNOWN_COST, UNKNOWN_COST])).toEqual([[0], [1]]);
    expect(branchRuns([cheap, UNKNOWN_COST, cheap, cheap])).toEqual([[0], [1], [2, 3]]);
    expect(branchRuns([MIN_BRANCH_COST, 1, 1])).toEqual([[0], [1, 2]]);
  });

  it("a long run of one-line lets becomes a few branches and prints the same", () => {
    const n = 3000;
    const lets = Array.from({ length: n }, (_, i) => `    let v${i} = x * ${i} + ${i % 7};`).join("\n");
    const src = `fn main() {\n    let x = 3;\n${lets}\n    println(v0 + v${n - 1} + v${n >> 1});\n}\n`;
    const branches = branchesOf(src);
    expect(branches.length).toBeGreaterThanOrEqual(2);
    expect(branches.length).toBeLessThan(n / 50);
    expect(outputOf(src, true)).toBe(outputOf(src, false));
    expect(outputOf(src, true)).toBe(`${0 + 0 + (3 * (n - 1) + ((n - 1) % 7)) + (3 * (n >> 1) + ((n >> 1) % 7))}\n`);
  });

  it("heavy statements keep a branch each", () => {
    const src = `fn spin(n: i64) -> i64 {
    let mut acc = 0;
    let mut i = 0;
    while i < n { acc = (acc * 31 + i) % 1000003; i = i + 1; }
    acc
}

fn main() {
    let a = spin(100000);
    let b = spin(200000);
    let c = spin(300000);
    println(a + b + c);
}
`;
    expect(branchesOf(src)).toHaveLength(3);
    expect(outputOf(src, true)).toBe(outputOf(src, false));
  });
});

import { describe, expect, it } from "vitest";
import { analyze, inferredOf } from "./testing.js";

/**
 * A generated program of about 2 000 lines: resource leaves, long call chains between them, and
 * rings of mutually recursive functions hanging off the chains.
 */
function generate(chains: number, depth: number, ring: number): string {
  const out: string[] = [];
  for (let c = 0; c < chains; c++) out.push(`effect resource R${c};`);
  for (let c = 0; c < chains; c++) {
    out.push(`fn leaf_${c}(x: i64) -> i64 with reads(R${c}) {`, `    x + ${c}`, `}`);
    for (let d = 0; d < depth; d++) {
      const callee = d === 0 ? `leaf_${c}` : `chain_${c}_${d - 1}`;
      // every 7th link divides (panics); every link also enters the ring below it
      const op = d % 7 === 3 ? " / 2" : " + 1";
      out.push(`fn chain_${c}_${d}(x: i64) -> i64 {`, `    let y = ${callee}(x)${op};`, `    if y > 1000000 { ring_${c}_${d % ring}(y) } else { y }`, `}`);
    }
    for (let r = 0; r < ring; r++) {
      const next = `ring_${c}_${(r + 1) % ring}`;
      out.push(`fn ring_${c}_${r}(n: i64) -> i64 {`, `    if n <= 0 { 0 } else { ${next}(n - 1) }`, `}`);
    }
  }
  out.push("fn main() {", "    let mut total = 0;");
  for (let c = 0; c < chains; c++) out.push(`    total = total + chain_${c}_${depth - 1}(${c});`);
  out.push("    println(total);", "}");
  return out.join("\n");
}

describe("inference at scale", () => {
  it("a 2 000-line program with deep chains and recursive rings is inferred completely", () => {
    const src = generate(8, 60, 4);
    expect(src.split("\n").length).toBeGreaterThanOrEqual(2000);
    const a = analyze(src);
    expect(a.result.diagnostics.filter((d) => d.severity === "error")).toEqual([]);
    // the deepest link of each chain sees its leaf's resource and the panics of a dividing link
    for (let c = 0; c < 8; c++) expect(inferredOf(a, `chain_${c}_59`)).toEqual([`reads(R${c})`, "panics"]);
    // a chain's first link is above the leaf only
    expect(inferredOf(a, "chain_0_0")).toEqual(["reads(R0)"]);
    // every ring member ends with the same (empty) set, and each ring gets one L0002 note
    for (let r = 0; r < 4; r++) expect(inferredOf(a, `ring_3_${r}`)).toEqual([]);
    expect(a.result.diagnostics.filter((d) => d.code === "L0002")).toHaveLength(8);
    const main = inferredOf(a, "main");
    for (let c = 0; c < 8; c++) expect(main).toContain(`reads(R${c})`);
  });

  it("a ring whose member reaches a resource spreads it to every member", () => {
    const a = analyze(`
effect resource Disk;
fn touch() -> i64 with writes(Disk) { 1 }
fn a(n: i64) -> i64 { if n == 0 { 0 } else { b(n - 1) } }
fn b(n: i64) -> i64 { if n == 0 { 0 } else { c(n - 1) } }
fn c(n: i64) -> i64 { if n == 0 { touch() } else { a(n - 1) } }
fn main() { println(a(5)); }
`);
    for (const f of ["a", "b", "c", "main"]) expect(inferredOf(a, f)).toEqual(["writes(Disk)"]);
  });
});

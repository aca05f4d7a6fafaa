import { describe, expect, it } from "vitest";
import { compile } from "../compile.js";

describe("the effect phase inside compile()", () => {
  it("an effect error stops the pipeline and the effects report is still returned", async () => {
    const out = await compile(`
let mut HITS: i64 = 0;
fn hit() { HITS = HITS + 1; }
fn main() {
    par {
        hit();
        hit();
    }
    println(HITS);
}
`);
    expect(out.ok).toBe(false);
    expect(out.wasm).toBeUndefined();
    const e = out.diagnostics.filter((d) => d.phase === "effect");
    expect(e.map((d) => `${d.code}@${d.span.line}:${d.span.column}`)).toEqual(["E0408@6:9"]);
    expect(out.timings.map((t) => t.phase)).toContain("effects");
    expect(out.timings.map((t) => t.phase)).not.toContain("codegen");
    const report = out.effects as { functions: { function: string; inferred: string[] }[] };
    expect(report.functions.find((f) => f.function === "hit")?.inferred).toEqual(["reads(HITS_resource)", "writes(HITS_resource)"]);
  });
});

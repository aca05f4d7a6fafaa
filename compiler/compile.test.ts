import { describe, expect, it } from "vitest";
import { compile } from "./compile.js";

describe("compile() phase timings", () => {
  it("times Binaryen emission as its own phase, after codegen", async () => {
    const r = await compile("fn main() {\n    let v = [1, 2, 3];\n    println(v.len());\n}\n", { fileName: "t.kara" });
    expect(r.ok).toBe(true);
    expect(r.timings.map((t) => t.phase)).toEqual(["parse", "check", "effects", "concurrency", "codegen", "emit"]);
    for (const t of r.timings) expect(t.ms).toBeGreaterThanOrEqual(0);
  });

  it("reports no emit phase when checking stops the pipeline", async () => {
    const r = await compile("fn main() {\n    let x: i64 = true;\n}\n", { fileName: "t.kara" });
    expect(r.ok).toBe(false);
    expect(r.timings.map((t) => t.phase)).not.toContain("emit");
  });
});

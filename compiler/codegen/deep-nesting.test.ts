// Nesting that generated code reaches (thousands of levels) compiles through every phase and runs
// with the meaning of the short form.

import { describe, expect, it } from "vitest";
import { compile } from "../compile.js";
import { run } from "./test/pipeline.js";

const chainFn = (branches: number, value: (i: number) => string) => {
  const lines = ["fn pick(x: i64) -> i64 {", `    if x == 0 { ${value(0)} }`];
  for (let i = 1; i < branches; i++) lines.push(`    else if x == ${i} { ${value(i)} }`);
  lines.push("    else { -1 }", "}");
  return lines.join("\n");
};

describe("deep nesting", () => {
  it("a 2 000-branch `else if` chain picks the first branch whose condition holds", () => {
    const src = `${chainFn(2000, (i) => String(i * 3))}
fn main() {
    let mut total = 0;
    for i in 0..2001 { total += pick(i); }
    println(total);
    println(pick(1999));
}
`;
    let expected = -1;
    for (let i = 0; i < 2000; i++) expected += i * 3;
    expect(run(src)).toMatchObject({ stdout: `${expected}\n${1999 * 3}\n`, exitCode: 0 });
  });

  it("a 2 000-branch chain in statement position with a panicking branch panics at that branch", () => {
    const lines = ["fn main() {", "    let x = 1500;"];
    lines.push("    if x == 0 { println(0); }");
    for (let i = 1; i < 2000; i++) lines.push(i === 1500 ? `    else if x == ${i} { panic("branch ${i}"); }` : `    else if x == ${i} { println(${i}); }`);
    lines.push("}");
    const r = run(lines.join("\n") + "\n");
    expect(r.stdout).toBe(`panic at main.kara:${1500 + 3}:25 in main: branch 1500\n`);
    expect(r.exitCode).toBe(1);
  });

  it("2 000 nested parentheses", () => {
    const src = `fn main() { let a = 2; let v = ${"(".repeat(2000)}a + 1${")".repeat(2000)}; println(v); }\n`;
    expect(run(src)).toMatchObject({ stdout: "3\n", exitCode: 0 });
  });

  it("nesting past the stack is a nesting diagnostic in whichever phase runs out, never an internal error", async () => {
    for (const depth of [1200, 4000, 20000]) {
      const src = `fn main() {\n    let x = 2;\n    let v = ${"{ ".repeat(depth)}x${" }".repeat(depth)};\n    println(v);\n}\n`;
      const r = await compile(src, { fileName: "deep.kara" });
      const errors = r.diagnostics.filter((d) => d.severity === "error");
      if (r.ok) continue;
      expect(errors.length).toBeGreaterThan(0);
      for (const d of errors) expect(["E0059", "E0296"]).toContain(d.code);
    }
  });
});

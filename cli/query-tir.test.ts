// `kara query tir FILE[.kara.FN]`, in process: the checker's typed program through the readable printer.

import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { parseArgs } from "./args.js";
import { execute } from "./commands.js";

const dir = mkdtempSync(join(tmpdir(), "kara-query-tir-"));
const file = join(dir, "q.kara");
writeFileSync(file, "fn twice(x: i64) -> i64 {\n    let f = |y| y * 2;\n    f(x)\n}\nfn main() {\n    println(twice(4));\n}\n");
const bad = join(dir, "bad.kara");
writeFileSync(bad, "fn main() {\n    let x: i64 = true;\n}\n");

async function kara(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = "";
  let stderr = "";
  const code = await execute(parseArgs(args), { stdout: (t) => void (stdout += t), stderr: (t) => void (stderr += t) });
  return { code, stdout, stderr };
}

describe("kara query tir", () => {
  it("prints one function with the closure lifted out of it", async () => {
    const r = await kara(["query", "tir", `${file}.twice`]);
    expect(r.stderr).toBe("");
    expect(r.code).toBe(0);
    expect(r.stdout).toBe(
      [
        "fn twice(x#0: i64) -> i64 {",
        "    let f#1: Fn(i64) -> i64 = closure twice$closure1[];",
        "    (f#1)(x#0)",
        "} drop [f#1]",
        "",
        "closure twice$closure1(y#0: i64) -> i64 {",
        "    (y#0 * 2)",
        "}",
        "",
      ].join("\n"),
    );
  });

  it("prints the whole program, and reports a missing function or a program that does not check", async () => {
    const all = await kara(["query", "tir", file]);
    expect(all.code).toBe(0);
    expect(all.stdout).toContain("fn main() -> () {\n    @println[i64](twice(4));\n}");
    const missing = await kara(["query", "tir", `${file}.nope`]);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toBe("error: function 'nope' not found\n");
    const broken = await kara(["query", "tir", bad]);
    expect(broken.code).toBe(1);
    expect(broken.stderr).toContain("E0200");
  });
});

// Functions with more locals than a wasm engine accepts (V8: 50 000 per function) compile and
// run: locals whose lifetimes do not overlap share a slot (coalesce-locals.ts). A long function
// keeps its meaning when its locals are shared: loops carry values around their back edges,
// bindings assigned on each branch, owned values dropped, temporaries of checked arithmetic.

import { describe, expect, it } from "vitest";
import binaryen from "binaryen";
import { build, runWasm } from "./test/pipeline.js";

/** V8's limit on the locals of one function. */
const ENGINE_LOCAL_LIMIT = 50_000;

/** Largest number of locals (params and vars) of any function in the module. */
function mostLocals(wasm: Uint8Array): number {
  const m = binaryen.readBinary(wasm);
  try {
    let most = 0;
    for (let i = 0; i < m.getNumFunctions(); i++) {
      const f = binaryen.getFunctionInfo(m.getFunctionByIndex(i));
      most = Math.max(most, f.vars.length + binaryen.expandType(f.params).length);
    }
    return most;
  } finally {
    m.dispose();
  }
}

describe("functions with very many locals", () => {
  it("a main whose lets and temporaries outnumber the engine's limit compiles and runs", () => {
    // Each pair lowers to about a dozen locals (two lets and the temporaries of checked arithmetic).
    const pairs = 4_500;
    const lines = ["fn main() {", "    let mut acc: i64 = 0;"];
    let acc = 0n;
    for (let i = 0; i < pairs; i++) {
      lines.push(`    let x${i} = ${i} * 3 + acc;`, `    acc = acc + x${i} % 7;`);
      const x = BigInt(i) * 3n + acc;
      acc += x % 7n;
    }
    lines.push("    println(acc);", "}", "");
    const src = lines.join("\n");
    const wasm = build(src);
    expect(mostLocals(wasm)).toBeLessThan(ENGINE_LOCAL_LIMIT);
    expect(runWasm(wasm)).toMatchObject({ stdout: `${acc}\n`, exitCode: 0 });
  }, 120_000);

  it("keeps the meaning of loops, branch-assigned bindings and owned values when locals are shared", () => {
    // Sharing is forced on every function (threshold 0) so a program of modest length exercises it.
    const blocks = 60;
    const lines = ["fn main() {", "    let mut total: i64 = 0;", "    let mut log: Vec[String] = Vec.new();"];
    let total = 0;
    const log: string[] = [];
    for (let n = 0; n < blocks; n++) {
      const k = (n % 5) + 1;
      lines.push(
        `    let k${n}: i64 = ${k};`,
        `    let label${n} = f"b{k${n}}-${n}";`,
        `    let parity${n}: i64;`,
        `    if k${n} % 2 == 0 { parity${n} = 10; } else { parity${n} = 20; }`,
        `    let mut sum${n}: i64 = 0;`,
        `    let mut i${n}: i64 = 0;`,
        `    while i${n} < k${n} + 2 {`,
        `        let sq${n} = i${n} * i${n};`,
        `        if sq${n} > 6 { sum${n} = sum${n} + sq${n}; } else { sum${n} = sum${n} + 1; }`,
        `        i${n} = i${n} + 1;`,
        `    }`,
        `    for j${n} in 0..3 {`,
        `        let t${n} = j${n} + k${n};`,
        `        total = total + t${n};`,
        `    }`,
        `    let m${n} = match k${n} % 3 { 0 => 7, 1 => 11, _ => 13 };`,
        `    total = total + sum${n} + parity${n} + m${n};`,
        n % 3 === 0 ? `    log.push(label${n});` : `    println(label${n});`,
      );
      let sum = 0;
      for (let i = 0; i < k + 2; i++) sum += i * i > 6 ? i * i : 1;
      for (let j = 0; j < 3; j++) total += j + k;
      total += sum + (k % 2 === 0 ? 10 : 20) + [7, 11, 13][k % 3];
      if (n % 3 === 0) log.push(`b${k}-${n}`);
    }
    lines.push(`    println(f"{total} {log.len()} {log[log.len() - 1]}");`, "}", "");
    const expected = Array.from({ length: blocks }, (_, n) => (n % 3 === 0 ? [] : [`b${(n % 5) + 1}-${n}`])).flat();
    expected.push(`${total} ${log.length} ${log[log.length - 1]}`);
    const src = lines.join("\n");
    const shared = build(src, { shareLocalsAbove: 0 });
    expect(mostLocals(shared)).toBeLessThan(mostLocals(build(src, { shareLocalsAbove: Infinity })) / 4);
    expect(runWasm(shared)).toMatchObject({ stdout: expected.join("\n") + "\n", exitCode: 0 });
  }, 120_000);
});

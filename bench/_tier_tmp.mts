import v8 from "node:v8";
const { compile } = await import("../compiler/compile.js");
const { createNodeRunner } = await import("../wasm-runtime/node.js");
const { freshBytes, timeRun, emptyProgram } = await import("./kara.js");
const { expectedOutput, JS_KERNELS } = await import("./kernels.js");
const { generateProgram } = await import("./gen-program.js");
const { readFileSync } = await import("node:fs");
const med = (a: number[]) => [...a].sort((x, y) => x - y)[Math.floor(a.length / 2)];
const configs: Record<string, string> = { default: "--liftoff --wasm-dynamic-tiering", noLiftoff: "--no-liftoff --wasm-dynamic-tiering", eagerTierUp: "--liftoff --no-wasm-dynamic-tiering" };
const runner = createNodeRunner(1);
const kernels = (process.argv[2] ?? "fib,two_sum,sieve,matmul").split(",");
const wasm: Record<string, Uint8Array> = { empty: await emptyProgram() };
for (const k of kernels) { const fileName = `bench/programs/${k}.kara`; wasm[k] = (await compile(readFileSync(fileName, "utf8"), { fileName })).wasm!; }
const big = (await compile(generateProgram(10000), { fileName: "g.kara" })).wasm!;
const res: Record<string, Record<string, number[]>> = {};
const add = (c: string, k: string, v: number) => ((res[c] ??= {})[k] ??= []).push(v);
const ROUNDS = Number(process.argv[3] ?? 5);
for (let r = 0; r < ROUNDS; r++) {
  const order = r % 2 ? Object.keys(configs).reverse() : Object.keys(configs);
  for (const c of order) {
    v8.setFlagsFromString(configs[c]);
    add(c, "empty", await timeRun(runner, freshBytes(wasm.empty), 1, "0\n", "empty"));
    for (const k of kernels) add(c, k, await timeRun(runner, freshBytes(wasm[k]), 1, expectedOutput(k), k));
    const b = freshBytes(big); const t0 = performance.now(); await WebAssembly.compile(b); add(c, "compile10k", performance.now() - t0);
  }
  for (const k of kernels) { const t0 = performance.now(); JS_KERNELS[k](); add("js", k, performance.now() - t0); }
}
for (const c of Object.keys(res)) console.log(c.padEnd(12), Object.entries(res[c]).map(([k, v]) => `${k} ${med(v).toFixed(1)}`).join(" | "));
process.exit(0);

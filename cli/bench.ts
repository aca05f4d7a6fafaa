// Benchmark driver behind `npm run bench`: runtime micro-benchmarks plus every example in
// examples/chapter (compiled, checked against its .out file) on 1 and N workers.

import { mkdir, readFile, readdir, writeFile } from "node:fs/promises";
import { fileURLToPath } from "node:url";
import { formatResults, runtimeBenchmarks, type BenchResult } from "../wasm-runtime/bench.js";
import { createNodeRunner, defaultPoolSize } from "../wasm-runtime/node.js";

const root = fileURLToPath(new URL("..", import.meta.url));

async function exampleBenchmarks(workers: number, reps: number, log: (s: string) => void): Promise<BenchResult[]> {
  let compile;
  try {
    compile = (await import("../compiler/compile.js")).compile;
  } catch (e) {
    log(`examples skipped: the compiler cannot be loaded (${(e as Error).message})`);
    return [];
  }
  const dir = `${root}examples/chapter/`;
  const results: BenchResult[] = [];
  const runner = createNodeRunner(workers);
  try {
    for (const name of (await readdir(dir)).filter((f) => f.endsWith(".kara")).sort()) {
      const source = await readFile(dir + name, "utf8");
      const expected = await readFile(dir + name.replace(/\.kara$/, ".out"), "utf8").catch(() => undefined);
      const compiled = await compile(source, { fileName: `examples/chapter/${name}` });
      if (!compiled.ok || !compiled.wasm) {
        log(`${name}: does not compile (${compiled.diagnostics[0]?.message ?? "no output"})`);
        continue;
      }
      let base = 0;
      for (const w of [...new Set([1, workers])]) {
        const times: number[] = [];
        for (let i = 0; i < reps; i++) {
          let out = "";
          const r = await runner.run({ wasm: compiled.wasm, workers: w, onOutput: (_fd, t) => (out += t) });
          if (expected !== undefined && out !== expected) log(`${name}: output differs from ${name.replace(/\.kara$/, ".out")} on ${w} workers`);
          times.push(r.wallMs);
        }
        times.sort((a, b) => a - b);
        const ms = times[Math.floor(times.length / 2)];
        if (w === 1) base = ms;
        results.push({ name, workers: w, medianMs: ms, notes: { speedup: base / ms } });
      }
    }
  } finally {
    runner.dispose();
  }
  return results;
}

export async function main(argv: string[]): Promise<number> {
  const workers = Number(argv[0] ?? defaultPoolSize()) || defaultPoolSize();
  const log = (s: string) => void process.stdout.write(s + "\n");
  const runner = createNodeRunner(workers);
  let results: BenchResult[];
  try {
    results = await runtimeBenchmarks(runner);
  } finally {
    runner.dispose();
  }
  log(formatResults(results));
  const examples = await exampleBenchmarks(workers, 5, log);
  if (examples.length > 0) log(formatResults(examples));
  await mkdir(`${root}bench`, { recursive: true });
  await writeFile(`${root}bench/results.json`, JSON.stringify({ date: new Date().toISOString(), runtime: results, examples }, null, 2) + "\n");
  log("wrote bench/results.json");
  return 0;
}

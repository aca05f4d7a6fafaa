// Loop facts (compiler/codegen/lower/loop-invariants.ts: sequence headers read once per loop,
// bounds checks the loop range proves left out), measured side by side: each program of
// bench/programs is compiled with auto-par off twice, with and without the facts, and both
// modules run in this thread on the sequential test host in interleaved rounds. The figure is
// the CPU time of the run (instantiation included), which another process's load disturbs far
// less than wall time; both builds must print the same thing on every run.
//   npx tsx bench/loop-facts.ts [--rounds N] [PROGRAM… | FILE.kara…]

import { loadavg } from "node:os";
import { runWasm } from "../compiler/codegen/test/host.js";
import { buildWithCodegen } from "./kara.js";
import { median } from "./stats.js";

const DEFAULT_PROGRAMS = ["two_sum", "sieve", "matmul", "nbody", "mandelbrot"];

/** One run: its output (panic line included) and CPU milliseconds. */
function timed(wasm: Uint8Array): { out: string; cpuMs: number } {
  const c0 = process.cpuUsage();
  const r = runWasm(wasm);
  const c = process.cpuUsage(c0);
  return { out: r.stdout + (r.panic ?? ""), cpuMs: (c.user + c.system) / 1000 };
}

async function main(argv: string[]): Promise<void> {
  let rounds = 15;
  const names: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === "--rounds") rounds = Math.max(1, Number(argv[++i]) || 15);
    else names.push(argv[i]);
  }
  const load0 = loadavg()[0];
  process.stdout.write("program      CPU time: without → with loop facts\n");
  for (const name of names.length ? names : DEFAULT_PROGRAMS) {
    const builds = { without: await buildWithCodegen(name, { loopFacts: false }), with: await buildWithCodegen(name, { loopFacts: true }) };
    const expected = timed(builds.without).out;
    // Warm-up: the engine optimises each module's functions before the timed rounds.
    for (let k = 0; k < 2; k++) for (const w of [builds.without, builds.with]) timed(w);
    const times = { without: [] as number[], with: [] as number[] };
    for (let r = 0; r < rounds; r++) {
      for (const v of r % 2 === 0 ? (["without", "with"] as const) : (["with", "without"] as const)) {
        const t = timed(builds[v]);
        if (t.out !== expected) throw new Error(`${name} (${v} loop facts) printed ${JSON.stringify(t.out)}, expected ${JSON.stringify(expected)}`);
        times[v].push(t.cpuMs);
      }
    }
    const f = (xs: number[]) => `${median(xs).toFixed(1).padStart(7)} ms`;
    process.stdout.write(`${name.padEnd(12)} ${f(times.without)} → ${f(times.with)} (×${(median(times.without) / median(times.with)).toFixed(2)})\n`);
  }
  process.stdout.write(`medians of ${rounds} rounds; load average ${load0.toFixed(1)} → ${loadavg()[0].toFixed(1)}; ratio > 1: with loop facts is faster\n`);
}

await main(process.argv.slice(2));

// Inner-loop outlining (compiler/codegen/outline-loops.ts), measured side by side: each program
// of bench/programs is compiled with auto-par off (as `kara run --no-auto-par` does) twice, with
// and without outlining, and each build is run on one worker as bytes V8 has never seen (the
// first run a user gets) and again as bytes it has (code already optimised), in interleaved
// rounds. Both builds must print the same thing on every run.
//   npx tsx bench/outline.ts [--rounds N] [PROGRAM… | FILE.kara…]

import { loadavg } from "node:os";
import { createNodeRunner } from "../wasm-runtime/node.js";
import { buildWithCodegen, freshBytes, timeRun } from "./kara.js";
import { median } from "./stats.js";

const DEFAULT_PROGRAMS = ["mandelbrot", "two_sum", "sieve", "matmul", "nbody", "reduction", "fib", "strings", "map_count"];

async function main(argv: string[]): Promise<void> {
  let rounds = 5;
  const names: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === "--rounds") rounds = Math.max(1, Number(argv[++i]) || 5);
    else names.push(argv[i]);
  }
  const programs = names.length ? names : DEFAULT_PROGRAMS;
  const runner = createNodeRunner(1);
  const load0 = loadavg()[0];
  try {
    process.stdout.write("program      first run: in place → outlined       re-run: in place → outlined\n");
    for (const name of programs) {
      const builds = { inPlace: await buildWithCodegen(name, { outlineLoops: false }), outlined: await buildWithCodegen(name, { outlineLoops: true }) };
      // The build without outlining defines the expected output; the outlined one must match it.
      let expected = "";
      await runner.run({ wasm: builds.inPlace, workers: 1, onOutput: (fd, t) => void (fd === 1 && (expected += t)) });
      const times = { inPlaceFirst: [] as number[], outlinedFirst: [] as number[], inPlaceWarm: [] as number[], outlinedWarm: [] as number[] };
      for (let r = 0; r < rounds; r++) {
        const order = r % 2 === 0 ? (["inPlace", "outlined"] as const) : (["outlined", "inPlace"] as const);
        for (const v of order) times[`${v}First`].push(await timeRun(runner, freshBytes(builds[v]), 1, expected, `${name} (${v})`));
        for (const v of order) times[`${v}Warm`].push(await timeRun(runner, builds[v], 1, expected, `${name} (${v})`));
      }
      const f = (xs: number[]) => `${median(xs).toFixed(0).padStart(5)} ms`;
      const ratio = (a: number[], b: number[]) => `×${(median(a) / median(b)).toFixed(2)}`;
      process.stdout.write(
        `${name.padEnd(12)} ${f(times.inPlaceFirst)} → ${f(times.outlinedFirst)} (${ratio(times.inPlaceFirst, times.outlinedFirst)})` +
          `   ${f(times.inPlaceWarm)} → ${f(times.outlinedWarm)} (${ratio(times.inPlaceWarm, times.outlinedWarm)})\n`,
      );
    }
  } finally {
    runner.dispose();
  }
  process.stdout.write(`medians of ${rounds} rounds; load average ${load0.toFixed(1)} → ${loadavg()[0].toFixed(1)}; ratio > 1: outlined is faster\n`);
}

await main(process.argv.slice(2));

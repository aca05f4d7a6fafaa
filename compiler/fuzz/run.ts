// `npm run fuzz`: a longer fuzz campaign than the one in `npm test`.
//   npx tsx compiler/fuzz/run.ts [--seed N] [--first I] [--count N] [--seconds S] [--jobs J] [--timeout MS] [--no-minimize] [--save]
// --first I starts at input I of the seed's sequence (one shard of a longer campaign); --jobs J
// compiles J inputs at once, each in its own worker.
// --save writes each new crash, minimised, to compiler/fuzz/regressions/ and lists it in
// known-crashes.txt. Exit code 1 when a crash was found that known-crashes.txt does not list.

import { runCampaign, type Crash } from "./campaign.js";
import { loadSeeds } from "./corpus.js";
import { Sandbox } from "./sandbox.js";
import { loadKnownCrashes, loadRegressions, saveCrash } from "./regressions.js";

interface RunOptions { seed: number; first: number; count?: number; seconds?: number; jobs: number; timeoutMs: number; minimize: boolean; save: boolean }

function parse(argv: string[]): RunOptions {
  const o: RunOptions = { seed: Date.now() % 1_000_000, first: 0, jobs: 1, count: undefined, seconds: undefined, timeoutMs: 10_000, minimize: true, save: false };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const num = (): number => {
      const v = Number(argv[++i]);
      if (!Number.isFinite(v) || v < 0) throw new Error(`${a} needs a number`);
      return v;
    };
    if (a === "--seed") o.seed = num();
    else if (a === "--count") o.count = num();
    else if (a === "--first") o.first = num();
    else if (a === "--jobs") o.jobs = Math.max(1, Math.floor(num()));
    else if (a === "--seconds") o.seconds = num();
    else if (a === "--timeout") o.timeoutMs = num();
    else if (a === "--no-minimize") o.minimize = false;
    else if (a === "--save") o.save = true;
    else throw new Error(`unknown option ${a}`);
  }
  if (o.count === undefined && o.seconds === undefined) o.seconds = 120;
  return o;
}

/** Signatures of the known crashes, computed by compiling their reproductions now. */
async function knownSignatures(timeoutMs: number): Promise<Set<string>> {
  const known = await loadKnownCrashes();
  const sandbox = new Sandbox(timeoutMs);
  const sigs = new Set<string>();
  try {
    for (const r of await loadRegressions()) {
      if (!known.has(r.file)) continue;
      const o = await sandbox.judge(r.source, { autoPar: r.autoPar });
      if (o.kind === "crash" || o.kind === "hang") sigs.add(o.signature);
    }
  } finally {
    sandbox.dispose();
  }
  return sigs;
}

function show(c: Crash, isNew: boolean): string {
  const repro = (c.minimized ?? c.source).trimEnd().split("\n").map((l) => "    " + l).join("\n");
  return `${isNew ? "NEW " : "known "}${c.kind} in ${c.phase} ×${c.occurrences} (input ${c.index}, ${c.origin}${c.autoPar ? "" : ", auto-par off"})\n  ${c.message.split("\n")[0]}\n${repro}`;
}

const opts = parse(process.argv.slice(2));
const seeds = await loadSeeds();
const known = await knownSignatures(opts.timeoutMs);
console.log(`fuzz: seed ${opts.seed}, ${opts.first ? `from input ${opts.first}, ` : ""}${opts.jobs > 1 ? `${opts.jobs} jobs, ` : ""}${opts.count !== undefined ? `${opts.count} inputs` : ""}${opts.count !== undefined && opts.seconds !== undefined ? " or " : ""}${opts.seconds !== undefined ? `${opts.seconds} s` : ""}, ${seeds.length} seed programs, ${known.size} known crash kinds`);
let lastReport = performance.now();
const result = await runCampaign(seeds, {
  seed: opts.seed,
  first: opts.first,
  jobs: opts.jobs,
  count: opts.count,
  seconds: opts.seconds,
  timeoutMs: opts.timeoutMs,
  minimize: opts.minimize,
  onInput: (i) => {
    if (performance.now() - lastReport > 10_000) {
      lastReport = performance.now();
      console.log(`  … input ${i + 1}`);
    }
  },
});
let fresh = 0;
for (const c of result.crashes) {
  const isNew = !known.has(c.signature);
  if (isNew) fresh++;
  console.log(show(c, isNew));
  if (isNew && opts.save) console.log(`  saved as compiler/fuzz/regressions/${await saveCrash(c, opts.seed)}`);
}
console.log(
  `fuzz: seed ${opts.seed}, inputs ${opts.first}–${opts.first + result.inputs - 1}: ${result.inputs} inputs (${result.generated} generated, ${result.mutated} mutated, ${result.extreme} at the size limits) in ${result.seconds.toFixed(1)} s: ` +
    `${result.ok} compiled and validated, ${result.diagnostics} rejected with diagnostics, ${result.crashes.length} crash kinds (${fresh} new); median compile ${result.compileMsMedian.toFixed(1)} ms`,
);
process.exitCode = fresh > 0 ? 1 : 0;

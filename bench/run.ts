// `npm run bench`: every figure of docs/performance.md in one run, printed as one table of ratios
// and written to bench/results.json.
//   npx tsx bench/run.ts [--rounds N] [--quick] [--only parallel,overhead,sequential,compile,effects,playground,cli]
// Variants that are compared are measured in interleaved rounds (A B C A B C …) and summarised by
// medians, so the ratios hold up on a loaded machine even when the absolute times do not.

import { availableParallelism, loadavg } from "node:os";
import { writeFile } from "node:fs/promises";
import { createNodeRunner } from "../wasm-runtime/node.js";
import { ROOT } from "./kara.js";
import { measureOverheads, measureSpeedups } from "./parallel.js";
import { measureKernels } from "./sequential.js";
import { measureCompileLatency, measureEffectsVsParse, PHASES } from "./compile-latency.js";
import { measureBundle, measureFirstOutput } from "./playground.js";
import { longFunctionRows } from "./long-function.js";
import { CLI_TARGETS, measureCliStartup } from "./cli.js";
import { kib, ms, renderTable, times, type TableRow } from "./table.js";

const SECTIONS = ["parallel", "overhead", "sequential", "compile", "effects", "playground", "cli"] as const;
type Section = (typeof SECTIONS)[number];

function parseArgs(argv: string[]): { rounds: number; quick: boolean; only: Set<Section> } {
  let rounds = 7;
  let quick = false;
  let only = new Set<Section>(SECTIONS);
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === "--rounds") rounds = Math.max(1, Number(argv[++i]) || 5);
    else if (a === "--quick") quick = true;
    else if (a === "--only") {
      const names = (argv[++i] ?? "").split(",");
      for (const n of names) if (!SECTIONS.includes(n as Section)) throw new Error(`unknown section '${n}' (one of ${SECTIONS.join(", ")})`);
      only = new Set(names as Section[]);
    } else throw new Error(`unknown option '${a}'`);
  }
  if (quick) rounds = Math.min(rounds, 3);
  return { rounds, quick, only };
}

export async function main(argv: string[]): Promise<number> {
  const { rounds, quick, only } = parseArgs(argv);
  const notes: string[] = [];
  const log = (s: string): void => {
    notes.push(s);
    process.stderr.write(`bench: ${s}\n`);
  };
  const progress = (s: string): void => void process.stderr.write(`bench: ${s}…\n`);
  const started = new Date();
  const loadStart = loadavg()[0];
  const rows: TableRow[] = [];
  const results: Record<string, unknown> = {};

  const runner = createNodeRunner(2);
  try {
    if (only.has("parallel")) {
      progress("parallel speed-up");
      const speedups = await measureSpeedups(runner, rounds, log);
      results.speedup = speedups;
      for (const r of speedups) {
        rows.push({
          section: "parallel",
          measure: `${r.program} (${r.kind})`,
          figures: `seq ${ms(r.seqMs)} | 1w ${ms(r.oneWorkerMs)} | 2w ${ms(r.twoWorkersMs)}`,
          ratio:
            `2w vs 1w ${times(r.speedupVs1)}   2w vs seq ${times(r.speedupVsSeq)}${r.predicted2 ? `   predicted 2w ${times(r.predicted2.lower)}–${times(r.predicted2.upper)}` : ""}` +
            (r.othersCpus2 !== undefined ? `   other programs used ${r.othersCpus2.toFixed(2)} CPUs meanwhile` : ""),
        });
      }
    }
    if (only.has("overhead")) {
      progress("task and par overheads");
      const overheads = await measureOverheads(runner, rounds, log);
      results.overhead = overheads;
      for (const r of overheads) {
        rows.push({
          section: "overhead",
          measure: `${r.what}, ${r.workers}w`,
          figures: `${r.units} units: ${ms(r.withMs)} vs ${ms(r.baseMs)} without`,
          ratio: `${r.usPerUnit.toFixed(2)} µs/unit (target ≤ 1 µs)`,
        });
      }
    }
    if (only.has("sequential")) {
      progress("sequential kernels vs JavaScript and C");
      const kernels = await measureKernels(runner, rounds, log);
      results.sequential = kernels;
      for (const r of kernels) {
        rows.push({
          section: "sequential",
          measure: r.kernel,
          figures: `kara 1st ${ms(r.karaFirstMs)} | kara ${ms(r.karaMs)} | kara -O2 ${ms(r.karaO2Ms)} | js ${ms(r.jsMs)} | C ${ms(r.cMs)}`,
          ratio: `1st/js ${times(r.karaFirstVsJs)}   kara/js ${times(r.karaVsJs)}   -O2/js ${times(r.karaO2VsJs)}   kara/C ${times(r.karaVsC)}`,
        });
      }
    }
  } finally {
    runner.dispose();
  }

  if (only.has("compile")) {
    progress("compile latency on generated programs (1k, 10k, 50k lines)");
    const sizes = quick ? [1000, 5000, 10000] : [1000, 10000, 50000];
    const latency = await measureCompileLatency(sizes, quick ? [3, 2, 1] : [Math.max(rounds, 3), 3, 2]);
    results.compile = latency;
    for (const p of [...PHASES, "total"] as const) {
      const per = latency.sizes.map((s) => s.perKLines[p]);
      if (per.every((x) => x === undefined)) {
        rows.push({ section: "compile", measure: `${p} per 1k lines`, figures: "not timed separately by compile()", ratio: "—" });
        continue;
      }
      rows.push({
        section: "compile",
        measure: `${p} per 1k lines`,
        figures: latency.sizes.map((s) => `${s.lines} lines ${ms(s.perKLines[p])}`).join(" | "),
        ratio: latency.growth.map((g) => `${Math.round(g.lines / 1000)}k/1k ${times(g.ratios[p])}`).join("   "),
      });
    }
    progress("compile latency of one long function (1k, 10k, 50k statements)");
    const long = await longFunctionRows(quick, rounds);
    results.longFunction = long.result;
    rows.push(...long.rows);
  }
  if (only.has("effects")) {
    progress("effect inference vs parse (2 000 lines)");
    const e = await measureEffectsVsParse(2000, Math.max(rounds, 5));
    results.effectsVsParse = e;
    rows.push({ section: "effects", measure: `effect inference vs parse, ${e.lines} lines`, figures: `parse ${ms(e.parseMs)} | effects ${ms(e.effectsMs)}`, ratio: `effects/parse ${times(e.ratio)}` });
  }
  if (only.has("playground")) {
    progress("playground bundle and first output");
    const bundle = await measureBundle();
    const firstOutput = measureFirstOutput(180_000);
    results.playground = { ...bundle, firstOutput };
    if (bundle.assets.length === 0) rows.push({ section: "playground", measure: "bundle (gzip)", figures: "not measured (no dist/: run `npm run build`)", ratio: "—" });
    for (const a of bundle.assets) rows.push({ section: "playground", measure: `gzip ${a.file}`, figures: `${kib(a.bytes)} raw`, ratio: kib(a.gzipBytes) });
    if (bundle.assets.length) rows.push({ section: "playground", measure: "gzip total", figures: `built ${bundle.builtAt ?? "?"}`, ratio: kib(bundle.totalGzipBytes) });
    rows.push({
      section: "playground",
      measure: "time to first output (cold / warm)",
      figures: firstOutput.measured ? `cold ${ms(firstOutput.coldMs)} | cold, HTTP-cached ${ms(firstOutput.coldCachedMs)} | warm re-run ${ms(firstOutput.warmMs)}` : firstOutput.note,
      ratio: firstOutput.measured && firstOutput.coldMs && firstOutput.warmMs ? `cold/warm ${times(firstOutput.coldMs / firstOutput.warmMs)}` : "—",
    });
  }
  if (only.has("cli")) {
    progress("kara command start-up (whole processes)");
    const cli = await measureCliStartup(Math.max(rounds, 5));
    results.cli = cli;
    rows.push({ section: "cli", measure: "node importing Binaryen (the floor)", figures: ms(cli.floorMs), ratio: "×1.00" });
    rows.push({ section: "cli", measure: "kara run hello.kara", figures: ms(cli.runMs), ratio: `${times(cli.runVsFloor)} of floor (target ≤ ${times(CLI_TARGETS.run)})` });
    rows.push({ section: "cli", measure: "kara check hello.kara", figures: ms(cli.checkMs), ratio: `${times(cli.checkVsFloor)} of floor (target ≤ ${times(CLI_TARGETS.check)})` });
  }

  const loadEnd = loadavg()[0];
  const header =
    `Kāra bench ${started.toISOString()}: node ${process.version}, ${availableParallelism()} CPUs, load average ${loadStart.toFixed(1)} at start / ${loadEnd.toFixed(1)} at end; ` +
    `medians of ${rounds} interleaved rounds (1w/2w = workers; seq = auto-par off on 1 worker)`;
  process.stdout.write(`${header}\n\n${renderTable(rows)}\n`);
  if (notes.length) process.stdout.write(`\nnotes:\n${notes.map((n) => `  - ${n}`).join("\n")}\n`);
  const out = { date: started.toISOString(), node: process.version, cpus: availableParallelism(), loadAverage: { start: loadStart, end: loadEnd }, rounds, quick, ...results, notes, table: rows };
  await writeFile(ROOT + "bench/results.json", JSON.stringify(out, null, 2) + "\n");
  process.stdout.write("\nwrote bench/results.json\n");
  return 0;
}

process.exitCode = await main(process.argv.slice(2));

// Sequential code quality: the kernels of bench/programs compiled by us (default -O0 and
// Binaryen -O2) against the same algorithms written by hand in JavaScript on the same engine,
// and in C (`cc -O2`) when a C compiler is present.

import { execFileSync, spawnSync } from "node:child_process";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { readFile } from "node:fs/promises";
import { compile } from "../compiler/compile.js";
import type { Runner } from "../wasm-runtime/api.js";
import { emptyProgram, freshBytes, ROOT, timeRun } from "./kara.js";
import { expectedOutput, JS_KERNELS } from "./kernels.js";
import { interleave, median, ratio } from "./stats.js";

export interface KernelRow {
  kernel: string;
  /** First run of the module (bytes V8 has not compiled before), minus the fixed run cost. */
  karaFirstMs: number;
  karaFirstVsJs: number;
  /** Net run time: wall time of the run minus that of an empty program (instantiation, exit). */
  karaMs: number;
  karaO2Ms?: number;
  jsMs: number;
  cMs?: number;
  karaVsJs: number;
  karaO2VsJs?: number;
  karaVsC?: number;
  /** Median wall time of an empty program's run, subtracted from the Kāra times. */
  runOverheadMs?: number;
}

function buildC(log: (s: string) => void): string | undefined {
  const cc = process.env.CC ?? "cc";
  try {
    execFileSync(cc, ["--version"], { stdio: "ignore" });
  } catch {
    log(`C comparison not measured: no C compiler (${cc})`);
    return undefined;
  }
  const exe = mkdtempSync(`${tmpdir()}/kara-bench-`) + "/kernels";
  try {
    execFileSync(cc, ["-O2", "-o", exe, ROOT + "bench/c/kernels.c", "-lm"], { stdio: "pipe" });
    return exe;
  } catch (e) {
    log(`C comparison not measured: ${cc} -O2 failed (${(e as Error).message.split("\n")[0]})`);
    return undefined;
  }
}

function timeC(exe: string, kernel: string, expected: string): number {
  const r = spawnSync(exe, [kernel, "1"], { encoding: "utf8" });
  const [answer, ns] = r.stdout.trim().split("\n");
  if (r.status !== 0 || `${answer}\n` !== expected) throw new Error(`C ${kernel} printed ${JSON.stringify(r.stdout)}`);
  return Number(ns) / 1e6;
}

function timeJs(kernel: string, expected: string): number {
  const t0 = performance.now();
  const v = JS_KERNELS[kernel]();
  const ms = performance.now() - t0;
  if (`${v}\n` !== expected) throw new Error(`JS ${kernel} returned ${v}`);
  return ms;
}

async function compileKernel(kernel: string, optimize: 0 | 2): Promise<Uint8Array> {
  const fileName = `bench/programs/${kernel}.kara`;
  const r = await compile(await readFile(ROOT + fileName, "utf8"), { fileName, optimize });
  if (!r.wasm) throw new Error(`${fileName} does not compile at -O${optimize}: ${r.diagnostics[0]?.message ?? ""}`);
  return r.wasm;
}

export async function measureKernels(runner: Runner, rounds: number, log: (s: string) => void): Promise<KernelRow[]> {
  const exe = buildC(log);
  const empty = await emptyProgram();
  const rows: KernelRow[] = [];
  // The fixed cost of a run, pooled over every kernel's rounds, is subtracted from Kāra's times.
  const emptySamples: number[] = [];
  const emptyFirstSamples: number[] = [];
  const pending: { row: KernelRow; kara: number[]; karaFirst: number[]; karaO2?: number[] }[] = [];
  for (const kernel of Object.keys(JS_KERNELS)) {
    try {
      const expected = expectedOutput(kernel);
      const o0 = await compileKernel(kernel, 0);
      let o2: Uint8Array | undefined;
      try {
        o2 = await compileKernel(kernel, 2);
      } catch (e) {
        log(`${kernel} at -O2 not measured: ${(e as Error).message}`);
      }
      timeJs(kernel, expected); // warm the JIT once outside the samples
      const variants: Record<string, () => Promise<number> | number> = {
        empty: () => timeRun(runner, empty, 1, "0\n", "empty program"),
        emptyFirst: () => timeRun(runner, freshBytes(empty), 1, "0\n", "empty program"),
        kara: () => timeRun(runner, o0, 1, expected, kernel),
        karaFirst: () => timeRun(runner, freshBytes(o0), 1, expected, kernel),
        js: () => timeJs(kernel, expected),
      };
      if (o2) variants.karaO2 = () => timeRun(runner, o2, 1, expected, `${kernel} -O2`);
      if (exe) variants.c = () => timeC(exe, kernel, expected);
      const s = await interleave(rounds, variants);
      emptySamples.push(...s.empty);
      emptyFirstSamples.push(...s.emptyFirst);
      const row: KernelRow = { kernel, karaMs: Number.NaN, karaFirstMs: Number.NaN, karaFirstVsJs: Number.NaN, jsMs: median(s.js), karaVsJs: Number.NaN };
      if (s.c) row.cMs = median(s.c);
      pending.push({ row, kara: s.kara, karaFirst: s.karaFirst, karaO2: s.karaO2 });
    } catch (e) {
      log(`kernel ${kernel} not measured: ${(e as Error).message}`);
    }
  }
  const fixed = median(emptySamples);
  const fixedFirst = median(emptyFirstSamples);
  for (const { row, kara, karaFirst, karaO2 } of pending) {
    row.runOverheadMs = fixed;
    row.karaMs = Math.max(0, median(kara) - fixed);
    row.karaVsJs = ratio(row.karaMs, row.jsMs);
    row.karaFirstMs = Math.max(0, median(karaFirst) - fixedFirst);
    row.karaFirstVsJs = ratio(row.karaFirstMs, row.jsMs);
    if (karaO2) {
      row.karaO2Ms = Math.max(0, median(karaO2) - fixed);
      row.karaO2VsJs = ratio(row.karaO2Ms, row.jsMs);
    }
    if (row.cMs !== undefined) row.karaVsC = ratio(row.karaMs, row.cMs);
    rows.push(row);
  }
  return rows;
}

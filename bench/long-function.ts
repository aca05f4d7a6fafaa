// Compile time of one long function: `main` with N top-level statements (lets, arithmetic, prints,
// calls, Vec pushes). Every per-function analysis that compares statements pairwise shows up here
// as growth of the time per 1 000 statements; linear phases keep it flat.

import { compile } from "../compiler/compile.js";
import type { PhaseTiming } from "../compiler/api.js";
import { median, ratio } from "./stats.js";
import { ms, times, type TableRow } from "./table.js";

/** A program whose `main` has (about) `statements` top-level statements in a realistic mix. */
export function generateLongFunction(statements: number): string {
  const out = [
    "fn mix(a: i64, b: i64) -> i64 {",
    "    (a * 31 + b) % 1000003",
    "}",
    "",
    "fn main() {",
    "    let mut v: Vec[i64] = Vec.new();",
    "    let mut total = 0;",
  ];
  let emitted = 2;
  for (let k = 0; emitted < statements; k++) {
    const prev = k === 0 ? "total" : `c${k - 1}`;
    const block = [
      `    let a${k} = ${k} * 3 + 1;`,
      `    let b${k} = a${k} * a${k} - ${prev} % 7;`,
      `    let c${k} = mix(a${k}, b${k});`,
      `    v.push(c${k});`,
      `    total = total + c${k} % 100;`,
      k % 4 === 0 ? `    println(f"step ${k}: {c${k}}");` : `    let d${k} = b${k} + c${k} * 2;`,
    ];
    for (const line of block) {
      if (emitted >= statements) break;
      out.push(line);
      emitted++;
    }
  }
  out.push(`    println(f"{total} {v.len()}");`, "}", "");
  return out.join("\n");
}

export type LongPhase = PhaseTiming["phase"] | "total";

export interface LongFunctionRow {
  statements: number;
  bytes: number;
  samples: number;
  /** Median ms per 1 000 statements, per phase and in total. */
  perKStatements: Partial<Record<LongPhase, number>>;
}

export interface LongFunctionLatency {
  sizes: LongFunctionRow[];
  /**
   * One compile of a single-function program of about 5 MB (full runs only): bytes, statements, ms
   * per phase, the largest wasm function body and whether V8 compiles the module (it refuses a
   * body over 7 654 321 bytes).
   */
  fiveMB?: { bytes: number; statements: number; ms: Partial<Record<LongPhase, number>>; largestBody: number; engineAccepts: boolean };
  /** perKStatements(size) / perKStatements(smallest size): 1.0 is linear growth. */
  growth: { statements: number; ratios: Partial<Record<LongPhase, number>> }[];
}

export async function compileTimings(source: string, checkOnly = false, out?: { wasm?: Uint8Array }): Promise<Map<LongPhase, number>> {
  const r = await compile(source, { fileName: "bench/long-function.kara", checkOnly });
  const err = r.diagnostics.find((d) => d.severity === "error");
  if (err || (!checkOnly && !r.ok)) throw new Error(`long function does not compile: ${err ? `${err.code} ${err.message}` : "no wasm"}`);
  if (out) out.wasm = r.wasm;
  const m = new Map<LongPhase, number>();
  for (const t of r.timings) m.set(t.phase, (m.get(t.phase) ?? 0) + t.ms);
  m.set("total", r.timings.reduce((a, t) => a + t.ms, 0));
  return m;
}

export async function measureLongFunction(sizes: number[], rounds: number[]): Promise<LongFunctionLatency> {
  const programs = sizes.map(generateLongFunction);
  // One size at a time, each after a discarded compile of its own: interleaving sizes would charge
  // the garbage of a 50k-statement compile to the 1k one measured next.
  // The optimising JIT needs a few thousand statements' worth of work before the figures settle.
  await compileTimings(generateLongFunction(5000));
  const samples: Map<LongPhase, number>[][] = [];
  for (let i = 0; i < sizes.length; i++) {
    await compileTimings(programs[i]);
    samples.push([]);
    for (let r = 0; r < rounds[i]; r++) samples[i].push(await compileTimings(programs[i]));
  }
  const rows: LongFunctionRow[] = sizes.map((n, i) => {
    const perKStatements: LongFunctionRow["perKStatements"] = {};
    for (const p of samples[i][0].keys()) perKStatements[p] = (median(samples[i].map((m) => m.get(p) ?? 0)) * 1000) / n;
    return { statements: n, bytes: programs[i].length, samples: samples[i].length, perKStatements };
  });
  const growth = rows.slice(1).map((row) => {
    const ratios: LongFunctionRow["perKStatements"] = {};
    for (const [p, v] of Object.entries(row.perKStatements)) ratios[p as LongPhase] = ratio(v!, rows[0].perKStatements[p as LongPhase]!);
    return { statements: row.statements, ratios };
  });
  return { sizes: rows, growth };
}

/** The "long function" rows of `npm run bench`: total compile time per 1k statements, then per phase. */
export async function longFunctionRows(quick: boolean, rounds: number): Promise<{ rows: TableRow[]; result: LongFunctionLatency }> {
  const sizes = quick ? [1000, 5000, 10000] : [1000, 10000, 50000];
  const result = await measureLongFunction(sizes, quick ? [5, 2, 1] : [Math.max(rounds, 7), 3, 2]);
  const phases: LongPhase[] = ["total", "parse", "check", "effects", "concurrency", "codegen", "emit"];
  const rows = phases.map((p) => ({
    section: "compile",
    measure: p === "total" ? "long function per 1k statements" : `long function: ${p} per 1k statements`,
    figures: result.sizes.map((s) => `${s.statements / 1000}k ${ms(s.perKStatements[p])}`).join(" | "),
    ratio: result.growth.map((g) => `${g.statements / 1000}k/1k ${times(g.ratios[p])}`).join("   ") + (p === "total" ? "   (target ≤ ×1.3)" : ""),
  }));
  if (!quick) {
    // The issue's size: one compile (it takes seconds), after the sizes above have warmed the JIT.
    const statements = Math.round((5_000_000 / result.sizes[result.sizes.length - 1].bytes) * result.sizes[result.sizes.length - 1].statements);
    const source = generateLongFunction(statements);
    const out: { wasm?: Uint8Array } = {};
    const t = await compileTimings(source, false, out);
    const largestBody = largestFunctionBody(out.wasm!);
    const engineAccepts = engineCompiles(out.wasm!);
    result.fiveMB = { bytes: source.length, statements, ms: Object.fromEntries(t), largestBody, engineAccepts };
    rows.push({
      section: "compile",
      measure: `long function of ${(source.length / 1e6).toFixed(1)} MB (${Math.round(statements / 1000)}k statements)`,
      figures: phases.map((p) => `${p} ${ms(t.get(p))}`).join(" | ") + ` | largest body ${(largestBody / 1e6).toFixed(2)} MB, V8 ${engineAccepts ? "compiles it" : "refuses it"}`,
      ratio: "(target total < 10 s)",
    });
  }
  return { rows, result };
}

/** The size in bytes of the module's largest function body (its code section read directly). */
export function largestFunctionBody(wasm: Uint8Array): number {
  let p = 8;
  const leb = (): number => {
    let r = 0;
    let shift = 0;
    let x: number;
    do {
      x = wasm[p++];
      r += (x & 0x7f) * 2 ** shift;
      shift += 7;
    } while (x & 0x80);
    return r;
  };
  while (p < wasm.length) {
    const id = wasm[p++];
    const size = leb();
    if (id !== 10) {
      p += size;
      continue;
    }
    let largest = 0;
    for (let n = leb(); n > 0; n--) {
      const body = leb();
      largest = Math.max(largest, body);
      p += body;
    }
    return largest;
  }
  return 0;
}

/** Whether this engine compiles the module (V8 refuses function bodies over 7 654 321 bytes). */
function engineCompiles(wasm: Uint8Array): boolean {
  try {
    new WebAssembly.Module(wasm as BufferSource);
    return true;
  } catch {
    return false;
  }
}

// `npx tsx bench/long-function.ts [N...]`: per-phase timings of single compiles, for investigation.
if (import.meta.url === `file://${process.argv[1]}`) {
  const sizes = process.argv.slice(2).map(Number);
  for (const n of sizes.length ? sizes : [1000, 10000]) {
    const src = generateLongFunction(n);
    const t = await compileTimings(src);
    const phases = [...t.entries()].map(([p, ms]) => `${p} ${ms.toFixed(0)}`).join(" | ");
    process.stdout.write(`${n} statements (${(src.length / 1024).toFixed(0)} KiB): ${phases} ms\n`);
  }
}

// Compile latency per phase on generated programs of growing size, normalised per 1 000 lines,
// and the cost of effect inference relative to parsing.

import { compile } from "../compiler/compile.js";
import type { PhaseTiming } from "../compiler/api.js";
import { generateProgram } from "./gen-program.js";
import { interleave, median, ratio } from "./stats.js";

export const PHASES: PhaseTiming["phase"][] = ["parse", "check", "effects", "concurrency", "codegen", "emit"];

export interface SizeRow {
  lines: number;
  samples: number;
  /** Median ms per 1 000 lines for each phase; absent when compile() does not time that phase. */
  perKLines: Partial<Record<PhaseTiming["phase"] | "total", number>>;
}

export interface CompileLatency {
  sizes: SizeRow[];
  /** perKLines(size) / perKLines(smallest size), per phase: 1.0 is linear growth. */
  growth: { lines: number; ratios: Partial<Record<PhaseTiming["phase"] | "total", number>> }[];
}

async function timings(source: string): Promise<Map<string, number>> {
  const r = await compile(source, { fileName: "bench/generated.kara" });
  if (!r.ok) {
    const d = r.diagnostics.find((x) => x.severity === "error");
    throw new Error(`generated program does not compile: ${d ? `${d.code} ${d.span.line}:${d.span.column} ${d.message}` : "no wasm"}`);
  }
  const m = new Map<string, number>();
  for (const t of r.timings) m.set(t.phase, (m.get(t.phase) ?? 0) + t.ms);
  m.set("total", r.timings.reduce((a, t) => a + t.ms, 0));
  return m;
}

export async function measureCompileLatency(sizes: number[], rounds: number[]): Promise<CompileLatency> {
  const rows: SizeRow[] = [];
  const programs = sizes.map((n) => generateProgram(n));
  await timings(programs[0]); // load and warm the compiler
  const samples: Map<string, number>[][] = sizes.map(() => []);
  // Interleave sizes round by round; the largest sizes get fewer rounds.
  const maxRounds = Math.max(...rounds);
  for (let r = 0; r < maxRounds; r++) {
    for (let i = 0; i < sizes.length; i++) if (r < rounds[i]) samples[i].push(await timings(programs[i]));
  }
  for (let i = 0; i < sizes.length; i++) {
    const lines = programs[i].split("\n").length - 1;
    const perKLines: SizeRow["perKLines"] = {};
    for (const p of [...PHASES, "total"] as const) {
      if (!samples[i].every((m) => m.has(p))) continue;
      perKLines[p] = (median(samples[i].map((m) => m.get(p)!)) * 1000) / lines;
    }
    rows.push({ lines, samples: samples[i].length, perKLines });
  }
  const growth = rows.slice(1).map((row) => {
    const ratios: SizeRow["perKLines"] = {};
    for (const [p, v] of Object.entries(row.perKLines)) ratios[p as keyof typeof ratios] = ratio(v!, rows[0].perKLines[p as keyof typeof ratios]!);
    return { lines: row.lines, ratios };
  });
  return { sizes: rows, growth };
}

export interface EffectsVsParse {
  lines: number;
  parseMs: number;
  effectsMs: number;
  ratio: number;
}

export async function measureEffectsVsParse(lines: number, rounds: number): Promise<EffectsVsParse> {
  const source = generateProgram(lines);
  await timings(source);
  const parse: number[] = [];
  const effects: number[] = [];
  await interleave(rounds, {
    compile: async () => {
      const m = await timings(source);
      parse.push(m.get("parse")!);
      effects.push(m.get("effects")!);
      return 0;
    },
  });
  const parseMs = median(parse);
  const effectsMs = median(effects);
  return { lines: source.split("\n").length - 1, parseMs, effectsMs, ratio: ratio(effectsMs, parseMs) };
}

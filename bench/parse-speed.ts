// Parse speed alone: lexes and parses one generated program (bench/gen-program.ts) repeatedly and
// prints the fastest and the median time per 1 000 lines, as wall time and as CPU time of the
// process (CPU time is less disturbed by other processes on a busy machine). For profiling the
// parser: `node --cpu-prof` on an esbuild bundle of this file gives readable frames.
//
//   npx tsx bench/parse-speed.ts [LINES=10000] [ROUNDS=20]

import { parse } from "../compiler/syntax/parser.js";
import { lexWords } from "../compiler/syntax/tokens.js";
import { generateProgram } from "./gen-program.js";

const lines = Number(process.argv[2] ?? 10000);
const rounds = Number(process.argv[3] ?? 20);
const source = generateProgram(lines);
const n = source.split("\n").length - 1;
const first = parse(source, "generated.kara");
if (first.diagnostics.length) throw new Error(`generated program has syntax errors: ${first.diagnostics[0].message}`);

const cpuMs = (): number => {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
};
const samples = { lexWall: [] as number[], lexCpu: [] as number[], parseWall: [] as number[], parseCpu: [] as number[] };
for (let i = 0; i < rounds; i++) {
  let t = performance.now();
  let c = cpuMs();
  lexWords(source);
  samples.lexWall.push(performance.now() - t);
  samples.lexCpu.push(cpuMs() - c);
  t = performance.now();
  c = cpuMs();
  parse(source, "generated.kara");
  samples.parseWall.push(performance.now() - t);
  samples.parseCpu.push(cpuMs() - c);
}
const perK = (ms: number): string => ((ms * 1000) / n).toFixed(2);
const min = (a: number[]): number => Math.min(...a);
const median = (a: number[]): number => [...a].sort((x, y) => x - y)[a.length >> 1];
console.log(
  `${n} lines, ms per 1 000 lines (min / median of ${rounds}): ` +
    `lex wall ${perK(min(samples.lexWall))} / ${perK(median(samples.lexWall))}, cpu ${perK(min(samples.lexCpu))} / ${perK(median(samples.lexCpu))}; ` +
    `parse (lex included) wall ${perK(min(samples.parseWall))} / ${perK(median(samples.parseWall))}, cpu ${perK(min(samples.parseCpu))} / ${perK(median(samples.parseCpu))}`,
);

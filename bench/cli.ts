// `kara` start-up, as a user meets it: the wall time of whole processes, from spawn to exit, for
// `kara run hello.kara` and `kara check hello.kara`. Each is given as a ratio to the floor of any
// command that generates code, a Node process that only imports Binaryen, measured in the same
// interleaved rounds so machine load affects all three alike.

import { execFileSync } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { ROOT } from "./kara.js";
import { interleave, median } from "./stats.js";

const BIN = join(ROOT, "bin/kara.mjs");
const HELLO = 'fn main() {\n    println("hello");\n}\n';

/** Targets (docs/performance.md): run within 1.3× the floor, check within 0.4×. */
export const CLI_TARGETS = { run: 1.3, check: 0.4 } as const;

export interface CliStartup {
  floorMs: number;
  runMs: number;
  checkMs: number;
  runVsFloor: number;
  checkVsFloor: number;
}

function wallMs(args: string[], expected: string): () => number {
  return () => {
    const t0 = performance.now();
    const out = execFileSync(process.execPath, args, { cwd: ROOT, encoding: "utf8" });
    const elapsed = performance.now() - t0;
    if (out !== expected) throw new Error(`${args.join(" ")}: printed ${JSON.stringify(out)}, expected ${JSON.stringify(expected)}`);
    return elapsed;
  };
}

export async function measureCliStartup(rounds: number): Promise<CliStartup> {
  // `kara help` brings the build up to date first, so no round pays for a rebuild.
  execFileSync(process.execPath, [BIN, "help"], { stdio: "ignore" });
  const hello = join(mkdtempSync(join(tmpdir(), "kara-bench-cli-")), "hello.kara");
  writeFileSync(hello, HELLO);
  const samples = await interleave(rounds, {
    floor: wallMs(["--input-type=module", "-e", "await import('binaryen')"], ""),
    run: wallMs([BIN, "run", hello], "hello\n"),
    check: wallMs([BIN, "check", hello], ""),
  });
  const floorMs = median(samples.floor);
  const runMs = median(samples.run);
  const checkMs = median(samples.check);
  return { floorMs, runMs, checkMs, runVsFloor: runMs / floorMs, checkVsFloor: checkMs / floorMs };
}

// Regenerates compiler/tests/programs/pending.txt from the current compiler and runtime: every
// program is checked as the suite checks it (a pass must hold over ten runs), and each
// failure is listed with the first line of its reason. Usage: npx tsx compiler/tests/update-pending.ts

import { writeFileSync } from "node:fs";
import { createNodeRunner } from "../../wasm-runtime/node.js";
import { checkDiagnostics, checkRunConfirmed, discoverPrograms, PENDING_FILE, pendingKey, PROBE_RUNS, readPending, WORKER_COUNTS } from "./corpus.js";

const HEADER = [
  "# Corpus programs that do not pass yet, one per line: `path[@workers]  # first failure`.",
  "# `@N` narrows an entry to one worker count. The suite asserts that each listed program still",
  "# fails, so a program that starts passing must be removed. Regenerate the whole list with:",
  "#   npx tsx compiler/tests/update-pending.ts",
  "# Entries whose reason starts with `intermittent` were added by hand for failures that ten",
  "# runs may not reproduce; regeneration keeps them, and the suite says when they are fixed.",
  "",
];

const INTERMITTENT = "intermittent";

async function main(): Promise<void> {
  const programs = discoverPrograms();
  const known = new Set(programs.map((p) => p.path));
  // Hand-listed intermittent failures stay until the suite sees them pass thirty runs in a row.
  const kept = [...readPending()].filter(([key, reason]) => reason.startsWith(INTERMITTENT) && known.has(key.replace(/@\d+$/, "")));
  const keptKeys = new Set(kept.map(([key]) => key));
  const runner = createNodeRunner(Math.max(...WORKER_COUNTS));
  const lines: string[] = kept.map(([key, reason]) => `${key}  # ${reason}`);
  let passing = 0;
  try {
    for (const entry of programs) {
      if (entry.kind === "diag") {
        const v = await checkDiagnostics(entry);
        if (v.pass) passing++;
        else lines.push(`${entry.path}  # ${v.reason}`);
        continue;
      }
      const failures: { workers: number; reason: string }[] = [];
      for (const workers of WORKER_COUNTS) {
        // Repeated runs catch programs that pass only when a race goes their way.
        const v = await checkRunConfirmed(entry, runner, workers, PROBE_RUNS);
        if (!v.pass) failures.push({ workers, reason: v.reason });
      }
      const fresh = failures.filter((f) => !keptKeys.has(entry.path) && !keptKeys.has(pendingKey(entry.path, f.workers)));
      if (failures.length === 0) passing++;
      else if (fresh.length === WORKER_COUNTS.length) lines.push(`${entry.path}  # ${fresh[0].reason}`);
      else for (const f of fresh) lines.push(`${pendingKey(entry.path, f.workers)}  # ${f.reason}`);
    }
  } finally {
    runner.dispose();
  }
  // One line per entry: a reason never spans lines.
  const body = lines.map((l) => l.replace(/[\r\n]+/g, " ")).sort();
  writeFileSync(PENDING_FILE, HEADER.join("\n") + body.join("\n") + (body.length ? "\n" : ""));
  console.log(`${programs.length} programs: ${passing} pass, ${body.length} pending entries written to ${PENDING_FILE}`);
}

main().then(
  () => process.exit(0),
  (e) => {
    console.error(e);
    process.exit(1);
  },
);

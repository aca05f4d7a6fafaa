// Runs the program corpus (compiler/tests/programs): every positive program with one worker and
// with two, every negative program through the diagnostics. Programs listed in pending.txt must
// still fail; one that starts passing fails the suite until it is taken off the list.

import { afterAll, describe, expect, it } from "vitest";
import { createNodeRunner } from "../../wasm-runtime/node.js";
import { checkDiagnostics, checkRun, checkRunConfirmed, CONFIRM_RUNS, discoverPrograms, pendingReason, readPending, WORKER_COUNTS } from "./corpus.js";
import type { Verdict } from "./corpus.js";

const programs = discoverPrograms();
const pending = readPending();
const known = new Set(programs.map((p) => p.path));
const runner = createNodeRunner(Math.max(...WORKER_COUNTS));

afterAll(() => runner.dispose());

function judge(verdict: Verdict, reason: string | undefined, name: string): void {
  if (reason === undefined) {
    if (!verdict.pass) expect.fail(`${name}: ${verdict.reason}`);
    return;
  }
  if (verdict.pass) {
    expect.fail(`${name} now passes: remove it from compiler/tests/programs/pending.txt (listed as: ${reason})`);
  }
}

describe("program corpus", () => {
  it("pending.txt names only programs that exist", () => {
    const stale = [...pending.keys()].filter((k) => !known.has(k.replace(/@\d+$/, "")));
    expect(stale).toEqual([]);
  });

  it("has positive and negative programs", () => {
    expect(programs.filter((p) => p.kind === "run").length).toBeGreaterThanOrEqual(120);
    expect(programs.filter((p) => p.kind === "diag").length).toBeGreaterThanOrEqual(25);
  });

  for (const entry of programs) {
    if (entry.kind === "diag") {
      it(`diagnostics ${entry.path}`, async () => {
        judge(await checkDiagnostics(entry), pendingReason(pending, entry.path), entry.path);
      });
      continue;
    }
    for (const workers of WORKER_COUNTS) {
      it(`run ${entry.path} (workers: ${workers})`, async () => {
        const reason = pendingReason(pending, entry.path, workers);
        // A pending program must pass repeatedly before the suite calls it fixed.
        const verdict = reason === undefined ? await checkRun(entry, runner, workers) : await checkRunConfirmed(entry, runner, workers, CONFIRM_RUNS);
        judge(verdict, reason, entry.path);
      });
    }
  }
});

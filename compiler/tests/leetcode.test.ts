// LeetCode-style programs (compiler/tests/leetcode): each `<name>.kara` is checked against an
// independent JavaScript implementation of the same algorithm, `<name>.mjs`, which prints the
// same lines for the same built-in inputs. The Kāra program must compile, exit 0 with an empty
// stderr, and print exactly what the JavaScript prints. Programs listed in pending.txt there must
// still fail; one that starts passing fails the suite until it is taken off the list.

import { execFile } from "node:child_process";
import { existsSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createNodeRunner } from "../../wasm-runtime/node.js";
import { execute, firstDifference, readPending } from "./corpus.js";
import type { Verdict } from "./corpus.js";
import { compileIsolated } from "./isolated-compile.js";
import type { IsolatedResult } from "./isolated-compile.js";

const DIR = fileURLToPath(new URL("./leetcode", import.meta.url));
const PENDING_FILE = join(DIR, "pending.txt");
const run = promisify(execFile);

const names = readdirSync(DIR)
  .filter((f) => f.endsWith(".kara"))
  .map((f) => f.slice(0, -".kara".length))
  .sort();
const pending = readPending(PENDING_FILE);
const runner = createNodeRunner(1);
/** A compilation that makes no progress for this long counts as a failure (a compiler hang). */
const COMPILE_STALL_MS = 30_000;
let compiled: IsolatedResult[] = [];

// Compiled in a child process, so a compiler hang on one program fails that program only.
beforeAll(async () => {
  compiled = await compileIsolated(
    names.map((n) => join(DIR, `${n}.kara`)),
    COMPILE_STALL_MS,
  );
}, 900_000);

afterAll(() => runner.dispose());

/** What the reference implementation prints (run as its own Node process). */
async function reference(name: string): Promise<string> {
  const { stdout } = await run(process.execPath, [join(DIR, `${name}.mjs`)], { timeout: 30_000 });
  return stdout;
}

async function judge(name: string): Promise<Verdict> {
  const expected = await reference(name);
  if (expected.trim() === "") return { pass: false, reason: "the reference implementation printed nothing" };
  const result = compiled[names.indexOf(name)];
  if (result === undefined) return { pass: false, reason: "not compiled" };
  if ("error" in result) return { pass: false, reason: result.error };
  const observed = await execute(runner, result.wasm, 1);
  if (observed.stdout !== expected) return { pass: false, reason: firstDifference("stdout", expected, observed.stdout) };
  if (observed.stderr !== "") return { pass: false, reason: firstDifference("stderr", "", observed.stderr) };
  if (observed.exitCode !== 0) return { pass: false, reason: `exit code ${observed.exitCode} (${observed.result.status})` };
  return { pass: true };
}

describe("leetcode programs against their JavaScript twins", () => {
  it("every program has a reference implementation, and pending.txt names only programs that exist", () => {
    expect(names.length).toBeGreaterThanOrEqual(30);
    expect(names.filter((n) => !existsSync(join(DIR, `${n}.mjs`)))).toEqual([]);
    const orphans = readdirSync(DIR).filter((f) => f.endsWith(".mjs") && !names.includes(f.slice(0, -".mjs".length)));
    expect(orphans).toEqual([]);
    expect([...pending.keys()].filter((k) => !names.includes(k.replace(/\.kara$/, "")))).toEqual([]);
  });

  for (const name of names) {
    it(`${name}`, async () => {
      const reason = pending.get(`${name}.kara`);
      const verdict = await judge(name);
      if (reason === undefined) {
        if (!verdict.pass) expect.fail(`${name}: ${verdict.reason}`);
      } else if (verdict.pass) {
        expect.fail(`${name} now passes: remove it from compiler/tests/leetcode/pending.txt (listed as: ${reason})`);
      }
    }, 120_000);
  }
});

// Formats every program of the corpus (compiler/tests/programs, compiler/tests/leetcode,
// examples) and checks that formatting never changes meaning: the output is a fixpoint, has
// the same syntax tree (positions aside), the same error codes for negative programs, and —
// for a sample of programs — prints the same output when run.

import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, describe, expect, it } from "vitest";
import { compile } from "../compile.js";
import { createNodeRunner } from "../../wasm-runtime/node.js";
import { execute } from "../tests/corpus.js";
import { checkProgram } from "./corpus-check.js";
import { lexForFormat } from "./tokens.js";

const ROOT = fileURLToPath(new URL("../../", import.meta.url));
const DIRS = ["compiler/tests/programs", "compiler/tests/leetcode", "examples"];

function walk(dir: string, out: string[]): string[] {
  for (const name of readdirSync(dir).sort()) {
    const full = join(dir, name);
    if (statSync(full).isDirectory()) walk(full, out);
    else if (name.endsWith(".kara")) out.push(full);
  }
  return out;
}

const files = DIRS.flatMap((d) => walk(join(ROOT, d), []));
const rel = (f: string): string => f.slice(ROOT.length);
const outcomes = new Map(files.map((f) => [f, checkProgram(readFileSync(f, "utf8"), rel(f))]));

// Errors and warnings; notes may mention positions and are left out.
function diagnosticCodes(diagnostics: { code: string; severity: string }[]): string[] {
  return diagnostics.filter((d) => d.severity !== "note").map((d) => `${d.severity} ${d.code}`).sort();
}

describe("formatting the corpus", () => {
  it("formats every program that parses, idempotently and without changing its syntax tree", () => {
    const formatted = [...outcomes.values()].filter((o) => o.kind === "formatted");
    const notIdempotent = files.filter((f) => { const o = outcomes.get(f)!; return o.kind === "formatted" && !o.idempotent; }).map(rel);
    const treeChanged = files.filter((f) => { const o = outcomes.get(f)!; return o.kind === "formatted" && !o.sameTree; }).map(rel);
    // A refusal is only allowed for input the parser rejects.
    const wronglyRefused = files.filter((f) => { const o = outcomes.get(f)!; return o.kind === "rejected" && o.parseErrors === 0; }).map(rel);
    const unchanged = formatted.filter((o) => o.kind === "formatted" && o.unchanged).length;
    console.log(`fmt corpus: ${files.length} programs, ${formatted.length} formatted, ${unchanged} already unchanged, ${files.length - formatted.length} not parsing (left alone), ${notIdempotent.length} idempotency failures`);
    expect(files.length).toBeGreaterThan(500);
    expect(notIdempotent).toEqual([]);
    expect(treeChanged).toEqual([]);
    expect(wronglyRefused).toEqual([]);
  });

  it("keeps the diagnostic codes of negative programs", async () => {
    const negatives = files.filter((f) => existsSync(f.replace(/\.kara$/, ".diag")) && outcomes.get(f)!.kind === "formatted");
    expect(negatives.length).toBeGreaterThan(50);
    const changed: string[] = [];
    for (const f of negatives) {
      const o = outcomes.get(f)!;
      if (o.kind !== "formatted") continue;
      const before = await compile(readFileSync(f, "utf8"), { fileName: rel(f), checkOnly: true });
      const after = await compile(o.output, { fileName: rel(f), checkOnly: true });
      if (diagnosticCodes(before.diagnostics).join() !== diagnosticCodes(after.diagnostics).join()) changed.push(rel(f));
    }
    expect(changed).toEqual([]);
  }, 120_000);
});

// The program's tokens with the whitespace between them replaced by pseudo-random runs of
// spaces, tabs and line breaks (a line comment is always followed by a line break).
function scramble(source: string, seed: number): string {
  const gaps = [" ", "\n", "\n\n\n", "  ", "\t", " \n  "];
  let state = seed;
  const next = (): number => (state = (state * 1103515245 + 12345) & 0x7fffffff) % gaps.length;
  const tokens = lexForFormat(source);
  return tokens.map((t, i) => t.text + (i + 1 === tokens.length ? "" : t.type === "LineComment" ? "\n" : gaps[next()])).join("");
}

describe("formatting scrambled layouts", () => {
  it("formats every 5th corpus program with scrambled whitespace: idempotent, same tree", () => {
    const bad: string[] = [];
    let count = 0;
    files.forEach((f, i) => {
      if (i % 5 !== 0 || outcomes.get(f)!.kind !== "formatted") return;
      count++;
      const o = checkProgram(scramble(readFileSync(f, "utf8"), i + 1), rel(f));
      if (o.kind !== "formatted" || !o.idempotent || !o.sameTree) bad.push(rel(f));
    });
    expect(count).toBeGreaterThan(100);
    expect(bad).toEqual([]);
  });
});

describe("running formatted programs", () => {
  const runner = createNodeRunner(1);
  afterAll(() => runner.dispose());
  // Every 25th positive program: enough variety to catch a layout that changes behaviour.
  const positives = files.filter((f) => existsSync(f.replace(/\.kara$/, ".out")));
  const sample = positives.filter((_, i) => i % 25 === 0);

  it("prints the same output before and after formatting", async () => {
    expect(sample.length).toBeGreaterThanOrEqual(15);
    for (const f of sample) {
      const o = outcomes.get(f)!;
      if (o.kind !== "formatted") continue;
      const observed = [];
      for (const source of [readFileSync(f, "utf8"), o.output]) {
        const r = await compile(source, { fileName: rel(f) });
        expect(r.wasm, rel(f)).toBeDefined();
        const run = await execute(runner, r.wasm!, 1);
        // Panic messages name a source position, which formatting moves.
        observed.push({ stdout: run.stdout.replace(/:\d+:\d+/g, ":L:C"), exitCode: run.exitCode });
      }
      expect(observed[1], rel(f)).toEqual(observed[0]);
    }
  }, 120_000);
});

// docs/diagnostics.md lists every diagnostic code the compiler emits. The codes are read from the
// source text (every "E1234"-shaped string literal outside tests), so a new code without a row, or
// a row whose code is no longer emitted, fails here instead of leaving the table stale.

import { readFileSync, readdirSync, statSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";

const compilerDir = dirname(fileURLToPath(import.meta.url));
const tablePath = join(compilerDir, "..", "docs", "diagnostics.md");

function sourceFiles(dir: string): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) {
      if (name !== "tests" && name !== "test") out.push(...sourceFiles(path));
    } else if (name.endsWith(".ts") && !name.endsWith(".d.ts") && !name.endsWith(".test.ts")) out.push(path);
  }
  return out;
}

const CODE_LITERAL = /["'`]([EW]\d{4})["'`]/g;

function emittedCodes(): Map<string, string> {
  const codes = new Map<string, string>(); // code -> first file that names it
  for (const file of sourceFiles(compilerDir)) {
    for (const m of readFileSync(file, "utf8").matchAll(CODE_LITERAL)) if (!codes.has(m[1])) codes.set(m[1], file.slice(compilerDir.length + 1));
  }
  return codes;
}

function documentedCodes(): string[] {
  return [...readFileSync(tablePath, "utf8").matchAll(/^\| ([EW]\d{4}) \|/gm)].map((m) => m[1]);
}

describe("docs/diagnostics.md", () => {
  it("has a row for every code emitted in compiler/", () => {
    const documented = new Set(documentedCodes());
    const missing = [...emittedCodes()].filter(([code]) => !documented.has(code)).map(([code, file]) => `${code} (${file})`);
    expect(missing).toEqual([]);
  });

  it("lists each code once and only codes the compiler emits", () => {
    const rows = documentedCodes();
    expect(rows.length).toBeGreaterThan(50);
    expect(rows.filter((c, i) => rows.indexOf(c) !== i)).toEqual([]);
    const emitted = emittedCodes();
    expect(rows.filter((c) => !emitted.has(c))).toEqual([]);
  });

  it("names karac's equivalent, or says karac has none, on every row", () => {
    const rows = readFileSync(tablePath, "utf8").split("\n").filter((l) => /^\| [EW]\d{4} \|/.test(l));
    const bad = rows.filter((l) => !/\| (?:[EW]\d{4} \w+.*|ours — karac has none) \|$/.test(l));
    expect(bad).toEqual([]);
  });
});

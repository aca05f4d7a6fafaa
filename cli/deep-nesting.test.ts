// The real `kara` command on programs nested deeper than the main thread's stack allows: the
// compile is retried on a thread with a large stack (deep-stack-compile.ts) and succeeds.

import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { failedForDepth } from "./deep-stack-compile.js";
import { ensureCliBuilt, kara } from "./testing/kara-process.js";

const dir = mkdtempSync(join(tmpdir(), "kara-deep-"));
const DEPTH = 3000;

function source(name: string, text: string): string {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
}

beforeAll(ensureCliBuilt);

describe("deeply nested programs through the CLI", () => {
  it(`runs ${DEPTH} nested \`if\`s`, async () => {
    const file = source("ifs.kara", `fn main() {\n    let x = 1;\n    ${"if x == 1 { ".repeat(DEPTH)}println(x + 1);${" }".repeat(DEPTH)}\n}\n`);
    const r = await kara(["run", file]);
    expect(r.stderr).toBe("");
    expect(r.stdout).toBe("2\n");
    expect(r.code).toBe(0);
  });

  it(`runs ${DEPTH} nested calls, and checks them`, async () => {
    const file = source("calls.kara", `fn inc(x: i64) -> i64 { x + 1 }\nfn main() { println(${"inc(".repeat(DEPTH)}0${")".repeat(DEPTH)}); }\n`);
    const r = await kara(["run", file]);
    expect(r.stdout).toBe(`${DEPTH}\n`);
    expect(r.code).toBe(0);
    const checked = await kara(["check", file]);
    expect(checked.code).toBe(0);
  });

  it("still reports a real mistake inside deep nesting, at its place", async () => {
    const file = source("bad.kara", `fn main() {\n    let x = 1;\n    ${"{ ".repeat(DEPTH)}let y: bool = x;${" }".repeat(DEPTH)}\n}\n`);
    const r = await kara(["check", file]);
    expect(r.stderr).toMatch(/error\[E0200\]: .*bad\.kara:3:\d+: /);
    expect(r.code).not.toBe(0);
  });
});

describe("failedForDepth", () => {
  const at = { offset: 0, length: 0, line: 1, column: 1 };
  const diag = (code: string, message: string) => ({ code, message, severity: "error" as const, phase: "parse" as const, span: at });
  it("holds only when every error is a nesting-depth report", () => {
    expect(failedForDepth({ ok: false, timings: [], diagnostics: [diag("E0059", "this item is nested too deeply to parse")] })).toBe(true);
    expect(failedForDepth({ ok: false, timings: [], diagnostics: [diag("E0296", "nested too deeply")] })).toBe(true);
    expect(failedForDepth({ ok: false, timings: [], diagnostics: [diag("E0296", "x"), diag("E0200", "mismatched types")] })).toBe(false);
    expect(failedForDepth({ ok: false, timings: [], diagnostics: [diag("E0059", "the parser failed")] })).toBe(false);
    expect(failedForDepth({ ok: true, timings: [], diagnostics: [] })).toBe(false);
  });
});

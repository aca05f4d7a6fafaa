// `kara check / build / run / query` on Kāra source, through the real compiler.

import { mkdtempSync, readFileSync, writeFileSync, existsSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { ensureCliBuilt, kara as karaIn } from "./testing/kara-process.js";

const EXAMPLE = new URL("../examples/chapter/par_counter.kara", import.meta.url).pathname;
const dir = mkdtempSync(join(tmpdir(), "kara-cli-compile-"));
// Every command here loads the whole compiler in a fresh process: allow for a busy machine.
const SLOW = 300_000;
const kara = (args: string[]) => karaIn(args, { cwd: dir });

beforeAll(ensureCliBuilt);

const bad = join(dir, "bad.kara");
writeFileSync(bad, "fn main() {\n    let x: i64 = true;\n    println(x);\n}\n");

describe("commands that compile", () => {
  it("fix applies machine fixes in place and the program then checks cleanly", async () => {
    const file = join(dir, "comma.kara");
    writeFileSync(file, "effect resource A;\neffect resource B;\nfn f() with reads(A), writes(B) { }\nfn main() { f(); }\n");
    const r = await kara(["fix", file]);
    expect(r.stderr).toContain("applied 1 fix to");
    expect(r.code).toBe(0);
    expect(readFileSync(file, "utf8")).toContain("fn f() with reads(A) writes(B) { }");
    expect((await kara(["check", file])).code).toBe(0);
  }, SLOW);

  it("run prints what the example's .out file says", async () => {
    const r = await kara(["run", EXAMPLE, "--workers", "2"]);
    expect(r.stdout).toBe(readFileSync(EXAMPLE.replace(/\.kara$/, ".out"), "utf8"));
    expect(r.code).toBe(0);
  }, SLOW);

  it("check reports diagnostics as text or JSON and exits 1 on errors", async () => {
    const text = await kara(["check", bad]);
    expect(text.code).toBe(1);
    expect(text.stderr).toMatch(/^error\[E\d{4}\]: .*bad\.kara:2:\d+: /);
    const json = await kara(["check", bad, "--output=json"]);
    expect(json.code).toBe(1);
    const { diagnostics } = JSON.parse(json.stdout);
    expect(diagnostics.length).toBeGreaterThan(0);
    expect(Object.keys(diagnostics[0])).toEqual(expect.arrayContaining(["code", "severity", "phase", "message", "line", "column", "offset", "length"]));
    expect(diagnostics[0].severity).toBe("error");
    expect(diagnostics[0].line).toBe(2);
  }, SLOW);

  it("check accepts a library without fn main; build and run need one (E0297)", async () => {
    const lib = join(dir, "lib.kara");
    writeFileSync(lib, "pub fn double(n: i64) -> i64 {\n    n * 2\n}\n");
    const checked = await kara(["check", lib]);
    expect(checked.stderr).toBe("");
    expect(checked.code).toBe(0);
    const built = await kara(["build", lib, "-o", join(dir, "lib.wasm")]);
    expect(built.code).toBe(1);
    expect(built.stderr).toMatch(/^error\[E0297\]: .*lib\.kara:1:1: no `fn main\(\)` found/);
    expect(existsSync(join(dir, "lib.wasm"))).toBe(false);
  }, SLOW);

  it("build writes a module (and its text with --wat) that run executes", async () => {
    const out = join(dir, "counter.wasm");
    const b = await kara(["build", EXAMPLE, "-o", out, "--wat"]);
    expect(b.code).toBe(0);
    expect(Array.from(readFileSync(out).subarray(0, 4))).toEqual([0, 0x61, 0x73, 0x6d]);
    expect(existsSync(join(dir, "counter.wat"))).toBe(true);
    const r = await kara(["run", out]);
    expect(r.stdout).toBe(readFileSync(EXAMPLE.replace(/\.kara$/, ".out"), "utf8"));
  }, SLOW);

  it("query prints a function's report, and names a missing function", async () => {
    const q = await kara(["query", "effects", `${EXAMPLE}.main`]);
    expect(q.code).toBe(0);
    expect(JSON.parse(q.stdout)).toBeTypeOf("object");
    const missing = await kara(["query", "concurrency", `${EXAMPLE}.no_such_fn`]);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toBe("error: function 'no_such_fn' not found\n");
  }, SLOW);
});

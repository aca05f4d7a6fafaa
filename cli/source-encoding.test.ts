// Source files that are not valid UTF-8, through the real `kara` command: every invalid byte
// sequence is reported at its line:col (E0008) and nothing is compiled, run or rewritten.

import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { ensureCliBuilt, kara as karaIn } from "./testing/kara-process.js";

const dir = mkdtempSync(join(tmpdir(), "kara-cli-encoding-"));
// Each command starts a fresh process that loads the compiler: allow for a busy machine.
const SLOW = 300_000;
const kara = (args: string[]) => karaIn(args, { cwd: dir });

beforeAll(ensureCliBuilt);

// A Latin-1 `é` (0xE9 followed by an ASCII letter) in a string, and a stray 0xFF in a comment.
const latin1 = join(dir, "latin1.kara");
const latin1Bytes = Buffer.concat([
  Buffer.from('fn main() {\n    println("caf'),
  Buffer.from([0xe9]),
  Buffer.from('s");\n    // '),
  Buffer.from([0xff]),
  Buffer.from("\n}\n"),
]);
writeFileSync(latin1, latin1Bytes);

describe("source files that are not UTF-8", () => {
  it("check reports each invalid byte sequence at its line:col and exits 1", async () => {
    const r = await kara(["check", latin1]);
    expect(r.code).toBe(1);
    const headers = r.stderr.split("\n").filter((l) => l.startsWith("error["));
    expect(headers).toEqual([
      expect.stringMatching(/^error\[E0008\]: .*latin1\.kara:2:17: invalid UTF-8: byte 0xE9 is not a complete character$/),
      expect.stringMatching(/^error\[E0008\]: .*latin1\.kara:3:8: invalid UTF-8: byte 0xFF cannot start a character$/),
    ]);
  }, SLOW);

  it("check --output=json gives the same two diagnostics", async () => {
    const r = await kara(["check", latin1, "--output=json"]);
    expect(r.code).toBe(1);
    const { diagnostics } = JSON.parse(r.stdout);
    expect(diagnostics.map((d: { code: string; line: number; column: number }) => [d.code, d.line, d.column])).toEqual([
      ["E0008", 2, 17],
      ["E0008", 3, 8],
    ]);
  }, SLOW);

  it("run does not compile the program, and fix leaves the file's bytes alone", async () => {
    const run = await kara(["run", latin1]);
    expect(run.code).toBe(1);
    expect(run.stdout).toBe("");
    expect(run.stderr).toContain("error[E0008]");
    const fix = await kara(["fix", latin1]);
    expect(fix.code).toBe(1);
    expect(fix.stderr).toContain("applied 0 fixes");
    expect(readFileSync(latin1).equals(latin1Bytes)).toBe(true);
  }, SLOW);
});

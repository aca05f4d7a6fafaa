import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { runFmt } from "./fmt-command.js";
import { parseArgs, UsageError } from "./args.js";
import { main } from "./main.js";

function capture(): { io: { stdout: (t: string) => void; stderr: (t: string) => void }; out: () => string; err: () => string } {
  let out = "";
  let err = "";
  return { io: { stdout: (t) => (out += t), stderr: (t) => (err += t) }, out: () => out, err: () => err };
}

const UNFORMATTED = "fn main() { println(1); }\n";
const FORMATTED = "fn main() {\n    println(1);\n}\n";

function tempFile(name: string, text: string): string {
  const file = join(mkdtempSync(join(tmpdir(), "kara-fmt-")), name);
  writeFileSync(file, text);
  return file;
}

describe("kara fmt", () => {
  it("rewrites a file in place and exits 0", async () => {
    const file = tempFile("a.kara", UNFORMATTED);
    const c = capture();
    expect(await runFmt({ files: [file], check: false }, c.io)).toBe(0);
    expect(readFileSync(file, "utf8")).toBe(FORMATTED);
  });

  it("--check lists files that would change, writes nothing and exits 1", async () => {
    const dirty = tempFile("dirty.kara", UNFORMATTED);
    const clean = tempFile("clean.kara", FORMATTED);
    const c = capture();
    expect(await runFmt({ files: [dirty, clean], check: true }, c.io)).toBe(1);
    expect(c.out()).toBe(`${dirty}\n`);
    expect(readFileSync(dirty, "utf8")).toBe(UNFORMATTED);
  });

  it("--check exits 0 when every file is formatted", async () => {
    const c = capture();
    expect(await runFmt({ files: [tempFile("ok.kara", FORMATTED)], check: true }, c.io)).toBe(0);
    expect(c.out()).toBe("");
  });

  it("reports a file that does not parse and leaves it unchanged", async () => {
    const bad = "fn main( {\n";
    const file = tempFile("bad.kara", bad);
    const c = capture();
    expect(await runFmt({ files: [file], check: false }, c.io)).toBe(1);
    expect(c.err()).toMatch(/E00\d\d/);
    expect(readFileSync(file, "utf8")).toBe(bad);
  });

  it("reports a missing file", async () => {
    const c = capture();
    expect(await runFmt({ files: ["/nonexistent/x.kara"], check: false }, c.io)).toBe(1);
    expect(c.err()).toContain("no such file");
  });
});

describe("kara fmt on the command line", () => {
  it("parses FILE... and --check", () => {
    expect(parseArgs(["fmt", "a.kara", "b.kara", "--check"])).toEqual({ kind: "fmt", files: ["a.kara", "b.kara"], check: true });
    expect(parseArgs(["fmt", "a.kara"])).toEqual({ kind: "fmt", files: ["a.kara"], check: false });
    expect(() => parseArgs(["fmt"])).toThrow(UsageError);
    expect(() => parseArgs(["fmt", "a.kara", "--write"])).toThrow(UsageError);
  });

  it("runs through main: --check exits 1, then fmt rewrites and --check exits 0", async () => {
    const file = tempFile("main.kara", UNFORMATTED);
    const c = capture();
    expect(await main(["fmt", "--check", file], c.io)).toBe(1);
    expect(await main(["fmt", file], c.io)).toBe(0);
    expect(await main(["fmt", file, "--check"], c.io)).toBe(0);
    expect(readFileSync(file, "utf8")).toBe(FORMATTED);
  });
});

// What starting `kara` involves: the ahead-of-time build in dist-cli/ only, Binaryen only for
// commands that generate code, --timings, a reader that goes away, and when the build is stale.

import { execFile, spawn } from "node:child_process";
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, utimesSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { beforeAll, describe, expect, it } from "vitest";
import { counterProgram } from "../wasm-runtime/testing/programs.js";
import { BUILD_DIR, STAMP, staleness } from "./freshness.mjs";
import { ensureCliBuilt, kara, KARA_BIN, type KaraResult } from "./testing/kara-process.js";

const dir = mkdtempSync(join(tmpdir(), "kara-startup-"));
const SLOW = 300_000;

function source(name: string, text: string): string {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
}

const hello = source("hello.kara", 'fn main() {\n    println("hello");\n}\n');

beforeAll(ensureCliBuilt);

describe("the built command without Binaryen or node_modules", () => {
  // A copy of the build without Binaryen (dist-cli/binaryen.*) where no node_modules is reachable:
  // a command that tried to load Binaryen or any TypeScript tooling would fail there.
  const isolated = mkdtempSync(join(tmpdir(), "kara-isolated-"));
  beforeAll(() => {
    for (const file of readdirSync(BUILD_DIR)) {
      if (file.endsWith(".mjs") && !file.startsWith("binaryen")) copyFileSync(new URL(file, BUILD_DIR), join(isolated, file));
    }
    writeFileSync(join(isolated, "cli.mjs"), 'import { runCommandLine } from "./kara.mjs";\nawait runCommandLine(process.argv.slice(2));\n');
  });

  function isolatedKara(args: string[]): Promise<KaraResult> {
    return new Promise((resolve) => {
      execFile(process.execPath, [join(isolated, "cli.mjs"), ...args], { cwd: dir }, (error, stdout, stderr) => {
        resolve({ code: error ? (typeof error.code === "number" ? error.code : 1) : 0, stdout, stderr });
      });
    });
  }

  it("check, query and fix never load Binaryen; build does", async () => {
    expect(await isolatedKara(["check", hello])).toEqual({ code: 0, stdout: "", stderr: "" });
    const query = await isolatedKara(["query", "effects", `${hello}.main`]);
    expect(query.code).toBe(0);
    expect(JSON.parse(query.stdout)).toBeTypeOf("object");
    const fixable = source("comma.kara", "effect resource A;\neffect resource B;\nfn f() with reads(A), writes(B) { }\nfn main() { f(); }\n");
    const fix = await isolatedKara(["fix", fixable]);
    expect(fix.stderr).toContain("applied 1 fix to");
    expect(fix.code).toBe(0);
    // The same copy cannot build: Binaryen really is out of reach here.
    const build = await isolatedKara(["build", hello, "-o", join(dir, "hello.wasm")]);
    expect(build.code).toBe(1);
    expect(build.stderr).toMatch(/Cannot find (package|module) '[^']*binaryen(\.mjs)?'/);
  }, SLOW);

  it("the build carries Binaryen's wasm as its own file", () => {
    // Otherwise the build fell back to the npm module as it is: correct, but slower to start.
    expect(existsSync(new URL("binaryen.wasm", BUILD_DIR))).toBe(true);
    expect(readFileSync(new URL("binaryen.mjs", BUILD_DIR), "utf8")).toContain("instantiateWasm");
  });

  it("runs a built module on workers that load the built worker", async () => {
    const wasm = join(dir, "counter.wasm");
    writeFileSync(wasm, counterProgram(8, 100));
    expect(await isolatedKara(["run", wasm, "--workers", "2"])).toEqual({ code: 0, stdout: "800\n", stderr: "" });
  }, SLOW);
});

const timedPhases = (stderr: string): string[] => [...stderr.matchAll(/^timing: (\w+) +\d+\.\d ms$/gm)].map((m) => m[1]);

describe("--timings", () => {
  it("prints the analyses for check, and code generation and the run for run, to stderr", async () => {
    const check = await kara(["check", hello, "--timings"]);
    expect(check.code).toBe(0);
    expect(timedPhases(check.stderr)).toEqual(["startup", "parse", "check", "effects", "concurrency", "total"]);
    const run = await kara(["run", hello, "--timings", "--workers", "1"]);
    expect(run.stdout).toBe("hello\n");
    expect(timedPhases(run.stderr)).toEqual(["startup", "parse", "check", "effects", "concurrency", "codegen", "emit", "instantiate", "run", "total"]);
    const build = await kara(["build", hello, "-o", join(dir, "timed.wasm"), "--timings"]);
    expect(timedPhases(build.stderr)).toEqual(["startup", "parse", "check", "effects", "concurrency", "codegen", "emit", "total"]);
  }, SLOW);
});

describe("a closed output pipe", () => {
  it("ends `kara run` quietly with the status of a tool SIGPIPE ended", async () => {
    const endless = source("endless.kara", "fn main() {\n    let mut i: i64 = 0;\n    loop {\n        println(i);\n        i = i + 1;\n    }\n}\n");
    // --timeout only bounds the test if the pipe went unnoticed.
    const child = spawn(process.execPath, [KARA_BIN, "run", endless, "--workers", "1", "--timeout", "60"], { stdio: ["ignore", "pipe", "pipe"] });
    let stderr = "";
    child.stderr.on("data", (chunk) => (stderr += chunk));
    const first = await new Promise<string>((resolve) => child.stdout.once("data", (chunk) => resolve(String(chunk))));
    child.stdout.destroy(); // what `| head -1` does after its line
    const code = await new Promise<number | null>((resolve) => child.on("close", (c) => resolve(c)));
    expect(first).toMatch(/^0\n/);
    expect(stderr).toBe("");
    expect(code).toBe(141);
  }, SLOW);
});

describe("build freshness", () => {
  it("finds a build stale when an input changed or is gone, or when there is none", () => {
    const root = pathToFileURL(mkdtempSync(join(tmpdir(), "kara-fresh-")) + "/");
    const at = (path: string) => fileURLToPath(new URL(path, root));
    expect(staleness(root)).toBe("it has not been built");
    const startedMs = Date.now();
    mkdirSync(at("dist-cli"));
    mkdirSync(at("src"));
    writeFileSync(at("dist-cli/build.json"), JSON.stringify({ startedMs, inputs: ["src/a.ts", "src/b.ts"] }));
    for (const f of ["src/a.ts", "src/b.ts"]) {
      writeFileSync(at(f), "");
      utimesSync(at(f), (startedMs - 5000) / 1000, (startedMs - 5000) / 1000);
    }
    expect(staleness(root)).toBeUndefined();
    utimesSync(at("src/b.ts"), (startedMs + 5000) / 1000, (startedMs + 5000) / 1000);
    expect(staleness(root)).toBe("src/b.ts changed");
    rmSync(at("src/b.ts"));
    expect(staleness(root)).toBe("src/b.ts is gone");
  });

  it("bin/kara.mjs rebuilds a stale build before running it", async () => {
    // Age the stamp instead of touching sources: every input now counts as changed since.
    const stamp = JSON.parse(readFileSync(STAMP, "utf8"));
    writeFileSync(STAMP, JSON.stringify({ ...stamp, startedMs: 0 }));
    expect(staleness()).toMatch(/changed$/);
    const before = Date.now();
    const help = await kara(["help"]);
    expect(help.code).toBe(0);
    expect(help.stdout).toContain("usage:");
    // Rebuilt by that start (not "up to date now": sources may be edited meanwhile).
    expect(JSON.parse(readFileSync(STAMP, "utf8")).startedMs).toBeGreaterThanOrEqual(before);
  }, SLOW);
});

// The sequential kernels agree across their three versions: every Kāra program in JS_KERNELS
// compiles and prints the answer of its JavaScript twin, and the C twin (when a C compiler is
// present) prints the same, so the bench compares the same computation three ways.

import { execFileSync, spawnSync } from "node:child_process";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { afterAll, describe, expect, it } from "vitest";
import { createNodeRunner } from "../wasm-runtime/node.js";
import { compileProgram, ROOT } from "./kara.js";
import { expectedOutput, JS_KERNELS } from "./kernels.js";

const KERNELS = Object.keys(JS_KERNELS);

function cCompiler(): string | undefined {
  const cc = process.env.CC ?? "cc";
  try {
    execFileSync(cc, ["--version"], { stdio: "ignore" });
    return cc;
  } catch {
    return undefined;
  }
}

describe("sequential kernels", () => {
  const runner = createNodeRunner(1);
  afterAll(() => runner.dispose());

  it.each(KERNELS)("%s: the Kāra program prints the JavaScript twin's answer", async (kernel) => {
    const wasm = await compileProgram(kernel, false);
    let out = "";
    const r = await runner.run({ wasm, workers: 1, timeoutMs: 120_000, onOutput: (fd, t) => void (fd === 1 && (out += t)) });
    expect(r.status).toBe("ok");
    expect(out).toBe(expectedOutput(kernel));
  }, 180_000);

  const cc = cCompiler();
  it.runIf(cc !== undefined)("the C twins print the same answers", () => {
    const exe = mkdtempSync(`${tmpdir()}/kara-kernels-`) + "/kernels";
    execFileSync(cc!, ["-O2", "-o", exe, ROOT + "bench/c/kernels.c", "-lm"], { stdio: "pipe" });
    for (const kernel of KERNELS) {
      const r = spawnSync(exe, [kernel, "1"], { encoding: "utf8" });
      expect(r.status, kernel).toBe(0);
      expect(`${r.stdout.split("\n")[0]}\n`, kernel).toBe(expectedOutput(kernel));
    }
  }, 180_000);
});

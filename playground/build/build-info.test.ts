import { execFileSync } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { readBuildInfo } from "./build-info.js";

const root = new URL("../../", import.meta.url).pathname;

describe("build info", () => {
  it("reads package.json's version and the checkout's short commit", () => {
    const info = readBuildInfo(root);
    expect(info.version).toMatch(/^\d+\.\d+\.\d+/);
    expect(info.commit).toBe(execFileSync("git", ["rev-parse", "--short", "HEAD"], { cwd: root }).toString().trim());
  });

  it("falls back to unknown outside a git checkout and without a package.json", () => {
    const dir = mkdtempSync(join(tmpdir(), "kara-build-info-"));
    expect(readBuildInfo(dir)).toEqual({ version: "unknown", commit: "unknown" });
    writeFileSync(join(dir, "package.json"), JSON.stringify({ version: "9.8.7" }));
    expect(readBuildInfo(dir)).toEqual({ version: "9.8.7", commit: "unknown" });
  });
});

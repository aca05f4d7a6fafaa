// Runs the real `kara` command (bin/kara.mjs, which runs the ahead-of-time build) as a child
// process, the way a user's shell does.

import { execFile, execFileSync } from "node:child_process";
import { fileURLToPath } from "node:url";

export const KARA_BIN = fileURLToPath(new URL("../../bin/kara.mjs", import.meta.url));

export interface KaraResult {
  code: number;
  stdout: string;
  stderr: string;
}

/**
 * Brings the build up to date before a test file's first command (bin/kara.mjs rebuilds a stale
 * build on start), so no single test pays for the build. Call from beforeAll.
 */
export function ensureCliBuilt(): void {
  execFileSync(process.execPath, [KARA_BIN, "help"], { stdio: "ignore" });
}

export function kara(args: string[], options: { cwd?: string } = {}): Promise<KaraResult> {
  return new Promise((resolve) => {
    execFile(process.execPath, [KARA_BIN, ...args], { cwd: options.cwd, maxBuffer: 64 * 1024 * 1024 }, (error, stdout, stderr) => {
      const code = error ? (typeof error.code === "number" ? error.code : 1) : 0;
      resolve({ code, stdout, stderr });
    });
  });
}

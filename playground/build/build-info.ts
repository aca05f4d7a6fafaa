// The version and commit the page shows: package.json's version and the short hash of the
// checked-out commit at build time, "unknown" for either when it cannot be read (a source
// archive without .git, no git installed).

import { execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { join } from "node:path";

export interface BuildInfo {
  version: string;
  commit: string;
}

export function readBuildInfo(root: string): BuildInfo {
  let version = "unknown";
  try {
    const pkg = JSON.parse(readFileSync(join(root, "package.json"), "utf8")) as { version?: unknown };
    if (typeof pkg.version === "string" && pkg.version !== "") version = pkg.version;
  } catch {
    // no readable package.json: "unknown"
  }
  let commit = "unknown";
  try {
    const out = execFileSync("git", ["rev-parse", "--short", "HEAD"], { cwd: root, stdio: ["ignore", "pipe", "ignore"], timeout: 10_000 }).toString().trim();
    if (/^[0-9a-f]{4,40}$/.test(out)) commit = out;
  } catch {
    // not a git checkout, or git is missing: "unknown"
  }
  return { version, commit };
}

/** Vite `define` entries for the page (see virtual-modules.d.ts). */
export function buildInfoDefines(root: string): Record<string, string> {
  const info = readBuildInfo(root);
  return { __KARA_VERSION__: JSON.stringify(info.version), __KARA_COMMIT__: JSON.stringify(info.commit) };
}

// Playground figures: gzip sizes of the built assets in dist/, and the time to first output
// measured by bench/playground-bench.ts when that script exists.

import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { readdir, readFile, stat } from "node:fs/promises";
import { gzipSync } from "node:zlib";
import { ROOT } from "./kara.js";

export interface AssetRow {
  file: string;
  bytes: number;
  gzipBytes: number;
}

export interface PlaygroundFigures {
  assets: AssetRow[];
  totalGzipBytes: number;
  /** dist/ mtime, so a stale build is visible. */
  builtAt?: string;
  firstOutput: { measured: boolean; note: string; coldMs?: number; warmMs?: number; raw?: unknown };
}

async function files(dir: string): Promise<string[]> {
  const out: string[] = [];
  for (const e of await readdir(dir, { withFileTypes: true }).catch(() => [])) {
    const p = `${dir}/${e.name}`;
    if (e.isDirectory()) out.push(...(await files(p)));
    else out.push(p);
  }
  return out;
}

export async function measureBundle(): Promise<Pick<PlaygroundFigures, "assets" | "totalGzipBytes" | "builtAt">> {
  const dist = ROOT + "dist";
  const assets: AssetRow[] = [];
  for (const f of (await files(dist)).sort()) {
    if (!/\.(js|mjs|css|html|wasm|json|svg)$/.test(f)) continue;
    const data = await readFile(f);
    assets.push({ file: f.slice(ROOT.length), bytes: data.length, gzipBytes: gzipSync(data, { level: 9 }).length });
  }
  const builtAt = existsSync(dist) ? (await stat(dist)).mtime.toISOString() : undefined;
  return { assets, totalGzipBytes: assets.reduce((a, r) => a + r.gzipBytes, 0), builtAt };
}

/**
 * Runs bench/playground-bench.ts (written separately) and reads its figures: the last stdout line
 * that parses as JSON, looking for `coldMs` and `warmMs`. Absent script: "not measured".
 */
export function measureFirstOutput(timeoutMs: number): PlaygroundFigures["firstOutput"] {
  const script = ROOT + "bench/playground-bench.ts";
  if (!existsSync(script)) return { measured: false, note: "not measured (bench/playground-bench.ts is not present)" };
  const r = spawnSync("npx", ["tsx", script, "--json"], { cwd: ROOT, encoding: "utf8", timeout: timeoutMs });
  if (r.status !== 0) return { measured: false, note: `not measured (bench/playground-bench.ts exited with ${r.status ?? r.signal}: ${(r.stderr || "").trim().split("\n").pop() ?? ""})` };
  const lines = r.stdout.trim().split("\n").reverse();
  for (const line of lines) {
    try {
      const j = JSON.parse(line) as Record<string, unknown>;
      const num = (k: string): number | undefined => (typeof j[k] === "number" ? (j[k] as number) : undefined);
      const coldMs = num("coldMs");
      const warmMs = num("warmMs");
      return { measured: coldMs !== undefined || warmMs !== undefined, note: "bench/playground-bench.ts", coldMs, warmMs, raw: j };
    } catch {
      // not the JSON line
    }
  }
  return { measured: false, note: `not measured (bench/playground-bench.ts printed no JSON line: ${r.stdout.trim().split("\n").pop() ?? ""})` };
}

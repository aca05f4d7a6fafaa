// Playground figures: gzip sizes of the built assets in dist/, and the time to first output
// measured by bench/playground-bench.ts when that script exists.

import { spawnSync } from "node:child_process";
import { existsSync, readFileSync, statSync } from "node:fs";
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
  firstOutput: { measured: boolean; note: string; coldMs?: number; coldCachedMs?: number; warmMs?: number; raw?: unknown };
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
 * Runs bench/playground-bench.ts (headless Chromium against dist/) and reads the figures it writes
 * to bench/playground.json: time from navigation to first output with an empty and with a warm
 * HTTP cache, and from pressing Run again to first output. Absent script: "not measured".
 */
export function measureFirstOutput(timeoutMs: number): PlaygroundFigures["firstOutput"] {
  const script = ROOT + "bench/playground-bench.ts";
  const out = ROOT + "bench/playground.json";
  if (!existsSync(script)) return { measured: false, note: "not measured (bench/playground-bench.ts is not present)" };
  const started = Date.now();
  const r = spawnSync("npx", ["tsx", script], { cwd: ROOT, encoding: "utf8", timeout: timeoutMs });
  const tail = (text: string | null): string => (text ?? "").trim().split("\n").pop() ?? "";
  if (r.status !== 0) return { measured: false, note: `not measured (bench/playground-bench.ts failed: ${r.error?.message ?? `exit ${r.status ?? r.signal}`} ${tail(r.stderr)})` };
  try {
    if (statSync(out).mtimeMs < started) return { measured: false, note: "not measured (bench/playground-bench.ts did not write bench/playground.json)" };
    const j = JSON.parse(readFileSync(out, "utf8")) as Record<string, { median_ms?: number } | undefined>;
    const coldMs = j.cold_uncached?.median_ms;
    const coldCachedMs = j.cold_cached?.median_ms;
    const warmMs = j.rerun?.median_ms;
    return { measured: coldMs !== undefined || warmMs !== undefined, note: "bench/playground-bench.ts (headless Chromium)", coldMs, coldCachedMs, warmMs, raw: j };
  } catch (e) {
    return { measured: false, note: `not measured (bench/playground.json unreadable: ${(e as Error).message})` };
  }
}

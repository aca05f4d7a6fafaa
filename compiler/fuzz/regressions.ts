// The regression list: minimised crash reproductions under regressions/, and known-crashes.txt,
// which names the ones the compiler still crashes on (with the reason), so `npm test` stays green
// while they wait for a fix and fails as soon as one is fixed and should move to the regular list.

import { access, readdir, readFile, writeFile, appendFile } from "node:fs/promises";
import { fileURLToPath } from "node:url";
import type { Crash } from "./campaign.js";

export const FUZZ_DIR = fileURLToPath(new URL("./", import.meta.url));
export const REGRESSION_DIR = FUZZ_DIR + "regressions/";
export const KNOWN_CRASHES = FUZZ_DIR + "known-crashes.txt";

export interface Regression {
  file: string;
  source: string;
  /** auto-par setting the crash needs (a `// auto-par: off` header line turns it off). */
  autoPar: boolean;
}

export async function loadRegressions(): Promise<Regression[]> {
  const names = (await readdir(REGRESSION_DIR).catch(() => [] as string[])).filter((f) => f.endsWith(".kara")).sort();
  return Promise.all(
    names.map(async (file) => {
      const source = await readFile(REGRESSION_DIR + file, "utf8");
      return { file, source, autoPar: !/^\/\/ auto-par: off$/m.test(source) };
    }),
  );
}

/** File name → reason, from known-crashes.txt (`file.kara  # reason`). */
export async function loadKnownCrashes(): Promise<Map<string, string>> {
  const text = await readFile(KNOWN_CRASHES, "utf8").catch(() => "");
  const known = new Map<string, string>();
  for (const raw of text.split("\n")) {
    const line = raw.trim();
    if (!line || line.startsWith("#")) continue;
    const hash = line.indexOf("#");
    const file = (hash >= 0 ? line.slice(0, hash) : line).trim();
    known.set(file, hash >= 0 ? line.slice(hash + 1).trim() : "");
  }
  return known;
}

function slug(s: string): string {
  let h = 2166136261;
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 16777619) >>> 0;
  return h.toString(16).padStart(8, "0");
}

async function exists(path: string): Promise<boolean> {
  return access(path).then(
    () => true,
    () => false,
  );
}

/** Writes a crash as a regression file and lists it as known; returns the file name. */
export async function saveCrash(crash: Crash, seed: number): Promise<string> {
  const phase = crash.phase.replace(/[^a-z]/gi, "") || "compile";
  // A fixed crash keeps its file as a regression test, and a new bug may share its signature (all
  // invalid modules do): never overwrite, number the next one instead.
  const base = `${phase}-${slug(crash.signature)}`;
  let file = `${base}.kara`;
  for (let n = 2; await exists(REGRESSION_DIR + file); n++) file = `${base}-${n}.kara`;
  const header = [`// Fuzz regression (${crash.kind} in ${crash.phase}): ${crash.message.split("\n")[0].slice(0, 200)}`];
  if (!crash.autoPar) header.push("// auto-par: off");
  await writeFile(REGRESSION_DIR + file, header.join("\n") + "\n" + (crash.minimized ?? crash.source));
  const known = await loadKnownCrashes();
  if (!known.has(file)) {
    await appendFile(KNOWN_CRASHES, `${file}  # ${crash.kind} in ${crash.phase}: ${crash.signature} (fuzz seed ${seed}, input ${crash.index}, ${crash.origin})\n`);
  }
  return file;
}

// Test-case reduction: delta debugging over lines, then over tokens, keeping every candidate for
// which `stillFails` holds (the same crash signature). Bounded by a number of attempts, since
// each attempt is a full compile.

import { tokenize } from "./mutate.js";

export async function minimize(source: string, stillFails: (candidate: string) => Promise<boolean>, maxAttempts = 250): Promise<string> {
  let attempts = 0;
  const test = async (c: string): Promise<boolean> => {
    if (attempts >= maxAttempts) return false;
    attempts++;
    return stillFails(c);
  };
  const lines = await ddmin(source.split("\n"), (parts) => test(parts.join("\n")));
  const tokens = await ddmin(tokenize(lines.join("\n")), (parts) => test(parts.join("")));
  return tidy(tokens.join(""));
}

/** Removes chunks of decreasing size while the input keeps failing. */
async function ddmin(parts: string[], fails: (parts: string[]) => Promise<boolean>): Promise<string[]> {
  let current = parts;
  let chunk = Math.max(1, current.length >> 1);
  while (chunk >= 1) {
    let removed = false;
    for (let start = 0; start < current.length; ) {
      const candidate = [...current.slice(0, start), ...current.slice(start + chunk)];
      if (candidate.length < current.length && (await fails(candidate))) {
        current = candidate;
        removed = true;
      } else {
        start += chunk;
      }
    }
    if (!removed) chunk >>= 1;
  }
  return current;
}

function tidy(s: string): string {
  return s.replace(/[ \t]+\n/g, "\n").replace(/\n{3,}/g, "\n\n").trim() + "\n";
}

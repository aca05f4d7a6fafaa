// Test-case reduction: removal of whole bracketed constructs (items, statements, block bodies),
// then delta debugging over lines and over tokens, repeated while it makes progress. A candidate
// is kept when `stillFails` holds for it (the same crash signature). Bounded by a number of
// attempts, since each attempt is a full compile.

import { tokenize } from "./mutate.js";

export async function minimize(source: string, stillFails: (candidate: string) => Promise<boolean>, maxAttempts = 300): Promise<string> {
  let attempts = 0;
  const test = async (c: string): Promise<boolean> => {
    if (attempts >= maxAttempts) return false;
    attempts++;
    return stillFails(c);
  };
  let current = source;
  for (;;) {
    const before = current;
    current = (await removeBracketed(tokenize(current), (t) => test(t.join("")))).join("");
    current = (await ddmin(current.split("\n"), (parts) => test(parts.join("\n")))).join("\n");
    current = (await ddmin(tokenize(current), (parts) => test(parts.join("")))).join("");
    if (current === before || attempts >= maxAttempts) break;
  }
  const tidied = tidy(current);
  return tidied !== current && (await stillFails(tidied)) ? tidied : current;
}

/** For each `{ … }` (and `( … )`), tries deleting the whole construct it ends, then just its contents. */
async function removeBracketed(tokens: string[], fails: (t: string[]) => Promise<boolean>): Promise<string[]> {
  let current = tokens;
  for (let i = 0; i < current.length; i++) {
    const open = current[i];
    if (open !== "{" && open !== "(") continue;
    const close = open === "{" ? "}" : ")";
    let depth = 0;
    let j = i;
    for (; j < current.length; j++) {
      if (current[j] === open) depth++;
      else if (current[j] === close && --depth === 0) break;
    }
    if (j >= current.length) continue;
    // The construct starts after the previous `;`, `{` or `}` (the start of its statement or item).
    let start = i;
    while (start > 0 && ![";", "{", "}"].includes(current[start - 1])) start--;
    const candidates = open === "{" ? [[start, j + 1], [i + 1, j]] : [[i + 1, j]];
    for (const [a, b] of candidates) {
      if (b <= a) continue;
      const c = [...current.slice(0, a), ...current.slice(b)];
      if (await fails(c)) {
        current = c;
        i = Math.max(-1, a - 2);
        break;
      }
    }
  }
  return current;
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

/** One statement per line, for a readable reproduction (kept only if it still fails). */
function tidy(s: string): string {
  const lines = s.replace(/;\s*/g, ";\n").replace(/\{\s*/g, "{\n").replace(/\s*\}/g, "\n}").split("\n").map((l) => l.trim()).filter((l) => l);
  let depth = 0;
  const out = lines.map((l) => {
    if (l.startsWith("}")) depth = Math.max(0, depth - 1);
    const line = "    ".repeat(depth) + l;
    if (l.endsWith("{")) depth++;
    return line;
  });
  return out.join("\n") + "\n";
}

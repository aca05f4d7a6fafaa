// Memory sizes on the command line: `512M`, `2G`, `65536` (bytes). Units are binary (K = 1024
// bytes), as for the memory a program sees; a trailing `B` or `iB` is accepted (`512MiB`).

import { MEMORY_MAX_PAGES, MEMORY_MIN_PAGES } from "../compiler/abi.js";

const PAGE_BYTES = 65536;
const UNITS: Record<string, number> = { "": 1, K: 1024, M: 1024 ** 2, G: 1024 ** 3 };

/** Bytes of a size like `512M`, or undefined when the text is not one. */
export function parseByteSize(text: string): number | undefined {
  const m = /^(\d+(?:\.\d+)?)\s*([KMG]?)(?:i?B)?$/i.exec(text.trim());
  if (!m) return undefined;
  const bytes = Number(m[1]) * UNITS[m[2].toUpperCase()];
  return Number.isFinite(bytes) ? Math.floor(bytes) : undefined;
}

/** Whole 64 KiB wasm pages holding `bytes`, rounded up. */
export function bytesToPages(bytes: number): number {
  return Math.ceil(bytes / PAGE_BYTES);
}

/** Human form of a page count bound, for messages: 4M, 4G. */
function pagesText(pages: number): string {
  const bytes = pages * PAGE_BYTES;
  return bytes % 1024 ** 3 === 0 ? `${bytes / 1024 ** 3}G` : `${bytes / 1024 ** 2}M`;
}

/**
 * The growth limit in pages for `--max-memory SIZE`; a size outside what a module's memory can
 * be (MEMORY_MIN_PAGES .. MEMORY_MAX_PAGES) is an error message.
 */
export function maxMemoryPages(text: string): { pages: number } | { error: string } {
  const bytes = parseByteSize(text);
  const range = `from ${pagesText(MEMORY_MIN_PAGES)} to ${pagesText(MEMORY_MAX_PAGES)}`;
  if (bytes === undefined) return { error: `--max-memory needs a size such as 512M or 2G (bytes, K, M or G), got '${text}'` };
  const pages = bytesToPages(bytes);
  if (pages < MEMORY_MIN_PAGES || pages > MEMORY_MAX_PAGES) return { error: `--max-memory must be ${range}, got '${text}'` };
  return { pages };
}

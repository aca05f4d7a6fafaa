// Whether the ahead-of-time build of the `kara` command (dist-cli/, made by cli/build.mjs) still
// matches its sources. Plain JavaScript: bin/kara.mjs runs it on every start, before any build.
//
// The build records when it started and which project files it read; the build is stale when one
// of those files has changed since (or is gone). Dependencies in node_modules are not listed:
// they change only through `npm install` / `npm ci`, which rebuild through the `prepare` script.
// A new source file needs an edit to an existing one to be imported, so it is caught too.

import { readFileSync, statSync } from "node:fs";

export const ROOT = new URL("../", import.meta.url);
export const BUILD_DIR = new URL("dist-cli/", ROOT);
export const STAMP = stampOf(ROOT);

/** @param {URL} root */
function stampOf(root) {
  return new URL("dist-cli/build.json", root);
}

/**
 * @typedef {object} BuildStamp
 * @property {number} startedMs when the build started (Date.now())
 * @property {string[]} inputs project files the build read, relative to the project root
 */

/**
 * Why the build is stale, or undefined when it is up to date.
 * @param {URL} root the project root (a directory URL ending in "/")
 */
export function staleness(root = ROOT) {
  /** @type {BuildStamp} */
  let stamp;
  try {
    stamp = JSON.parse(readFileSync(stampOf(root), "utf8"));
  } catch {
    return "it has not been built";
  }
  for (const input of stamp.inputs) {
    let mtimeMs;
    try {
      mtimeMs = statSync(new URL(input, root)).mtimeMs;
    } catch {
      return `${input} is gone`;
    }
    // An edit in the very millisecond the build started may not be in it: count it as newer.
    if (mtimeMs >= stamp.startedMs) return `${input} changed`;
  }
  return undefined;
}

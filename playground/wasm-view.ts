// The Wasm tab's text: the module as WebAssembly text, with its size, level and compile time.
// Very large modules are cut so the page stays responsive; the size line says so.

import type { CompileResult } from "../compiler/api.js";
import { formatMs } from "./status-text.js";

const MAX_CHARS = 2_000_000;

export function showWat(pre: HTMLElement, info: HTMLElement, result: CompileResult | undefined, level: number, ms: number): void {
  if (!result) {
    info.textContent = "The compiler is not available.";
    return;
  }
  if (!result.ok || result.wat === undefined) {
    info.textContent = "The program does not compile; see Problems.";
    pre.textContent = "";
    return;
  }
  const cut = result.wat.length > MAX_CHARS;
  pre.textContent = cut ? result.wat.slice(0, MAX_CHARS) : result.wat;
  const bytes = result.wasm?.byteLength ?? 0;
  info.textContent =
    `-O${level}: ${bytes.toLocaleString("en")} bytes of wasm, compiled in ${formatMs(ms)}` + (cut ? ` (text cut to the first ${MAX_CHARS.toLocaleString("en")} characters)` : "");
}

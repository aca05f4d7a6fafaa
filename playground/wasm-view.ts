// The Wasm tab: the module as WebAssembly text, with its size, level and compile time, mapped to
// the source function by function (wasm-map.ts). The function containing the editor's cursor is
// highlighted and scrolled to (also when the cursor moves); clicking in the text selects the
// source line of the function there; the Function list does both from the keyboard. The module
// and its text can be downloaded. Loaded on the first Show wasm (main.ts imports it lazily).
// Very large modules are cut so the page stays responsive; the size line says so.

import type { CompileResult } from "../compiler/api.js";
import { formatMs } from "./status-text.js";
import { inFileText, type PickLine } from "./reports.js";
import { WatSyntax } from "./wat-syntax.js";
import {
  functionAtLine,
  rangesOfLine,
  readSiteTable,
  segmentAt,
  sourceFunctions,
  watFunctionAt,
  watFunctions,
  watLocations,
  watSegments,
  type SourceFunction,
  type WatFunction,
  type WatSegment,
} from "./wasm-map.js";

const MAX_CHARS = 2_000_000;

export interface WasmViewParts {
  pre: HTMLElement;
  info: HTMLElement;
  /** The Function list: the program's functions; choosing one shows its text and its source line. */
  functions: HTMLSelectElement;
  downloadWasm: HTMLButtonElement;
  downloadWat: HTMLButtonElement;
}

export class WasmView {
  private text = "";
  private wasm: Uint8Array | undefined;
  private wat: WatFunction[] = [];
  private source: SourceFunction[] = [];
  private segments: WatSegment[] = [];
  private highlighted: string | undefined;
  /** A program of several files: the site table and the positions name each place's file. */
  private severalFiles = false;
  private readonly syntax: WatSyntax;

  constructor(
    private readonly parts: WasmViewParts,
    private readonly onPickLine: PickLine,
  ) {
    this.syntax = new WatSyntax(parts.pre);
    parts.pre.addEventListener("click", () => this.clicked());
    parts.functions.addEventListener("change", () => {
      const fn = this.source.find((f) => f.symbol === parts.functions.value);
      if (!fn) return;
      this.highlight(fn.symbol, true);
      this.onPickLine(fn.line, fn.file);
    });
    parts.downloadWasm.addEventListener("click", () => this.wasm && download(new Blob([this.wasm as BlobPart], { type: "application/wasm" }), "main.wasm"));
    parts.downloadWat.addEventListener("click", () => download(new Blob([this.text], { type: "text/plain;charset=utf-8" }), "main.wat"));
    this.enableDownloads();
  }

  /**
   * A compile's text; `source` is the program compiled (a program of several files: each file's
   * text by its name) and `cursorLine` the editor's line now, in `cursorFile` (the file shown).
   */
  show(result: CompileResult | undefined, level: number, ms: number, source: string | ((file: string) => string | undefined), cursorLine: number, cursorFile?: string): void {
    const { pre, info } = this.parts;
    this.text = "";
    this.wasm = undefined;
    this.wat = [];
    this.source = [];
    this.segments = [];
    this.highlighted = undefined;
    this.severalFiles = false;
    this.fillFunctions();
    this.enableDownloads();
    if (!result) {
      info.textContent = "The compiler is not available.";
      return;
    }
    if (!result.ok || result.wat === undefined) {
      info.textContent = "The program does not compile; see Problems.";
      pre.textContent = "";
      this.syntax.setText("");
      return;
    }
    const cut = result.wat.length > MAX_CHARS;
    this.text = cut ? result.wat.slice(0, MAX_CHARS) : result.wat;
    this.wasm = result.wasm;
    this.wat = watFunctions(this.text);
    this.segments = watSegments(watLocations(this.text));
    const table = readSiteTable(result.wasm);
    const present = new Set(this.wat.map((f) => f.symbol));
    // An optimised module may have inlined a function away: only those still in the text are listed.
    this.source = table ? sourceFunctions(table, source).filter((f) => present.has(f.symbol)) : [];
    this.severalFiles = this.source.some((f) => f.file !== undefined);
    pre.textContent = this.text;
    this.syntax.setText(this.text);
    this.fillFunctions();
    this.enableDownloads();
    const bytes = result.wasm?.byteLength ?? 0;
    info.textContent =
      `-O${level}: ${bytes.toLocaleString("en")} bytes of wasm, compiled in ${formatMs(ms)}` +
      (cut ? ` (text cut to the first ${MAX_CHARS.toLocaleString("en")} characters)` : "") +
      (this.source.length > 0
        ? (this.segments.length > 0
          ? ". The function at the editor's cursor is highlighted, and the instructions of its line within it; click the text to find its source."
          : ". The function at the editor's cursor is highlighted; click the text to find its source.")
        : "");
    this.followCursor(cursorLine, cursorFile);
  }

  /**
   * Highlight (and scroll to) the wasm function generated for source line `line` (of `file`, the
   * file shown, in a program of several files), and the line's own instructions.
   */
  followCursor(line: number, file?: string): void {
    const inFile = this.severalFiles ? file : undefined;
    const fn = functionAtLine(this.source, line, inFile);
    if (fn) this.highlight(fn.symbol, true, line, inFile);
  }

  private clicked(): void {
    const selection = this.parts.pre.ownerDocument.getSelection();
    if (!selection || !selection.isCollapsed || !selection.anchorNode || !this.parts.pre.contains(selection.anchorNode)) return;
    const offset = textOffset(this.parts.pre, selection.anchorNode, selection.anchorOffset);
    const wat = watFunctionAt(this.wat, offset);
    if (!wat) return;
    // An instruction with a recorded source position goes to its line; otherwise to its function's.
    const located = segmentAt(this.segments, offset);
    if (located) {
      const file = this.severalFiles ? located.file : undefined;
      this.highlight(wat.symbol, false, located.line, file);
      this.onPickLine(located.line, file);
      return;
    }
    const fn = this.source.find((f) => f.symbol === wat.symbol);
    if (!fn) return; // the runtime's own code (allocation, strings, tasks): no source line
    this.highlight(fn.symbol, false);
    this.onPickLine(fn.line, fn.file);
  }

  /** Mark the function `symbol` and, inside the text, the instructions generated for source line `line`. */
  private highlight(symbol: string, scroll: boolean, line?: number, file?: string): void {
    const fn = this.wat.find((f) => f.symbol === symbol);
    if (!fn) return;
    this.parts.functions.value = this.source.some((f) => f.symbol === symbol) ? symbol : "";
    const key = `${symbol}\n${line ?? ""}\n${file ?? ""}`;
    if (this.highlighted === key) {
      const current = this.parts.pre.querySelector<HTMLElement>("mark.wat-current");
      if (scroll && current) this.scrollTo(current);
      return;
    }
    this.highlighted = key;
    const ranges = line === undefined ? [] : rangesOfLine(this.segments, this.text, line, file);
    const doc = this.parts.pre.ownerDocument;
    const mark = doc.createElement("mark");
    mark.className = "wat-current";
    mark.dataset.symbol = symbol;
    // Whole lines, newline included, so the block-level mark adds no lines of its own.
    const from = this.text.lastIndexOf("\n", fn.from - 1) + 1;
    const lineEnd = this.text.indexOf("\n", fn.to);
    const to = lineEnd < 0 ? this.text.length : lineEnd + 1;
    const pieces = (a: number, b: number): (string | HTMLElement)[] => {
      const out: (string | HTMLElement)[] = [];
      let at = a;
      for (const r of ranges) {
        const s = Math.max(a, r.from);
        const e = Math.min(b, r.to);
        if (e <= s) continue;
        if (s > at) out.push(this.text.slice(at, s));
        const lineMark = doc.createElement("mark");
        lineMark.className = "wat-line";
        lineMark.dataset.line = String(line);
        lineMark.textContent = this.text.slice(s, e);
        out.push(lineMark);
        at = e;
      }
      if (b > at) out.push(this.text.slice(at, b));
      return out;
    };
    mark.replaceChildren(...pieces(from, to));
    this.parts.pre.replaceChildren(...pieces(0, from), mark, ...pieces(to, this.text.length));
    if (scroll) this.scrollTo(mark);
    this.syntax.refresh();
  }

  /** Show the function from its head when its line's first instructions fit below it; else those instructions. */
  private scrollTo(fnMark: HTMLElement): void {
    const pre = this.parts.pre;
    const lineMark = fnMark.querySelector<HTMLElement>("mark.wat-line");
    const fits = !lineMark || lineMark.getBoundingClientRect().bottom - fnMark.getBoundingClientRect().top < pre.clientHeight - 16;
    scrollWithin(pre, fits ? fnMark : lineMark);
  }

  private fillFunctions(): void {
    const select = this.parts.functions;
    const doc = select.ownerDocument;
    const placeholder = doc.createElement("option");
    placeholder.value = "";
    placeholder.textContent = this.source.length > 0 ? "Choose a function…" : "—";
    select.replaceChildren(
      placeholder,
      ...this.source.map((f) => {
        const option = doc.createElement("option");
        option.value = f.symbol;
        option.textContent = `${f.lifted ? `${f.name} (${f.symbol.slice(f.symbol.indexOf("$") + 1)})` : f.name} — ${inFileText(f.file, `line ${f.line}`)}`;
        return option;
      }),
    );
    select.disabled = this.source.length === 0;
  }

  private enableDownloads(): void {
    this.parts.downloadWasm.disabled = !this.wasm;
    this.parts.downloadWat.disabled = this.text === "";
  }
}

/** The offset into `root`'s text of a position given as a node and an offset in it. */
function textOffset(root: Node, node: Node, offset: number): number {
  const walker = root.ownerDocument!.createTreeWalker(root, NodeFilter.SHOW_TEXT);
  let total = 0;
  for (let n = walker.nextNode(); n; n = walker.nextNode()) {
    if (n === node) return total + offset;
    total += (n as Text).length;
  }
  return total;
}

/** Scroll `scroller` (not the page) so that `target` is at its top. */
function scrollWithin(scroller: HTMLElement, target: HTMLElement): void {
  const top = target.getBoundingClientRect().top - scroller.getBoundingClientRect().top + scroller.scrollTop;
  scroller.scrollTop = Math.max(0, top - 8);
}

function download(blob: Blob, name: string): void {
  const url = URL.createObjectURL(blob);
  const a = document.createElement("a");
  a.href = url;
  a.download = name;
  a.click();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

// Syntax colours for the Wasm tab's WebAssembly text. The text can run to megabytes, so nothing is
// wrapped in elements: the tokens of the lines in view (and a margin) are painted with the CSS
// Custom Highlight API (one named highlight per kind, styled by `::highlight(wat-…)`), again as
// the text scrolls. The text's nodes never change for it, so selection, clicking and the function
// mark work as before.

export type WatTokenKind = "keyword" | "instr" | "type" | "name" | "number" | "string" | "comment";

export interface WatToken {
  kind: WatTokenKind;
  from: number;
  to: number;
}

/** The module's structure: the word after `(` that opens a form. */
const FORMS = new Set(
  "module func param result local type import export memory data table elem global start mut shared offset item declare then else block loop if".split(" "),
);
const TYPES = new Set("i32 i64 f32 f64 v128 funcref externref anyref".split(" "));

const NUMBER = /^[-+]?(?:0x[0-9a-fA-F_]+(?:\.[0-9a-fA-F_]*)?(?:[pP][-+]?\d+)?|\d[\d_]*(?:\.\d*)?(?:[eE][-+]?\d+)?|inf|nan(?::0x[0-9a-fA-F]+)?)$/;

/**
 * The tokens of `text` between `from` and `to` (offsets; `from` should start a line so a comment
 * or string is not entered half-way). Whitespace and parentheses are not tokens.
 */
export function watTokens(text: string, from = 0, to = text.length): WatToken[] {
  const out: WatToken[] = [];
  let i = from;
  let afterParen = false;
  while (i < to) {
    const c = text.charCodeAt(i);
    if (c === 10 || c === 13 || c === 32 || c === 9) {
      i++;
      continue;
    }
    if (c === 40 /* ( */) {
      if (text.startsWith("(;", i)) {
        const end = text.indexOf(";)", i + 2);
        const stop = end < 0 ? to : Math.min(to, end + 2);
        out.push({ kind: "comment", from: i, to: stop });
        i = stop;
        continue;
      }
      afterParen = true;
      i++;
      continue;
    }
    if (c === 41 /* ) */) {
      afterParen = false;
      i++;
      continue;
    }
    if (c === 59 /* ; */ && text.charCodeAt(i + 1) === 59) {
      let end = text.indexOf("\n", i);
      if (end < 0 || end > to) end = to;
      out.push({ kind: "comment", from: i, to: end });
      i = end;
      continue;
    }
    if (c === 34 /* " */) {
      let j = i + 1;
      while (j < to && text.charCodeAt(j) !== 34 && text.charCodeAt(j) !== 10) j += text.charCodeAt(j) === 92 ? 2 : 1;
      const end = Math.min(to, j + 1);
      out.push({ kind: "string", from: i, to: end });
      i = end;
      afterParen = false;
      continue;
    }
    // An atom: everything up to whitespace, a parenthesis or a quote.
    let j = i;
    while (j < to) {
      const d = text.charCodeAt(j);
      if (d === 32 || d === 10 || d === 13 || d === 9 || d === 40 || d === 41 || d === 34) break;
      j++;
    }
    const word = text.slice(i, j);
    const kind: WatTokenKind =
      word.startsWith("$")
        ? "name"
        : word.includes("=") // a memory access's offset=N, align=N
          ? "number"
        : TYPES.has(word)
          ? "type"
          : NUMBER.test(word)
            ? "number"
            : afterParen && FORMS.has(word)
              ? "keyword"
              : /^[a-z]/.test(word)
                ? "instr"
                : "name";
    out.push({ kind, from: i, to: j });
    afterParen = false;
    i = j;
  }
  return out;
}

/** Offsets where each line of `text` starts. */
export function lineStarts(text: string): number[] {
  const starts = [0];
  for (let i = text.indexOf("\n"); i >= 0; i = text.indexOf("\n", i + 1)) starts.push(i + 1);
  return starts;
}

const KINDS: WatTokenKind[] = ["keyword", "instr", "type", "name", "number", "string", "comment"];

/** Whether this browser can paint highlights without touching the DOM. */
function highlightApi(): { registry: Map<string, unknown>; Highlight: new (...ranges: Range[]) => unknown } | undefined {
  const css = (globalThis as { CSS?: { highlights?: Map<string, unknown> } }).CSS;
  const Highlight = (globalThis as { Highlight?: new (...ranges: Range[]) => unknown }).Highlight;
  return css?.highlights && Highlight ? { registry: css.highlights, Highlight } : undefined;
}

/**
 * Colours the lines of `pre` (whose text content is `text`) that are in view, and keeps doing so
 * as it scrolls or its text changes; call `refresh()` after replacing its children.
 */
export class WatSyntax {
  private text = "";
  private starts: number[] = [0];
  private frame = 0;

  constructor(private readonly pre: HTMLElement) {
    pre.addEventListener("scroll", () => this.schedule(), { passive: true });
  }

  setText(text: string): void {
    this.text = text;
    this.starts = lineStarts(text);
    this.refresh();
  }

  /** Repaint now (the text's nodes were replaced, or the view moved). */
  refresh(): void {
    cancelAnimationFrame(this.frame);
    this.frame = 0;
    const api = highlightApi();
    if (!api) return;
    const ranges = new Map<WatTokenKind, Range[]>(KINDS.map((k) => [k, []]));
    if (this.text !== "") {
      const style = getComputedStyle(this.pre);
      const lineHeight = parseFloat(style.lineHeight) || 16;
      const padding = parseFloat(style.paddingTop) || 0;
      const first = Math.max(0, Math.floor((this.pre.scrollTop - padding) / lineHeight) - 20);
      const last = Math.min(this.starts.length, first + Math.ceil(Math.max(this.pre.clientHeight, 400) / lineHeight) + 40);
      const from = this.starts[first];
      const to = last < this.starts.length ? this.starts[last] : this.text.length;
      const locate = textLocator(this.pre);
      for (const t of watTokens(this.text, from, to)) {
        const start = locate(t.from);
        const end = locate(t.to);
        if (!start || !end) continue;
        const range = this.pre.ownerDocument.createRange();
        range.setStart(start.node, start.offset);
        range.setEnd(end.node, end.offset);
        ranges.get(t.kind)!.push(range);
      }
    }
    for (const kind of KINDS) api.registry.set(`wat-${kind}`, new api.Highlight(...ranges.get(kind)!));
  }

  private schedule(): void {
    if (this.frame) return;
    this.frame = requestAnimationFrame(() => this.refresh());
  }
}

/** Maps text offsets (ascending or not) to a text node of `root` and an offset in it. */
function textLocator(root: Node): (offset: number) => { node: Text; offset: number } | undefined {
  const nodes: { node: Text; start: number }[] = [];
  const walker = root.ownerDocument!.createTreeWalker(root, NodeFilter.SHOW_TEXT);
  let total = 0;
  for (let n = walker.nextNode(); n; n = walker.nextNode()) {
    nodes.push({ node: n as Text, start: total });
    total += (n as Text).length;
  }
  return (offset) => {
    if (nodes.length === 0 || offset > total) return undefined;
    let lo = 0;
    let hi = nodes.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (nodes[mid].start <= offset) lo = mid;
      else hi = mid - 1;
    }
    const { node, start } = nodes[lo];
    return { node, offset: Math.min(node.length, offset - start) };
  };
}

// Offset → line/column mapping for one source text, and span construction.

import type { Span } from "./ast.js";

export class SourceMap {
  private readonly lineStarts: number[] = [0];
  private lastLine = 0;

  constructor(readonly text: string) {
    for (let i = text.indexOf("\n"); i >= 0; i = text.indexOf("\n", i + 1)) this.lineStarts.push(i + 1);
  }

  span(offset: number, length: number): Span {
    const off = Number.isFinite(offset) ? Math.max(0, Math.min(offset, this.text.length)) : this.text.length;
    const len = Number.isFinite(length) ? Math.max(0, Math.min(length, this.text.length - off)) : 0;
    const line = this.lineIndex(off);
    return { offset: off, length: len, line: line + 1, column: off - this.lineStarts[line] + 1 };
  }

  // Index of the line holding `off`. The parser asks in nearly increasing order, so the line
  // of the previous answer (or the next one) is tried before a binary search.
  private lineIndex(off: number): number {
    const starts = this.lineStarts;
    const last = this.lastLine;
    if (starts[last] <= off) {
      if (last + 1 === starts.length || off < starts[last + 1]) return last;
      if (last + 2 === starts.length || off < starts[last + 2]) return (this.lastLine = last + 1);
    }
    let lo = 0;
    let hi = starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (starts[mid] <= off) lo = mid;
      else hi = mid - 1;
    }
    return (this.lastLine = lo);
  }

  // Span from `start` (inclusive) to `end` (exclusive).
  range(start: number, end: number): Span {
    return this.span(start, Math.max(0, end - start));
  }
}

// Offset → line/column mapping for one source text, and span construction.

import type { Span } from "./ast.js";

export class SourceMap {
  private readonly lineStarts: number[] = [0];

  constructor(readonly text: string) {
    for (let i = 0; i < text.length; i++) if (text.charCodeAt(i) === 10) this.lineStarts.push(i + 1);
  }

  span(offset: number, length: number): Span {
    const off = Number.isFinite(offset) ? Math.max(0, Math.min(offset, this.text.length)) : this.text.length;
    const len = Number.isFinite(length) ? Math.max(0, Math.min(length, this.text.length - off)) : 0;
    let lo = 0;
    let hi = this.lineStarts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (this.lineStarts[mid] <= off) lo = mid;
      else hi = mid - 1;
    }
    return { offset: off, length: len, line: lo + 1, column: off - this.lineStarts[lo] + 1 };
  }

  // Span from `start` (inclusive) to `end` (exclusive).
  range(start: number, end: number): Span {
    return this.span(start, Math.max(0, end - start));
  }
}

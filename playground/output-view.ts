// The Output pane. Program output is inserted strictly as text nodes (never parsed as HTML),
// stdout and stderr in differently styled spans, with a cap so a runaway printing loop
// cannot exhaust the page.

export const OUTPUT_LIMIT_CHARS = 1_000_000;

type Stream = "stdout" | "stderr";
export type NoteTone = "info" | "error";

export class OutputView {
  private last: { stream: Stream; span: HTMLElement } | undefined;
  private pending: Array<{ stream: Stream; text: string }> = [];
  private chars = 0;
  private truncated = false;
  private plain = "";
  private framePending = false;

  constructor(private readonly element: HTMLElement) {}

  clear(): void {
    this.element.replaceChildren();
    this.pending = [];
    this.last = undefined;
    this.chars = 0;
    this.truncated = false;
    this.plain = "";
  }

  /** Everything the program printed so far, both streams, in arrival order. */
  get text(): string {
    return this.plain;
  }

  append(fd: 1 | 2, text: string): void {
    if (this.truncated || text.length === 0) return;
    const room = OUTPUT_LIMIT_CHARS - this.chars;
    const piece = text.length > room ? text.slice(0, room) : text;
    const stream: Stream = fd === 2 ? "stderr" : "stdout";
    const last = this.pending[this.pending.length - 1];
    if (last?.stream === stream) last.text += piece;
    else this.pending.push({ stream, text: piece });
    this.chars += piece.length;
    this.plain += piece;
    if (piece.length < text.length) {
      this.truncated = true;
      this.note("info", `output truncated after ${OUTPUT_LIMIT_CHARS.toLocaleString("en")} characters`);
      return;
    }
    this.schedule();
  }

  /** Put everything received so far into the document now (the next frame would do it anyway). */
  flush(): void {
    for (const { stream, text } of this.pending) {
      if (this.last?.stream === stream) {
        // A fresh text node per batch: appending to one huge node would copy it every time.
        const node = this.element.ownerDocument.createTextNode(text);
        this.last.span.append(node);
      } else {
        const span = this.element.ownerDocument.createElement("span");
        span.className = `out-${stream}`;
        span.textContent = text;
        this.element.append(span);
        this.last = { stream, span };
      }
    }
    this.pending = [];
  }

  // Output arrives in many small chunks: touch the document (and read scrollHeight, which
  // forces a layout) at most once per frame, or streaming a large output turns quadratic.
  private schedule(): void {
    if (this.framePending) return;
    this.framePending = true;
    requestAnimationFrame(() => {
      this.framePending = false;
      this.flush();
      this.element.scrollTop = this.element.scrollHeight;
    });
  }

  /**
   * Mark the last occurrence of `text` in the program's output (the panic line, which the
   * program prints itself). Returns false when the output does not contain it.
   */
  mark(text: string): boolean {
    if (text.length === 0) return false;
    this.flush();
    const spans = this.element.querySelectorAll<HTMLElement>(":scope > .out-stdout, :scope > .out-stderr");
    for (let i = spans.length - 1; i >= 0; i--) {
      spans[i].normalize(); // one text node per span, so the line cannot straddle two
      const node = spans[i].lastChild;
      if (!(node instanceof Text)) continue;
      const at = node.data.lastIndexOf(text);
      if (at < 0) continue;
      const hit = node.splitText(at);
      hit.splitText(text.length);
      const mark = this.element.ownerDocument.createElement("mark");
      mark.className = "out-panic";
      hit.replaceWith(mark);
      mark.append(hit);
      this.last = undefined; // later output goes into a fresh span
      return true;
    }
    return false;
  }

  /** A line from the playground itself (not the program): how the run ended, and why. */
  note(tone: NoteTone, text: string): void {
    const doc = this.element.ownerDocument;
    const div = doc.createElement("div");
    div.className = `out-note out-note-${tone}`;
    div.textContent = text;
    this.flush();
    // A block: it starts on a fresh line even if the program's last output had no newline.
    this.element.append(div);
    this.last = undefined;
    this.schedule();
  }
}

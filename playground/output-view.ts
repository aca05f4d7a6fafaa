// The Output pane. Program output is inserted strictly as text nodes (never parsed as HTML),
// stdout and stderr in differently styled spans, one row element per line.
//
// Output is kept as lines and drawn at most once per frame. A line is not a string of its own but
// a range of the text it arrived in (offsets in typed arrays), so a million lines are a few
// dozen objects for the garbage collector rather than a million: every young-generation
// collection copies what survives, and a million short strings made each one take up to
// ~100 ms of the page's thread. Up to FULL_RENDER_ROWS lines every
// line is in the document (wrapping, selectable, searchable with the browser's Find); beyond
// that only the rows in and near the viewport are (fixed-height rows inside a sized scroll
// area), so a million lines cost no more to show than fifty. Those rows are a fixed set of
// elements whose text is replaced as the window moves: creating and styling a hundred fresh
// elements every frame, and laying the page out twice per frame (once forced by reading the
// scroll height after a write), made each frame tens of milliseconds of work while output
// streamed in. The cap ends at a line boundary, and the whole text stays available to Copy and
// Download.

export const OUTPUT_LIMIT_LINES = 1_000_000;
export const OUTPUT_LIMIT_CHARS = 20_000_000;
/** Above this many lines, only the visible rows are rendered. */
export const FULL_RENDER_ROWS = 2_000;
/** Rows added to the document per frame below FULL_RENDER_ROWS. */
const FULL_RENDER_ROWS_PER_FRAME = 250;
/** Time per frame for splitting queued output into lines, so a flood never blocks the page. */
const FRAME_BUDGET_MS = 8;
/** Rows rendered above and below the viewport in the windowed mode. */
const OVERSCAN = 30;
/**
 * Output arriving a line per call is joined into one queued text until it is this long: longer
 * joins would make the first search for a newline in it copy megabytes at once.
 */
const JOIN_LIMIT = 1 << 20;

export type NoteTone = "info" | "error";

/** What a row holds; notes sort after the program's own kinds. */
const Kind = {
  Stdout: 0,
  Stderr: 1,
  /** A line with text from both streams: its pieces are in `mixed`. */
  Mixed: 2,
  NoteInfo: 3,
  NoteError: 4,
} as const;
type Kind = (typeof Kind)[keyof typeof Kind];
type StreamKind = typeof Kind.Stdout | typeof Kind.Stderr;

const STREAM_CLASS = ["out-stdout", "out-stderr"] as const;

/** A row element of the windowed mode and what it shows. */
interface Slot {
  div: HTMLElement;
  row: number;
  /** The row was complete when drawn (only the last row can still grow). */
  final: boolean;
  revision: number;
}

interface Windowed {
  /** As tall as every row together, so the scroll bar is right. */
  sizer: HTMLElement;
  /** Holds the slots, moved to the first row it shows. */
  window: HTMLElement;
  rowHeight: number;
  slots: Slot[];
  /** What sizer and window were last set to (a style write only when it changes). */
  height: number;
  top: number;
}

export class OutputView {
  /** The texts lines are ranges of: output as it arrived, one string per queued piece. */
  private chunks: string[] = [];
  private rowChunk = new Int32Array(1024);
  private rowStart = new Int32Array(1024);
  private rowEnd = new Int32Array(1024);
  private kinds = new Uint8Array(1024);
  private rowCount = 0;
  /** Rows whose text is not one range of one chunk: notes, and lines that arrived in pieces. */
  private texts = new Map<number, string>();
  private mixed = new Map<number, Array<[StreamKind, string]>>();
  /** The last row is a program line still waiting for its newline. */
  private open = false;
  private programLines = 0;
  private chars = 0;
  private truncatedAt: number | undefined;
  private marked: { row: number; at: number; length: number } | undefined;
  /** Output received but not yet split into lines. */
  private queue: Array<{ kind: StreamKind; text: string; at: number; chunk?: number }> = [];

  /** Rows already in the document (full mode); the last one may have grown since. */
  private rendered = 0;
  private windowed: Windowed | undefined;
  /** Bumped when a row already drawn must look different (a mark was placed): every slot is redrawn. */
  private revision = 0;
  private framePending = false;
  /** Whether the next frame keeps the end in view (output arrived, rather than the reader scrolled). */
  private followNext = false;
  /** `settled` calls waiting for the queue to empty. */
  private waiting: Array<() => void> = [];

  constructor(private readonly element: HTMLElement) {
    element.addEventListener("scroll", () => {
      if (this.windowed) this.schedule(false);
    });
  }

  clear(): void {
    this.element.replaceChildren();
    this.chunks = [];
    this.rowCount = 0;
    this.texts.clear();
    this.mixed.clear();
    this.open = false;
    this.programLines = 0;
    this.chars = 0;
    this.truncatedAt = undefined;
    this.marked = undefined;
    this.queue = [];
    this.rendered = 0;
    this.windowed = undefined;
    this.wake(); // nothing is left to wait for
  }

  /** Everything the program printed so far (up to the cap), both streams, in arrival order. */
  get text(): string {
    this.take(Infinity);
    const parts: string[] = [];
    // Consecutive lines that are one stretch of one chunk become one slice, not a string per line.
    let chunk = -1;
    let start = 0;
    let end = 0;
    const flush = (): void => {
      if (chunk >= 0) parts.push(this.chunks[chunk].slice(start, end));
      chunk = -1;
    };
    for (let i = 0; i < this.rowCount; i++) {
      if (this.kinds[i] >= Kind.NoteInfo) continue;
      if (this.texts.has(i)) {
        flush();
        parts.push(this.texts.get(i)!);
      } else if (this.rowChunk[i] === chunk && this.rowStart[i] === end) {
        end = this.rowEnd[i];
      } else {
        flush();
        chunk = this.rowChunk[i];
        start = this.rowStart[i];
        end = this.rowEnd[i];
      }
    }
    flush();
    return parts.join("");
  }

  private rowText(row: number): string {
    return this.texts.get(row) ?? this.chunks[this.rowChunk[row]].slice(this.rowStart[row], this.rowEnd[row]);
  }

  /** A new row (typed arrays grown by doubling); its range is set by the caller. */
  private pushRow(kind: Kind): number {
    if (this.rowCount === this.kinds.length) {
      const grow = <T extends Int32Array | Uint8Array>(a: T): T => {
        const bigger = new (a.constructor as new (n: number) => T)(a.length * 2);
        bigger.set(a);
        return bigger;
      };
      this.rowChunk = grow(this.rowChunk);
      this.rowStart = grow(this.rowStart);
      this.rowEnd = grow(this.rowEnd);
      this.kinds = grow(this.kinds);
    }
    this.kinds[this.rowCount] = kind;
    return this.rowCount++;
  }

  /** The number of lines kept when the output was cut at its cap; undefined when it was not. */
  get truncatedLines(): number | undefined {
    return this.truncatedAt;
  }

  get lineCount(): number {
    return this.programLines;
  }

  /** Take output as it arrives: only queued here; split into lines a slice of time per frame. */
  append(fd: 1 | 2, text: string): void {
    if (this.truncatedAt !== undefined || text.length === 0) return;
    const kind = fd === 2 ? Kind.Stderr : Kind.Stdout;
    // Output often comes a line per call: join pieces of one stream into one queued string
    // (until splitting it has begun), so the queue stays short however many calls there are.
    const tail = this.queue[this.queue.length - 1];
    if (tail && tail.kind === kind && tail.chunk === undefined && tail.text.length < JOIN_LIMIT) tail.text += text;
    else this.queue.push({ kind, text, at: 0 });
    this.schedule(true);
  }

  /** Split queued output into lines until `budgetMs` has passed; true when the queue is empty. */
  private take(budgetMs: number): boolean {
    const deadline = performance.now() + budgetMs;
    let lines = 0;
    while (this.queue.length > 0) {
      const chunk = this.queue[0];
      // From here on its text is final (append no longer joins onto it): lines are ranges of it.
      chunk.chunk ??= this.chunks.push(chunk.text) - 1;
      const { kind, text } = chunk;
      while (chunk.at < text.length) {
        const nl = text.indexOf("\n", chunk.at);
        const end = nl < 0 ? text.length : nl + 1;
        if ((!this.open && this.programLines >= OUTPUT_LIMIT_LINES) || this.chars + (end - chunk.at) > OUTPUT_LIMIT_CHARS) {
          this.queue = [];
          this.truncate();
          return true;
        }
        this.addPiece(kind, chunk.chunk, chunk.at, end);
        chunk.at = end;
        // Reading the clock costs too: look at it every thousand lines.
        if (++lines % 1000 === 0 && performance.now() > deadline) return false;
      }
      this.queue.shift();
    }
    return true;
  }

  /** Resolves once everything received so far is split into lines and drawn. */
  settled(): Promise<void> {
    if (this.take(FRAME_BUDGET_MS) && this.render(true)) return Promise.resolve();
    // The rest a slice per frame, by the same frames that draw arriving output.
    return new Promise((resolve) => {
      this.waiting.push(resolve);
      this.schedule(true);
    });
  }

  /** The text `chunks[chunk][start, end)`: a whole line, or a piece of one, of one stream. */
  private addPiece(kind: StreamKind, chunk: number, start: number, end: number): void {
    this.chars += end - start;
    const last = this.rowCount - 1;
    if (this.open) {
      const had = this.kinds[last] as Kind;
      const piece = (): string => this.chunks[chunk].slice(start, end);
      if (had !== kind) {
        // A line with text from both streams (or already mixed): keep its pieces apart.
        const pieces = had === Kind.Mixed ? this.mixed.get(last)! : [[had as StreamKind, this.rowText(last)] as [StreamKind, string]];
        pieces.push([kind, piece()]);
        this.mixed.set(last, pieces);
        this.texts.set(last, this.rowText(last) + piece());
        this.kinds[last] = Kind.Mixed;
      } else if (!this.texts.has(last) && this.rowChunk[last] === chunk && this.rowEnd[last] === start) {
        this.rowEnd[last] = end; // the rest of the line, right after its start in the same text
      } else {
        this.texts.set(last, this.rowText(last) + piece());
      }
    } else {
      const row = this.pushRow(kind);
      this.rowChunk[row] = chunk;
      this.rowStart[row] = start;
      this.rowEnd[row] = end;
      this.programLines++;
    }
    this.open = this.chunks[chunk].charCodeAt(end - 1) !== 10;
  }

  /** The cap is reached: drop a line without its end, so the output stops at a line boundary. */
  private truncate(): void {
    if (this.open) {
      const last = this.rowCount - 1;
      this.chars -= this.rowText(last).length;
      this.rowCount--;
      this.texts.delete(last);
      this.mixed.delete(last);
      this.programLines--;
      this.open = false;
      this.rendered = Math.min(this.rendered, this.rowCount);
      if (!this.windowed) this.element.querySelectorAll(":scope > div").item(last)?.remove();
    }
    this.truncatedAt = this.programLines;
    this.note("info", `output truncated after ${this.programLines.toLocaleString("en")} lines (the limit); Copy and Download have all of them`);
  }

  /**
   * Mark the last occurrence of `text` in the program's output (the panic line, which the
   * program prints itself). Returns false when the output does not contain it.
   */
  mark(text: string): boolean {
    if (text.length === 0) return false;
    this.take(Infinity);
    // The panic line is among the last ones printed.
    for (let row = this.rowCount - 1; row >= Math.max(0, this.rowCount - 1000); row--) {
      if (this.kinds[row] >= Kind.NoteInfo) continue;
      const at = this.rowText(row).lastIndexOf(text);
      if (at < 0) continue;
      this.marked = { row, at, length: text.length };
      this.rendered = Math.min(this.rendered, row); // redraw from that row
      this.revision++;
      this.draw();
      return true;
    }
    return false;
  }

  /** Put everything received so far into the document now (`settled` does it without blocking). */
  flush(): void {
    this.take(Infinity);
    this.render(true, Infinity);
  }

  /** A line from the playground itself (not the program): how the run ended, and why. */
  note(tone: NoteTone, text: string): void {
    this.take(Infinity); // the note comes after everything received before it
    // A row of its own: it starts on a fresh line even if the program's last output had no newline.
    this.texts.set(this.pushRow(tone === "error" ? Kind.NoteError : Kind.NoteInfo), text);
    this.open = false;
    this.draw();
  }

  /** Draw now what one frame may, and the rest in the frames after. */
  private draw(): void {
    if (!this.render(true)) this.schedule(true);
  }

  private schedule(follow: boolean): void {
    this.followNext ||= follow;
    if (this.framePending) return;
    this.framePending = true;
    requestAnimationFrame(() => {
      this.framePending = false;
      const done = this.take(FRAME_BUDGET_MS);
      const follow = this.followNext;
      this.followNext = false;
      const drawn = this.render(follow);
      if (!done || !drawn) this.schedule(follow);
      else this.wake();
    });
  }

  private wake(): void {
    const waiting = this.waiting;
    this.waiting = [];
    for (const resolve of waiting) resolve();
  }

  /** Draw what changed; false when rows are left for the next frame. */
  private render(follow: boolean, fullRows = FULL_RENDER_ROWS_PER_FRAME): boolean {
    const el = this.element;
    // Read the geometry before writing anything: layout is still clean from the last frame, so
    // these reads cost nothing, while a read after a write would lay the page out an extra time.
    const scrollTop = el.scrollTop;
    const viewport = el.clientHeight;
    // Keep following the end only if the reader is there already.
    const atEnd = scrollTop + viewport >= el.scrollHeight - 40;
    if (!this.windowed && this.rowCount > FULL_RENDER_ROWS) this.startWindowed();
    if (this.windowed) {
      this.renderWindow(this.windowed, follow && atEnd, scrollTop, viewport);
      return true;
    }
    const drawn = this.renderNew(fullRows);
    if (follow && atEnd) el.scrollTop = el.scrollHeight;
    return drawn;
  }

  /**
   * Full mode: append rows not yet in the document (redrawing the last, which may have grown), at
   * most `limit` of them (FULL_RENDER_ROWS_PER_FRAME from the frame loop): styling and laying out the first 2,000 rows of a
   * flood in one frame took tens of milliseconds, only for the next frame to replace them with
   * the window. True when every row is drawn.
   */
  private renderNew(limit: number): boolean {
    const from = Math.max(0, this.rendered - 1);
    const to = Math.min(this.rowCount, from + limit);
    const children = this.element.children;
    for (let row = from; row < to; row++) {
      const node = this.rowElement(row);
      const existing = children.item(row);
      if (existing) existing.replaceWith(node);
      else this.element.append(node);
    }
    this.rendered = to;
    return to === this.rowCount;
  }

  private startWindowed(): void {
    const doc = this.element.ownerDocument;
    const style = getComputedStyle(this.element);
    const lineHeight = parseFloat(style.lineHeight);
    const rowHeight = Number.isFinite(lineHeight) ? lineHeight : 1.45 * (parseFloat(style.fontSize) || 13);
    const sizer = doc.createElement("div");
    sizer.className = "out-sizer";
    const window = doc.createElement("div");
    window.className = "out-window";
    window.style.setProperty("--out-row-height", `${rowHeight}px`);
    sizer.append(window);
    this.element.replaceChildren(sizer);
    this.windowed = { sizer, window, rowHeight, slots: [], height: -1, top: -1 };
  }

  /**
   * Windowed mode: size the scroll area for every row, show the rows around the viewport in the
   * slot elements (only a slot whose row changed gets new text), then scroll to the end when
   * following it — the one layout of the frame, after every write.
   */
  private renderWindow(w: Windowed, followEnd: boolean, scrollTop: number, viewport: number): void {
    const { rowHeight, slots } = w;
    const height = this.rowCount * rowHeight;
    const top = followEnd ? Math.max(0, height - viewport) : scrollTop;
    const first = Math.max(0, Math.floor(top / rowHeight) - OVERSCAN);
    const last = Math.min(this.rowCount, Math.ceil((top + viewport) / rowHeight) + OVERSCAN);
    const count = Math.max(0, last - first);
    while (slots.length > count) slots.pop()!.div.remove();
    while (slots.length < count) {
      const div = this.element.ownerDocument.createElement("div");
      w.window.append(div);
      slots.push({ div, row: -1, final: false, revision: -1 });
    }
    const settledRows = this.open ? this.rowCount - 1 : this.rowCount;
    for (let i = 0; i < count; i++) {
      const slot = slots[i];
      const row = first + i;
      if (slot.row === row && slot.final && slot.revision === this.revision) continue;
      this.fillRow(slot.div, row);
      slot.row = row;
      slot.final = row < settledRows;
      slot.revision = this.revision;
    }
    if (w.top !== first) {
      w.top = first;
      w.window.style.top = `${first * rowHeight}px`;
    }
    if (w.height !== height) {
      w.height = height;
      w.sizer.style.height = `${height}px`;
    }
    // Past the end: the browser stops at the real end.
    if (followEnd) this.element.scrollTop = height + viewport;
  }

  /** A row's content into an existing element; the usual one-span line only has its text replaced. */
  private fillRow(div: HTMLElement, row: number): void {
    const kind = this.kinds[row] as Kind;
    const simple = kind === Kind.Stdout || kind === Kind.Stderr ? (kind as StreamKind) : undefined;
    if (simple !== undefined && this.marked?.row !== row) {
      const span = div.firstChild;
      const textNode = span?.firstChild;
      if (
        div.className === "out-line" &&
        span instanceof HTMLSpanElement &&
        span.nextSibling === null &&
        textNode instanceof Text &&
        textNode.nextSibling === null
      ) {
        if (span.className !== STREAM_CLASS[simple]) span.className = STREAM_CLASS[simple];
        textNode.data = this.rowText(row);
        return;
      }
    }
    const fresh = this.rowElement(row);
    div.className = fresh.className;
    div.replaceChildren(...fresh.childNodes);
  }

  private rowElement(row: number): HTMLElement {
    const doc = this.element.ownerDocument;
    const div = doc.createElement("div");
    const kind = this.kinds[row] as Kind;
    if (kind >= Kind.NoteInfo) {
      div.className = `out-note out-note-${kind === Kind.NoteError ? "error" : "info"}`;
      div.textContent = this.rowText(row);
      return div;
    }
    div.className = "out-line";
    const pieces: Array<[StreamKind, string]> = kind === Kind.Mixed ? this.mixed.get(row)! : [[kind as StreamKind, this.rowText(row)]];
    let offset = 0;
    for (const [stream, text] of pieces) {
      const span = doc.createElement("span");
      span.className = STREAM_CLASS[stream];
      this.fillText(span, text, row, offset);
      div.append(span);
      offset += text.length;
    }
    return div;
  }

  /** Text into a span, with the marked range (if it falls here) in a <mark>. */
  private fillText(span: HTMLElement, text: string, row: number, offset: number): void {
    const m = this.marked;
    if (!m || m.row !== row || m.at >= offset + text.length || m.at + m.length <= offset) {
      span.textContent = text;
      return;
    }
    const doc = span.ownerDocument;
    const from = Math.max(0, m.at - offset);
    const to = Math.min(text.length, m.at + m.length - offset);
    const mark = doc.createElement("mark");
    mark.className = "out-panic";
    mark.textContent = text.slice(from, to);
    span.append(doc.createTextNode(text.slice(0, from)), mark, doc.createTextNode(text.slice(to)));
  }
}

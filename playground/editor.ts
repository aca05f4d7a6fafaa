// The source editor: CodeMirror 6 with Kāra highlighting, bracket matching, Ctrl/Cmd+Enter to
// run, and compiler diagnostics shown as squiggles with hover text.

import { closeBrackets, closeBracketsKeymap } from "@codemirror/autocomplete";
import { defaultKeymap, history, historyKeymap, indentWithTab, undo } from "@codemirror/commands";
import { bracketMatching, HighlightStyle, indentOnInput, indentUnit, syntaxHighlighting } from "@codemirror/language";
import { lintGutter, setDiagnostics, type Diagnostic as CmDiagnostic } from "@codemirror/lint";
import { EditorState, Prec, RangeSet, StateEffect, StateField } from "@codemirror/state";
import {
  Decoration,
  drawSelection,
  EditorView,
  gutter,
  GutterMarker,
  highlightActiveLine,
  highlightActiveLineGutter,
  keymap,
  lineNumbers,
  type DecorationSet,
} from "@codemirror/view";
import { tags as t } from "@lezer/highlight";
import type { Diagnostic } from "../compiler/diagnostics.js";
import type { CodeIndex } from "./code-index.js";
import { codeIntelligence, setCodeIndex } from "./code-intel.js";
import { criticalLines, criticalPathGutter, setCriticalPath, type CriticalStep } from "./critical-path-gutter.js";
import { setTestMarks, testGutter, type TestMark } from "./test-gutter.js";
import { karaLanguage } from "./kara-language.js";
import { wrappedLineIndent } from "./wrapped-indent.js";
import type { ConcurrencyMarker } from "./reports.js";

export interface KaraEditor {
  getText(): string;
  /** Replace the whole document as one edit: the previous text stays one Undo away. */
  replaceText(text: string): void;
  /**
   * Rewrite the text to `text` (a formatter's output) as one undoable edit of only the part that
   * differs, so the cursor and the scroll position stay where they were.
   */
  rewriteText(text: string): void;
  /** Undo the last edit (the Restore of a replaced program). */
  undo(): void;
  /** Select `length` UTF-16 units from `offset`, scroll there and focus the editor. */
  select(offset: number, length: number): void;
  /** Select the whole of 1-based line `line`. */
  selectLine(line: number): void;
  showDiagnostics(diagnostics: Diagnostic[]): void;
  /** Gutter markers (with hover text) and a tint on lines that run concurrently; [] clears them. */
  showConcurrency(markers: ConcurrencyMarker[]): void;
  /** Mark the lines of a profiled run's critical path (◆ in the gutter, a stripe); [] clears them. */
  showCriticalPath(steps: readonly CriticalStep[]): void;
  /** The Test button's outcome beside each test block's line (✓, ✗, …); [] clears them. */
  showTestResults(marks: TestMark[]): void;
  /** What hover, completion and go-to-definition know: the index of a clean check of the current text. */
  showCodeIndex(index: CodeIndex): void;
  focus(): void;
  /** The 1-based line of the main cursor. */
  cursorLine(): number;
  /**
   * Show another file (a file tab): each `key` keeps its own undo history and selection while
   * another is shown; `text` is its content when it has none kept or the kept one differs.
   * Counts as an edit (onChange), since the text to check changed.
   */
  showDocument(key: string, text: string): void;
  /** Forget what showDocument kept for `key` (a deleted or renamed file). */
  forgetDocument(key: string): void;
}

const karaHighlight = HighlightStyle.define([
  { tag: [t.keyword, t.controlKeyword], color: "var(--syn-keyword)", fontWeight: "600" },
  { tag: [t.string], color: "var(--syn-string)" },
  { tag: [t.special(t.string), t.special(t.brace), t.escape], color: "var(--syn-special)" },
  { tag: [t.lineComment, t.blockComment, t.docComment], color: "var(--syn-comment)", fontStyle: "italic" },
  { tag: [t.number, t.bool], color: "var(--syn-number)" },
  { tag: [t.typeName, t.self], color: "var(--syn-type)" },
  { tag: [t.constant(t.variableName)], color: "var(--syn-number)" },
  { tag: [t.function(t.variableName)], color: "var(--syn-function)" },
  { tag: t.invalid, color: "var(--syn-invalid)", textDecoration: "underline wavy" },
]);

const severityOf = { error: "error", warning: "warning", note: "info" } as const;

export function toCmDiagnostic(d: Diagnostic, docLength: number): CmDiagnostic {
  const from = Math.max(0, Math.min(docLength, d.span.offset));
  const to = Math.max(from, Math.min(docLength, d.span.offset + d.span.length));
  const notes = (d.notes ?? []).map((n) => `\nnote: ${n}`).join("");
  return {
    from,
    to,
    severity: severityOf[d.severity],
    source: d.code,
    message: `${d.message}${notes}`,
    actions: (d.fixes ?? []).map((fix) => ({
      name: fix.message,
      apply(view: EditorView) {
        const len = view.state.doc.length;
        const a = Math.max(0, Math.min(len, fix.span.offset));
        const b = Math.max(a, Math.min(len, fix.span.offset + fix.span.length));
        view.dispatch({ changes: { from: a, to: b, insert: fix.replacement } });
      },
    })),
  };
}

// --- concurrency overlay: a gutter of "∥" markers plus a line tint, mapped through edits ------

/** "∥" on a statement's first line; a bar on the lines it continues over (same hover text). */
class ParMarker extends GutterMarker {
  constructor(
    readonly text: string,
    readonly continued = false,
  ) {
    super();
  }
  override eq(other: GutterMarker): boolean {
    return other instanceof ParMarker && other.text === this.text && other.continued === this.continued;
  }
  override toDOM(): Node {
    const el = document.createElement("span");
    el.textContent = this.continued ? "│" : "∥";
    if (this.text === "") return el; // the gutter's width spacer
    el.className = this.continued ? "cm-par-marker cm-par-continued" : "cm-par-marker";
    el.title = this.text;
    el.setAttribute("aria-label", this.text);
    return el;
  }
}

/** Per document line: the texts of the markers covering it, and whether one starts there. */
function coveredLines(markers: ConcurrencyMarker[], lineCount: number): Map<number, { starts: boolean; texts: string[] }> {
  const covered = new Map<number, { starts: boolean; texts: string[] }>();
  for (const m of markers) {
    if (m.line < 1 || m.line > lineCount) continue;
    const last = Math.min(lineCount, Math.max(m.line, m.endLine));
    for (let line = m.line; line <= last; line++) {
      const entry = covered.get(line) ?? { starts: false, texts: [] };
      entry.starts ||= line === m.line;
      if (!entry.texts.includes(m.text)) entry.texts.push(m.text);
      covered.set(line, entry);
    }
  }
  return covered;
}

const setConcurrency = StateEffect.define<ConcurrencyMarker[]>();

interface ConcurrencyOverlay {
  markers: RangeSet<GutterMarker>;
  lines: DecorationSet;
}

const concurrencyField = StateField.define<ConcurrencyOverlay>({
  create: () => ({ markers: RangeSet.empty, lines: Decoration.none }),
  update(value, tr) {
    let next = tr.docChanged ? { markers: value.markers.map(tr.changes), lines: value.lines.map(tr.changes) } : value;
    for (const effect of tr.effects) {
      if (!effect.is(setConcurrency)) continue;
      const doc = tr.state.doc;
      const lines = [...coveredLines(effect.value, doc.lines)].sort((a, b) => a[0] - b[0]);
      next = {
        markers: RangeSet.of(lines.map(([line, e]) => new ParMarker(e.texts.join("\n"), !e.starts).range(doc.line(line).from))),
        lines: Decoration.set(lines.map(([line]) => Decoration.line({ class: "cm-par-line" }).range(doc.line(line).from))),
      };
    }
    return next;
  },
  provide: (field) => EditorView.decorations.from(field, (v) => v.lines),
});

const concurrencyGutter = [
  concurrencyField,
  gutter({
    class: "cm-par-gutter",
    markers: (view) => view.state.field(concurrencyField).markers,
    initialSpacer: () => new ParMarker(""),
  }),
];

/** The one change turning `before` into `after`: everything between their common prefix and suffix. */
export function differingRange(before: string, after: string): { from: number; to: number; insert: string } | undefined {
  if (before === after) return undefined;
  let start = 0;
  const max = Math.min(before.length, after.length);
  while (start < max && before.charCodeAt(start) === after.charCodeAt(start)) start++;
  let end = 0;
  while (end < max - start && before.charCodeAt(before.length - 1 - end) === after.charCodeAt(after.length - 1 - end)) end++;
  return { from: start, to: before.length - end, insert: after.slice(start, after.length - end) };
}

export interface EditorOptions {
  doc: string;
  /** The key of the first document, for showDocument (a file tab's name). */
  docKey?: string;
  label: string;
  onRun(): void;
  /** Ctrl/Cmd+S. */
  onShare?(): void;
  /** Shift+Alt+F. */
  onFormat?(): void;
  /** When the main cursor moves to another line (1-based). */
  onCursorLine?(line: number): void;
  /** After every change of the text, with a counter that grows with each change. */
  onChange?(version: number): void;
  /** The id of an element describing the editor's keys (how to leave it, above all). */
  describedBy?: string;
}

export function createEditor(parent: HTMLElement, options: EditorOptions): KaraEditor {
  let version = 0;
  const runKey = Prec.highest(
    keymap.of([
      { key: "Mod-Enter", run: () => (options.onRun(), true) },
      { key: "Mod-s", preventDefault: true, run: () => (options.onShare?.(), true) },
      { key: "Shift-Alt-f", preventDefault: true, run: () => (options.onFormat?.(), true) },
    ]),
  );
  let cursorLine = 1;
  const changes = EditorView.updateListener.of((update) => {
    if (update.docChanged) options.onChange?.(++version);
    if (update.selectionSet || update.docChanged) {
      const line = update.state.doc.lineAt(update.state.selection.main.head).number;
      if (line !== cursorLine) {
        cursorLine = line;
        options.onCursorLine?.(line);
      }
    }
  });
  const extensions = [
    runKey,
    changes,
    lineNumbers(),
    highlightActiveLineGutter(),
    highlightActiveLine(),
    history(),
    drawSelection(),
    indentUnit.of("    "),
    EditorState.tabSize.of(4),
    indentOnInput(),
    bracketMatching(),
    closeBrackets(),
    karaLanguage,
    syntaxHighlighting(karaHighlight),
    lintGutter(),
    concurrencyGutter,
    criticalPathGutter(),
    testGutter(),
    codeIntelligence(),
    EditorView.lineWrapping,
    wrappedLineIndent(),
    keymap.of([...closeBracketsKeymap, ...defaultKeymap, ...historyKeymap, indentWithTab]),
    EditorView.contentAttributes.of({
      "aria-label": options.label,
      spellcheck: "false",
      autocapitalize: "off",
      ...(options.describedBy ? { "aria-describedby": options.describedBy } : {}),
    }),
  ];
  const view = new EditorView({ parent, state: EditorState.create({ doc: options.doc, extensions }) });
  const keptStates = new Map<string, EditorState>();
  let shownKey: string | undefined = options.docKey;

  const select = (from: number, to: number): void => {
    view.dispatch({ selection: { anchor: from, head: to }, scrollIntoView: true });
    view.focus();
  };

  return {
    getText: () => view.state.doc.toString(),
    showDocument(key, text) {
      if (shownKey !== undefined) keptStates.set(shownKey, view.state);
      const kept = keptStates.get(key);
      view.setState(kept && kept.doc.toString() === text ? kept : EditorState.create({ doc: text, extensions }));
      shownKey = key;
      options.onChange?.(++version);
    },
    forgetDocument(key) {
      keptStates.delete(key);
      if (shownKey === key) shownKey = undefined;
    },
    replaceText(text) {
      if (text === view.state.doc.toString()) return;
      view.dispatch({ changes: { from: 0, to: view.state.doc.length, insert: text }, selection: { anchor: 0 }, scrollIntoView: true, userEvent: "input.replace" });
    },
    rewriteText(text) {
      const change = differingRange(view.state.doc.toString(), text);
      if (change) view.dispatch({ changes: change, userEvent: "input.format" });
    },
    undo: () => void undo(view),
    select(offset, length) {
      const len = view.state.doc.length;
      const from = Math.max(0, Math.min(len, offset));
      select(from, Math.max(from, Math.min(len, offset + length)));
    },
    selectLine(line) {
      const doc = view.state.doc;
      const l = doc.line(Math.max(1, Math.min(doc.lines, line)));
      select(l.from, l.to);
    },
    showDiagnostics(diagnostics) {
      const len = view.state.doc.length;
      view.dispatch(setDiagnostics(view.state, diagnostics.map((d) => toCmDiagnostic(d, len))));
    },
    showConcurrency(markers) {
      view.dispatch({ effects: setConcurrency.of(markers) });
    },
    showCriticalPath(steps) {
      view.dispatch({ effects: setCriticalPath.of(criticalLines(steps)) });
    },
    showTestResults(marks) {
      view.dispatch({ effects: setTestMarks.of(marks) });
    },
    showCodeIndex(index) {
      view.dispatch({ effects: setCodeIndex.of(index) });
    },
    focus: () => view.focus(),
    cursorLine: () => view.state.doc.lineAt(view.state.selection.main.head).number,
  };
}

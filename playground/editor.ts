// The source editor: CodeMirror 6 with Kāra highlighting, bracket matching, Ctrl/Cmd+Enter to
// run, and compiler diagnostics shown as squiggles with hover text.

import { closeBrackets, closeBracketsKeymap } from "@codemirror/autocomplete";
import { defaultKeymap, history, historyKeymap, indentWithTab } from "@codemirror/commands";
import { bracketMatching, HighlightStyle, indentOnInput, indentUnit, syntaxHighlighting } from "@codemirror/language";
import { lintGutter, setDiagnostics, type Diagnostic as CmDiagnostic } from "@codemirror/lint";
import { EditorState, Prec } from "@codemirror/state";
import { drawSelection, EditorView, highlightActiveLine, highlightActiveLineGutter, keymap, lineNumbers } from "@codemirror/view";
import { tags as t } from "@lezer/highlight";
import type { Diagnostic } from "../compiler/diagnostics.js";
import { karaLanguage } from "./kara-language.js";

export interface KaraEditor {
  getText(): string;
  /** Replace the whole document (a new program: the undo history starts over). */
  setText(text: string): void;
  /** Select `length` UTF-16 units from `offset`, scroll there and focus the editor. */
  select(offset: number, length: number): void;
  /** Select the whole of 1-based line `line`. */
  selectLine(line: number): void;
  showDiagnostics(diagnostics: Diagnostic[]): void;
  focus(): void;
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

export function createEditor(parent: HTMLElement, options: { doc: string; onRun(): void; label: string }): KaraEditor {
  const runKey = Prec.highest(keymap.of([{ key: "Mod-Enter", run: () => (options.onRun(), true) }]));
  const extensions = [
    runKey,
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
    EditorView.lineWrapping,
    keymap.of([...closeBracketsKeymap, ...defaultKeymap, ...historyKeymap, indentWithTab]),
    EditorView.contentAttributes.of({ "aria-label": options.label, spellcheck: "false", autocapitalize: "off" }),
  ];
  const view = new EditorView({ parent, state: EditorState.create({ doc: options.doc, extensions }) });

  const select = (from: number, to: number): void => {
    view.dispatch({ selection: { anchor: from, head: to }, scrollIntoView: true });
    view.focus();
  };

  return {
    getText: () => view.state.doc.toString(),
    setText(text) {
      view.setState(EditorState.create({ doc: text, extensions }));
    },
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
    focus: () => view.focus(),
  };
}

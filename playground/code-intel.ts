// Hover, completion and go-to-definition in the editor, from the CodeIndex of the last check that
// succeeded. The index describes the text as it was then; edits made since are mapped through,
// so answers stay right while typing and nothing waits for the compile worker.

import { autocompletion, type Completion, type CompletionContext, type CompletionResult } from "@codemirror/autocomplete";
import { ChangeSet, StateEffect, StateField, Text, type EditorState, type Extension } from "@codemirror/state";
import { EditorView, hoverTooltip, keymap, type Tooltip } from "@codemirror/view";
import type { CodeIndex, CodeSymbol } from "./code-index.js";
import { membersAfter, namesAt, symbolAt } from "./code-lookup.js";
import { KEYWORDS } from "./kara-language.js";

interface IndexedText {
  index: CodeIndex;
  /** The text the index describes, and the edits made to it since. */
  base: Text;
  changes: ChangeSet;
  /** `changes` inverted (current positions → base positions), made when first needed. */
  back?: ChangeSet;
}

export const setCodeIndex = StateEffect.define<CodeIndex>();

const indexField = StateField.define<IndexedText | null>({
  create: () => null,
  update(value, tr) {
    for (const e of tr.effects) {
      if (!e.is(setCodeIndex)) continue;
      const base = Text.of(e.value.source.split("\n"));
      // An index of other text than the editor's (a late answer) would misplace everything.
      if (base.length !== tr.startState.doc.length || base.toString() !== tr.startState.doc.toString()) continue;
      value = { index: e.value, base, changes: ChangeSet.empty(base.length) };
    }
    if (value && tr.docChanged) value = { ...value, changes: value.changes.compose(tr.changes), back: undefined };
    return value;
  },
});

function indexed(state: EditorState): IndexedText | null {
  return state.field(indexField, false) ?? null;
}

/** A current position in the index's text; undefined where the text was rewritten since. */
function toBase(it: IndexedText, pos: number): number | undefined {
  if (it.changes.empty) return pos;
  it.back ??= it.changes.invert(it.base);
  return it.back.mapPos(pos, -1);
}

const IDENT = /[A-Za-z_][A-Za-z0-9_]*/y;

/** The identifier at `pos` in the current text. */
function wordAt(state: EditorState, pos: number): { from: number; to: number; text: string } | undefined {
  const line = state.doc.lineAt(pos);
  let start = pos - line.from;
  while (start > 0 && /\w/.test(line.text[start - 1])) start--;
  IDENT.lastIndex = start;
  const m = IDENT.exec(line.text);
  if (!m || start + m[0].length < pos - line.from) return undefined;
  return { from: line.from + start, to: line.from + start + m[0].length, text: m[0] };
}

/** The symbol the identifier at `pos` names, checked against the current text. */
export function symbolAtPos(state: EditorState, pos: number): { symbol: CodeSymbol; word: { from: number; to: number }; it: IndexedText } | undefined {
  const it = indexed(state);
  const word = wordAt(state, pos);
  if (!it || !word) return undefined;
  const basePos = toBase(it, word.from);
  if (basePos === undefined) return undefined;
  const symbol = symbolAt(it.index, basePos);
  if (!symbol || symbol.name !== word.text) return undefined;
  return { symbol, word, it };
}

function hoverContent(symbol: CodeSymbol): HTMLElement {
  const box = document.createElement("div");
  box.className = "cm-code-hover";
  const sig = document.createElement("code");
  sig.textContent = symbol.detail;
  box.append(sig);
  if (symbol.doc) {
    const doc = document.createElement("p");
    doc.textContent = symbol.doc;
    box.append(doc);
  }
  return box;
}

const hover = hoverTooltip((view, pos): Tooltip | null => {
  const found = symbolAtPos(view.state, pos);
  if (!found) return null;
  return { pos: found.word.from, end: found.word.to, above: true, create: () => ({ dom: hoverContent(found.symbol) }) };
});

/** Select the definition of the name at `pos`; false when there is none in the file. */
export function goToDefinition(view: EditorView, pos: number): boolean {
  const found = symbolAtPos(view.state, pos);
  const def = found?.symbol.def;
  if (!found || !def) return false;
  const from = found.it.changes.mapPos(def.from, 1);
  const to = found.it.changes.mapPos(def.to, -1);
  if (to <= from) return false;
  view.dispatch({ selection: { anchor: from, head: to }, scrollIntoView: true });
  view.focus();
  return true;
}

const completionType: Record<string, string> = {
  function: "function",
  method: "method",
  builtin: "function",
  struct: "class",
  enum: "enum",
  variable: "variable",
  parameter: "variable",
  field: "property",
};

/** Names offered while typing once a word has this many characters (any length on Ctrl+Space). */
const MIN_TYPED = 2;

function complete(context: CompletionContext): CompletionResult | null {
  // An answer arriving after the focus left (a click elsewhere) must not open a list over the page.
  if (context.view && !context.view.hasFocus) return null;
  const it = indexed(context.state);
  const word = context.matchBefore(/[A-Za-z_]\w*/);
  const from = word?.from ?? context.pos;
  const line = context.state.doc.lineAt(from);
  const before = line.text.slice(0, from - line.from);
  const member = /([A-Za-z_]\w*(?:\s*\.\s*[A-Za-z_]\w*)*)\s*\.\s*$/.exec(before);
  if (member) {
    if (!it) return null;
    const basePos = toBase(it, line.from + member.index);
    if (basePos === undefined) return null;
    const chain = member[1].split(".").map((s) => s.trim());
    const options: Completion[] = membersAfter(it.index, chain, basePos).map((m) => ({
      label: m.name,
      type: m.kind === "field" ? "property" : "method",
      detail: m.detail,
      info: m.doc,
    }));
    return options.length > 0 ? { from, options, validFor: /^\w*$/ } : null;
  }
  if (!context.explicit && (word?.text.length ?? 0) < MIN_TYPED) return null;
  if (/[\d"']$/.test(before) || /\/\/.*$/.test(before)) return null;
  const options: Completion[] = [...KEYWORDS].map((k) => ({ label: k, type: "keyword" }));
  const basePos = it ? toBase(it, from) : undefined;
  if (it && basePos !== undefined) {
    for (const n of namesAt(it.index, basePos)) options.push({ label: n.name, type: completionType[n.kind], detail: n.detail, info: n.doc, boost: n.kind === "variable" || n.kind === "parameter" ? 2 : 0 });
  }
  return { from, options, validFor: /^\w*$/ };
}

/** The editor extensions; feed them indexes with `setCodeIndex`. */
export function codeIntelligence(): Extension {
  return [
    indexField,
    hover,
    autocompletion({ override: [complete], icons: false }),
    keymap.of([{ key: "F12", run: (view) => goToDefinition(view, view.state.selection.main.head) }]),
    EditorView.domEventHandlers({
      mousedown(event, view) {
        if (!(event.ctrlKey || event.metaKey) || event.button !== 0) return false;
        const pos = view.posAtCoords({ x: event.clientX, y: event.clientY });
        if (pos === null || !goToDefinition(view, pos)) return false;
        event.preventDefault();
        return true;
      },
    }),
  ];
}

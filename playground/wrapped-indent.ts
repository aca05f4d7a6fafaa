// Soft-wrapped lines keep their indentation: the continuation rows of a long line start under
// its first non-blank character rather than at the left margin, so wrapped code still shows its
// nesting (on phones most long lines wrap). A line decoration sets the indent as a custom
// property; CSS pads the line by it and pulls the first row back with a negative text-indent.

import { type Extension, RangeSetBuilder } from "@codemirror/state";
import { Decoration, type DecorationSet, EditorView, ViewPlugin, type ViewUpdate } from "@codemirror/view";

/** Columns of leading whitespace, a tab counting as `tabSize` (to the next stop). */
export function leadingColumns(text: string, tabSize: number): number {
  let column = 0;
  for (const ch of text) {
    if (ch === " ") column++;
    else if (ch === "\t") column += tabSize - (column % tabSize);
    else break;
  }
  return column;
}

const cache = new Map<number, Decoration>();
function indentDecoration(columns: number): Decoration {
  let d = cache.get(columns);
  if (!d) {
    d = Decoration.line({ class: "cm-wrap-indent", attributes: { style: `--wrap-indent: ${columns}ch` } });
    cache.set(columns, d);
  }
  return d;
}

function decorate(view: EditorView): DecorationSet {
  const builder = new RangeSetBuilder<Decoration>();
  const { doc, tabSize } = view.state;
  for (const { from, to } of view.visibleRanges) {
    for (let pos = from; pos <= to; ) {
      const line = doc.lineAt(pos);
      const columns = leadingColumns(line.text, tabSize);
      // A blank line has nothing to wrap; one that is all indentation must not be pulled left.
      if (columns > 0 && columns < line.length) builder.add(line.from, line.from, indentDecoration(columns));
      pos = line.to + 1;
    }
  }
  return builder.finish();
}

export function wrappedLineIndent(): Extension {
  return [
    ViewPlugin.fromClass(
      class {
        decorations: DecorationSet;
        constructor(view: EditorView) {
          this.decorations = decorate(view);
        }
        update(update: ViewUpdate): void {
          if (update.docChanged || update.viewportChanged) this.decorations = decorate(update.view);
        }
      },
      { decorations: (plugin) => plugin.decorations },
    ),
    EditorView.theme({
      ".cm-line.cm-wrap-indent": {
        paddingLeft: "calc(var(--wrap-indent) + 6px)",
        textIndent: "calc(-1 * var(--wrap-indent))",
      },
    }),
  ];
}

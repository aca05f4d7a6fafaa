// The critical path of a profiled run in the editor: a ◆ in its own gutter (hover text and
// accessible name give the time the path spends on that line and its tasks) and a stripe at the
// line's left edge. Set after a Run with Profile on, cleared by the next Run; edits move the
// marks with the text they belong to.

import { RangeSet, StateEffect, StateField, type Extension } from "@codemirror/state";
import { Decoration, EditorView, gutter, GutterMarker, type DecorationSet } from "@codemirror/view";

export interface CriticalStep {
  task: number;
  line: number;
  us: number;
}

export interface CriticalLine {
  line: number;
  us: number;
  tasks: number[];
}

/** The path's steps by line: total time on each line and the tasks that ran it, in line order. */
export function criticalLines(steps: readonly CriticalStep[]): CriticalLine[] {
  const byLine = new Map<number, CriticalLine>();
  for (const s of steps) {
    if (!(s.line >= 1)) continue;
    const entry = byLine.get(s.line) ?? { line: s.line, us: 0, tasks: [] };
    entry.us += s.us;
    if (!entry.tasks.includes(s.task)) entry.tasks.push(s.task);
    byLine.set(s.line, entry);
  }
  return [...byLine.values()].sort((a, b) => a.line - b.line);
}

export function describeCriticalLine(l: CriticalLine): string {
  const time = l.us < 1000 ? `${l.us.toFixed(l.us < 10 ? 2 : 0)} µs` : `${(l.us / 1000).toFixed(l.us < 10_000 ? 2 : 1)} ms`;
  return `Critical path: ${time} on line ${l.line} (task${l.tasks.length === 1 ? "" : "s"} ${l.tasks.join(", ")})`;
}

class CriticalMarker extends GutterMarker {
  constructor(readonly text: string) {
    super();
  }
  override eq(other: GutterMarker): boolean {
    return other instanceof CriticalMarker && other.text === this.text;
  }
  override toDOM(): Node {
    const el = document.createElement("span");
    el.className = "cm-crit-marker";
    el.textContent = "◆";
    el.title = this.text;
    el.setAttribute("aria-label", this.text);
    return el;
  }
}

export const setCriticalPath = StateEffect.define<CriticalLine[]>();

interface CriticalOverlay {
  markers: RangeSet<GutterMarker>;
  lines: DecorationSet;
}

const criticalField = StateField.define<CriticalOverlay>({
  create: () => ({ markers: RangeSet.empty, lines: Decoration.none }),
  update(value, tr) {
    let next = tr.docChanged ? { markers: value.markers.map(tr.changes), lines: value.lines.map(tr.changes) } : value;
    for (const effect of tr.effects) {
      if (!effect.is(setCriticalPath)) continue;
      const doc = tr.state.doc;
      const shown = effect.value.filter((l) => l.line <= doc.lines);
      next = {
        markers: RangeSet.of(shown.map((l) => new CriticalMarker(describeCriticalLine(l)).range(doc.line(l.line).from))),
        lines: Decoration.set(shown.map((l) => Decoration.line({ class: "cm-crit-line" }).range(doc.line(l.line).from))),
      };
    }
    return next;
  },
  provide: (field) => EditorView.decorations.from(field, (v) => v.lines),
});

export function criticalPathGutter(): Extension {
  return [
    criticalField,
    gutter({
      class: "cm-crit-gutter",
      markers: (view) => view.state.field(criticalField).markers,
    }),
  ];
}

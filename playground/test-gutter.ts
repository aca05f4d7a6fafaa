// The Test button's results in the editor: beside each `test "name"` line, ✓ (passed), ✗ (failed
// or timed out), – (skipped), … (running) or ■ (stopped while running), with the outcome as hover text and accessible name.
// A new Test run replaces them; edits move them with their lines.

import { RangeSet, StateEffect, StateField, type Extension } from "@codemirror/state";
import { EditorView, gutter, GutterMarker } from "@codemirror/view";

export interface TestMark {
  line: number;
  state: "pending" | "running" | "passed" | "failed" | "timeout" | "skipped" | "stopped";
  /** The outcome in words ("test \"adds\" passed in 3 ms"). */
  text: string;
  /** The file holding the test, in a program of several files (the page shows each file's own). */
  file?: string;
}

const ICON: Record<TestMark["state"], string> = { pending: "○", running: "…", passed: "✓", failed: "✗", timeout: "✗", skipped: "–", stopped: "■" };

class TestMarker extends GutterMarker {
  constructor(readonly mark: TestMark) {
    super();
  }
  override eq(other: GutterMarker): boolean {
    return other instanceof TestMarker && other.mark.state === this.mark.state && other.mark.text === this.mark.text;
  }
  override toDOM(): Node {
    const el = document.createElement("span");
    el.className = `cm-test-marker cm-test-${this.mark.state}`;
    el.textContent = ICON[this.mark.state];
    el.title = this.mark.text;
    el.setAttribute("aria-label", this.mark.text);
    return el;
  }
}

export const setTestMarks = StateEffect.define<TestMark[]>();

const testField = StateField.define<RangeSet<GutterMarker>>({
  create: () => RangeSet.empty,
  update(value, tr) {
    let next = tr.docChanged ? value.map(tr.changes) : value;
    for (const effect of tr.effects) {
      if (!effect.is(setTestMarks)) continue;
      const doc = tr.state.doc;
      const shown = effect.value.filter((m) => m.line >= 1 && m.line <= doc.lines).sort((a, b) => a.line - b.line);
      next = RangeSet.of(shown.map((m) => new TestMarker(m).range(doc.line(m.line).from)));
    }
    return next;
  },
});

export function testGutter(): Extension {
  return [testField, gutter({ class: "cm-test-gutter", markers: (view: EditorView) => view.state.field(testField) })];
}

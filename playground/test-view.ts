// The Tests tab: one row per `test "name" { .. }` block of the file, in source order, with its
// state (pending, running, passed, failed, timed out, skipped), its time, a button that selects its
// line in the editor, and for a failure karac's message, the place of the failed assertion (also a
// button) and the two compared values. What a test printed is kept under a disclosure.

import type { TestEvent } from "../compiler/testing/outcome.js";
import { formatMs } from "./status-text.js";
import type { TestMark } from "./test-gutter.js";
import type { ListedTest, TestRunEnd } from "./test-run.js";

export type TestState = "pending" | "running" | "passed" | "failed" | "timeout" | "skipped" | "stopped";

const STATE_LABEL: Record<TestState, string> = {
  pending: "not run",
  running: "running",
  passed: "passed",
  failed: "failed",
  timeout: "timed out",
  skipped: "skipped",
  stopped: "stopped while running",
};

const STATE_ICON: Record<TestState, string> = {
  pending: "○",
  running: "…",
  passed: "✓",
  failed: "✗",
  timeout: "⏱",
  skipped: "–",
  stopped: "■",
};

export class TestView {
  private rows = new Map<number, { row: HTMLLIElement; test: ListedTest }>();

  constructor(
    private readonly list: HTMLElement,
    private readonly summary: HTMLElement,
    /** Go to `line` of `file` (a file of a program of several files; the shown one when absent). */
    private readonly onPickLine: (line: number, file?: string) => void,
    /** Each test's line and outcome after every change (for the editor's gutter). */
    private readonly onMarks: (marks: TestMark[]) => void = () => {},
  ) {
    this.empty("Press Test to run the file's test \"name\" { … } blocks.");
  }

  /** Clear the list for a new run. */
  starting(): void {
    this.rows.clear();
    this.onMarks([]);
    this.list.replaceChildren();
    this.summary.textContent = "Checking…";
  }

  listed(tests: ListedTest[]): void {
    this.rows.clear();
    this.list.replaceChildren();
    for (const test of tests) {
      const row = this.list.ownerDocument.createElement("li");
      row.className = "test-row";
      row.dataset.test = test.name;
      this.list.append(row);
      this.rows.set(test.index, { row, test });
      this.paint(row, test, "pending");
    }
    if (tests.length > 0) this.summary.textContent = `Running ${tests.length} test${tests.length === 1 ? "" : "s"}…`;
  }

  started(index: number): void {
    const entry = this.rows.get(index);
    if (entry) this.paint(entry.row, entry.test, "running");
  }

  result(index: number, event: TestEvent, output: string): void {
    const entry = this.rows.get(index);
    if (entry) this.paint(entry.row, entry.test, stateOf(event), event, output);
  }

  ended(end: TestRunEnd): void {
    switch (end.kind) {
      case "compile-failed":
        this.summary.textContent = `The file does not compile (${end.errors} error${end.errors === 1 ? "" : "s"}; see Problems): no test was run.`;
        this.empty("Fix the errors, then press Test again.");
        return;
      case "no-tests":
        this.summary.textContent = "No tests.";
        this.empty('This file has no test blocks. Write one beside main: test "adds" { assert_eq(1 + 1, 2); }');
        return;
      case "failed":
        this.summary.textContent = `Tests could not run: ${end.message}`;
        return;
      case "finished":
      case "stopped": {
        // The tests Stop interrupted did not finish: each is marked by name; the ones that had
        // not started show as not run.
        const interrupted = new Set(end.kind === "stopped" ? end.interrupted : []);
        const names: string[] = [];
        for (const [index, { row, test }] of this.rows) {
          if (interrupted.has(index)) {
            this.paint(row, test, "stopped");
            names.push(`"${test.name}"`);
          } else if (row.dataset.state === "running") this.paint(row, test, "pending");
        }
        const s = end.summary;
        const parts = [`${s.passed} passed`, `${s.failed} failed`];
        if (s.skipped > 0) parts.push(`${s.skipped} skipped`);
        const stopped = end.kind === "stopped" ? `Stopped${names.length > 0 ? ` while running ${names.join(", ")}` : ""}: ` : "";
        this.summary.textContent = `${stopped}${parts.join(", ")} of ${s.total} in ${formatMs(s.duration_ms)}.`;
        this.summary.dataset.tone = s.failed > 0 ? "bad" : end.kind === "stopped" ? "busy" : "good";
        return;
      }
    }
  }

  private empty(text: string): void {
    this.onMarks([]);
    const p = this.list.ownerDocument.createElement("li");
    p.className = "analysis-empty test-empty";
    p.textContent = text;
    this.list.replaceChildren(p);
    delete this.summary.dataset.tone;
  }

  private paint(row: HTMLLIElement, test: ListedTest, state: TestState, event?: TestEvent, output = ""): void {
    const doc = row.ownerDocument;
    row.dataset.state = state;
    row.dataset.outcome = describeOutcome(test.name, state, event);
    this.onMarks([...this.rows.values()].map(({ row: r, test: t }) => ({ line: t.line, state: (r.dataset.state ?? "pending") as TestState, text: r.dataset.outcome ?? "", ...(t.file === undefined ? {} : { file: t.file }) })));
    row.replaceChildren();
    const head = doc.createElement("div");
    head.className = "test-head";
    const icon = doc.createElement("span");
    icon.className = "test-icon";
    icon.textContent = STATE_ICON[state];
    icon.setAttribute("aria-hidden", "true");
    const name = doc.createElement("span");
    name.className = "test-name";
    name.textContent = test.name;
    const status = doc.createElement("span");
    status.className = "test-state";
    status.textContent = STATE_LABEL[state] + (event && "duration_ms" in event ? ` in ${formatMs(event.duration_ms)}` : "");
    head.append(icon, name, status, this.lineButton(test.line, `line ${test.line}`, `line ${test.line}: go to the test "${test.name}"`, test.file));
    row.append(head);

    if (event?.type === "test_fail") {
      const detail = doc.createElement("div");
      detail.className = "test-failure";
      const message = doc.createElement("p");
      message.className = "test-message";
      message.textContent = event.message;
      detail.append(message);
      if (event.location) {
        const at = doc.createElement("p");
        at.append("at ", this.lineButton(event.location.line, `${event.location.file}:${event.location.line}:${event.location.col}`, `${event.location.file}:${event.location.line}:${event.location.col}: go to where the test failed`, event.location.file));
        detail.append(at);
      }
      if (event.left !== undefined || event.right !== undefined) {
        const values = doc.createElement("pre");
        values.className = "test-values";
        values.textContent = `  left: ${event.left ?? ""}\n right: ${event.right ?? ""}`;
        detail.append(values);
      }
      row.append(detail);
    } else if (event?.type === "test_timeout") {
      const p = doc.createElement("p");
      p.className = "test-message";
      p.textContent = `Did not finish within ${event.timeout_s} s (#[test(timeout_seconds = N)] sets the limit).`;
      row.append(p);
    } else if (event?.type === "test_skip") {
      const p = doc.createElement("p");
      p.className = "test-message";
      p.textContent = `Requires ${event.resources.join(", ")}, which the playground cannot provide.`;
      row.append(p);
    }
    if (output) {
      const more = doc.createElement("details");
      more.className = "test-output";
      const label = doc.createElement("summary");
      label.textContent = "Output";
      const text = doc.createElement("pre");
      text.textContent = output;
      more.append(label, text);
      row.append(more);
    }
  }

  /** A button selecting `line`; its accessible name starts with its visible text (axe: label-content-name-mismatch). */
  private lineButton(line: number, text: string, label: string, file?: string): HTMLButtonElement {
    const button = this.list.ownerDocument.createElement("button");
    button.type = "button";
    button.className = "link-button test-line";
    button.textContent = text;
    button.setAttribute("aria-label", label);
    button.addEventListener("click", () => this.onPickLine(line, file));
    return button;
  }
}

/** A test's outcome in words: `test "adds": failed in 3 ms: assertion … failed`. */
export function describeOutcome(name: string, state: TestState, event?: TestEvent): string {
  const time = event && "duration_ms" in event ? ` in ${formatMs(event.duration_ms)}` : "";
  const why = event?.type === "test_fail" ? `: ${event.message}` : "";
  return `test "${name}": ${STATE_LABEL[state]}${time}${why}`;
}

export function stateOf(event: TestEvent): TestState {
  switch (event.type) {
    case "test_pass":
      return "passed";
    case "test_fail":
      return "failed";
    case "test_timeout":
      return "timeout";
    case "test_skip":
      return "skipped";
    default:
      return "pending";
  }
}

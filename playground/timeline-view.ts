// Draws a run's trace: one lane per worker, one bar per task. A bar's tooltip names the
// task's kind, source line and duration; choosing it selects that line in the editor.

import type { Trace } from "../wasm-runtime/api.js";
import { describeTask, layoutTimeline } from "./timeline-layout.js";
import { formatMs, plural } from "./status-text.js";

const ROW_PX = 18;

export function renderTimeline(container: HTMLElement, trace: Trace | undefined, onPickLine: (line: number) => void): void {
  const doc = container.ownerDocument;
  container.replaceChildren();
  if (!trace || trace.tasks.length === 0) {
    const empty = doc.createElement("p");
    empty.className = "timeline-empty";
    empty.textContent = trace ? "The run recorded no tasks." : "Run a program with the timeline on to see which worker ran what.";
    container.append(empty);
    return;
  }
  const layout = layoutTimeline(trace);
  const summary = doc.createElement("p");
  summary.className = "timeline-summary";
  summary.textContent =
    `${plural(trace.tasks.length, "task")} on ${plural(layout.lanes.length, "worker")} over ${formatMs(layout.spanUs / 1000)}` +
    (layout.omitted > 0 ? ` (first ${trace.tasks.length - layout.omitted} shown)` : "") +
    (trace.dropped ? `; ${trace.dropped} more were not recorded` : "");
  container.append(summary);

  for (const lane of layout.lanes) {
    const row = doc.createElement("div");
    row.className = "lane";
    const label = doc.createElement("span");
    label.className = "lane-label";
    label.textContent = `worker ${lane.worker}`;
    const track = doc.createElement("div");
    track.className = "lane-track";
    track.style.height = `${lane.rows * ROW_PX}px`;
    track.setAttribute("aria-label", `worker ${lane.worker}`);
    track.setAttribute("role", "group");
    for (const placed of lane.tasks) {
      const bar = doc.createElement("button");
      bar.type = "button";
      bar.className = `bar bar-${placed.task.kind}${placed.task.stolen ? " bar-stolen" : ""}${placed.task.cancelled ? " bar-cancelled" : ""}`;
      const text = describeTask(placed.task);
      bar.title = text;
      bar.setAttribute("aria-label", text);
      bar.style.left = `${(placed.left * 100).toFixed(4)}%`;
      bar.style.width = `max(2px, ${(placed.width * 100).toFixed(4)}%)`;
      bar.style.top = `${placed.row * ROW_PX}px`;
      bar.addEventListener("click", () => onPickLine(placed.task.line));
      track.append(bar);
    }
    row.append(label, track);
    container.append(row);
  }
}

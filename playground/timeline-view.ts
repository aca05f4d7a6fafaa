// Draws a run's trace: one lane per worker, one bar per task, a legend of the task kinds and a
// time axis. A bar's tooltip names the task's kind, source line and duration; choosing it shows
// those details below the lanes and selects that line in the editor. The bars are one Tab stop:
// arrow keys move between them (left/right in time, up/down between workers), Home/End jump.

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
  container.append(summary, legend(doc, trace));

  const bars: Array<{ bar: HTMLButtonElement; lane: number; left: number }> = [];
  const details = doc.createElement("p");
  details.className = "timeline-details";
  details.setAttribute("aria-live", "polite");
  details.textContent = "Choose a bar (or Tab to the bars and use the arrow keys) for its details.";
  const show = (text: string): void => {
    details.textContent = text;
  };

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
      bar.tabIndex = -1;
      bar.addEventListener("click", () => {
        show(text);
        onPickLine(placed.task.line);
      });
      bar.addEventListener("focus", () => show(text));
      track.append(bar);
      bars.push({ bar, lane: lane.worker, left: placed.left });
    }
    row.append(label, track);
    container.append(row);
  }
  container.append(axis(doc, layout.spanUs), details);
  wireArrowKeys(bars);
}

const KIND_LABELS: Record<string, string> = {
  main: "main",
  par: "par branch",
  spawn: "spawned task",
  auto: "automatic parallel",
  reduce: "split loop",
};

/** The kinds of task in this run, each with its bar colour. */
function legend(doc: Document, trace: Trace): HTMLElement {
  const list = doc.createElement("ul");
  list.className = "timeline-legend";
  list.setAttribute("aria-label", "Legend");
  for (const kind of new Set(trace.tasks.map((t) => t.kind))) {
    const item = doc.createElement("li");
    const swatch = doc.createElement("span");
    swatch.className = `legend-swatch legend-${kind}`;
    item.append(swatch, KIND_LABELS[kind] ?? kind);
    list.append(item);
  }
  return list;
}

/** Tick labels under the lanes, at round intervals of the run's span. */
function axis(doc: Document, spanUs: number): HTMLElement {
  const row = doc.createElement("div");
  row.className = "timeline-axis";
  row.setAttribute("aria-hidden", "true");
  const track = doc.createElement("div");
  track.className = "axis-track";
  const step = niceStep(spanUs / 3); // 4 to 8 ticks
  for (let t = 0; t <= spanUs + 1e-9; t += step) {
    const tick = doc.createElement("span");
    tick.className = "axis-tick";
    tick.style.left = `${((t / spanUs) * 100).toFixed(3)}%`;
    tick.textContent = formatMs(t / 1000);
    track.append(tick);
  }
  row.append(doc.createElement("span"), track);
  return row;
}

/** The largest of 1, 2 or 5 times a power of ten that is at most `raw`. */
export function niceStep(raw: number): number {
  if (!(raw > 0)) return 1;
  const power = 10 ** Math.floor(Math.log10(raw));
  for (const m of [5, 2, 1]) if (m * power <= raw) return m * power;
  return power;
}

/** One Tab stop for all bars: left/right in time, up/down to the nearest bar of the next worker. */
function wireArrowKeys(bars: Array<{ bar: HTMLButtonElement; lane: number; left: number }>): void {
  if (bars.length === 0) return;
  const order = [...bars].sort((a, b) => a.lane - b.lane || a.left - b.left);
  let current = 0;
  const move = (to: number): void => {
    order[current].bar.tabIndex = -1;
    current = Math.max(0, Math.min(order.length - 1, to));
    order[current].bar.tabIndex = 0;
    order[current].bar.focus();
  };
  order[0].bar.tabIndex = 0;
  order.forEach(({ bar }, i) => {
    bar.addEventListener("focus", () => {
      order[current].bar.tabIndex = -1;
      current = i;
      bar.tabIndex = 0;
    });
    bar.addEventListener("keydown", (e) => {
      const here = order[current];
      const inLane = (lane: number) => order.map((b, j) => ({ ...b, j })).filter((b) => b.lane === lane);
      switch (e.key) {
        case "ArrowRight":
          if (order[current + 1]?.lane === here.lane) move(current + 1);
          break;
        case "ArrowLeft":
          if (order[current - 1]?.lane === here.lane) move(current - 1);
          break;
        case "ArrowDown":
        case "ArrowUp": {
          const lanes = [...new Set(order.map((b) => b.lane))];
          const next = lanes[lanes.indexOf(here.lane) + (e.key === "ArrowDown" ? 1 : -1)];
          if (next === undefined) break;
          const nearest = inLane(next).reduce((best, b) => (Math.abs(b.left - here.left) < Math.abs(best.left - here.left) ? b : best));
          move(nearest.j);
          break;
        }
        case "Home":
          move(0);
          break;
        case "End":
          move(order.length - 1);
          break;
        default:
          return;
      }
      e.preventDefault();
    });
  });
}

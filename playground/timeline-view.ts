// Draws a run's trace: one lane per worker, one bar per task, a legend of the task kinds and a
// time axis. A bar's tooltip names the task's kind, source line and duration; choosing it shows
// those details below the lanes and selects that line in the editor. The bars are one Tab stop:
// arrow keys move between them (left/right in time, up/down between workers), Home/End jump.
// The lanes zoom (timeline-zoom.ts); a profile's critical path can be outlined on the bars.
// Above the workers, a "loops" row shows each run of a fanned-out loop as one bar labelled with
// the loop's line, spanning its chunks; choosing it highlights the chunks in the workers' lanes.

import type { Trace } from "../wasm-runtime/api.js";
import { describeLoopGroup, describeTask, layoutTimeline, type LoopGroup } from "./timeline-layout.js";
import { formatMs, plural } from "./status-text.js";
import { MAX_ZOOM, MIN_ZOOM, wireTimelineZoom, type TimelineZoom } from "./timeline-zoom.js";

const ROW_PX = 18;
/** The lane label column and the gap after it (style.css `.lane`): where the time axis starts. */
const LABEL_PX = 78;
const CRITICAL_NOTE = " · on the critical path";

export interface TimelineHandle {
  /** Outline the bars of these tasks (a profile's critical path) and add them to the legend. */
  highlightCriticalPath(taskIds: Iterable<number>): void;
  readonly zoom: TimelineZoom | undefined;
}

/** Where a bar sits: `left` and `width` as fractions of the run, `row` within its lane. */
interface BarPlace {
  left: number;
  width: number;
  row: number;
}

/** A lane: its label, and a track `rows` rows tall that holds the bars. */
function laneRow(doc: Document, className: string, labelText: string, trackLabel: string, rows: number): { row: HTMLElement; track: HTMLElement } {
  const row = doc.createElement("div");
  row.className = className;
  const label = doc.createElement("span");
  label.className = "lane-label";
  label.textContent = labelText;
  const track = doc.createElement("div");
  track.className = "lane-track";
  track.style.height = `${rows * ROW_PX}px`;
  track.setAttribute("aria-label", trackLabel);
  track.setAttribute("role", "group");
  row.append(label, track);
  return { row, track };
}

export function renderTimeline(container: HTMLElement, trace: Trace | undefined, onPickLine: (line: number, file?: string) => void): TimelineHandle {
  const doc = container.ownerDocument;
  container.replaceChildren();
  if (!trace || trace.tasks.length === 0) {
    const empty = doc.createElement("p");
    empty.className = "timeline-empty";
    empty.textContent = trace ? "The run recorded no tasks." : "Run a program with the timeline on to see which worker ran what.";
    container.append(empty);
    return { highlightCriticalPath: () => {}, zoom: undefined };
  }
  const layout = layoutTimeline(trace);
  const summary = doc.createElement("p");
  summary.className = "timeline-summary";
  summary.textContent =
    `${plural(trace.tasks.length, "task")} on ${plural(layout.lanes.length, "worker")} over ${formatMs(layout.spanUs / 1000)}` +
    (layout.omitted > 0 ? ` (first ${trace.tasks.length - layout.omitted} shown)` : "") +
    (trace.dropped ? `; ${trace.dropped} more were not recorded` : "");
  const legendList = legend(doc, trace, layout.loops.length > 0);
  const tools = doc.createElement("div");
  tools.className = "timeline-tools";
  tools.append(summary);
  container.append(tools, legendList);

  const bars: Array<{ bar: HTMLButtonElement; lane: number; left: number; id: number; text: string }> = [];
  const details = doc.createElement("p");
  details.className = "timeline-details";
  details.setAttribute("aria-live", "polite");
  details.textContent = "Choose a bar (or Tab to the bars and use the arrow keys) for its details. Ctrl/Cmd+wheel, a pinch, or + and − zoom.";
  const show = (text: string): void => {
    details.textContent = text;
  };

  // The lanes and the axis live in a canvas as wide as the zoom asks, inside a sideways scroller.
  const scroller = doc.createElement("div");
  scroller.className = "timeline-scroll";
  const canvas = doc.createElement("div");
  canvas.className = "timeline-canvas";
  scroller.append(canvas);

  // Each chunk's place in its loop run, for its bar's description and the group's highlight.
  const chunkOf = new Map<number, { group: number; k: number; of: LoopGroup }>();
  layout.loops.forEach((group, g) => group.tasks.forEach((t, k) => chunkOf.set(t.id, { group: g, k, of: group })));
  const chunkBars = new Map<number, HTMLButtonElement[]>();
  /** A bar of the run (a task, or a run of a loop): its place, its description, and the line (of its file) it picks. */
  const placeBar = (className: string, text: string, place: BarPlace, line: number, file: string | undefined, onFocus?: () => void): HTMLButtonElement => {
    const bar = doc.createElement("button");
    bar.type = "button";
    bar.className = className;
    bar.title = text;
    bar.setAttribute("aria-label", text);
    bar.style.left = `${(place.left * 100).toFixed(4)}%`;
    bar.style.width = `max(2px, ${(place.width * 100).toFixed(4)}%)`;
    bar.style.top = `${place.row * ROW_PX}px`;
    bar.tabIndex = -1;
    bar.addEventListener("click", () => {
      show(text);
      onPickLine(line, file);
    });
    bar.addEventListener("focus", () => {
      show(text);
      onFocus?.();
      zoom.reveal(bar.offsetLeft + LABEL_PX, bar.offsetLeft + LABEL_PX + bar.offsetWidth);
    });
    return bar;
  };
  if (layout.loops.length > 0) {
    const { row, track } = laneRow(doc, "lane lane-loops", "loops", "fanned-out loops", layout.loopRows);
    layout.loops.forEach((group, g) => {
      const text = describeLoopGroup(group);
      const highlight = (on: boolean): void => {
        for (const chunk of chunkBars.get(g) ?? []) chunk.classList.toggle("bar-loop-highlight", on);
      };
      const bar = placeBar("bar loop-group", text, group, group.line, group.tasks[0]?.file, () => highlight(true));
      bar.dataset.loop = String(g);
      bar.dataset.line = String(group.line);
      const visible = doc.createElement("span");
      visible.className = "loop-group-label";
      visible.textContent = `line ${group.line}`;
      bar.append(visible);
      bar.addEventListener("blur", () => highlight(false));
      bar.addEventListener("mouseenter", () => highlight(true));
      bar.addEventListener("mouseleave", () => highlight(doc.activeElement === bar));
      track.append(bar);
      // Before every worker: arrow keys reach it as the first lane.
      bars.push({ bar, lane: -1, left: group.left, id: -1 - g, text });
    });
    canvas.append(row);
  }

  for (const lane of layout.lanes) {
    const { row, track } = laneRow(doc, "lane", `worker ${lane.worker}`, `worker ${lane.worker}`, lane.rows);
    for (const placed of lane.tasks) {
      const chunk = chunkOf.get(placed.task.id);
      let text = describeTask(placed.task);
      if (chunk) text += ` · chunk ${chunk.k + 1} of ${chunk.of.tasks.length} of the loop at line ${chunk.of.line}`;
      const kind = `bar bar-${placed.task.kind}${placed.task.stolen ? " bar-stolen" : ""}${placed.task.cancelled ? " bar-cancelled" : ""}`;
      const bar = placeBar(chunk ? `${kind} bar-loop-chunk` : kind, text, placed, placed.task.line, placed.task.file);
      bar.dataset.task = String(placed.task.id);
      if (chunk) {
        bar.dataset.loop = String(chunk.group);
        const list = chunkBars.get(chunk.group);
        if (list) list.push(bar);
        else chunkBars.set(chunk.group, [bar]);
      }
      track.append(bar);
      bars.push({ bar, lane: lane.worker, left: placed.left, id: placed.task.id, text });
    }
    canvas.append(row);
  }
  const axisRow = axis(doc);
  canvas.append(axisRow.row);
  container.append(scroller, details);

  // Not an <output>: that is a second status role beside the page's status line.
  const readoutBox = doc.createElement("span");
  readoutBox.className = "zoom-readout";
  const readoutLabel = doc.createElement("span");
  readoutLabel.className = "visually-hidden";
  readoutLabel.textContent = "Zoom ";
  const readout = doc.createElement("span");
  readout.className = "zoom-value";
  readoutBox.append(readoutLabel, readout);
  const drawAxis = (): void => axisRow.draw(layout.spanUs, zoom.zoom, scroller.scrollLeft / Math.max(1, scroller.clientWidth - LABEL_PX));
  const zoom = wireTimelineZoom({
    scroller,
    canvas,
    labelWidth: LABEL_PX,
    changed(z) {
      readout.textContent = `×${z < 10 ? z.toFixed(1).replace(/\.0$/, "") : Math.round(z)}`;
      zoomOut.disabled = z <= MIN_ZOOM;
      zoomIn.disabled = z >= MAX_ZOOM;
      fit.disabled = z <= MIN_ZOOM;
      drawAxis();
    },
  });
  let scrolled = false;
  scroller.addEventListener("scroll", () => {
    if (scrolled) return;
    scrolled = true;
    requestAnimationFrame(() => {
      scrolled = false;
      drawAxis();
    });
  });
  const button = (text: string, label: string, run: () => void): HTMLButtonElement => {
    const b = doc.createElement("button");
    b.type = "button";
    b.className = "small";
    b.textContent = text;
    b.setAttribute("aria-label", label);
    b.title = label;
    b.addEventListener("click", run);
    return b;
  };
  const zoomOut = button("−", "Zoom out", () => zoom.setZoom(zoom.zoom / 2));
  const zoomIn = button("+", "Zoom in", () => zoom.setZoom(zoom.zoom * 2));
  const fit = button("Fit", "Zoom to fit the whole run", () => zoom.setZoom(MIN_ZOOM));
  const group = doc.createElement("div");
  group.className = "zoom-controls";
  group.setAttribute("role", "group");
  group.setAttribute("aria-label", "Timeline zoom");
  group.append(zoomOut, readoutBox, zoomIn, fit);
  tools.append(group);
  readout.textContent = "×1";
  zoomOut.disabled = true;
  fit.disabled = true;
  drawAxis();

  // +, − and 0 while a bar has the focus zoom around that bar.
  scroller.addEventListener("keydown", (e) => {
    const target = e.target as HTMLElement;
    if (!target.classList.contains("bar") || e.ctrlKey || e.metaKey || e.altKey) return;
    const factor = e.key === "+" || e.key === "=" ? 2 : e.key === "-" || e.key === "_" ? 0.5 : e.key === "0" ? 0 : undefined;
    if (factor === undefined) return;
    e.preventDefault();
    const barCentre = target.offsetLeft + target.offsetWidth / 2 - scroller.scrollLeft;
    zoom.setZoom(factor === 0 ? MIN_ZOOM : zoom.zoom * factor, Math.max(0, barCentre));
    zoom.reveal(target.offsetLeft + LABEL_PX, target.offsetLeft + LABEL_PX + target.offsetWidth);
  });
  wireArrowKeys(bars);

  return {
    zoom,
    highlightCriticalPath(taskIds) {
      const ids = new Set(taskIds);
      let any = false;
      for (const entry of bars) {
        const on = ids.has(entry.id);
        any ||= on;
        entry.bar.classList.toggle("bar-critical", on);
        const text = on ? entry.text + CRITICAL_NOTE : entry.text;
        entry.bar.title = text;
        entry.bar.setAttribute("aria-label", text);
      }
      legendList.querySelector(".legend-critical-item")?.remove();
      if (!any) return;
      const item = doc.createElement("li");
      item.className = "legend-critical-item";
      const swatch = doc.createElement("span");
      swatch.className = "legend-swatch legend-critical";
      item.append(swatch, "critical path");
      legendList.append(item);
    },
  };
}

const KIND_LABELS: Record<string, string> = {
  main: "main",
  par: "par branch",
  spawn: "spawned task",
  auto: "automatic parallel",
  reduce: "split loop",
};

/** The kinds of task in this run, each with its bar colour (and the loop runs' bracket, if any). */
function legend(doc: Document, trace: Trace, loops: boolean): HTMLElement {
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
  if (loops) {
    const item = doc.createElement("li");
    const swatch = doc.createElement("span");
    swatch.className = "legend-swatch legend-loop-group";
    item.append(swatch, "one run of a split loop");
    list.append(item);
  }
  return list;
}

/**
 * Tick labels under the lanes at round intervals. Only the ticks near the visible part are in
 * the document (a deep zoom would otherwise need thousands); redrawn on zoom and scroll.
 */
function axis(doc: Document): { row: HTMLElement; draw(spanUs: number, zoom: number, viewStart: number): void } {
  const row = doc.createElement("div");
  row.className = "timeline-axis";
  row.setAttribute("aria-hidden", "true");
  const track = doc.createElement("div");
  track.className = "axis-track";
  row.append(doc.createElement("span"), track);
  return {
    row,
    draw(spanUs, zoom, viewStart) {
      const step = niceStep(spanUs / (3 * zoom)); // 4 to 8 ticks per screen
      // viewStart: the scroll offset in screen widths; one screen either side stays drawn.
      const from = Math.max(0, ((viewStart - 1) / zoom) * spanUs);
      const to = Math.min(spanUs, ((viewStart + 2) / zoom) * spanUs);
      const ticks: HTMLElement[] = [];
      for (let i = Math.ceil(from / step); i * step <= to + 1e-9; i++) {
        const t = i * step;
        const tick = doc.createElement("span");
        tick.className = "axis-tick";
        tick.style.left = `${((t / spanUs) * 100).toFixed(4)}%`;
        tick.textContent = tickLabel(t, step);
        ticks.push(tick);
      }
      track.replaceChildren(...ticks);
    },
  };
}

/** A tick's time, with as many decimals as the step between ticks needs (zoomed far in: µs). */
export function tickLabel(us: number, stepUs: number): string {
  const stepMs = stepUs / 1000;
  if (stepMs < 0.1) return `${us.toFixed(Math.max(0, Math.ceil(-Math.log10(stepUs) - 1e-9)))} µs`;
  const decimals = Math.max(0, Math.ceil(-Math.log10(stepMs) - 1e-9));
  return decimals === 0 ? formatMs(us / 1000) : `${(us / 1000).toFixed(decimals)} ms`;
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

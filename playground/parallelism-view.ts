// The Parallelism tab: a profiled run's work/span figures, the profiler's advice, the critical
// path (each step a button that selects its line in the editor) and the speed-up plot (inline
// SVG: the predicted band for 1–64 workers on a log2 axis and this run's measured point).

import type { ProfileReport } from "../wasm-runtime/api.js";
import { formatMs } from "./status-text.js";
import { inFileText, type PickLine } from "./reports.js";
import { PLOT_BOX, layoutSpeedupPlot, measuredSpeedup, sweepSpeedups, type MeasuredPoint } from "./speedup-plot.js";

const SVG_NS = "http://www.w3.org/2000/svg";

export interface ProfiledRun {
  profile: ProfileReport;
  workers: number;
  /** The run's time without start-up, for the measured speed-up. */
  elapsedMs: number;
  /**
   * Measure on every worker count: the same program timed on 1..`maxWorkers` (its output is not
   * shown). `times` so far (start-up excluded); `running` while it goes on.
   */
  sweep?: { maxWorkers: number; times: { workers: number; ms: number }[]; running: boolean; start(): void };
}

export function renderParallelism(container: HTMLElement, run: ProfiledRun | undefined, onPickLine: PickLine, emptyText?: string): void {
  const doc = container.ownerDocument;
  container.replaceChildren();
  if (!run) {
    const empty = doc.createElement("p");
    empty.className = "analysis-empty";
    empty.textContent = emptyText ?? "Run a program with Profile on to see its work, span and predicted speed-up.";
    container.append(empty);
    return;
  }
  const { profile } = run;
  const measured = measuredSpeedup(profile, run.elapsedMs);
  container.append(heading(doc, "Figures"), figures(doc, profile, run, measured));
  if (profile.advice.length > 0) {
    const list = doc.createElement("ul");
    list.className = "profile-advice";
    list.setAttribute("aria-label", "Advice");
    for (const line of profile.advice) {
      const item = doc.createElement("li");
      item.textContent = line;
      list.append(item);
    }
    container.append(heading(doc, "Advice"), list);
  }
  container.append(heading(doc, "Critical path"), criticalPath(doc, profile, onPickLine));
  const points = run.sweep ? sweepSpeedups(run.sweep.times) : [];
  container.append(heading(doc, "Speed-up"), plot(doc, profile, measured === undefined ? undefined : { workers: run.workers, speedup: measured }, points));
  if (run.sweep && run.sweep.maxWorkers > 1) container.append(sweepControls(doc, run.sweep, points));
}

/** The button that times the program on every worker count, and the table of what it measured. */
function sweepControls(doc: Document, sweep: NonNullable<ProfiledRun["sweep"]>, points: MeasuredPoint[]): HTMLElement {
  const box = doc.createElement("div");
  box.className = "sweep";
  const tools = doc.createElement("p");
  tools.className = "sweep-tools";
  const button = doc.createElement("button");
  button.type = "button";
  button.textContent = `Measure on 1–${sweep.maxWorkers} workers`;
  button.disabled = sweep.running;
  button.addEventListener("click", () => sweep.start());
  const note = doc.createElement("span");
  note.className = "panel-hint";
  note.setAttribute("aria-live", "polite");
  note.textContent = sweep.running
    ? `Running on ${sweep.times.length + 1} of ${sweep.maxWorkers} worker counts…`
    : sweep.times.length > 0
      ? "Measured: the time on 1 worker over the time on each count (the plot's connected points)."
      : "Runs the program once per worker count (its output is not shown) and plots the speed-ups.";
  tools.append(button, " ", note);
  box.append(tools);
  if (sweep.times.length > 0) {
    const table = doc.createElement("table");
    table.className = "effects-table sweep-table";
    table.setAttribute("aria-label", "Measured speed-up by worker count");
    const head = table.createTHead().insertRow();
    for (const h of ["Workers", "Time", "Speed-up"]) {
      const th = doc.createElement("th");
      th.scope = "col";
      th.textContent = h;
      head.append(th);
    }
    const body = table.createTBody();
    for (const t of sweep.times) {
      const row = body.insertRow();
      const speedup = points.find((p) => p.workers === t.workers)?.speedup;
      for (const text of [String(t.workers), formatMs(t.ms), speedup === undefined ? "—" : times(speedup)]) row.insertCell().textContent = text;
    }
    box.append(table);
  }
  return box;
}

function heading(doc: Document, text: string): HTMLElement {
  const h = doc.createElement("h3");
  h.className = "analysis-heading";
  h.textContent = text;
  return h;
}

const times = (n: number): string => `${n.toFixed(n < 10 ? 2 : 1)}×`;
const micros = (us: number): string => (us < 1000 ? `${us.toFixed(us < 10 ? 2 : 0)} µs` : formatMs(us / 1000));

function figures(doc: Document, p: ProfileReport, run: ProfiledRun, measured: number | undefined): HTMLElement {
  const list = doc.createElement("dl");
  list.className = "profile-figures";
  const rows: [string, string][] = [
    ["Work", micros(p.work_us)],
    ["Span", micros(p.span_us)],
    ["Parallelism", times(p.parallelism)],
    ["Burdened parallelism", times(p.burdened_parallelism)],
    ["Spawns", p.spawns.toLocaleString("en")],
    ["Median task", p.spawns > 0 ? micros(p.median_task_us) : "—"],
  ];
  if (measured !== undefined) rows.push([`Measured on ${run.workers} worker${run.workers === 1 ? "" : "s"}`, times(measured)]);
  for (const [term, value] of rows) {
    const dt = doc.createElement("dt");
    dt.textContent = term;
    const dd = doc.createElement("dd");
    dd.textContent = value;
    list.append(dt, dd);
  }
  return list;
}

function criticalPath(doc: Document, p: ProfileReport, onPickLine: PickLine): HTMLElement {
  if (p.critical_path.length === 0) {
    const none = doc.createElement("p");
    none.className = "analysis-empty";
    none.textContent = "No steps recorded.";
    return none;
  }
  const list = doc.createElement("ol");
  list.className = "critical-path";
  list.setAttribute("aria-label", "Critical path");
  for (const step of p.critical_path) {
    const item = doc.createElement("li");
    const button = doc.createElement("button");
    button.type = "button";
    button.className = "link-button";
    button.textContent = inFileText(step.file, `line ${step.line}`);
    button.addEventListener("click", () => onPickLine(step.line, step.file));
    item.append(button, ` — task ${step.task}, ${micros(step.us)}`);
    list.append(item);
  }
  return list;
}

function svg<K extends keyof SVGElementTagNameMap>(doc: Document, tag: K, attrs: Record<string, string | number>, text?: string): SVGElementTagNameMap[K] {
  const el = doc.createElementNS(SVG_NS, tag);
  for (const [k, v] of Object.entries(attrs)) el.setAttribute(k, String(v));
  if (text !== undefined) el.textContent = text;
  return el;
}

function plot(doc: Document, p: ProfileReport, measured: MeasuredPoint | undefined, sweep: MeasuredPoint[]): HTMLElement {
  const geometry = layoutSpeedupPlot(p.predicted, measured, PLOT_BOX, sweep);
  const box = PLOT_BOX;
  const figure = doc.createElement("figure");
  figure.className = "speedup-figure";
  const root = svg(doc, "svg", { viewBox: `0 0 ${box.width} ${box.height}`, role: "img", class: "speedup-plot" });
  const bandText = p.predicted.map((b) => `${b.workers}: ${b.speedup_lower}–${b.speedup_upper}`).join(", ");
  const sweepText = sweep.length > 0 ? `; measured on each count: ${sweep.map((m) => `${m.workers}: ${m.speedup.toFixed(2)}`).join(", ")}` : "";
  const label = `Predicted speed-up by worker count (${bandText})${measured ? `; measured ${measured.speedup.toFixed(2)} on ${measured.workers}` : ""}${sweepText}`;
  root.setAttribute("aria-label", label);
  root.append(svg(doc, "title", {}, label));
  const bottom = box.height - box.bottom;
  for (const t of geometry.yTicks) {
    root.append(svg(doc, "line", { x1: box.left, x2: box.width - box.right, y1: t.y, y2: t.y, class: "plot-grid" }));
    root.append(svg(doc, "text", { x: box.left - 4, y: t.y + 3, "text-anchor": "end", class: "plot-tick" }, String(t.speedup)));
  }
  for (const t of geometry.xTicks) {
    root.append(svg(doc, "text", { x: t.x, y: bottom + 12, "text-anchor": "middle", class: "plot-tick" }, String(t.workers)));
  }
  root.append(svg(doc, "line", { x1: box.left, x2: box.width - box.right, y1: bottom, y2: bottom, class: "plot-axis" }));
  root.append(svg(doc, "line", { x1: box.left, x2: box.left, y1: box.top, y2: bottom, class: "plot-axis" }));
  root.append(svg(doc, "path", { d: geometry.band, class: "plot-band" }));
  root.append(svg(doc, "polyline", { points: geometry.upper, class: "plot-edge" }));
  root.append(svg(doc, "polyline", { points: geometry.lower, class: "plot-edge" }));
  if (geometry.measured) root.append(svg(doc, "circle", { cx: geometry.measured.x, cy: geometry.measured.y, r: 4, class: "plot-measured" }));
  if (geometry.sweep.length > 0) {
    root.append(svg(doc, "polyline", { points: geometry.sweep.map((m) => `${m.x.toFixed(1)},${m.y.toFixed(1)}`).join(" "), class: "plot-sweep-line" }));
    for (const m of geometry.sweep) root.append(svg(doc, "rect", { x: m.x - 3.5, y: m.y - 3.5, width: 7, height: 7, class: "plot-sweep", "data-workers": m.workers }));
  }
  root.append(svg(doc, "text", { x: box.left + (box.width - box.left - box.right) / 2, y: box.height - 4, "text-anchor": "middle", class: "plot-label" }, "workers (log₂ scale)"));
  root.append(svg(doc, "text", { x: 10, y: box.top + (bottom - box.top) / 2, "text-anchor": "middle", transform: `rotate(-90 10 ${box.top + (bottom - box.top) / 2})`, class: "plot-label" }, "speed-up"));
  figure.append(root);

  const legend = doc.createElement("ul");
  legend.className = "timeline-legend";
  legend.setAttribute("aria-label", "Plot legend");
  const item = (swatch: string, text: string): HTMLElement => {
    const li = doc.createElement("li");
    const s = doc.createElement("span");
    s.className = `legend-swatch ${swatch}`;
    li.append(s, text);
    return li;
  };
  legend.append(item("legend-band", "predicted (Brent's lower bound to min(workers, parallelism))"));
  if (geometry.measured) legend.append(item("legend-measured", `measured, ${measured!.workers} worker${measured!.workers === 1 ? "" : "s"}`));
  if (geometry.sweep.length > 0) legend.append(item("legend-sweep", "measured on each worker count (time on 1 ÷ time on P)"));
  figure.append(legend);
  return figure;
}

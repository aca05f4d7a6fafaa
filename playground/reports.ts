// Reads the compiler's effects and concurrency reports (typed `unknown` in the API, since they are
// the JSON `kara query` prints) into the shapes the views use. Anything missing or malformed is
// skipped rather than trusted, so a report from a newer or older compiler never breaks the page.

export interface FunctionEffects {
  name: string;
  /** null: the function declares no `with` clause. */
  declared: string[] | null;
  inferred: string[];
  pub: boolean;
}

/** A statement's 1-based first and last source lines. */
export interface LineRange {
  line: number;
  endLine: number;
}

export interface GroupView {
  fn: string;
  /** 1-based source lines of the group's statements, in statement order. */
  lines: number[];
  /** Each statement's whole extent (just its first line when the report has no end offsets). */
  ranges: LineRange[];
  reason: string;
  dispatched: boolean;
}

export interface ReductionView {
  fn: string;
  line: number;
  /** The loop's last line (its first line when unknown). */
  endLine: number;
  accumulator: string;
  op: string;
  fannedOut: boolean;
  reason: string;
}

/** Two statements the compiler kept in order, and why (a data dependency or an effect conflict). */
export interface SerializationView {
  fn: string;
  lines: [number, number];
  reason: string;
}

export interface ConcurrencyView {
  groups: GroupView[];
  reductions: ReductionView[];
  serializations: SerializationView[];
}

/** One editor gutter marker: lines `line`..`endLine` (one statement) run concurrently with others, and why. */
export interface ConcurrencyMarker {
  line: number;
  endLine: number;
  text: string;
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null;
const strings = (v: unknown): string[] => (Array.isArray(v) ? v.filter((s): s is string => typeof s === "string") : []);
const functionsOf = (report: unknown): Record<string, unknown>[] =>
  isObject(report) && Array.isArray(report.functions) ? report.functions.filter(isObject) : [];

export function readEffects(report: unknown): FunctionEffects[] {
  return functionsOf(report)
    .filter((f) => typeof f.function === "string")
    .map((f) => ({
      name: f.function as string,
      declared: Array.isArray(f.declared) ? strings(f.declared) : null,
      inferred: strings(f.inferred),
      pub: f.pub === true,
    }));
}

/** 1-based line of each UTF-16 offset of `source`. */
function lineFinder(source: string): (offset: number) => number {
  const starts = [0];
  for (let i = source.indexOf("\n"); i >= 0; i = source.indexOf("\n", i + 1)) starts.push(i + 1);
  return (offset) => {
    let lo = 0;
    let hi = starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (starts[mid] <= offset) lo = mid;
      else hi = mid - 1;
    }
    return lo + 1;
  };
}

/**
 * @param source the compiled program's text: with it, statement end offsets (when the report has
 * them) become last lines, so a multi-line statement is marked over all of its lines.
 */
export function readConcurrency(report: unknown, source?: string): ConcurrencyView {
  const groups: GroupView[] = [];
  const reductions: ReductionView[] = [];
  const serializations: SerializationView[] = [];
  const lineAt = source === undefined ? undefined : lineFinder(source);
  for (const f of functionsOf(report)) {
    if (typeof f.function !== "string") continue;
    const spans = Array.isArray(f.statement_spans) ? f.statement_spans : [];
    const lineOf = (index: unknown): number | undefined => {
      const span = typeof index === "number" ? spans[index] : undefined;
      return isObject(span) && typeof span.line === "number" ? span.line : undefined;
    };
    const rangeOf = (index: unknown): LineRange | undefined => {
      const line = lineOf(index);
      if (line === undefined) return undefined;
      const span = spans[index as number] as Record<string, unknown>;
      const { offset, end_offset: end } = span;
      // The end is exclusive; a span that does not fit the source (another text) is not trusted.
      const fits = lineAt && source !== undefined && typeof offset === "number" && typeof end === "number" && offset < end && end <= source.length && lineAt(offset) === line;
      return { line, endLine: fits ? Math.max(line, lineAt(end - 1)) : line };
    };
    for (const g of Array.isArray(f.parallel_groups) ? f.parallel_groups.filter(isObject) : []) {
      const ranges = (Array.isArray(g.statements) ? g.statements : []).map(rangeOf).filter((r): r is LineRange => r !== undefined);
      if (ranges.length === 0) continue;
      const lines = ranges.map((r) => r.line);
      groups.push({ fn: f.function, lines, ranges, reason: typeof g.reason === "string" ? g.reason : "", dispatched: g.dispatched === true });
    }
    for (const r of Array.isArray(f.loop_reductions) ? f.loop_reductions.filter(isObject) : []) {
      if (typeof r.loop_line !== "number") continue;
      const range = rangeOf(r.statement);
      reductions.push({
        fn: f.function,
        line: r.loop_line,
        endLine: range && range.line === r.loop_line ? range.endLine : r.loop_line,
        accumulator: typeof r.accumulator === "string" ? r.accumulator : "?",
        op: typeof r.op === "string" ? r.op : "?",
        fannedOut: r.fanned_out === true,
        reason: typeof r.reason === "string" ? r.reason : "",
      });
    }
    for (const p of Array.isArray(f.serialization_points) ? f.serialization_points.filter(isObject) : []) {
      const pair = Array.isArray(p.statements) ? p.statements.map(lineOf) : [];
      if (pair.length !== 2 || pair[0] === undefined || pair[1] === undefined || typeof p.reason !== "string") continue;
      serializations.push({ fn: f.function, lines: [pair[0], pair[1]], reason: p.reason });
    }
  }
  return { groups, reductions, serializations };
}

/**
 * Gutter markers for what actually runs concurrently: members of dispatched groups and loops
 * fanned out across workers, each over its statement's lines. Groups the cost gate kept
 * sequential get no marker (the panel lists them). Several reasons for one statement are joined.
 */
export function concurrencyMarkers(view: ConcurrencyView): ConcurrencyMarker[] {
  const markers: ConcurrencyMarker[] = [];
  for (const g of view.groups) {
    if (!g.dispatched) continue;
    for (const range of g.ranges) {
      const others = g.lines.filter((l) => l !== range.line);
      const with_ = others.length === 1 ? `line ${others[0]}` : `lines ${others.join(", ")}`;
      markers.push({ ...range, text: `Runs in parallel with ${with_} (in ${g.fn}): ${g.reason}` });
    }
  }
  for (const r of view.reductions) {
    if (!r.fannedOut) continue;
    const text = `Loop split across workers (in ${r.fn}): \`${r.accumulator} ${r.op}\` reduction${r.reason ? `; ${r.reason}` : ""}`;
    markers.push({ line: r.line, endLine: r.endLine, text });
  }
  return mergeMarkers(markers);
}

const TASK_KIND_TEXT: Record<string, string> = {
  par: "a `par` branch",
  spawn: "a spawned task",
  auto: "an automatic parallel branch",
  reduce: "a chunk of a split loop",
};

/**
 * Markers from a run's trace: lines whose statements actually ran as tasks (explicit `par`
 * branches and spawned tasks included, which the compiler's report does not cover).
 */
export function traceMarkers(trace: { tasks: { kind: string; line: number; worker: number }[] } | undefined): ConcurrencyMarker[] {
  const byLine = new Map<number, { kinds: Set<string>; count: number; workers: Set<number> }>();
  for (const t of trace?.tasks ?? []) {
    if (!(t.kind in TASK_KIND_TEXT) || t.line < 1) continue;
    const entry = byLine.get(t.line) ?? { kinds: new Set<string>(), count: 0, workers: new Set<number>() };
    entry.kinds.add(t.kind);
    entry.count++;
    entry.workers.add(t.worker);
    byLine.set(t.line, entry);
  }
  return [...byLine.entries()]
    .sort((a, b) => a[0] - b[0])
    .map(([line, e]) => {
      const what = [...e.kinds].map((k) => TASK_KIND_TEXT[k]).join(" / ");
      const workers = [...e.workers].sort((a, b) => a - b);
      const times = e.count === 1 ? "once" : `${e.count} times`;
      return { line, endLine: line, text: `Ran as ${what} (${times}, on worker${workers.length === 1 ? "" : "s"} ${workers.join(", ")})` };
    });
}

/** One marker per first line, over the longest of its ranges, distinct texts joined. */
export function mergeMarkers(...sets: ConcurrencyMarker[][]): ConcurrencyMarker[] {
  const byLine = new Map<number, { endLine: number; texts: string[] }>();
  for (const m of sets.flat()) {
    const entry = byLine.get(m.line) ?? { endLine: m.line, texts: [] };
    entry.endLine = Math.max(entry.endLine, m.endLine);
    if (!entry.texts.includes(m.text)) entry.texts.push(m.text);
    byLine.set(m.line, entry);
  }
  return [...byLine.entries()].sort((a, b) => a[0] - b[0]).map(([line, e]) => ({ line, endLine: e.endLine, text: e.texts.join("\n") }));
}

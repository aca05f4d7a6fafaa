// Reads the compiler's effects and concurrency reports (typed `unknown` in the API, since they are
// the JSON `kara query` prints) into the shapes the views use. Anything missing or malformed is
// skipped rather than trusted, so a report from a newer or older compiler never breaks the page.

export interface FunctionEffects {
  name: string;
  /** null: the function declares no `with` clause. */
  declared: string[] | null;
  inferred: string[];
  pub: boolean;
  /** The provider scopes the function opens (`with_provider`, `providers { } in { }`), in source order. */
  providerScopes: ProviderScopeView[];
}

/** One frame of a provider stack: a resource, its provider's type, and the line of the scope that bound it. */
export interface ProviderFrameView {
  resource: string;
  provider: string;
  line: number;
  /** A later frame binds the same resource, so calls inside the scope do not reach this one. */
  shadowed: boolean;
}

export interface ProviderScopeView {
  line: number;
  /** The scope's file (and its frames'), in a program of several files. */
  file?: string;
  /** The stack inside the scope as the function builds it, outermost (bottom) first. */
  stack: ProviderFrameView[];
}

/** A statement's 1-based first and last source lines. */
export interface LineRange {
  line: number;
  endLine: number;
  /** The statement's file, in a program of several files. */
  file?: string;
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
  /** The loop's file, in a program of several files. */
  file?: string;
  accumulator: string;
  op: string;
  fannedOut: boolean;
  reason: string;
}

/** Two statements the compiler kept in order, and why (a data dependency or an effect conflict). */
export interface SerializationView {
  fn: string;
  lines: [number, number];
  /** The statements' file, in a program of several files. */
  file?: string;
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
  /** The file the lines are in, in a program of several files (the page shows each file's own). */
  file?: string;
}

/** Select `line` in the editor; in a program of several files `file` names the file tab it is in. */
export type PickLine = (line: number, file?: string) => void;

/** `line 3` as a report names a place: `util.kara line 3` when a program of several files names the file. */
export function inFileText(file: string | undefined, lines: string): string {
  return file === undefined ? lines : `${file} ${lines}`;
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
      providerScopes: providerScopesOf(f.provider_scopes),
    }));
}

function providerScopesOf(v: unknown): ProviderScopeView[] {
  if (!Array.isArray(v)) return [];
  return v.filter(isObject).flatMap((s) => {
    if (typeof s.line !== "number" || !Array.isArray(s.stack)) return [];
    const stack = s.stack
      .filter(isObject)
      .filter((f) => typeof f.resource === "string" && typeof f.provider === "string" && typeof f.line === "number")
      .map((f) => ({ resource: f.resource as string, provider: f.provider as string, line: f.line as number, shadowed: f.shadowed === true }));
    return [{ line: s.line, ...(typeof s.file === "string" ? { file: s.file } : {}), stack }];
  });
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
 * @param source the compiled program's text (a program of several files: each file's text by its
 * name): with it, statement end offsets (when the report has them) become last lines, so a
 * multi-line statement is marked over all of its lines.
 */
export function readConcurrency(report: unknown, source?: string | ((file: string) => string | undefined)): ConcurrencyView {
  const groups: GroupView[] = [];
  const reductions: ReductionView[] = [];
  const serializations: SerializationView[] = [];
  const finders = new Map<string, ((offset: number) => number) | undefined>();
  const textOf = (file: unknown): string | undefined => (typeof source === "function" ? (typeof file === "string" ? source(file) : undefined) : source);
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
      const text = textOf(span.file);
      const key = typeof span.file === "string" ? span.file : "";
      if (!finders.has(key)) finders.set(key, text === undefined ? undefined : lineFinder(text));
      const lineAt = finders.get(key);
      // Only a program of several files names the file of each statement (one file: the only one).
      const file = typeof source === "function" && typeof span.file === "string" ? { file: span.file } : {};
      // The end is exclusive; a span that does not fit the source (another text) is not trusted.
      const fits = lineAt && text !== undefined && typeof offset === "number" && typeof end === "number" && offset < end && end <= text.length && lineAt(offset) === line;
      return { line, endLine: fits ? Math.max(line, lineAt(end - 1)) : line, ...file };
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
        ...(range?.file === undefined ? {} : { file: range.file }),
        accumulator: typeof r.accumulator === "string" ? r.accumulator : "?",
        op: typeof r.op === "string" ? r.op : "?",
        fannedOut: r.fanned_out === true,
        reason: typeof r.reason === "string" ? r.reason : "",
      });
    }
    for (const p of Array.isArray(f.serialization_points) ? f.serialization_points.filter(isObject) : []) {
      const pair = Array.isArray(p.statements) ? p.statements.map(lineOf) : [];
      if (pair.length !== 2 || pair[0] === undefined || pair[1] === undefined || typeof p.reason !== "string") continue;
      const file = Array.isArray(p.statements) ? rangeOf(p.statements[1])?.file : undefined;
      serializations.push({ fn: f.function, lines: [pair[0], pair[1]], reason: p.reason, ...(file === undefined ? {} : { file }) });
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
    markers.push({ line: r.line, endLine: r.endLine, text, ...(r.file === undefined ? {} : { file: r.file }) });
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
export function traceMarkers(trace: { tasks: { kind: string; line: number; worker: number; file?: string }[] } | undefined): ConcurrencyMarker[] {
  // In a program of several files each task names the file of its line: lines group per file.
  const byLine = new Map<string, { file?: string; line: number; kinds: Set<string>; count: number; workers: Set<number> }>();
  for (const t of trace?.tasks ?? []) {
    if (!(t.kind in TASK_KIND_TEXT) || t.line < 1) continue;
    const key = `${t.file ?? ""}:${t.line}`;
    const entry = byLine.get(key) ?? { file: t.file, line: t.line, kinds: new Set<string>(), count: 0, workers: new Set<number>() };
    entry.kinds.add(t.kind);
    entry.count++;
    entry.workers.add(t.worker);
    byLine.set(key, entry);
  }
  return [...byLine.values()]
    .sort((a, b) => (a.file ?? "").localeCompare(b.file ?? "") || a.line - b.line)
    .map((e) => {
      const what = [...e.kinds].map((k) => TASK_KIND_TEXT[k]).join(" / ");
      const workers = [...e.workers].sort((a, b) => a - b);
      const times = e.count === 1 ? "once" : `${e.count} times`;
      const text = `Ran as ${what} (${times}, on worker${workers.length === 1 ? "" : "s"} ${workers.join(", ")})`;
      return { line: e.line, endLine: e.line, text, ...(e.file === undefined ? {} : { file: e.file }) };
    });
}

/** One marker per first line, over the longest of its ranges, distinct texts joined. */
export function mergeMarkers(...sets: ConcurrencyMarker[][]): ConcurrencyMarker[] {
  // Lines are per file: markers of one line merge only within their file.
  const byLine = new Map<string, { file?: string; line: number; endLine: number; texts: string[] }>();
  for (const m of sets.flat()) {
    const key = `${m.file ?? ""}:${m.line}`;
    const entry = byLine.get(key) ?? { file: m.file, line: m.line, endLine: m.line, texts: [] };
    entry.endLine = Math.max(entry.endLine, m.endLine);
    if (!entry.texts.includes(m.text)) entry.texts.push(m.text);
    byLine.set(key, entry);
  }
  return [...byLine.values()]
    .sort((a, b) => (a.file ?? "").localeCompare(b.file ?? "") || a.line - b.line)
    .map((e) => ({ line: e.line, endLine: e.endLine, text: e.texts.join("\n"), ...(e.file === undefined ? {} : { file: e.file }) }));
}

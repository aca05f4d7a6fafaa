// Wires the page together: editor, compile worker, worker pool, output, problems, timeline,
// examples and share links. The compiler loads in the background; everything here works
// before it arrives.

// First: starts the compile worker before the other modules are evaluated.
import { compileWorker } from "./start-compiler.js";
import type { CompileResult } from "../compiler/api.js";
import type { Diagnostic } from "../compiler/diagnostics.js";
import type { Runner } from "../wasm-runtime/api.js";
import { createBrowserRunner } from "../wasm-runtime/browser.js";
import { CompilerClient, type CompilerLoadState } from "./compiler-client.js";
import { renderAnalysis } from "./analysis-view.js";
import { renderDiagnostics } from "./diagnostics-view.js";
import { createEditor } from "./editor.js";
import { examples } from "./examples.js";
import { OutputView } from "./output-view.js";
import { concurrencyMarkers, mergeMarkers, readConcurrency, readEffects, traceMarkers, type ConcurrencyMarker } from "./reports.js";
import { Session, type SessionStatus } from "./session.js";
import { fragmentFor, sourceFromHash } from "./share-codec.js";
import { statusLine } from "./status-text.js";
import { wireTabs } from "./tabs.js";
import { renderTimeline } from "./timeline-view.js";
import { showWat } from "./wasm-view.js";

const FALLBACK_SOURCE = 'fn main() {\n    println("Hello from Kāra!");\n}\n';
const DEFAULT_EXAMPLE = "par_counter";

function byId<T extends HTMLElement>(id: string): T {
  const el = document.getElementById(id);
  if (!el) throw new Error(`missing #${id}`);
  return el as T;
}

const ui = {
  run: byId<HTMLButtonElement>("run"),
  stop: byId<HTMLButtonElement>("stop"),
  workers: byId<HTMLSelectElement>("workers"),
  trace: byId<HTMLInputElement>("trace"),
  examples: byId<HTMLSelectElement>("examples"),
  share: byId<HTMLButtonElement>("share"),
  shareNote: byId<HTMLElement>("share-note"),
  status: byId<HTMLElement>("status"),
  notices: byId<HTMLElement>("notices"),
  editor: byId<HTMLElement>("editor"),
  output: byId<HTMLElement>("output"),
  problems: byId<HTMLElement>("problems"),
  timeline: byId<HTMLElement>("timeline"),
  tabs: document.querySelector<HTMLElement>('[role="tablist"]')!,
  analyze: byId<HTMLButtonElement>("analyze"),
  analysis: byId<HTMLElement>("analysis"),
  optLevel: byId<HTMLSelectElement>("opt-level"),
  showWasm: byId<HTMLButtonElement>("show-wasm"),
  wasmInfo: byId<HTMLElement>("wasm-info"),
  wat: byId<HTMLElement>("wat"),
};

function notice(text: string, tone: "info" | "error" = "info"): void {
  const p = document.createElement("p");
  p.className = `notice notice-${tone}`;
  p.setAttribute("role", tone === "error" ? "alert" : "note");
  p.textContent = text;
  ui.notices.append(p);
}

// --- compiler (in its own worker, started by start-compiler.ts, loading in the background) ---
const compiler = new CompilerClient(compileWorker);

// --- worker pool: created at load so workers are warm before the first Run ------------------
let runner: Runner | undefined;
try {
  const cores = navigator.hardwareConcurrency || 4;
  runner = createBrowserRunner(Math.max(2, Math.min(8, cores)));
} catch (err) {
  notice(`The worker pool could not start: ${err instanceof Error ? err.message : String(err)}`, "error");
}
if (runner && (runner.mode === "sequential" || globalThis.crossOriginIsolated !== true)) {
  notice(
    "This page is not cross-origin isolated, so shared memory is unavailable: programs run sequentially on one worker.",
  );
}
for (let n = 1; n <= (runner?.size ?? 1); n++) ui.workers.add(new Option(String(n), String(n)));
ui.workers.value = String(runner?.size ?? 1);
ui.workers.disabled = (runner?.size ?? 1) <= 1;

// --- editor: starts with the program of the link, if the page was opened from one -----------
const defaultSource = examples.find((e) => e.name === DEFAULT_EXAMPLE)?.source ?? examples[0]?.source ?? FALLBACK_SOURCE;

async function linkedSource(): Promise<string | undefined> {
  try {
    return await sourceFromHash(location.hash);
  } catch {
    notice("The link's program could not be decoded; showing an example instead.", "error");
    return undefined;
  }
}

const editor = createEditor(ui.editor, {
  doc: (await linkedSource()) ?? defaultSource,
  onRun: () => void startRun(),
  label: "Editor",
});

// --- status line ------------------------------------------------------------------------
let sessionStatus: SessionStatus = { kind: "idle" };
let loadState: CompilerLoadState = compiler.loadState;
const loadStarted = performance.now();
let loadTicker: ReturnType<typeof setInterval> | undefined;

function paintStatus(): void {
  const line = statusLine(loadState, sessionStatus, performance.now() - loadStarted);
  ui.status.textContent = line.text;
  ui.status.dataset.state = line.state;
  ui.status.dataset.tone = line.tone;
}

compiler.onLoadState((state) => {
  loadState = state;
  if (state.kind === "loading" && loadTicker === undefined) loadTicker = setInterval(paintStatus, 100);
  if (state.kind !== "loading" && loadTicker !== undefined) {
    clearInterval(loadTicker);
    loadTicker = undefined;
  }
  paintStatus();
});

// --- runs ---------------------------------------------------------------------------------
const output = new OutputView(ui.output);

function showDiagnostics(diagnostics: Diagnostic[]): void {
  editor.showDiagnostics(diagnostics);
  renderDiagnostics(ui.problems, diagnostics, (d) => editor.select(d.span.offset, d.span.length));
}

function reportEnd(status: SessionStatus): void {
  if (status.kind === "compile-failed") {
    output.note("error", `Compilation failed with ${status.errors} error${status.errors === 1 ? "" : "s"}; see Problems.`);
  } else if (status.kind === "failed") {
    output.note("error", status.message);
  } else if (status.kind === "finished" && status.result.status !== "ok") {
    const r = status.result;
    const label = {
      panic: "program panicked",
      "error-result": "main returned an error",
      stopped: "stopped",
      timeout: "timed out",
      deadlock: "deadlock",
      crash: "crashed",
      ok: "",
    }[r.status];
    if (r.status === "stopped") {
      output.note("info", "stopped");
      return;
    }
    // The program prints its own panic line (as karac does): mark it rather than repeat it.
    const shown = r.status === "panic" && r.message !== undefined && output.mark(r.message.trim());
    output.note("error", r.message && !shown ? `${label}: ${r.message}` : `${label} (exit code ${r.exitCode})`);
  }
}

// --- effects & concurrency: from every compile (Run, Analyze, Show wasm) ---------------------
const tabs = wireTabs(ui.tabs);
/** Gutter markers from the last compile's report; a run's trace adds what actually ran as tasks. */
let reportMarkers: ConcurrencyMarker[] = [];

function showReports(result: CompileResult, source: string): void {
  if (result.effects === undefined && result.concurrency === undefined) {
    // Stopped before analysis (syntax or type errors): old results would describe another program.
    renderAnalysis(ui.analysis, undefined, () => {}, "The program has errors (see Problems); fix them to see its analysis.");
    reportMarkers = [];
    editor.showConcurrency([]);
    return;
  }
  const concurrency = readConcurrency(result.concurrency, source);
  renderAnalysis(ui.analysis, { effects: readEffects(result.effects), concurrency }, (line) => editor.selectLine(line));
  reportMarkers = concurrencyMarkers(concurrency);
  editor.showConcurrency(reportMarkers);
}
renderAnalysis(ui.analysis, undefined, () => {});

/** Compile without running (for Analyze and Show wasm); the Run button is unaffected. */
async function compileOnly(button: HTMLButtonElement, options: { optimize?: 0 | 1 | 2 | 3; emitText?: boolean }): Promise<CompileResult | undefined> {
  button.disabled = true;
  try {
    const source = editor.getText();
    const result = await compiler.compile(source, { fileName: "main.kara", ...options });
    showDiagnostics(result.diagnostics);
    showReports(result, source);
    return result;
  } catch (err) {
    notice(err instanceof Error ? err.message : String(err), "error");
    return undefined;
  } finally {
    button.disabled = false;
  }
}

ui.analyze.addEventListener("click", () => void compileOnly(ui.analyze, {}));

ui.showWasm.addEventListener("click", async () => {
  const level = Number(ui.optLevel.value) as 0 | 1 | 2 | 3;
  ui.wat.textContent = "";
  ui.wasmInfo.textContent = level > 0 ? `Compiling with -O${level}; the optimiser takes a while…` : "Compiling…";
  const started = performance.now();
  const result = await compileOnly(ui.showWasm, { optimize: level, emitText: true });
  showWat(ui.wat, ui.wasmInfo, result, level, performance.now() - started);
});

const session = new Session(compiler, runner, {
  status(status) {
    sessionStatus = status;
    const busy = status.kind === "compiling" || status.kind === "running";
    ui.run.disabled = busy;
    ui.stop.disabled = !busy;
    if (!busy) {
      output.flush(); // the status must never announce an end before the output shows it
      reportEnd(status);
    }
    paintStatus();
  },
  reset() {
    output.clear();
    showDiagnostics([]);
    renderTimeline(ui.timeline, undefined, () => {});
    reportMarkers = [];
    editor.showConcurrency([]);
  },
  diagnostics: showDiagnostics,
  compiled: showReports,
  output: (fd, text) => output.append(fd, text),
  trace(trace) {
    renderTimeline(ui.timeline, trace, (line) => editor.selectLine(line));
    editor.showConcurrency(mergeMarkers(reportMarkers, traceMarkers(trace)));
  },
});

function startRun(): Promise<void> {
  if (session.busy) return Promise.resolve();
  return session.run({ source: editor.getText(), workers: Number(ui.workers.value) || 1, trace: ui.trace.checked });
}

ui.run.addEventListener("click", () => void startRun());
ui.stop.addEventListener("click", () => session.stop());
renderTimeline(ui.timeline, undefined, () => {});

// --- examples -----------------------------------------------------------------------------
for (const group of new Set(examples.map((e) => e.group))) {
  const section = document.createElement("optgroup");
  section.label = group;
  for (const e of examples.filter((x) => x.group === group)) section.append(new Option(e.name, e.name));
  ui.examples.append(section);
}
ui.examples.addEventListener("change", () => {
  const chosen = examples.find((e) => e.name === ui.examples.value);
  ui.examples.value = ""; // back to "Choose…", so choosing the same example again reloads it
  if (!chosen) return;
  editor.setText(chosen.source);
  showDiagnostics([]);
  editor.focus();
});

// --- share links --------------------------------------------------------------------------
ui.share.addEventListener("click", async () => {
  const fragment = await fragmentFor(editor.getText());
  history.replaceState(history.state, "", `${location.pathname}${location.search}${fragment}`);
  let copied = false;
  try {
    await navigator.clipboard.writeText(location.href);
    copied = true;
  } catch {
    // No clipboard permission (or no focus): the link is still in the address bar.
  }
  ui.shareNote.textContent = copied ? "Link copied." : "Link is in the address bar.";
});

// A link pasted into the address bar of an open playground loads like a fresh visit.
window.addEventListener("hashchange", async () => {
  const source = await linkedSource();
  if (source === undefined) return;
  editor.setText(source);
  showDiagnostics([]);
});

// Wires the page together: editor, compile worker, worker pool, output, problems, timeline,
// examples and share links. The compiler loads in the background; everything here works
// before it arrives.

// First: starts the compile worker before the other modules are evaluated.
import { compileWorker } from "./start-compiler.js";
import type { CompileResult, ProgramFile } from "../compiler/api.js";
import type { Diagnostic } from "../compiler/diagnostics.js";
import type { ProfileReport, Runner } from "../wasm-runtime/api.js";
import { createBrowserRunner } from "../wasm-runtime/browser.js";
import { CompilerClient, type CheckAnswer, type CompilerLoadState } from "./compiler-client.js";
import { renderAnalysis } from "./analysis-view.js";
import { renderDiagnostics } from "./diagnostics-view.js";
import { browserStorage, DraftStore } from "./draft-store.js";
import { createEditor } from "./editor.js";
import { examples, type Example } from "./examples.js";
import { wireExamplesMenu } from "./examples-menu.js";
import { buildLabel, wireHelpDialog } from "./help-dialog.js";
import { LiveCheck } from "./live-check.js";
import { OutputView } from "./output-view.js";
import { outputAnnouncement } from "./output-announcement.js";
import { wirePaneSplitter } from "./pane-splitter.js";
import { trackHeightAbove, wirePhoneTabs } from "./phone-tabs.js";
import { concurrencyMarkers, mergeMarkers, readConcurrency, readEffects, traceMarkers, type ConcurrencyMarker } from "./reports.js";
import { RUN_TIMEOUT_MS, Session, type SessionStatus } from "./session.js";
import { filesFromHash, programPayload, shareFragment } from "./share-files.js";
import { MAIN_FILE, ProgramTabs } from "./program-tabs.js";
import { renderFileTabs } from "./file-tabs-view.js";
import { statusLine } from "./status-text.js";
import { wireTabs } from "./tabs.js";
import { wireThemeToggle } from "./theme.js";
import { wireToolbarOptions } from "./toolbar-options.js";
import { renderTimeline, type TimelineHandle } from "./timeline-view.js";
import { renderParallelism, type ProfiledRun } from "./parallelism-view.js";
import { TestRun } from "./test-run.js";
import { TestView } from "./test-view.js";
import type { TestMark } from "./test-gutter.js";
import type { WasmView } from "./wasm-view.js";

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
  test: byId<HTMLButtonElement>("test"),
  runTests: byId<HTMLButtonElement>("run-tests"),
  tests: byId<HTMLElement>("tests"),
  testsSummary: byId<HTMLElement>("tests-summary"),
  workers: byId<HTMLSelectElement>("workers"),
  trace: byId<HTMLInputElement>("trace"),
  profile: byId<HTMLInputElement>("profile"),
  examples: byId<HTMLButtonElement>("examples"),
  examplesMenu: byId<HTMLElement>("examples-menu"),
  share: byId<HTMLButtonElement>("share"),
  format: byId<HTMLButtonElement>("format"),
  formatOnRun: byId<HTMLInputElement>("format-on-run"),
  shareNote: byId<HTMLElement>("share-note"),
  status: byId<HTMLElement>("status"),
  notices: byId<HTMLElement>("notices"),
  editor: byId<HTMLElement>("editor"),
  fileTabs: byId<HTMLElement>("file-tabs"),
  output: byId<HTMLElement>("output"),
  copyOutput: byId<HTMLButtonElement>("copy-output"),
  downloadOutput: byId<HTMLButtonElement>("download-output"),
  outputNote: byId<HTMLElement>("output-note"),
  problems: byId<HTMLElement>("problems"),
  timeline: byId<HTMLElement>("timeline"),
  parallelism: byId<HTMLElement>("parallelism"),
  tabs: document.querySelector<HTMLElement>('.tabs[role="tablist"]')!,
  analyze: byId<HTMLButtonElement>("analyze"),
  analysis: byId<HTMLElement>("analysis"),
  optLevel: byId<HTMLSelectElement>("opt-level"),
  showWasm: byId<HTMLButtonElement>("show-wasm"),
  wasmInfo: byId<HTMLElement>("wasm-info"),
  wat: byId<HTMLElement>("wat"),
  wasmFunction: byId<HTMLSelectElement>("wasm-function"),
  downloadWasm: byId<HTMLButtonElement>("download-wasm"),
  downloadWat: byId<HTMLButtonElement>("download-wat"),
  outputAnnouncer: byId<HTMLElement>("output-announcer"),
  layout: document.querySelector<HTMLElement>("main.layout")!,
  phoneTabs: document.querySelector<HTMLElement>(".phone-tabs")!,
  paneSplit: byId<HTMLElement>("pane-split"),
};

function notice(text: string, tone: "info" | "error" = "info", action?: { label: string; run(): void }): HTMLElement {
  const p = document.createElement("p");
  p.className = `notice notice-${tone}`;
  p.setAttribute("role", tone === "error" ? "alert" : "note");
  p.textContent = text;
  if (action) {
    const button = document.createElement("button");
    button.type = "button";
    button.textContent = action.label;
    button.addEventListener("click", () => {
      action.run();
      p.remove();
    });
    p.append(" ", button);
  }
  const dismiss = document.createElement("button");
  dismiss.type = "button";
  dismiss.className = "notice-dismiss";
  dismiss.textContent = "×";
  dismiss.setAttribute("aria-label", "Dismiss");
  dismiss.addEventListener("click", () => p.remove());
  p.append(dismiss);
  ui.notices.append(p);
  return p;
}

wireThemeToggle(byId<HTMLButtonElement>("theme"));
wireToolbarOptions(byId<HTMLButtonElement>("toolbar-more"), byId<HTMLElement>("toolbar-settings"));
const build = { version: __KARA_VERSION__, commit: __KARA_COMMIT__ };
byId("build-info").textContent = `v${build.version} · ${build.commit}`;
byId("build-info").title = buildLabel(build);
wireHelpDialog(byId<HTMLButtonElement>("help"), byId<HTMLDialogElement>("help-dialog"), build);

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

// --- editor: the saved draft, or the program of the link the page was opened from ------------
const drafts = new DraftStore(browserStorage());
const draft = drafts.load();
const defaultSource = examples.find((e) => e.name === DEFAULT_EXAMPLE)?.source ?? examples[0]?.source ?? FALLBACK_SOURCE;
/** The `#code=` payload last opened or shared here; reloading that URL keeps later edits. */
let openedLink = draft?.link;

if (draft?.workers !== undefined && ui.workers.querySelector(`option[value="${draft.workers}"]`)) ui.workers.value = String(draft.workers);
if (draft?.trace !== undefined) ui.trace.checked = draft.trace;
if (draft?.profile !== undefined) ui.profile.checked = draft.profile;
if (draft?.formatOnRun !== undefined) ui.formatOnRun.checked = draft.formatOnRun;

/** The program's files (file tabs); the editor shows the active one. */
const programTabs = new ProgramTabs(draft?.files ?? [{ name: MAIN_FILE, text: draft?.source ?? defaultSource }], draft?.activeFile ?? 0);
// Every compile and check is of the whole program, whichever file the editor shows.
compiler.programOf = (source) => programTabs.program(source);

async function linkedSource(): Promise<{ payload: string; files: ProgramFile[] } | undefined> {
  const payload = programPayload(location.hash);
  if (payload === undefined) return undefined;
  try {
    const files = await filesFromHash(location.hash);
    return files === undefined ? undefined : { payload, files };
  } catch {
    notice("The link's program could not be decoded; your previous text is unchanged.", "error");
    return undefined;
  }
}

let version = 0;
/** The Wasm tab's view, loaded with the first Show wasm: most visits never open it. */
let wasmView: WasmView | undefined;
const editor = createEditor(ui.editor, {
  doc: programTabs.activeFile.text,
  docKey: programTabs.activeFile.name,
  onRun: () => void startRun(),
  onShare: () => void share(),
  onFormat: () => void formatProgram(),
  onCursorLine(line) {
    if (wasmView && tabs.selected === "panel-wasm") wasmView.followCursor(line, programTabs.activeFile.name);
  },
  onChange(v) {
    version = v;
    programTabs.setActiveText(editor.getText());
    saveDraft();
    liveCheck.edited();
  },
  label: "Editor",
  describedBy: "editor-hint",
});

// On a phone the editor and the output take turns; a Run shows the output, a link to a line the code.
const phoneTabs = wirePhoneTabs(ui.phoneTabs, ui.layout);
trackHeightAbove(ui.layout, [document.querySelector<HTMLElement>("header.toolbar")!, ui.phoneTabs, ui.notices]);
function showLine(line: number): void {
  phoneTabs.show("code");
  editor.selectLine(line);
}

let split = draft?.split;
function saveDraft(): void {
  const files = programTabs.program(editor.getText());
  drafts.save({ source: files[0].text, files: files.length > 1 ? files : undefined, activeFile: programTabs.active, workers: Number(ui.workers.value) || undefined, trace: ui.trace.checked, profile: ui.profile.checked, link: openedLink, split, formatOnRun: ui.formatOnRun.checked });
}
wirePaneSplitter(ui.paneSplit, ui.layout, split, (value) => {
  split = value;
  saveDraft();
});
ui.workers.addEventListener("change", saveDraft);
ui.trace.addEventListener("change", saveDraft);
ui.profile.addEventListener("change", saveDraft);
ui.formatOnRun.addEventListener("change", saveDraft);
// A closing tab must not lose the last keystrokes to the save delay.
addEventListener("pagehide", () => drafts.flush());

/**
 * Put a new program in the editor (an example, a link) as one undoable edit, so the text it
 * replaces is one Undo away; a notice offers that Undo when there was work of the user's to lose.
 */
function loadProgram(source: string, what: string): void {
  if (programTabs.files.length > 1) return loadFiles([{ name: MAIN_FILE, text: source }], what);
  const previous = editor.getText();
  if (previous === source) return;
  editor.replaceText(source);
  showDiagnostics([]);
  const unsaved = previous.trim() !== "" && previous !== defaultSource && !examples.some((e) => e.source === previous);
  if (unsaved) notice(`Loaded ${what}. Your previous text is one Undo (Ctrl/Cmd+Z) away.`, "info", { label: "Restore previous text", run: () => editor.undo() });
}

async function openLink(): Promise<void> {
  const link = await linkedSource();
  if (!link || link.payload === openedLink) return;
  openedLink = link.payload;
  if (link.files.length === 1 && programTabs.files.length === 1) loadProgram(link.files[0].text, "the shared program");
  else loadFiles(link.files, "the shared program");
  saveDraft();
}

// --- file tabs: main.kara and the modules it imports ----------------------------------------
/** Show file `index` in the editor, keeping the text of the one shown before. */
function showFile(index: number): void {
  programTabs.setActiveText(editor.getText());
  programTabs.select(index);
  showActiveFile();
}

/** The last Test run's gutter marks, of every file: each tab shows its own (showMarksOfShownFile). */
let testMarks: TestMark[] = [];
/** The concurrency markers shown, of every file (the report's, and a run's trace's): each tab shows its own. */
let concurrencyMarks: ConcurrencyMarker[] = [];
/** The last profiled Run's critical path, of every file: each tab shows its own. */
let criticalSteps: ProfileReport["critical_path"] = [];

function showActiveFile(): void {
  editor.showDocument(programTabs.activeFile.name, programTabs.activeFile.text);
  paintFileTabs();
  if (lastDiagnostics) showDiagnostics(lastDiagnostics);
  showMarksOfShownFile();
}

/**
 * What belongs to the file shown: in a program of several files the reports and test results
 * name each one's file; without a file it is the program's only one.
 */
function ofShownFile<T extends { file?: string }>(items: readonly T[]): T[] {
  const shown = programTabs.activeFile.name;
  return items.filter((m) => (m.file ?? MAIN_FILE) === shown);
}

/** The gutter markers of the file shown, after another file is shown. */
function showMarksOfShownFile(): void {
  editor.showTestResults(ofShownFile(testMarks));
  editor.showConcurrency(ofShownFile(concurrencyMarks));
  editor.showCriticalPath(ofShownFile(criticalSteps));
}

/** `line` of `file` (a file tab's name, or a path ending in one); the shown file without one. */
function showLineOfFile(line: number, file?: string): void {
  const index = file === undefined ? -1 : programTabs.files.findIndex((f) => f.name === file || file.endsWith(`/${f.name}`));
  if (index >= 0 && index !== programTabs.active) showFile(index);
  showLine(line);
}

/**
 * Replace the whole program (a link of several files, or any program while there are several
 * tabs); a notice offers the previous files back when there was work of the user's in them.
 */
function loadFiles(files: ProgramFile[], what: string): void {
  const previous = programTabs.program(editor.getText());
  programTabs.replace(files);
  editor.showDocument(programTabs.activeFile.name, programTabs.activeFile.text);
  paintFileTabs();
  showDiagnostics([]);
  const unsaved = previous.some((f) => f.text.trim() !== "" && f.text !== defaultSource && !examples.some((e) => e.source === f.text));
  if (unsaved) {
    notice(`Loaded ${what}. Your previous files can be restored.`, "info", {
      label: "Restore previous files",
      run: () => {
        programTabs.replace(previous);
        editor.showDocument(programTabs.activeFile.name, programTabs.activeFile.text);
        paintFileTabs();
      },
    });
  }
}

function paintFileTabs(): void {
  renderFileTabs(ui.fileTabs, programTabs.files, programTabs.active, {
    select: (index) => {
      showFile(index);
      editor.focus();
    },
    add: () => {
      programTabs.setActiveText(editor.getText());
      programTabs.add();
      showActiveFile();
      saveDraft();
      editor.focus();
    },
    rename: (index) => {
      const old = programTabs.files[index].name;
      if (index === 0) return notice(`${MAIN_FILE} is the program's root file and keeps its name.`, "info"), undefined;
      const wanted = prompt(`Rename ${old} to (a module path such as util.kara or geo/shapes.kara):`, old);
      if (wanted === null || wanted.trim() === "" || wanted.trim() === old) return;
      programTabs.setActiveText(editor.getText());
      const problem = programTabs.rename(index, wanted);
      if (problem) return notice(problem, "error"), undefined;
      editor.forgetDocument(old);
      if (index === programTabs.active) editor.showDocument(programTabs.activeFile.name, programTabs.activeFile.text);
      paintFileTabs();
      saveDraft();
    },
    remove: (index) => {
      const file = programTabs.files[index];
      programTabs.setActiveText(editor.getText());
      if (file.text.trim() !== "" && !confirm(`Delete ${file.name}? Its text is lost.`)) return;
      editor.forgetDocument(file.name);
      programTabs.remove(index);
      editor.showDocument(programTabs.activeFile.name, programTabs.activeFile.text);
      paintFileTabs();
      saveDraft();
    },
  });
}
paintFileTabs();

const output = new OutputView(ui.output);

// --- status line ------------------------------------------------------------------------
let sessionStatus: SessionStatus = { kind: "idle" };
let loadState: CompilerLoadState = compiler.loadState;
const loadStarted = performance.now();
let loadTicker: ReturnType<typeof setInterval> | undefined;

function paintStatus(): void {
  const line = statusLine(loadState, sessionStatus, performance.now() - loadStarted, output.truncatedLines);
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


/** The last diagnostics shown, so a file tab shows its own when it is chosen. */
let lastDiagnostics: Diagnostic[] | undefined;
function showDiagnostics(diagnostics: Diagnostic[]): void {
  lastDiagnostics = diagnostics;
  // In a program of several files each diagnostic names its file: the editor marks the shown one's.
  const shown = programTabs.activeFile.name;
  editor.showDiagnostics(diagnostics.filter((d) => d.file === undefined || d.file === shown));
  renderDiagnostics(ui.problems, diagnostics, (d) => {
    phoneTabs.show("code");
    const index = d.file === undefined ? -1 : programTabs.files.findIndex((f) => f.name === d.file);
    if (index >= 0 && index !== programTabs.active) showFile(index);
    editor.select(d.span.offset, d.span.length);
  });
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

// --- output: Copy and Download carry all of it, however much is on screen -------------------
function outputChanged(): void {
  const empty = output.lineCount === 0;
  ui.copyOutput.disabled = empty;
  ui.downloadOutput.disabled = empty;
}
ui.copyOutput.addEventListener("click", async () => {
  try {
    await navigator.clipboard.writeText(output.text);
    ui.outputNote.textContent = `Copied ${output.lineCount.toLocaleString("en")} line${output.lineCount === 1 ? "" : "s"}.`;
  } catch {
    ui.outputNote.textContent = "Copying was not allowed; use Download.";
  }
});
ui.downloadOutput.addEventListener("click", () => {
  const url = URL.createObjectURL(new Blob([output.text], { type: "text/plain;charset=utf-8" }));
  const a = document.createElement("a");
  a.href = url;
  a.download = "output.txt";
  a.click();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
});

// --- effects & concurrency: from every compile (Run, Analyze, Show wasm) ---------------------
const tabs = wireTabs(ui.tabs);
/** Gutter markers from the last compile's report; a run's trace adds what actually ran as tasks. */
let reportMarkers: ConcurrencyMarker[] = [];
function showConcurrencyMarks(markers: ConcurrencyMarker[]): void {
  concurrencyMarks = markers;
  editor.showConcurrency(ofShownFile(markers));
}

function showReports(result: CompileResult, source: string): void {
  if (result.effects === undefined && result.concurrency === undefined) {
    // Stopped before analysis (syntax or type errors): old results would describe another program.
    renderAnalysis(ui.analysis, undefined, () => {}, "The program has errors (see Problems); fix them to see its analysis.");
    reportMarkers = [];
    showConcurrencyMarks([]);
    return;
  }
  // A program of several files: each statement's file's text (the program as compiled is the one shown now, or close to it).
  const files = programTabs.program(editor.getText());
  const concurrency = readConcurrency(result.concurrency, files.length > 1 ? (name) => files.find((f) => f.name === name)?.text : source);
  renderAnalysis(ui.analysis, { effects: readEffects(result.effects), concurrency }, showLineOfFile);
  reportMarkers = concurrencyMarkers(concurrency);
  showConcurrencyMarks(reportMarkers);
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
  const source = editor.getText();
  const [result, { WasmView }] = await Promise.all([compileOnly(ui.showWasm, { optimize: level, emitText: true }), import("./wasm-view.js")]);
  wasmView ??= new WasmView({ pre: ui.wat, info: ui.wasmInfo, functions: ui.wasmFunction, downloadWasm: ui.downloadWasm, downloadWat: ui.downloadWat }, showLineOfFile);
  // A program of several files: the site table names each function's file, whose text gives its extent.
  const files = programTabs.program(source);
  const fileText = (name: string): string | undefined => files.find((f) => f.name === name || name.endsWith(`/${f.name}`))?.text;
  wasmView.show(result, level, performance.now() - started, files.length > 1 ? fileText : source, editor.cursorLine(), programTabs.activeFile.name);
});

/** The timeline of the last run, so a profile arriving after it can mark its critical path. */
let timeline: TimelineHandle = renderTimeline(ui.timeline, undefined, () => {});

const session = new Session(compiler, runner, {
  status(status) {
    sessionStatus = status;
    const busy = status.kind === "compiling" || status.kind === "running";
    ui.run.disabled = busy;
    ui.stop.disabled = !busy;
    ui.test.disabled = busy;
    ui.runTests.disabled = busy;
    if (busy) {
      paintStatus();
      return;
    }
    // The status must never announce an end before the output shows it; a large output is
    // drawn a slice per frame, so the end is reported once it is all there.
    void output.settled().then(() => {
      if (sessionStatus !== status) return; // a new Run started meanwhile
      reportEnd(status);
      showProfile(status);
      outputChanged();
      paintStatus();
      ui.outputAnnouncer.textContent = outputAnnouncement(status, output.lineCount, output.truncatedLines) ?? "";
    });
  },
  reset() {
    output.clear();
    ui.outputAnnouncer.textContent = "";
    ui.outputNote.textContent = "";
    outputChanged();
    showDiagnostics([]);
    timeline = renderTimeline(ui.timeline, undefined, () => {});
    profiled = undefined;
    renderParallelism(ui.parallelism, undefined, () => {}, "Running…");
    criticalSteps = [];
    editor.showCriticalPath([]);
    reportMarkers = [];
    showConcurrencyMarks([]);
  },
  diagnostics: showDiagnostics,
  compiled: showReports,
  output(fd, text) {
    output.append(fd, text);
    if (ui.copyOutput.disabled) outputChanged();
  },
  trace(trace) {
    timeline = renderTimeline(ui.timeline, trace, showLineOfFile);
    showConcurrencyMarks(mergeMarkers(reportMarkers, traceMarkers(trace)));
  },
});

/** The Parallelism tab after a Run: the profile when one was measured, otherwise why not. */
function showProfile(status: SessionStatus): void {
  const pick = showLineOfFile;
  if (status.kind !== "finished" || !status.result.profile) {
    const why = !ui.profile.checked
      ? undefined
      : status.kind === "finished" && status.result.status !== "ok"
        ? "The run did not finish, so there is no profile."
        : "The last Run has no profile.";
    renderParallelism(ui.parallelism, undefined, pick, why);
    return;
  }
  const r = status.result;
  // The critical path, also where the code and the run are drawn.
  timeline.highlightCriticalPath(r.profile!.critical_path.map((s) => s.task));
  criticalSteps = r.profile!.critical_path;
  editor.showCriticalPath(ofShownFile(criticalSteps));
  const run: ProfiledRun = {
    profile: r.profile!,
    workers: lastRunWorkers,
    elapsedMs: r.wallMs - (r.startupMs ?? 0),
    sweep: { maxWorkers: runner?.size ?? 1, times: [], running: false, start: () => void measureEveryWorkerCount() },
  };
  profiled = { run, source: lastRunSource };
  renderParallelism(ui.parallelism, run, pick);
}

/** The last profiled Run, for timing the same program on every worker count. */
let profiled: { run: ProfiledRun; source: string } | undefined;
let sweepStopped = false;

/**
 * The Parallelism tab's "Measure on 1–N workers": compile the profiled program once, run it on
 * 1, 2, … N workers without profiling (output not shown), and plot time on 1 ÷ time on P beside
 * the predicted band. Stop ends it; a new Run discards it.
 */
async function measureEveryWorkerCount(): Promise<void> {
  const target = profiled;
  const sweep = target?.run.sweep;
  if (!target || !sweep || !runner || session.busy || testRun.busy || sweep.running) return;
  const repaint = (): void => {
    if (profiled === target) renderParallelism(ui.parallelism, target.run, showLineOfFile);
  };
  sweepStopped = false;
  sweep.times = [];
  sweep.running = true;
  setToolbarBusy(true);
  repaint();
  try {
    const compiled = await compiler.compile(target.source, { fileName: "main.kara" });
    if (!compiled.ok || !compiled.wasm) return;
    for (let workers = 1; workers <= Math.min(sweep.maxWorkers, runner.size); workers++) {
      if (sweepStopped || profiled !== target) break;
      const r = await runner.run({ wasm: compiled.wasm, workers, timeoutMs: RUN_TIMEOUT_MS });
      if (r.status !== "ok") break;
      sweep.times.push({ workers, ms: r.wallMs - (r.startupMs ?? 0) });
      repaint();
    }
  } catch (err) {
    notice(`Measuring stopped: ${err instanceof Error ? err.message : String(err)}`, "error");
  } finally {
    sweep.running = false;
    setToolbarBusy(false);
    repaint();
  }
}

/** Run and Test are unavailable (and Stop available) while the pool is busy outside a Run. */
function setToolbarBusy(busy: boolean): void {
  ui.run.disabled = busy;
  ui.test.disabled = busy;
  ui.runTests.disabled = busy;
  ui.stop.disabled = !busy;
}

/** The worker count of the Run in progress (the selector may change while it runs). */
let lastRunWorkers = 1;
/** The text of the Run in progress (the editor may change while it runs). */
let lastRunSource = "";

let formatting = false;
async function startRun(): Promise<void> {
  if (session.busy || formatting || testRun.busy || profiled?.run.sweep?.running) return;
  // A program that does not parse runs unformatted: the compile reports its errors.
  if (ui.formatOnRun.checked) await formatProgram({ quiet: true });
  if (session.busy) return;
  phoneTabs.show("output");
  lastRunWorkers = Math.max(1, Math.min(runner?.size ?? 1, Number(ui.workers.value) || 1));
  lastRunSource = editor.getText();
  return session.run({ source: lastRunSource, workers: lastRunWorkers, trace: ui.trace.checked, profile: ui.profile.checked });
}

/**
 * `kara fmt` in the compile worker, applied as one undoable edit of the part that changed. Text
 * typed while the formatter worked wins: the result is dropped. `quiet` (format on Run) says
 * nothing when the program cannot be formatted; the Run's compile will list its errors.
 */
async function formatProgram({ quiet = false } = {}): Promise<void> {
  if (formatting) return;
  formatting = true;
  ui.format.disabled = true;
  const before = version;
  const source = editor.getText();
  try {
    const result = await compiler.format(source);
    if (version !== before) return;
    if (result.ok) {
      editor.rewriteText(result.text);
      if (!quiet) toolbarNote(result.changed ? "Formatted." : "Already formatted.");
    } else if (!quiet) {
      showDiagnostics(result.diagnostics);
      toolbarNote("Not formatted: the program has syntax errors (see Problems).", "warning");
    }
  } catch (err) {
    if (!quiet) toolbarNote(`Not formatted: ${err instanceof Error ? err.message : String(err)}`, "warning");
  } finally {
    formatting = false;
    ui.format.disabled = false;
  }
}
ui.format.addEventListener("click", () => void formatProgram());

ui.run.addEventListener("click", () => void startRun());
ui.stop.addEventListener("click", () => {
  session.stop();
  testRun.stop();
  if (profiled?.run.sweep?.running) {
    sweepStopped = true;
    runner?.stop();
  }
});

// --- tests: the file's `test "name" { .. }` blocks, in parallel on lanes of the pool ----------
const testView = new TestView(ui.tests, ui.testsSummary, showLineOfFile, (marks) => {
  testMarks = marks;
  editor.showTestResults(ofShownFile(testMarks));
});
const testRun = new TestRun(compiler, runner, {
  listed: (tests) => testView.listed(tests),
  diagnostics: showDiagnostics,
  started: (index) => testView.started(index),
  result: (index, event, printed) => testView.result(index, event, printed),
  ended(end) {
    testView.ended(end);
    setToolbarBusy(false);
    // The status line says how the tests went until the next Run (or a load-state change).
    const failed = end.kind === "compile-failed" || end.kind === "failed" || ((end.kind === "finished" || end.kind === "stopped") && end.summary.failed > 0);
    ui.status.textContent = `Tests: ${ui.testsSummary.textContent}`;
    ui.status.dataset.state = "tests-finished";
    ui.status.dataset.tone = failed ? "bad" : "good";
    ui.outputAnnouncer.textContent = `Tests ended. ${ui.testsSummary.textContent}`;
  },
});

async function startTests(): Promise<void> {
  if (session.busy || formatting || testRun.busy || profiled?.run.sweep?.running) return;
  phoneTabs.show("output");
  tabs.select("panel-tests");
  setToolbarBusy(true);
  ui.status.textContent = "Running tests…";
  ui.status.dataset.state = "testing";
  ui.status.dataset.tone = "busy";
  ui.outputAnnouncer.textContent = "";
  testView.starting();
  showDiagnostics([]);
  const workers = Math.max(1, Math.min(runner?.size ?? 1, Number(ui.workers.value) || 1));
  await testRun.run({ source: editor.getText(), workers });
}
ui.test.addEventListener("click", () => void startTests());
ui.runTests.addEventListener("click", () => void startTests());
renderParallelism(ui.parallelism, undefined, () => {});

// --- examples -----------------------------------------------------------------------------
wireExamplesMenu(ui.examples, ui.examplesMenu, examples, (chosen: Example) => {
  loadProgram(chosen.source, `the example ${chosen.name}`);
  editor.focus();
});

// --- share links: Share (or Ctrl/Cmd+S) puts the current program in the URL ---------------
/** Links longer than this may be cut by chat apps, mail clients and some browsers. */
const LONG_LINK = 2000;

async function share(): Promise<void> {
  // One file: the official playground's `#code=`; several: `#files=` (share-files.ts).
  const { fragment, payload } = await shareFragment(programTabs.program(editor.getText()));
  history.replaceState(history.state, "", `${location.pathname}${location.search}${fragment}`);
  openedLink = payload; // reloading this URL keeps the draft, which is this program (and later edits)
  saveDraft();
  let copied = false;
  try {
    await navigator.clipboard.writeText(location.href);
    copied = true;
  } catch {
    // No clipboard permission (or no focus): the link is still in the address bar.
  }
  const length = location.href.length;
  const where = copied ? "Link copied" : "Link is in the address bar";
  const long = length > LONG_LINK ? " — long: some apps cut links over 2,000 characters" : "";
  toolbarNote(`${where} (${length.toLocaleString("en")} characters${long}).`, long ? "warning" : "info");
}

/** The toolbar's one-line, politely announced answer to Share and Format. */
function toolbarNote(text: string, tone: "info" | "warning" = "info"): void {
  ui.shareNote.textContent = text;
  ui.shareNote.dataset.tone = tone;
}
ui.share.addEventListener("click", () => void share());

// A link pasted into the address bar of an open playground loads like a fresh visit.
window.addEventListener("hashchange", () => void openLink());

// --- checking as you type ------------------------------------------------------------------
// Test blocks and `*_test.kara` companions are checked too, as `kara check` does: an error in a
// test shows while typing, not only when the tests run.
const checkOptions = { fileName: "main.kara", checkOnly: true, checkTests: true } as const;
const liveCheck = new LiveCheck<CheckAnswer>({
  check: (source) => compiler.checkLatest("check", source, checkOptions),
  current: () => ({ version, source: editor.getText() }),
  show({ result, index }, source) {
    if (index) editor.showCodeIndex(index); // hover and completion keep the last clean check's
    if (session.busy) return; // the Run shows its own compile's results
    showDiagnostics(result.diagnostics);
    showReports(result, source);
  },
  failed: () => {}, // the status line already says the compiler is unavailable
});

await openLink();

// Hover and completion for the text as loaded: the page's panes stay as they are until an edit.
void (async () => {
  const loaded = version;
  const answer = await compiler.checkLatest("check", editor.getText(), checkOptions).catch(() => undefined);
  if (answer?.index && version === loaded) editor.showCodeIndex(answer.index);
})();

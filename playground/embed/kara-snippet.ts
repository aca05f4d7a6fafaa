// <kara-snippet>: a small runnable, editable Kāra program for documentation pages. One script tag
// is the whole integration:
//
//   <script type="module" src="https://…/kara-snippet.js"></script>
//   <pre class="kara">fn main() { println("hi"); }</pre>        (upgraded in place)
//   <kara-snippet>fn main() { … }</kara-snippet>                  (or written directly)
//
// Snippets are plain text areas until Run: the compiler and the worker pool load on the first Run
// of any snippet and are shared by all of them. On a page without cross-origin isolation programs
// run on one worker, and the snippet links to the playground for a parallel run.

import type { Diagnostic } from "../../compiler/diagnostics.js";
import { OutputView } from "../output-view.js";
import { Session, type SessionStatus } from "../session.js";
import { fragmentFor } from "../share-codec.js";
import { formatMs, plural } from "../status-text.js";
import { parallelAvailable, RunnerLane, sharedCompiler } from "./shared-runtime.js";
import { snippetSource } from "./snippet-text.js";

/**
 * The playground's address: the site this script came from (overridable per snippet). The code
 * lives in `assets/` of the built site (dist/kara-snippet.js only re-exports it) or in `embed/`
 * of the sources, one level below the playground's page.
 */
const DEFAULT_PLAYGROUND = ((): string => {
  const here = new URL(".", import.meta.url);
  return /\/(assets|embed)\/$/.test(here.pathname) ? new URL("..", here).href : here.href;
})();

const STYLE = `
:host { display: block; margin: 1em 0; border: 1px solid #dedbd2; border-radius: 8px; overflow: hidden; background: #fff;
  font: 14px/1.4 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; color: #1d1f24; }
.bar { display: flex; flex-wrap: wrap; align-items: center; gap: 6px 10px; padding: 6px 10px; background: #f7f5f0; border-bottom: 1px solid #dedbd2; }
button { font: inherit; padding: 2px 12px; border: 1px solid #dedbd2; border-radius: 6px; background: #f4f2ec; cursor: pointer; }
button:disabled { opacity: .45; cursor: default; }
.run { background: #b4441c; border-color: #b4441c; color: #fff; font-weight: 600; }
.status { color: #6a6f7a; font-size: 13px; }
.status[data-tone="good"] { color: #1f7a3a; } .status[data-tone="bad"] { color: #b3261e; }
.open { margin-left: auto; font-size: 13px; color: #1d5fa8; }
textarea { display: block; box-sizing: border-box; width: 100%; margin: 0; padding: 8px 12px; border: 0; resize: vertical;
  font: 13px/1.45 ui-monospace, "SFMono-Regular", "DejaVu Sans Mono", Menlo, Consolas, monospace; color: inherit; background: #fff; tab-size: 4; }
textarea:focus { outline: 2px solid #b4441c55; outline-offset: -2px; }
.notice { margin: 0; padding: 4px 12px; font-size: 13px; background: #fff4d6; border-top: 1px solid #ecd9a0; }
.output { margin: 0; padding: 8px 12px; max-height: 18em; overflow: auto; background: #1e1f23; color: #e8e6e1;
  font: 13px/1.45 ui-monospace, "SFMono-Regular", "DejaVu Sans Mono", Menlo, Consolas, monospace; white-space: pre-wrap; word-break: break-word; }
.output[hidden], .notice[hidden] { display: none; }
.out-stderr { color: #ff9f8f; } .out-panic { background: #5a1d17; color: #ffb4a8; font-weight: 600; }
.out-note { font-style: italic; color: #a9adb6; } .out-note-error { color: #ff8a7a; font-style: normal; font-weight: 600; }
`;

function statusText(status: SessionStatus, first: boolean): { text: string; tone: "busy" | "good" | "bad" | "idle" } {
  switch (status.kind) {
    case "idle":
      return { text: "", tone: "idle" };
    case "compiling":
      return { text: first ? "Loading the compiler and compiling…" : "Compiling…", tone: "busy" };
    case "running":
      return { text: status.workers > 1 ? `Running on ${plural(status.workers, "worker")}…` : "Running…", tone: "busy" };
    case "compile-failed":
      return { text: `${plural(status.errors, "error")}`, tone: "bad" };
    case "failed":
      return { text: "Could not run", tone: "bad" };
    case "finished": {
      const r = status.result;
      if (r.status === "ok") return { text: `Finished in ${formatMs(r.wallMs)}`, tone: "good" };
      if (r.status === "stopped") return { text: "Stopped", tone: "idle" };
      return { text: r.status === "panic" ? "Panicked" : `Ended: ${r.status} (exit code ${r.exitCode})`, tone: "bad" };
    }
  }
}

let anyRunStarted = false;

export class KaraSnippet extends HTMLElement {
  private session?: Session;
  private textarea!: HTMLTextAreaElement;
  private output!: OutputView;
  private outputEl!: HTMLElement;
  private runButton!: HTMLButtonElement;
  private stopButton!: HTMLButtonElement;
  private statusEl!: HTMLElement;
  private links: HTMLAnchorElement[] = [];
  private linkTimer: ReturnType<typeof setTimeout> | undefined;
  /** This run is the page's first: it also waits for the compiler to load. */
  private firstOnPage = false;

  /** The program text (what the reader sees and edits). */
  get code(): string {
    return this.textarea?.value ?? snippetSource(this.textContent ?? "");
  }

  set code(text: string) {
    if (this.textarea) {
      this.textarea.value = text;
      this.fit();
      this.updateLinks();
    } else this.textContent = text;
  }

  connectedCallback(): void {
    if (this.shadowRoot) return; // moved within the page: keep state
    const root = this.attachShadow({ mode: "open" });
    const doc = this.ownerDocument;
    const style = doc.createElement("style");
    style.textContent = STYLE;

    const bar = doc.createElement("div");
    bar.className = "bar";
    this.runButton = Object.assign(doc.createElement("button"), { type: "button", className: "run", textContent: "Run", title: "Run (Ctrl/Cmd+Enter)" });
    this.stopButton = Object.assign(doc.createElement("button"), { type: "button", className: "stop", textContent: "Stop", disabled: true });
    this.statusEl = Object.assign(doc.createElement("span"), { className: "status" });
    this.statusEl.setAttribute("role", "status");
    this.statusEl.setAttribute("aria-live", "polite");
    const parallel = parallelAvailable();
    const open = this.playgroundLink(parallel ? "Open in playground" : "Open in playground (parallel)");
    open.className = "open";
    bar.append(this.runButton, this.stopButton, this.statusEl, open);

    this.textarea = doc.createElement("textarea");
    this.textarea.spellcheck = false;
    this.textarea.setAttribute("aria-label", this.getAttribute("label") ?? "Kāra code");
    this.textarea.setAttribute("autocapitalize", "off");
    this.textarea.value = snippetSource(this.textContent ?? "");
    this.textarea.addEventListener("input", () => {
      this.fit();
      this.updateLinks();
    });
    this.textarea.addEventListener("keydown", (e) => {
      if (e.key === "Enter" && (e.ctrlKey || e.metaKey)) {
        e.preventDefault();
        void this.run();
      }
    });

    const notice = doc.createElement("p");
    notice.className = "notice";
    notice.hidden = parallel;
    notice.append("This page is not cross-origin isolated, so this snippet runs on one worker. ");
    notice.append(this.playgroundLink("Open in playground (parallel)"));

    this.outputEl = doc.createElement("pre");
    this.outputEl.className = "output";
    this.outputEl.hidden = true;
    this.outputEl.setAttribute("aria-label", "Output");
    this.outputEl.tabIndex = 0;
    this.output = new OutputView(this.outputEl);

    root.append(style, bar, this.textarea, notice, this.outputEl);
    this.runButton.addEventListener("click", () => void this.run());
    this.stopButton.addEventListener("click", () => this.session?.stop());
    this.fit();
    this.updateLinks();
  }

  disconnectedCallback(): void {
    // Removed from the page: its run (if any) must not keep the shared pool busy.
    if (!this.isConnected) this.session?.stop();
  }

  /** Compile and run the current text (what the Run button does). */
  async run(): Promise<void> {
    if (this.session?.busy) return;
    this.firstOnPage = !anyRunStarted;
    anyRunStarted = true;
    if (!this.session) {
      const lane = new RunnerLane((waiting) => {
        if (waiting) this.statusEl.textContent = "Waiting for another snippet's run to end…";
        else if (this.dataset.state === "running") this.paint({ kind: "running", workers: Number(this.dataset.workers) || 1 }, false);
      });
      this.session = new Session(sharedCompiler, lane, {
        status: (status) => this.paint(status, this.firstOnPage),
        reset: () => {
          this.output.clear();
          this.outputEl.hidden = false;
        },
        diagnostics: (diagnostics) => this.showDiagnostics(diagnostics),
        output: (fd, text) => this.output.append(fd, text),
        trace: () => {},
      });
    }
    if (this.session.busy) return;
    await this.session.run({ source: this.code, workers: Number(this.getAttribute("workers")) || 64, trace: false, fileName: "main.kara" });
  }

  private paint(status: SessionStatus, first: boolean): void {
    const busy = status.kind === "compiling" || status.kind === "running";
    this.runButton.disabled = busy;
    this.stopButton.disabled = !busy;
    const line = statusText(status, first);
    this.statusEl.textContent = line.text;
    this.statusEl.dataset.tone = line.tone;
    this.dataset.state = status.kind === "finished" ? status.result.status : status.kind;
    if (status.kind === "running") this.dataset.workers = String(status.workers);
    if (busy) return;
    this.output.flush();
    if (status.kind === "failed") this.output.note("error", status.message);
    if (status.kind === "finished") {
      const r = status.result;
      if (r.status === "panic" && r.message && this.output.mark(r.message.trim())) this.output.note("error", `program panicked (exit code ${r.exitCode})`);
      else if (r.status !== "ok") this.output.note(r.status === "stopped" ? "info" : "error", r.message ? `${r.status}: ${r.message}` : r.status);
    }
  }

  private showDiagnostics(diagnostics: Diagnostic[]): void {
    for (const d of diagnostics) {
      this.output.note(d.severity === "error" ? "error" : "info", `${d.severity}[${d.code}] ${d.span.line}:${d.span.column}: ${d.message}`);
    }
  }

  private playgroundLink(text: string): HTMLAnchorElement {
    const a = this.ownerDocument.createElement("a");
    a.textContent = text;
    a.target = "_blank";
    a.rel = "noopener";
    a.href = this.playgroundBase();
    // The href follows edits with a short delay (encoding is async); a click right after an edit
    // must still carry the latest code, so a plain click builds the link first.
    a.addEventListener("click", async (e) => {
      if (e.button !== 0 || e.ctrlKey || e.metaKey || e.shiftKey || e.altKey) return;
      e.preventDefault();
      const href = await this.currentLink();
      for (const l of this.links) l.href = href;
      window.open(href, "_blank", "noopener");
    });
    this.links.push(a);
    return a;
  }

  private playgroundBase(): string {
    return new URL(this.getAttribute("playground") ?? DEFAULT_PLAYGROUND, this.ownerDocument.baseURI).href.replace(/#.*$/, "");
  }

  /** Links carry the code as edited (debounced: encoding is async). */
  private updateLinks(): void {
    clearTimeout(this.linkTimer);
    this.linkTimer = setTimeout(async () => {
      const href = await this.currentLink();
      for (const a of this.links) a.href = href;
    }, 150);
  }

  private async currentLink(): Promise<string> {
    return this.playgroundBase() + (await fragmentFor(this.code));
  }

  private fit(): void {
    this.textarea.rows = Math.max(2, Math.min(30, this.textarea.value.split("\n").length));
  }
}

/** Turn every `<pre class="kara">` under `root` into a snippet. */
export function upgradeCodeBlocks(root: ParentNode = document): void {
  for (const pre of Array.from(root.querySelectorAll<HTMLElement>("pre.kara"))) {
    const snippet = document.createElement("kara-snippet");
    for (const attr of ["playground", "workers", "label"]) {
      const v = pre.getAttribute(`data-${attr}`);
      if (v !== null) snippet.setAttribute(attr, v);
    }
    snippet.textContent = pre.textContent ?? "";
    pre.replaceWith(snippet);
  }
}

if (!customElements.get("kara-snippet")) customElements.define("kara-snippet", KaraSnippet);
if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", () => upgradeCodeBlocks());
else upgradeCodeBlocks();

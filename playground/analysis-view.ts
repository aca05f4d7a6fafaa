// The "Effects & concurrency" panel: per function the declared and the inferred effects, the
// provider stack at each provider scope (provider-stack-view.ts), then the parallel groups (and
// loop reductions) the compiler found, with its reason and whether the group actually runs in
// parallel. Choosing a group selects its first line in the editor.

import { providerScopesSection } from "./provider-stack-view.js";
import { inFileText, type ConcurrencyView, type FunctionEffects, type PickLine } from "./reports.js";

export interface AnalysisData {
  effects: FunctionEffects[];
  concurrency: ConcurrencyView;
}

function el<K extends keyof HTMLElementTagNameMap>(doc: Document, tag: K, className?: string, text?: string): HTMLElementTagNameMap[K] {
  const e = doc.createElement(tag);
  if (className) e.className = className;
  if (text !== undefined) e.textContent = text;
  return e;
}

const effectList = (atoms: string[]): string => (atoms.length === 0 ? "pure" : atoms.join(", "));

export function renderAnalysis(
  container: HTMLElement,
  data: AnalysisData | undefined,
  onPickLine: PickLine,
  emptyText = "Run or Analyze the program to see each function's effects and what runs in parallel.",
): void {
  const doc = container.ownerDocument;
  container.replaceChildren();
  if (!data) {
    container.append(el(doc, "p", "analysis-empty", emptyText));
    return;
  }

  container.append(el(doc, "h3", "analysis-heading", "Effects"));
  const table = el(doc, "table", "effects-table");
  table.setAttribute("aria-label", "Effects per function");
  const head = el(doc, "tr");
  for (const h of ["Function", "Declared", "Inferred"]) head.append(el(doc, "th", undefined, h));
  table.append(el(doc, "thead"), el(doc, "tbody"));
  table.tHead!.append(head);
  for (const f of data.effects) {
    const row = el(doc, "tr");
    row.append(
      el(doc, "td", "fn-name", f.pub ? `pub ${f.name}` : f.name),
      el(doc, "td", f.declared === null ? "effects-none" : "effects-declared", f.declared === null ? "—" : effectList(f.declared)),
      el(doc, "td", "effects-inferred", effectList(f.inferred)),
    );
    table.tBodies[0].append(row);
  }
  container.append(table);
  container.append(...providerScopesSection(doc, data.effects, onPickLine));

  container.append(el(doc, "h3", "analysis-heading", "Parallel groups"));
  const { groups, reductions, serializations } = data.concurrency;
  if (groups.length === 0 && reductions.length === 0) {
    container.append(el(doc, "p", "analysis-empty", "No independent statements found: everything runs in program order (explicit par blocks and tasks aside)."));
  } else {
    container.append(groupList(doc, data.concurrency, onPickLine));
  }
  if (serializations.length > 0) {
    container.append(el(doc, "h3", "analysis-heading", "Kept in order"));
    const kept = el(doc, "ul", "groups");
    kept.setAttribute("aria-label", "Kept in order");
    for (const s of serializations) {
      const li = el(doc, "li");
      const button = el(doc, "button", "group group-sequential");
      button.type = "button";
      button.append(el(doc, "span", "group-where", `${s.fn}: ${inFileText(s.file, `lines ${s.lines[0]} → ${s.lines[1]}`)}`), el(doc, "span", "group-reason", s.reason));
      button.addEventListener("click", () => onPickLine(s.lines[1], s.file));
      li.append(button);
      kept.append(li);
    }
    container.append(kept);
  }
}

function groupList(doc: Document, concurrency: ConcurrencyView, onPickLine: PickLine): HTMLElement {
  const { groups, reductions } = concurrency;
  const list = el(doc, "ul", "groups");
  list.setAttribute("aria-label", "Parallel groups");
  const item = (where: string, reason: string, parallel: boolean, verdict: string, line: number, file: string | undefined): void => {
    const li = el(doc, "li");
    const button = el(doc, "button", `group ${parallel ? "group-parallel" : "group-sequential"}`);
    button.type = "button";
    button.append(
      el(doc, "span", "group-where", where),
      " ",
      el(doc, "span", "group-verdict", verdict),
      el(doc, "span", "group-reason", reason),
    );
    button.addEventListener("click", () => onPickLine(line, file));
    li.append(button);
    list.append(li);
  };
  // What actually runs in parallel first; groups the cost gate kept sequential after.
  for (const g of [...groups].sort((a, b) => Number(b.dispatched) - Number(a.dispatched))) {
    const lines = g.lines.length === 1 ? `line ${g.lines[0]}` : `lines ${g.lines.join(", ")}`;
    const file = g.ranges[0]?.file;
    item(`${g.fn}: ${inFileText(file, lines)}`, g.reason, g.dispatched, g.dispatched ? "runs in parallel" : "kept sequential (not worth dispatching)", g.lines[0], file);
  }
  for (const r of reductions) {
    item(
      `${r.fn}: loop at ${inFileText(r.file, `line ${r.line}`)}`,
      `\`${r.accumulator} ${r.op}\` reduction${r.reason ? `: ${r.reason}` : ""}`,
      r.fannedOut,
      r.fannedOut ? "split across workers" : "kept sequential",
      r.line,
      r.file,
    );
  }
  return list;
}

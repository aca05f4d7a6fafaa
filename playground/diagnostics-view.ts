// The Problems list: one entry per diagnostic with its code, line:col and message. Choosing
// an entry moves the editor selection to the diagnostic's span.

import type { Diagnostic } from "../compiler/diagnostics.js";

export function renderDiagnostics(list: HTMLElement, diagnostics: Diagnostic[], onPick: (d: Diagnostic) => void): void {
  const doc = list.ownerDocument;
  list.replaceChildren();
  for (const d of diagnostics) {
    const item = doc.createElement("li");
    const button = doc.createElement("button");
    button.type = "button";
    button.className = `diag diag-${d.severity}`;
    const code = doc.createElement("span");
    code.className = "diag-code";
    code.textContent = `${d.severity}[${d.code}]`;
    const where = doc.createElement("span");
    where.className = "diag-where";
    // A program of several files names the file of each diagnostic.
    where.textContent = `${d.file === undefined ? "" : `${d.file}:`}${d.span.line}:${d.span.column}`;
    const message = doc.createElement("span");
    message.className = "diag-message";
    message.textContent = d.message;
    button.append(code, " ", where, " ", message);
    for (const n of d.notes ?? []) {
      const note = doc.createElement("span");
      note.className = "diag-note";
      note.textContent = `note: ${n}`;
      button.append(note);
    }
    button.addEventListener("click", () => onPick(d));
    item.append(button);
    list.append(item);
  }
}

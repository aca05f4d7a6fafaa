// The keyboard-shortcut help: a modal dialog opened by the toolbar's "?" button or the `?` key
// (unless the focus is somewhere `?` is text: the editor, a field). It lists the shortcuts, links
// to the language reference, and names the compiler's version and commit.

import { REFERENCE_LINKS, SHORTCUTS } from "./shortcuts.js";

export interface BuildLabel {
  version: string;
  commit: string;
}

export function buildLabel(info: BuildLabel): string {
  return `Compiler ${info.version} (commit ${info.commit})`;
}

/** Where a typed `?` is text, not a command. */
function typingTarget(target: EventTarget | null): boolean {
  if (!(target instanceof HTMLElement)) return false;
  return target.isContentEditable || target.closest(".cm-editor") !== null || /^(INPUT|TEXTAREA|SELECT)$/.test(target.tagName);
}

function fill(dialog: HTMLDialogElement, info: BuildLabel): void {
  const doc = dialog.ownerDocument;
  const el = <K extends keyof HTMLElementTagNameMap>(tag: K, text?: string): HTMLElementTagNameMap[K] => {
    const e = doc.createElement(tag);
    if (text !== undefined) e.textContent = text;
    return e;
  };
  const table = el("table");
  table.className = "shortcuts";
  const head = table.createTHead().insertRow();
  for (const h of ["Keys", "Action"]) {
    const th = el("th", h);
    th.scope = "col";
    head.append(th);
  }
  const body = table.createTBody();
  for (const s of SHORTCUTS) {
    const row = body.insertRow();
    const keys = el("td");
    keys.append(el("kbd", s.keys));
    row.append(keys, el("td", s.action));
  }
  const links = el("ul");
  for (const l of REFERENCE_LINKS) {
    const a = el("a", l.title);
    a.href = l.href;
    a.target = "_blank";
    a.rel = "noopener";
    const li = el("li");
    li.append(a);
    links.append(li);
  }
  const title = el("h2", "Keyboard shortcuts");
  title.id = "help-title";
  const reference = el("h3", "Language reference");
  const close = el("button", "Close");
  close.type = "button";
  close.addEventListener("click", () => dialog.close());
  const build = el("p", buildLabel(info));
  build.className = "help-build";
  dialog.setAttribute("aria-labelledby", "help-title");
  dialog.replaceChildren(title, table, reference, links, build, close);
}

export function wireHelpDialog(button: HTMLButtonElement, dialog: HTMLDialogElement, info: BuildLabel): void {
  fill(dialog, info);
  const open = (): void => {
    if (!dialog.open) dialog.showModal();
  };
  button.addEventListener("click", open);
  // A click on the backdrop (outside the dialog's box) closes it too.
  dialog.addEventListener("click", (event) => {
    if (event.target === dialog) {
      const r = dialog.getBoundingClientRect();
      const inside = event.clientX >= r.left && event.clientX <= r.right && event.clientY >= r.top && event.clientY <= r.bottom;
      if (!inside) dialog.close();
    }
  });
  dialog.ownerDocument.addEventListener("keydown", (event) => {
    if (event.key !== "?" || event.ctrlKey || event.metaKey || event.altKey || event.defaultPrevented) return;
    if (dialog.open || typingTarget(event.target)) return;
    event.preventDefault();
    open();
  });
}

// The file tabs above the editor: one tab per file of the program (main.kara first), a × on each
// module to delete it, + to add one; double-click or F2 on a tab renames it, Delete deletes it.
// The strip is a toolbar of buttons (the shown file's has aria-current), with arrow keys between them.

import type { ProgramFile } from "../compiler/api.js";

export interface FileTabsActions {
  select(index: number): void;
  add(): void;
  rename(index: number): void;
  remove(index: number): void;
}

export function renderFileTabs(strip: HTMLElement, files: readonly ProgramFile[], active: number, actions: FileTabsActions): void {
  const doc = strip.ownerDocument;
  const hadFocus = strip.contains(doc.activeElement);
  strip.replaceChildren();
  const tabs: HTMLButtonElement[] = [];
  files.forEach((file, index) => {
    const wrap = doc.createElement("span");
    wrap.className = "file-tab-wrap";
    const tab = doc.createElement("button");
    tab.type = "button";
    tab.className = "file-tab";
    if (index === active) tab.setAttribute("aria-current", "true");
    tab.tabIndex = index === active ? 0 : -1;
    tab.dataset.file = file.name;
    tab.textContent = file.name;
    tab.title = index === 0 ? "The program's root file" : "Double-click or F2 to rename";
    tab.addEventListener("click", () => actions.select(index));
    tab.addEventListener("dblclick", () => actions.rename(index));
    tab.addEventListener("keydown", (e) => {
      if (e.key === "F2") {
        e.preventDefault();
        actions.rename(index);
      } else if (e.key === "ArrowRight" || e.key === "ArrowLeft") {
        e.preventDefault();
        const next = (index + (e.key === "ArrowRight" ? 1 : files.length - 1)) % files.length;
        actions.select(next);
      } else if (e.key === "Delete" && index > 0) {
        e.preventDefault();
        actions.remove(index);
      }
    });
    wrap.append(tab);
    if (index > 0) {
      const close = doc.createElement("button");
      close.type = "button";
      close.className = "file-tab-close";
      close.setAttribute("aria-label", `Delete ${file.name}`);
      close.title = `Delete ${file.name}`;
      close.textContent = "×";
      close.tabIndex = -1;
      close.addEventListener("click", () => actions.remove(index));
      wrap.append(close);
    }
    tabs.push(tab);
    strip.append(wrap);
  });
  const add = doc.createElement("button");
  add.type = "button";
  add.className = "file-tab-add";
  add.id = "add-file";
  add.setAttribute("aria-label", "Add a file");
  add.title = "Add a file (a module the program can import)";
  add.textContent = "+";
  add.addEventListener("click", () => actions.add());
  strip.append(add);
  if (hadFocus) tabs[active]?.focus();
}

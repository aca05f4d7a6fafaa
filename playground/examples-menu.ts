// The Examples menu: a menu button listing the examples by group, each with its description.
// Only an explicit choice (click, Enter or Space on an item) loads an example; arrow keys just
// move through the list, unlike a native <select>, which commits on every arrow key press.

import type { Example } from "./examples.js";

export function wireExamplesMenu(button: HTMLButtonElement, menu: HTMLElement, examples: Example[], onChoose: (e: Example) => void): void {
  const doc = button.ownerDocument;
  menu.setAttribute("role", "menu");
  menu.setAttribute("aria-labelledby", button.id);
  menu.hidden = true;
  button.setAttribute("aria-haspopup", "menu");
  button.setAttribute("aria-expanded", "false");
  button.setAttribute("aria-controls", menu.id);

  const items: HTMLElement[] = [];
  for (const group of new Set(examples.map((e) => e.group))) {
    const section = doc.createElement("div");
    section.setAttribute("role", "group");
    const heading = doc.createElement("div");
    heading.className = "menu-group-title";
    heading.id = `${menu.id}-group-${items.length}`;
    heading.textContent = group;
    heading.setAttribute("role", "presentation");
    section.setAttribute("aria-labelledby", heading.id);
    section.append(heading);
    for (const example of examples.filter((x) => x.group === group)) {
      const item = doc.createElement("div");
      item.setAttribute("role", "menuitem");
      item.tabIndex = -1;
      item.className = "menu-item";
      item.dataset.example = example.name;
      const title = doc.createElement("span");
      title.className = "menu-item-title";
      title.textContent = example.name;
      item.append(title);
      // The item's name is its visible text, title and description (a name that left out
      // visible text would not match what speech-input users say).
      if (example.description) {
        const description = doc.createElement("span");
        description.className = "menu-item-description";
        description.textContent = example.description;
        item.append(" ", description);
      }
      item.addEventListener("click", () => choose(example));
      section.append(item);
      items.push(item);
    }
    menu.append(section);
  }

  const isOpen = (): boolean => !menu.hidden;
  const focusItem = (i: number): void => items[(i + items.length) % items.length]?.focus();
  const open = (focus: "first" | "last"): void => {
    menu.hidden = false;
    button.setAttribute("aria-expanded", "true");
    focusItem(focus === "first" ? 0 : items.length - 1);
  };
  const close = (refocus: boolean): void => {
    if (!isOpen()) return;
    menu.hidden = true;
    button.setAttribute("aria-expanded", "false");
    if (refocus) button.focus();
  };
  const choose = (example: Example): void => {
    close(false);
    onChoose(example);
  };

  button.addEventListener("click", () => (isOpen() ? close(true) : open("first")));
  button.addEventListener("keydown", (e) => {
    if (e.key === "ArrowDown" || e.key === "ArrowUp") {
      e.preventDefault();
      open(e.key === "ArrowDown" ? "first" : "last");
    }
  });
  menu.addEventListener("keydown", (e) => {
    const at = items.indexOf(doc.activeElement as HTMLElement);
    switch (e.key) {
      case "ArrowDown":
        focusItem(at + 1);
        break;
      case "ArrowUp":
        focusItem(at - 1);
        break;
      case "Home":
        focusItem(0);
        break;
      case "End":
        focusItem(items.length - 1);
        break;
      case "Enter":
      case " ": {
        const example = examples.find((x) => x.name === items[at]?.dataset.example);
        if (example) choose(example);
        break;
      }
      case "Escape":
        close(true);
        break;
      case "Tab":
        close(false);
        return; // let focus move on
      default:
        return;
    }
    e.preventDefault();
  });
  doc.addEventListener("pointerdown", (e) => {
    if (isOpen() && !menu.contains(e.target as Node) && !button.contains(e.target as Node)) close(false);
  });
}

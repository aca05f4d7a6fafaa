// A minimal accessible tab strip: `role="tab"` buttons controlling `role="tabpanel"` sections
// (aria-controls). Clicking or the arrow keys switch panels; only the chosen panel is shown.

export interface Tabs {
  select(panelId: string): void;
  readonly selected: string;
  onSelect(listener: (panelId: string) => void): void;
}

export function wireTabs(tablist: HTMLElement): Tabs {
  const tabs = Array.from(tablist.querySelectorAll<HTMLButtonElement>('[role="tab"]'));
  const listeners: ((panelId: string) => void)[] = [];
  let selected = "";
  const panelOf = (tab: HTMLButtonElement): HTMLElement | null => tablist.ownerDocument.getElementById(tab.getAttribute("aria-controls") ?? "");

  const select = (panelId: string): void => {
    for (const tab of tabs) {
      const on = tab.getAttribute("aria-controls") === panelId;
      tab.setAttribute("aria-selected", String(on));
      tab.tabIndex = on ? 0 : -1;
      const panel = panelOf(tab);
      if (panel) panel.hidden = !on;
    }
    if (selected === panelId) return;
    selected = panelId;
    for (const l of listeners) l(panelId);
  };

  tabs.forEach((tab, i) => {
    tab.addEventListener("click", () => select(tab.getAttribute("aria-controls") ?? ""));
    tab.addEventListener("keydown", (e) => {
      const step = e.key === "ArrowRight" ? 1 : e.key === "ArrowLeft" ? -1 : 0;
      if (!step) return;
      const next = tabs[(i + step + tabs.length) % tabs.length];
      next.focus();
      select(next.getAttribute("aria-controls") ?? "");
    });
  });
  const initial = tabs.find((t) => t.getAttribute("aria-selected") === "true") ?? tabs[0];
  if (initial) select(initial.getAttribute("aria-controls") ?? "");

  return {
    select,
    get selected() {
      return selected;
    },
    onSelect: (l) => void listeners.push(l),
  };
}

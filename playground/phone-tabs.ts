// On phone-sized screens the editor and the output column take turns: a Code / Output tab strip
// shows one at a time, full height, instead of stacking them in a page that scrolls inside its
// own scrolling editor. On wider screens the strip is hidden (CSS) and both stay visible; the
// chosen view is kept as a data attribute on the layout, which only the narrow-screen CSS reads.

export type PhoneView = "code" | "output";

export interface PhoneTabs {
  /** Make `view` the visible one on a narrow screen (no effect on a wide one). */
  show(view: PhoneView): void;
  readonly current: PhoneView;
}

export function wirePhoneTabs(tablist: HTMLElement, layout: HTMLElement): PhoneTabs {
  const tabs = Array.from(tablist.querySelectorAll<HTMLButtonElement>('[role="tab"]'));
  let current: PhoneView = "code";
  const show = (view: PhoneView): void => {
    current = view;
    layout.dataset.phoneView = view;
    for (const tab of tabs) {
      const on = tab.dataset.view === view;
      tab.setAttribute("aria-selected", String(on));
      tab.tabIndex = on ? 0 : -1;
    }
  };
  tabs.forEach((tab, i) => {
    tab.addEventListener("click", () => show(tab.dataset.view as PhoneView));
    tab.addEventListener("keydown", (e) => {
      const step = e.key === "ArrowRight" ? 1 : e.key === "ArrowLeft" ? -1 : 0;
      if (!step) return;
      e.preventDefault();
      const next = tabs[(i + step + tabs.length) % tabs.length];
      next.focus();
      show(next.dataset.view as PhoneView);
    });
  });
  show(current);
  return {
    show,
    get current() {
      return current;
    },
  };
}

/**
 * Keeps `--toolbar-height` on the layout equal to the height of what sits above it (the toolbar
 * wraps to several rows on a phone), so the narrow-screen CSS can give the editor the rest.
 */
export function trackHeightAbove(layout: HTMLElement, above: HTMLElement[]): void {
  if (typeof ResizeObserver === "undefined") return;
  const measure = (): void => {
    const height = above.reduce((sum, el) => sum + el.getBoundingClientRect().height, 0);
    layout.style.setProperty("--toolbar-height", `${Math.ceil(height)}px`);
  };
  const observer = new ResizeObserver(measure);
  for (const el of above) observer.observe(el);
  measure();
}

// The draggable separator between the editor and the output column: a pointer drag, or the
// arrow keys (Home/End for the limits) once it has focus. Its value is the editor's share of the
// width in percent, exposed as aria-valuenow and applied through the `--editor-share` property.

export const SPLIT_MIN = 20;
export const SPLIT_MAX = 80;
export const SPLIT_DEFAULT = 55;
const STEP = 2;
const PAGE_STEP = 10;

export function clampSplit(value: number): number {
  if (!Number.isFinite(value)) return SPLIT_DEFAULT;
  return Math.round(Math.min(SPLIT_MAX, Math.max(SPLIT_MIN, value)));
}

/** The value a key moves the separator to, or undefined for keys it ignores. */
export function splitAfterKey(value: number, key: string): number | undefined {
  switch (key) {
    case "ArrowLeft":
    case "ArrowUp":
      return clampSplit(value - STEP);
    case "ArrowRight":
    case "ArrowDown":
      return clampSplit(value + STEP);
    case "PageUp":
      return clampSplit(value - PAGE_STEP);
    case "PageDown":
      return clampSplit(value + PAGE_STEP);
    case "Home":
      return SPLIT_MIN;
    case "End":
      return SPLIT_MAX;
    default:
      return undefined;
  }
}

/**
 * Wire `separator` to resize `container`'s columns. `changed` is told every new value (to save
 * it); the initial value is applied without a call.
 */
export function wirePaneSplitter(separator: HTMLElement, container: HTMLElement, initial: number | undefined, changed: (value: number) => void): void {
  let value = clampSplit(initial ?? SPLIT_DEFAULT);
  separator.setAttribute("aria-valuemin", String(SPLIT_MIN));
  separator.setAttribute("aria-valuemax", String(SPLIT_MAX));
  const apply = (next: number, notify: boolean): void => {
    value = clampSplit(next);
    container.style.setProperty("--editor-share", `${value}%`);
    separator.setAttribute("aria-valuenow", String(value));
    separator.setAttribute("aria-valuetext", `Editor ${value}% of the width`);
    if (notify) changed(value);
  };
  apply(value, false);

  separator.addEventListener("keydown", (event) => {
    const next = splitAfterKey(value, event.key);
    if (next === undefined) return;
    event.preventDefault();
    if (next !== value) apply(next, true);
  });

  separator.addEventListener("pointerdown", (event) => {
    if (event.button !== 0) return;
    event.preventDefault();
    separator.setPointerCapture(event.pointerId);
    separator.focus();
    const move = (e: PointerEvent): void => {
      const box = container.getBoundingClientRect();
      if (box.width <= 0) return;
      const next = clampSplit(((e.clientX - box.left) / box.width) * 100);
      if (next !== value) apply(next, true);
    };
    const end = (): void => {
      separator.removeEventListener("pointermove", move);
      separator.removeEventListener("pointerup", end);
      separator.removeEventListener("pointercancel", end);
    };
    separator.addEventListener("pointermove", move);
    separator.addEventListener("pointerup", end);
    separator.addEventListener("pointercancel", end);
  });
}

// Zoom for the trace timeline: the lanes and the axis are drawn inside a canvas `zoom` times the
// width of the visible area, which scrolls sideways. Zooming keeps the instant under the pointer
// (or the centre, or the focused bar) where it is on screen. Ways in: the toolbar's −, + and Fit
// buttons, Ctrl/Cmd+wheel (a trackpad pinch arrives as that in Chromium), a two-finger pinch on
// a touch screen, and the +, − and 0 keys while a bar has the focus.

export const MIN_ZOOM = 1;
export const MAX_ZOOM = 1024;

export function clampZoom(zoom: number): number {
  return Math.max(MIN_ZOOM, Math.min(MAX_ZOOM, Number.isFinite(zoom) ? zoom : MIN_ZOOM));
}

/**
 * The scroll offset that keeps the point `anchorX` px into the visible track (which starts at
 * `trackLeft` px into the canvas and is `viewWidth` px wide at zoom 1) fixed when the zoom goes
 * from `from` to `to`, for a canvas scrolled by `scrollLeft`.
 */
export function anchoredScroll(scrollLeft: number, anchorX: number, viewWidth: number, from: number, to: number): number {
  const fraction = (scrollLeft + anchorX) / (viewWidth * from); // position in the run, 0..1
  return Math.max(0, fraction * viewWidth * to - anchorX);
}

/** Wheel delta (pixels) to a zoom factor: a notch of about 100 px zooms by ~1.25. */
export function wheelFactor(deltaY: number, deltaMode: number): number {
  const px = deltaMode === 1 ? deltaY * 16 : deltaMode === 2 ? deltaY * 400 : deltaY;
  return Math.exp(-px * 0.0023);
}

export interface TimelineZoom {
  readonly zoom: number;
  /** Set the zoom, keeping the instant `anchorX` px into the visible track in place (default: the centre). */
  setZoom(zoom: number, anchorX?: number): void;
  /** Scroll so that the canvas range [left, right) (px at the current zoom) is visible. */
  reveal(left: number, right: number): void;
}

export interface ZoomParts {
  /** The element that scrolls sideways. */
  scroller: HTMLElement;
  /** The scroller's child holding the lanes and the axis; its width follows the zoom. */
  canvas: HTMLElement;
  /** Pixels at the canvas's left before the time axis starts (the lane labels). */
  labelWidth: number;
  /** Called after every change (redraw the axis, update the zoom readout). */
  changed(zoom: number): void;
}

export function wireTimelineZoom(parts: ZoomParts): TimelineZoom {
  const { scroller, canvas, labelWidth } = parts;
  let zoom = 1;
  const trackWidth = (): number => Math.max(1, scroller.clientWidth - labelWidth);

  const setZoom = (next: number, anchorX = trackWidth() / 2): void => {
    next = clampZoom(next);
    if (next === zoom) return;
    const scroll = anchoredScroll(scroller.scrollLeft, anchorX, trackWidth(), zoom, next);
    zoom = next;
    canvas.style.setProperty("--zoom", String(zoom));
    scroller.scrollLeft = scroll;
    parts.changed(zoom);
  };

  scroller.addEventListener(
    "wheel",
    (e) => {
      if (!e.ctrlKey && !e.metaKey) return; // a plain wheel scrolls
      e.preventDefault();
      const x = e.clientX - scroller.getBoundingClientRect().left - labelWidth;
      setZoom(zoom * wheelFactor(e.deltaY, e.deltaMode), Math.max(0, x));
    },
    { passive: false },
  );

  // Two fingers on a touch screen: the zoom follows the distance between them.
  const touches = new Map<number, { x: number; y: number }>();
  let pinch: { distance: number; zoom: number } | undefined;
  const distance = (): number => {
    const [a, b] = [...touches.values()];
    return Math.hypot(a.x - b.x, a.y - b.y);
  };
  scroller.addEventListener("pointerdown", (e) => {
    if (e.pointerType !== "touch") return;
    touches.set(e.pointerId, { x: e.clientX, y: e.clientY });
    if (touches.size === 2) pinch = { distance: Math.max(1, distance()), zoom };
  });
  scroller.addEventListener("pointermove", (e) => {
    if (!touches.has(e.pointerId)) return;
    touches.set(e.pointerId, { x: e.clientX, y: e.clientY });
    if (!pinch || touches.size !== 2) return;
    const [a, b] = [...touches.values()];
    const x = (a.x + b.x) / 2 - scroller.getBoundingClientRect().left - labelWidth;
    setZoom(pinch.zoom * (distance() / pinch.distance), Math.max(0, x));
  });
  const lift = (e: PointerEvent): void => {
    touches.delete(e.pointerId);
    if (touches.size < 2) pinch = undefined;
  };
  scroller.addEventListener("pointerup", lift);
  scroller.addEventListener("pointercancel", lift);

  return {
    get zoom() {
      return zoom;
    },
    setZoom,
    reveal(left, right) {
      const view = trackWidth();
      const start = scroller.scrollLeft;
      if (left < start) scroller.scrollLeft = left;
      else if (right > start + view) scroller.scrollLeft = Math.min(left, right - view);
    },
  };
}

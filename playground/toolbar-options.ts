// On a phone the toolbar keeps its actions (Run, Test, Stop, Format, Examples, Share) in view
// and folds the run settings (workers, Format on Run, Timeline, Profile, theme) behind an
// Options button, so the toolbar takes two rows and the status a third. The CSS shows the
// settings when the button is expanded; on wider screens the button is hidden and the settings
// are always in the toolbar. Escape, or a press outside, folds them again.

export function wireToolbarOptions(button: HTMLButtonElement, settings: HTMLElement): void {
  const set = (open: boolean): void => button.setAttribute("aria-expanded", String(open));
  button.addEventListener("click", () => set(button.getAttribute("aria-expanded") !== "true"));
  settings.addEventListener("keydown", (e) => {
    if (e.key !== "Escape" || button.getAttribute("aria-expanded") !== "true") return;
    set(false);
    button.focus();
  });
  settings.ownerDocument.addEventListener("pointerdown", (e) => {
    const target = e.target as Node | null;
    if (target && (button.contains(target) || settings.contains(target))) return;
    set(false);
  });
}

// Light or dark: follows the system's preference unless the toggle chose one (kept in
// localStorage). The effective theme is `data-theme` on <html>, which the stylesheet reads; an
// inline script in index.html sets it before the first paint with the same rule.

export type ThemeChoice = "system" | "light" | "dark";
export const THEME_KEY = "kara-playground:theme";
const ORDER: ThemeChoice[] = ["system", "dark", "light"];

function savedChoice(): ThemeChoice {
  try {
    const v = localStorage.getItem(THEME_KEY);
    return v === "light" || v === "dark" ? v : "system";
  } catch {
    return "system";
  }
}

export function wireThemeToggle(button: HTMLButtonElement): void {
  const media = matchMedia("(prefers-color-scheme: dark)");
  let choice = savedChoice();
  const apply = (): void => {
    const effective = choice === "system" ? (media.matches ? "dark" : "light") : choice;
    document.documentElement.dataset.theme = effective;
    button.textContent = { system: "Theme: system", dark: "Theme: dark", light: "Theme: light" }[choice];
    button.setAttribute("aria-label", `Colour theme: ${choice === "system" ? `system (${effective})` : choice}; press to change`);
  };
  media.addEventListener("change", apply);
  button.addEventListener("click", () => {
    choice = ORDER[(ORDER.indexOf(choice) + 1) % ORDER.length];
    try {
      if (choice === "system") localStorage.removeItem(THEME_KEY);
      else localStorage.setItem(THEME_KEY, choice);
    } catch {
      // Without storage the choice lasts for this visit.
    }
    apply();
  });
  apply();
}

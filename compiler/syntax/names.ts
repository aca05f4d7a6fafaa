// Identifier case classes (core.md F2.2), decided by letter case alone, as karac does. Leading
// underscores are ignored; then a lowercase first letter (or no letter at all) → Value; an
// uppercase first letter → Type when some later letter is lowercase or it is the only letter,
// otherwise (every letter uppercase) → Const. So `LParen` and `HTTPClient` are Type-class and
// `MAX_LEN` is Const-class.

import { shownSource } from "./quote.js";

export type IdentClass = "value" | "type" | "const";

export function identClass(name: string): IdentClass {
  const letters = name.replace(/^_+/, "").replace(/[^A-Za-z]/g, "");
  const first = letters[0];
  if (first === undefined || !(first >= "A" && first <= "Z")) return "value";
  if (letters.length === 1 || /[a-z]/.test(letters)) return "type";
  return "const";
}

const CLASS_WORDS: Record<IdentClass, string> = {
  value: "snake_case (Value class)",
  type: "PascalCase (Type class)",
  const: "SCREAMING_SNAKE_CASE (Const class)",
};

// Returns a message when `name`, declared as a `what`, has the wrong class.
export function checkIdentClass(name: string, expected: IdentClass, what: string): string | undefined {
  if (name === "" || name === "_") return undefined;
  const got = identClass(name);
  if (got === expected) return undefined;
  return `${what} name \`${shownSource(name)}\` must be ${CLASS_WORDS[expected]}, but it is ${CLASS_WORDS[got]}`;
}

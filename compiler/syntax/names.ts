// Identifier case classes (core.md F2.2). The class is decided by letter case alone:
// lowercase/underscore start → Value; a single uppercase letter or an uppercase start with
// some lowercase → Type; all-uppercase with more than one letter → Const.

export type IdentClass = "value" | "type" | "const";

// An uppercase second letter makes a name Const-class even with lowercase later on:
// `HTTPClient` is Const-class, write `HttpClient` (core.md F2.2).
export function identClass(name: string): IdentClass {
  const first = name[0] ?? "_";
  if (!(first >= "A" && first <= "Z")) return "value";
  const second = name[1];
  if (second !== undefined && second >= "A" && second <= "Z") return "const";
  if (/[a-z]/.test(name)) return "type";
  const letters = name.replace(/[^A-Za-z]/g, "");
  return letters.length <= 1 ? "type" : "const";
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
  return `${what} name \`${name}\` must be ${CLASS_WORDS[expected]}, but it is ${CLASS_WORDS[got]}`;
}

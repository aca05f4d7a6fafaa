// The files of the playground's program (file tabs), without the DOM: the root `main.kara`
// first and always present, then the modules it may import, each named by its path
// (`util.kara`, `geo/shapes.kara` is module `geo.shapes`). The editor shows one of them.

import type { ProgramFile } from "../compiler/api.js";

export const MAIN_FILE = "main.kara";

const NAME = /^[a-z_][a-z0-9_]*(\/[a-z_][a-z0-9_]*)*\.kara$/;

/**
 * Why `name` cannot name a file of the program (other than file `self`), or undefined when it can.
 * Module names are snake_case, as karac requires, and a file's name is its module's path.
 */
export function fileNameProblem(name: string, files: readonly ProgramFile[], self?: number): string | undefined {
  if (!NAME.test(name)) return "A file name is a module path in snake_case ending in .kara, like util.kara or geo/shapes.kara.";
  if (name === MAIN_FILE && self !== 0) return "main.kara is the program's root file.";
  if (files.some((f, i) => i !== self && f.name === name)) return `There is already a file named ${name}.`;
  return undefined;
}

/** `util` → `util.kara`; a name already ending in `.kara` is kept. */
export function withExtension(name: string): string {
  const trimmed = name.trim();
  return trimmed.endsWith(".kara") ? trimmed : `${trimmed}.kara`;
}

export class ProgramTabs {
  private list: ProgramFile[];
  private current = 0;

  constructor(files: readonly ProgramFile[], active = 0) {
    this.list = normalized(files);
    this.current = Math.max(0, Math.min(this.list.length - 1, active));
  }

  get files(): readonly ProgramFile[] {
    return this.list;
  }

  get active(): number {
    return this.current;
  }

  get activeFile(): ProgramFile {
    return this.list[this.current];
  }

  /** The editor's text for the active file. */
  setActiveText(text: string): void {
    this.list[this.current] = { ...this.list[this.current], text };
  }

  select(index: number): void {
    if (index >= 0 && index < this.list.length) this.current = index;
  }

  /** Adds an empty module with a fresh name, makes it active and returns its index. */
  add(): number {
    let n = this.list.length;
    while (this.list.some((f) => f.name === `module${n}.kara`)) n++;
    this.list.push({ name: `module${n}.kara`, text: "" });
    this.current = this.list.length - 1;
    return this.current;
  }

  /** Renames file `index`; returns why it cannot be, or undefined once renamed. The root keeps its name. */
  rename(index: number, wanted: string): string | undefined {
    if (index === 0) return "main.kara is the program's root file and keeps its name.";
    const name = withExtension(wanted);
    const problem = fileNameProblem(name, this.list, index);
    if (problem) return problem;
    this.list[index] = { ...this.list[index], name };
    return undefined;
  }

  /** Removes module `index` (never the root); the tab before it becomes active when it was. */
  remove(index: number): void {
    if (index <= 0 || index >= this.list.length) return;
    this.list.splice(index, 1);
    if (this.current >= index) this.current = Math.max(0, this.current - 1);
  }

  /** The program to compile, with `activeText` as the active file's text. */
  program(activeText: string): ProgramFile[] {
    return this.list.map((f, i) => (i === this.current ? { name: f.name, text: activeText } : { name: f.name, text: f.text }));
  }

  /** Replaces every file (a link, an example): the root first, then the rest in their order. */
  replace(files: readonly ProgramFile[]): void {
    this.list = normalized(files);
    this.current = 0;
  }
}

/** `main.kara` first (an empty one when missing), names unique, nothing else reordered. */
function normalized(files: readonly ProgramFile[]): ProgramFile[] {
  const seen = new Set<string>();
  const unique = files.filter((f) => typeof f.name === "string" && typeof f.text === "string" && !seen.has(f.name) && (seen.add(f.name), true));
  const main = unique.find((f) => f.name === MAIN_FILE) ?? { name: MAIN_FILE, text: "" };
  const rest = unique.filter((f) => f.name !== MAIN_FILE);
  return [{ ...main }, ...rest.map((f) => ({ ...f }))];
}

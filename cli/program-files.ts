// The files of the program a command names. A directory is the program under it: `main.kara` is
// its root and every other `.kara` file below it is a module (test companions `*_test.kara`
// excepted), as karac finds a project's modules without a list. A file is the root, and the
// sibling modules its imports name are loaded with it, and theirs in turn. Test companions
// (`*_test.kara`) are loaded only for `kara test`.

import { readdir, stat } from "node:fs/promises";
import { join, relative, sep, dirname } from "node:path";
import type { ProgramFile } from "../compiler/api.js";
import type { Diagnostic } from "../compiler/diagnostics.js";
import { importedFileCandidates } from "../compiler/modules/discover.js";
import { isTestCompanion } from "../compiler/modules/companions.js";
import { CliError, readSource } from "./commands.js";

export interface LoadedProgram {
  /** The root file's path as the user would write it (the command's argument, or DIR/main.kara). */
  rootPath: string;
  /** Directory of the root file; every file name is relative to it. */
  dir: string;
  /** Root first. */
  files: ProgramFile[];
  /** Encoding errors of a file (each with `file` set); the program is then not compiled. */
  diagnostics: Diagnostic[];
}

export const ROOT_FILE = "main.kara";

/**
 * `tests`: also the test companions (`util_test.kara` beside `util.kara`, docs/modules.md), which
 * karac merges into their modules for `karac test` only.
 */
export async function loadProgram(target: string, { tests = false } = {}): Promise<LoadedProgram> {
  const isDir = await stat(target).then((s) => s.isDirectory(), () => false);
  const dir = isDir ? target : dirname(target);
  const rootPath = isDir ? join(target, ROOT_FILE) : target;
  const rootName = isDir ? ROOT_FILE : relative(dir, target).split(sep).join("/");
  const program: LoadedProgram = { rootPath, dir, files: [], diagnostics: [] };
  const add = async (name: string): Promise<string> => {
    const { text, diagnostics } = await readSource(join(dir, name));
    for (const d of diagnostics) program.diagnostics.push({ ...d, file: name });
    program.files.push({ name, text });
    return text;
  };
  if (isDir) {
    const all = (await karaFilesUnder(dir)).filter((n) => tests || !isTestCompanion(n));
    if (!all.includes(ROOT_FILE)) throw new CliError(`'${target}' has no ${ROOT_FILE}`);
    for (const name of [ROOT_FILE, ...all.filter((n) => n !== ROOT_FILE)]) await add(name);
    return program;
  }
  const loaded = new Set([rootName]);
  const queue = [{ name: rootName, text: await add(rootName) }];
  while (queue.length > 0) {
    const file = queue.shift()!;
    const companion = tests && !isTestCompanion(file.name) ? [file.name.replace(/\.kara$/, "_test.kara")] : [];
    for (const name of [...companion, ...importedFileCandidates(file.text)]) {
      if (loaded.has(name) || !(await isFile(join(dir, name)))) continue;
      loaded.add(name);
      queue.push({ name, text: await add(name) });
    }
  }
  return program;
}

/** The display path of a file of `program` (the root as given, the others under its directory). */
export function displayPath(program: LoadedProgram, name: string | undefined): string {
  return name === undefined || name === program.files[0]?.name ? program.rootPath : join(program.dir, name);
}

async function isFile(path: string): Promise<boolean> {
  return stat(path).then((s) => s.isFile(), () => false);
}

async function karaFilesUnder(dir: string): Promise<string[]> {
  const out: string[] = [];
  const walk = async (sub: string): Promise<void> => {
    const entries = await readdir(join(dir, sub), { withFileTypes: true });
    entries.sort((a, b) => a.name.localeCompare(b.name));
    for (const e of entries) {
      if (e.name.startsWith(".") || e.name === "node_modules") continue;
      const rel = sub === "" ? e.name : `${sub}/${e.name}`;
      if (e.isDirectory()) await walk(rel);
      else if (e.isFile() && e.name.endsWith(".kara")) out.push(rel);
    }
  };
  await walk("");
  return out;
}

// `kara fmt FILE... [--check]`: rewrites each file in its canonical layout (compiler/fmt).
// With --check nothing is written: the files that would change are listed and the exit
// code is 1 if there are any. A file that does not parse is reported and left untouched.

import { readFile, writeFile } from "node:fs/promises";
import { renderDiagnostic } from "../compiler/diagnostics.js";
import { formatSource } from "../compiler/fmt/index.js";

export interface FmtStreams {
  stdout: (text: string) => void;
  stderr: (text: string) => void;
}

export interface FmtOptions {
  files: string[];
  check: boolean;
}

/** Returns the exit code: 0 when every file is (or now is) formatted, 1 otherwise. */
export async function runFmt(options: FmtOptions, io: FmtStreams): Promise<number> {
  let failed = false;
  for (const file of options.files) {
    let source: string;
    try {
      source = await readFile(file, "utf8");
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      io.stderr(`error: cannot read '${file}': ${code === "ENOENT" ? "no such file" : (e as Error).message}\n`);
      failed = true;
      continue;
    }
    const result = formatSource(source, file);
    if (!result.ok) {
      for (const d of result.diagnostics) io.stderr(renderDiagnostic(d, file, source) + "\n");
      io.stderr(`error: '${file}' was not formatted\n`);
      failed = true;
      continue;
    }
    if (!result.changed) continue;
    if (options.check) {
      io.stdout(`${file}\n`);
      failed = true;
    } else {
      await writeFile(file, result.text, "utf8");
    }
  }
  return failed ? 1 : 0;
}

// Where each file of a several-file program sits in the merged program's offset space. Every file
// is parsed on its own (so lines and columns stay per file), then its offsets are moved by a base
// so that no two files share one: an offset alone then says which file a node or diagnostic came
// from. Lines and columns are never moved.

import type { Diagnostic } from "../diagnostics.js";
import type { Span } from "../syntax/ast.js";
import type { ProgramFile } from "../api.js";
import { fileAtOffset } from "../tir/source-files.js";

/** One source file of a program: its name (a path relative to the root file's directory, `/`-separated) and text. */
export type SourceFile = ProgramFile;

export interface PlacedFile {
  name: string;
  text: string;
  /** Offset of the file's first character in the merged program. */
  base: number;
}

export class SourceLayout {
  readonly files: readonly PlacedFile[];

  constructor(files: readonly SourceFile[]) {
    let base = 0;
    this.files = files.map((f) => {
      const placed = { name: f.name, text: f.text, base };
      // One past the end, so a zero-length span at a file's end still belongs to that file.
      base += f.text.length + 1;
      return placed;
    });
  }

  /** The file holding merged offset `offset` (the last file for anything past the end). */
  fileAt(offset: number): PlacedFile {
    return fileAtOffset(this.files, offset)!;
  }

  /** A merged span as a span of its own file. */
  localSpan(span: Span): { file: string; span: Span } {
    const file = this.fileAt(span.offset);
    return { file: file.name, span: { ...span, offset: span.offset - file.base } };
  }

  /** A diagnostic of the merged program as one of its file: file name set, offsets file-local. */
  localDiagnostic(d: Diagnostic): Diagnostic {
    const { file, span } = this.localSpan(d.span);
    const out: Diagnostic = { ...d, span, file };
    if (d.fixes) out.fixes = d.fixes.map((f) => ({ ...f, span: this.localSpan(f.span).span }));
    return out;
  }
}

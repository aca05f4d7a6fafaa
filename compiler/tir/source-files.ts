// Where each file of a program of several files sits in the merged program's offset space
// (compiler/modules/layout.ts places them). Every report that names a place (diagnostics, the
// effects and concurrency reports, panic sites, the wasm site table) finds the place's file here,
// from the offset of its span: the one rule for all of them.

/** A file of the program and the offset of its first character in the merged program. */
export interface SourceFilePlace {
  name: string;
  base: number;
}

/**
 * The file holding merged offset `offset`: the last one starting at or before it (`files` in
 * offset order; the first file for anything before every base). Undefined only when `files` is empty.
 */
export function fileAtOffset<T extends { base: number }>(files: readonly T[], offset: number): T | undefined {
  let lo = 0;
  let hi = files.length - 1;
  if (hi < 0) return undefined;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (files[mid].base <= offset) lo = mid;
    else hi = mid - 1;
  }
  return files[lo];
}

/** The name of the file a span of `program` is in; undefined for a program of one file. */
export function fileOfSpan(program: { sourceFiles?: readonly SourceFilePlace[] }, span: { offset: number }): string | undefined {
  const files = program.sourceFiles;
  return files && files.length > 1 ? fileAtOffset(files, span.offset)?.name : undefined;
}

// Test helper: Kāra source → parse → check → generate → run under the sequential host.

import binaryen from "binaryen";
import { parse } from "../../syntax/parser.js";
import { check } from "../../check/index.js";
import { generate } from "../index.js";
import { runWasm, type HostOptions, type HostRun } from "./host.js";

export function compileSource(src: string, opts: { optimize?: number; emitText?: boolean; fileName?: string; outlineLoops?: boolean; shareLocalsAbove?: number; splitFunctionsAbove?: number } = {}) {
  const fileName = opts.fileName ?? "main.kara";
  const p = parse(src, fileName);
  const perr = p.diagnostics.filter((d) => d.severity === "error");
  if (perr.length) throw new Error("parse: " + perr.map((d) => `${d.code} ${d.span.line}:${d.span.column} ${d.message}`).join("; "));
  const c = check(p.program);
  const cerr = c.diagnostics.filter((d) => d.severity === "error");
  if (cerr.length || !c.program) throw new Error("check: " + cerr.map((d) => `${d.code} ${d.span.line}:${d.span.column} ${d.message}`).join("; "));
  const g = generate(c.program, { fileName, optimize: opts.optimize ?? 0, emitText: opts.emitText, outlineLoops: opts.outlineLoops, shareLocalsAbove: opts.shareLocalsAbove, splitFunctionsAbove: opts.splitFunctionsAbove });
  if (!g.wasm) throw new Error("codegen: " + g.diagnostics.map((d) => `${d.code} ${d.span.line}:${d.span.column} ${d.message}`).join("; "));
  return g;
}

/** Compile to validated wasm bytes (the binary is re-read and validated by Binaryen). */
export function build(src: string, opts: { optimize?: number; fileName?: string; outlineLoops?: boolean; shareLocalsAbove?: number; splitFunctionsAbove?: number } = {}): Uint8Array {
  const g = compileSource(src, opts);
  const mod = binaryen.readBinary(g.wasm!);
  mod.setFeatures(binaryen.Features.All);
  const valid = mod.validate();
  mod.dispose();
  if (!valid) throw new Error("emitted binary does not validate");
  return g.wasm!;
}

/** Compile and run under the sequential host. */
export function run(src: string, opts: HostOptions & { optimize?: number; fileName?: string; outlineLoops?: boolean; shareLocalsAbove?: number; splitFunctionsAbove?: number } = {}): HostRun {
  return runWasm(build(src, opts), opts);
}

export { runWasm };

// The fuzz oracle: compiles one input and classifies the outcome. A correct compiler ends every
// input in either wasm bytes that Binaryen validates, or error diagnostics. Everything else is a
// crash: an exception escaping compile(), an E9999 internal-error diagnostic, a result with
// neither wasm nor an error, or wasm that fails validation.

import binaryen from "binaryen";
import { compile } from "../compile.js";
import type { CompileOptions } from "../api.js";

export type Outcome =
  | { kind: "ok"; ms: number; wasmBytes: number }
  | { kind: "diagnostics"; ms: number; codes: string[] }
  | { kind: "crash"; ms: number; phase: string; signature: string; message: string };

// What codegen enables, plus everything else Binaryen knows: validation must judge the module's
// instructions, not reject a feature flag the runtime provides anyway.
const FEATURES = binaryen.Features.All;

/** Digits, quoted names and identifiers-with-numbers vary between inputs with the same bug. */
export function normalizeMessage(message: string): string {
  return message
    .split("\n")[0]
    .replace(/`[^`]*`|'[^']*'|"[^"]*"/g, "Q")
    .replace(/\b[A-Za-z_]*\d+[A-Za-z_\d]*\b/g, "N")
    .slice(0, 160);
}

export function validateWasm(bytes: Uint8Array): string | undefined {
  let mod: binaryen.Module | undefined;
  try {
    mod = binaryen.readBinary(bytes);
    mod.setFeatures(FEATURES);
    return mod.validate() ? undefined : "binaryen validation failed";
  } catch (e) {
    return `binaryen could not read the module: ${(e as Error).message}`;
  } finally {
    mod?.dispose();
  }
}

export async function judge(source: string, options: CompileOptions & { validate?: boolean } = {}): Promise<Outcome> {
  const t0 = performance.now();
  let result;
  try {
    result = await compile(source, { fileName: options.fileName ?? "fuzz.kara", autoPar: options.autoPar, optimize: options.optimize });
  } catch (e) {
    const message = e instanceof Error ? `${e.name}: ${e.message}` : String(e);
    return { kind: "crash", ms: performance.now() - t0, phase: "compile()", signature: `exception ${normalizeMessage(message)}`, message };
  }
  const ms = performance.now() - t0;
  const internal = result.diagnostics.find((d) => d.code === "E9999");
  if (internal) {
    return { kind: "crash", ms, phase: internal.phase, signature: `E9999 ${internal.phase} ${normalizeMessage(internal.message)}`, message: internal.message };
  }
  const errors = result.diagnostics.filter((d) => d.severity === "error");
  for (const d of result.diagnostics) {
    // A diagnostic without a usable span cannot be shown to the user at the right place.
    if (!d.span || !(d.span.line >= 1) || !(d.span.column >= 1) || !(d.span.offset >= 0) || d.span.offset > source.length) {
      return { kind: "crash", ms, phase: d.phase, signature: `bad span ${d.code}`, message: `${d.code} has span ${JSON.stringify(d.span)}: ${d.message}` };
    }
  }
  if (errors.length > 0) return { kind: "diagnostics", ms, codes: [...new Set(errors.map((d) => d.code))] };
  if (!result.wasm) return { kind: "crash", ms, phase: "compile()", signature: "no wasm and no error", message: "compile() returned neither wasm nor an error diagnostic" };
  if (options.validate !== false) {
    const invalid = validateWasm(result.wasm);
    if (invalid) return { kind: "crash", ms, phase: "codegen", signature: `invalid wasm: ${normalizeMessage(invalid)}`, message: invalid };
  }
  return { kind: "ok", ms, wasmBytes: result.wasm.length };
}

// What the runtime needs to name the place of a fault it did not see coming (a stack overflow,
// an allocation beyond the limit, a timeout, a deadlock): which Kāra function a wasm function
// is, which function a task's table slot runs, and where each Mutex and channel was created.
// Emitted as a custom section (abi.ts SITE_TABLE_SECTION), read by wasm-runtime/fault-sites.ts;
// the wasm name section carries the function names into the engine's stack traces.

import binaryen from "binaryen";
import { SITE_TABLE_SECTION, SYNC_SITE, type SiteTable } from "../abi.js";
import type { TExpr, TLocal, TPattern } from "../tir/nodes.js";
import { walkBlock } from "../tir/walk.js";
import { fileOfSpan } from "../tir/source-files.js";
import type { Gen } from "./context.js";
import { outlinedParents } from "./outline-loops.js";

type BuiltinExpr = Extract<TExpr, { kind: "builtin" }>;

/** Table entry of the main task (index.ts). */
const MAIN_TASK_FN = "__main_task";

/** Per module: the creation sites registered so far, and the variable each creating expression is bound to. */
interface SyncSites {
  sites: SiteTable["sync"] & {};
  boundTo: WeakMap<TExpr, string>;
}

const syncSitesOf = new WeakMap<Gen, SyncSites>();

function syncSites(g: Gen): SyncSites {
  let s = syncSitesOf.get(g);
  if (!s) {
    s = { sites: [], boundTo: bindingsOfCreations(g) };
    syncSitesOf.set(g, s);
  }
  return s;
}

/** `let m = Mutex.new(…)`, `let (tx, rx) = Channel.new()`: the names a creating expression is bound to. */
function bindingsOfCreations(g: Gen): WeakMap<TExpr, string> {
  const names = new WeakMap<TExpr, string>();
  for (const fn of g.program.functions) {
    if (!fn?.body) continue;
    walkBlock(fn.body, {
      stmt(s) {
        if (s.kind !== "let" || s.init?.kind !== "builtin") return;
        if (s.init.op !== "mutex.new" && s.init.op !== "channel.new") return;
        const bound = patternNames(s.pattern, fn.locals);
        if (bound.length) names.set(s.init, bound.length === 1 ? bound[0] : `(${bound.join(", ")})`);
      },
    });
  }
  return names;
}

function patternNames(p: TPattern, locals: TLocal[]): string[] {
  if (p.kind === "bind") return [locals[p.local]?.name ?? "_"];
  if (p.kind === "tuple") return p.elems.flatMap((e) => patternNames(e, locals));
  return [];
}

/**
 * The site word for a `Mutex.new` or `Channel.new` expression (SYNC_SITE): the creation block
 * stores it so the runtime can name the object. 0 (no site) past the index range.
 */
export function syncSiteWord(g: Gen, what: "mutex" | "channel", e: BuiltinExpr): number {
  const s = syncSites(g);
  if (s.sites.length > SYNC_SITE.INDEX_MASK) return 0;
  s.sites.push([what, s.boundTo.get(e) ?? "", e.span.line, ...fileOf(g, e.span)]);
  return (SYNC_SITE.TAG | (s.sites.length - 1)) >>> 0;
}

/** A program of several files: the file of a place, as run-time messages name it; nothing for one file. */
function fileOf(g: Gen, span: { offset: number }): [string] | [] {
  return fileOfSpan(g.program, span) === undefined ? [] : [g.fileNameAt(span.offset)];
}

/** Adds the site table to the module: every TIR function's symbol, source name and line, the task table and the creation sites. */
export function addSiteTable(g: Gen): void {
  const functions: SiteTable["functions"] = {};
  for (const fn of g.program.functions) {
    if (!fn) continue;
    functions[g.fnSymbol(fn.id)] = [fn.panicName || fn.name, fn.span.line, ...fileOf(g, fn.span)];
  }
  // A loop outlined from a function (outline-loops.ts) stands for that function.
  for (const [outlined, parent] of outlinedParents(g)) {
    const entry = functions[parent];
    if (entry) functions[outlined] = entry;
  }
  // The main task's slot runs a wrapper around main: it stands for main.
  const main = g.program.functions.find((fn) => fn?.name === "main");
  if (main) functions[MAIN_TASK_FN] = [main.name, main.span.line, ...fileOf(g, main.span)];
  const table: SiteTable = { functions, table: [...g.table], sync: syncSitesOf.get(g)?.sites ?? [] };
  g.m.addCustomSection(SITE_TABLE_SECTION, new TextEncoder().encode(JSON.stringify(table)));
}

/** The module's bytes with a name section, so engine stack traces show function names. */
export function emitWithNames(m: binaryen.Module): Uint8Array {
  const before = binaryen.getDebugInfo();
  binaryen.setDebugInfo(true);
  try {
    return m.emitBinary();
  } finally {
    binaryen.setDebugInfo(before);
  }
}

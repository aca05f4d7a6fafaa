// Imports of the program's own modules, as karac resolves them. A file is a module whose path is
// its name relative to the root file's directory, without `.kara` (`geo/shapes.kara` is
// `geo.shapes`; the root file is the crate root). `import m.{a, b}` and `import m.a` name items of
// module `m`; `import geo.shapes` (a path that is itself a module) binds the module's last segment,
// and `shapes.area(..)`, `shapes.Circle { .. }` and `shapes.Circle` in types and patterns then
// name its items. Errors use karac's codes: E0112 UnknownModule, E0113 UnknownItemInModule, E0111
// PrivateItemAccess (a `private` item used from another directory: without a modifier an item is
// visible to the whole program, and `pub` adds only visibility outside it), and E0100 for another
// module's item named without an import.
//
// The items of every module end up in one program, so the checker sees each name once: two
// modules defining the same top-level name is E0101, and a qualified use becomes the bare name.
// `std.*` imports are left to check/imports.ts.

import type { DiagnosticBag } from "../diagnostics.js";
import type { ImportDecl, Item, Program, Span } from "../syntax/ast.js";
import { forEachSyntaxNode } from "../syntax/each-node.js";
import { tokenize } from "../syntax/parser.js";
import { Codes } from "../check/codes.js";
import { STD_MODULES, nearestName } from "../check/imports.js";
import type { PlacedFile } from "./layout.js";

export interface ModuleFile {
  /** The file's name, e.g. `geo/shapes.kara`. */
  file: string;
  /** Dotted module path segments; empty for the root file. */
  path: string[];
  /** The directory segments of the file, which decide who sees its `private` items. */
  dir: string[];
  program: Program;
  /** Top-level item names, with whether each was declared `private` (one map for a module and its test companion). */
  exports: Map<string, { private: boolean }>;
  /** A test companion (`util_test.kara`): the file of its module's production code, whose module it shares. */
  companionOf?: string;
}

/** The module path of a file name: `util.kara` → `util`, `geo/shapes.kara` → `geo.shapes`. */
export function modulePathOf(fileName: string): string[] {
  return fileName.replace(/\.kara$/, "").split("/").filter((s) => s !== "" && s !== ".");
}

export function moduleFileOf(placed: PlacedFile, program: Program, isRoot: boolean, companionOf?: string): ModuleFile {
  const segments = modulePathOf(companionOf ?? placed.name);
  const privateOffsets = new Set<number>();
  // The parser keeps `pub` and `private` as one flag; the tokens tell them apart.
  for (const t of tokenize(placed.text)) if (t.type === "Kw_private") privateOffsets.add(t.offset + placed.base);
  const exports = new Map<string, { private: boolean }>();
  for (const item of program.items) {
    const name = itemName(item);
    if (name === undefined) continue;
    let isPrivate = false;
    for (let o = item.span.offset; o < name.span.offset; o++) if (privateOffsets.has(o)) isPrivate = true;
    exports.set(name.name, { private: isPrivate });
  }
  const module: ModuleFile = { file: placed.name, path: isRoot ? [] : segments, dir: segments.slice(0, -1), program, exports };
  if (companionOf !== undefined) module.companionOf = companionOf;
  return module;
}

function itemName(item: Item): { name: string; span: Span } | undefined {
  const named = item as { kind: string; name?: unknown };
  if (named.kind === "impl" || named.kind === "import") return undefined;
  const n = named.name as { name?: unknown; span?: Span } | undefined;
  return n && typeof n.name === "string" && n.span ? { name: n.name, span: n.span } : undefined;
}

/**
 * Resolves every file's imports of program modules (reporting into `diags`), rewrites qualified
 * uses of imported modules to the items' own names, and returns the items of all files without
 * those imports. `newId` gives fresh node ids for the nodes the rewrite creates.
 */
export function resolveModules(modules: ModuleFile[], diags: DiagnosticBag, newId: () => number): Item[] {
  const byPath = new Map<string, ModuleFile>();
  // A module is named by its production file; a companion stands for it only when that file is absent.
  for (const m of modules) {
    const known = byPath.get(m.path.join("."));
    if (!known || (known.companionOf !== undefined && m.companionOf === undefined)) byPath.set(m.path.join("."), m);
  }
  shareCompanionItems(modules, byPath);
  const items: Item[] = [];
  const scopes = new Map<ModuleFile, ImportScope>();
  for (const m of modules) {
    const scope: ImportScope = { moduleNames: new Map(), typeRenames: new Map(), imported: new Set() };
    scopes.set(m, scope);
    for (const item of m.program.items) {
      if (item.kind !== "import" || item.path[0] === "std") {
        items.push(item);
        continue;
      }
      resolveImport(item, m, byPath, diags, scope.moduleNames, scope.typeRenames, scope.imported);
    }
  }
  for (const m of modules) {
    const own = scopes.get(m)!;
    // A test companion is merged into its production file's scope, so it sees that file's imports too.
    const production = m.companionOf === undefined ? undefined : byPath.get(m.path.join("."));
    const shared = production && production !== m ? scopes.get(production) : undefined;
    const { moduleNames, typeRenames, imported } = shared ? mergedScope(shared, own) : own;
    reportUnimportedNames(m, modules, imported, diags);
    if (moduleNames.size > 0 || typeRenames.size > 0) rewriteUses(m, moduleNames, typeRenames, diags, newId);
  }
  return items;
}

/** What a file's imports of program modules bring into it. */
interface ImportScope {
  /** `import geo.shapes`: the name a module is used by → the module. */
  moduleNames: Map<string, ModuleFile>;
  /** A type imported under another name → its own name. */
  typeRenames: Map<string, string>;
  /** Items named by imports. */
  imported: Set<string>;
}

function mergedScope(a: ImportScope, b: ImportScope): ImportScope {
  return { moduleNames: new Map([...a.moduleNames, ...b.moduleNames]), typeRenames: new Map([...a.typeRenames, ...b.typeRenames]), imported: new Set([...a.imported, ...b.imported]) };
}

/** A companion and its production file are one module: each sees the other's items without an import. */
function shareCompanionItems(modules: ModuleFile[], byPath: Map<string, ModuleFile>): void {
  for (const m of modules) {
    if (m.companionOf === undefined) continue;
    const production = byPath.get(m.path.join("."));
    if (!production || production === m) continue;
    for (const [name, info] of m.exports) if (!production.exports.has(name)) production.exports.set(name, info);
    m.exports = production.exports;
  }
}

function resolveImport(
  item: ImportDecl,
  importer: ModuleFile,
  byPath: Map<string, ModuleFile>,
  diags: DiagnosticBag,
  moduleNames: Map<string, ModuleFile>,
  typeRenames: Map<string, string>,
  imported: Set<string>,
): void {
  const whole = item.path.join(".");
  if (item.names.length === 0 && byPath.has(whole)) {
    // `import geo.shapes` / `import geo.shapes as s`: the module itself, used as `shapes.area(..)`.
    moduleNames.set(item.alias ?? item.path[item.path.length - 1], byPath.get(whole)!);
    return;
  }
  const modulePath = item.names.length === 0 ? item.path.slice(0, -1) : item.path;
  const moduleName = modulePath.join(".");
  const target = byPath.get(moduleName);
  if (!target) {
    const candidates = [...byPath.keys()].filter((k) => k !== "").concat(STD_MODULES);
    const near = nearestName(moduleName || whole, candidates);
    diags.error(Codes.UnknownModule, "resolve", `unknown module \`${moduleName || whole}\`${near ? `, did you mean \`${near}\`?` : ""}`, item.span);
    return;
  }
  const names = item.names.length === 0 ? [item.path[item.path.length - 1]] : item.names;
  // `import m.*` brings every item the importer may see.
  if (names.length === 1 && names[0] === "*") {
    for (const [name, info] of target.exports) if (!info.private || sameDir(importer, target)) imported.add(name);
    return;
  }
  for (const name of names) {
    imported.add(name);
    if (!checkItem(name, target, importer, item.span, diags)) continue;
    if (item.alias === undefined) continue;
    if (/^[A-Z]/.test(name) && /^[A-Z]/.test(item.alias)) typeRenames.set(item.alias, name);
    else diags.error(Codes.Unsupported, "resolve", `renaming \`${name}\` is not supported: only types can be imported under another name`, item.span);
  }
}

/** Whether `target` has a top-level item `name` that `importer` may use; reports E0113 / E0111 when not. */
function checkItem(name: string, target: ModuleFile, importer: ModuleFile, span: Span, diags: DiagnosticBag): boolean {
  const info = target.exports.get(name);
  const label = moduleLabel(target);
  if (!info) {
    const names = [...target.exports.keys()];
    const near = nearestName(name, names);
    const hint = near ? `, did you mean \`${near}\`?` : names.length > 0 && names.length <= 10 ? `; it has ${names.join(", ")}` : "";
    diags.error(Codes.UnknownItemInModule, "resolve", `unknown item \`${name}\` in module \`${label}\`${hint}`, span);
    return false;
  }
  if (info.private && !sameDir(importer, target)) {
    diags.error(Codes.PrivateItemAccess, "resolve", `\`${name}\` in module \`${label}\` is \`private\`: only files in its directory can use it`, span, {
      notes: [`make \`${name}\` visible to the whole program by removing \`private\`, or move the caller into the same directory`],
    });
    return false;
  }
  return true;
}

function moduleLabel(m: ModuleFile): string {
  return m.path.length === 0 ? m.file.replace(/\.kara$/, "") : m.path.join(".");
}

function sameDir(a: ModuleFile, b: ModuleFile): boolean {
  return a.dir.join("/") === b.dir.join("/");
}

/**
 * A top-level item of another module named in `m` without an import is undefined there (E0100), as
 * in karac, although the merged program would find it. Names `m` binds itself anywhere (locals,
 * parameters, fields, type parameters) are left alone, so a local never passes for a missing import.
 */
function reportUnimportedNames(m: ModuleFile, modules: ModuleFile[], imported: Set<string>, diags: DiagnosticBag): void {
  const elsewhere = new Map<string, ModuleFile>();
  for (const other of modules) {
    if (other === m) continue;
    for (const name of other.exports.keys()) if (!m.exports.has(name) && !imported.has(name) && !elsewhere.has(name)) elsewhere.set(name, other);
  }
  if (elsewhere.size === 0) return;
  const roots = [m.program.items, m.program.tests ?? []];
  const bound = new Set<string>();
  forEachSyntaxNode(roots, (node) => {
    const name = node.name as unknown;
    if (typeof name === "string" && node.kind !== "ident") bound.add(name);
    else if (name && typeof name === "object" && typeof (name as { name?: unknown }).name === "string") bound.add((name as { name: string }).name);
    if (typeof node.binding === "string") bound.add(node.binding);
  });
  forEachSyntaxNode(roots, (node) => {
    let used: string | undefined;
    if (node.kind === "ident" && typeof node.name === "string") used = node.name;
    else if ((node.kind === "named" || node.kind === "structLit" || node.kind === "variant" || node.kind === "struct") && Array.isArray(node.path) && typeof node.path[0] === "string") used = node.path[0];
    if (used === undefined || bound.has(used)) return;
    const owner = elsewhere.get(used);
    if (!owner) return;
    diags.error(Codes.Undefined, "resolve", `undefined name '${used}'`, node.span as Span, {
      notes: [`\`${used}\` is defined in module \`${moduleLabel(owner)}\`: import it with \`import ${importPathOf(owner, used)};\``],
    });
  });
}

function importPathOf(owner: ModuleFile, name: string): string {
  return owner.path.length === 0 ? name : `${owner.path.join(".")}.{${name}}`;
}

/**
 * In module `m`, `mod.f(..)` becomes `f(..)`, `mod.X` becomes `X` and `mod.T` in a type, struct
 * literal or pattern path becomes `T`, for each imported module name `mod`; a type imported under
 * another name gets its own name back. The tree is changed in place.
 */
function rewriteUses(m: ModuleFile, moduleNames: Map<string, ModuleFile>, typeRenames: Map<string, string>, diags: DiagnosticBag, newId: () => number): void {
  forEachSyntaxNode([m.program.items, m.program.tests ?? []], (node) => {
    const kind = node.kind;
    if (kind === "methodCall") {
      const receiver = node.receiver as { kind: string; name?: string };
      const target = receiver.kind === "ident" ? moduleNames.get(receiver.name!) : undefined;
      if (!target) return;
      const method = node.method as { name: string; span: Span };
      checkItem(method.name, target, m, method.span, diags);
      node.kind = "call";
      node.callee = { id: newId(), span: method.span, kind: "ident", name: method.name };
      delete node.receiver;
      delete node.method;
      delete node.optional;
    } else if (kind === "field") {
      const object = node.object as { kind: string; name?: string };
      const target = object.kind === "ident" ? moduleNames.get(object.name!) : undefined;
      if (!target) return;
      const member = node.name as { name: string; span: Span };
      checkItem(member.name, target, m, member.span, diags);
      node.kind = "ident";
      node.name = member.name;
      delete node.object;
      delete node.optional;
    } else if (kind === "ident" && typeof node.name === "string" && typeRenames.has(node.name)) {
      node.name = typeRenames.get(node.name);
    }
    const path = node.path;
    if (kind === "import" || !Array.isArray(path) || typeof path[0] !== "string") return;
    const target = path.length > 1 ? moduleNames.get(path[0]) : undefined;
    if (target) {
      checkItem(path[1], target, m, node.span as Span, diags);
      path.shift();
    }
    if (typeRenames.has(path[0])) path[0] = typeRenames.get(path[0]);
  });
}

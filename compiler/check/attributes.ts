// Attribute names, checked as karac checks them: a bare name (`#[derive]`, `#[inline]`) must be
// one the compiler recognises, or it is E0121 UnknownAttribute; a path (`#[karafmt::skip]`,
// `#[diagnostic::on_unimplemented]`) belongs to a tool or a reserved namespace and is accepted.
// Attributes on loops are checked by the parser (E0040), as karac's parser does.

import type { Attribute, FnDecl, Program } from "../syntax/ast.js";
import type { DiagnosticBag } from "../diagnostics.js";
import { Codes } from "./codes.js";

/** karac's closed list of bare attribute names, with the ones its later passes read by name. */
const RECOGNIZED = new Set([
  // lint levels
  "allow", "warn", "deny", "expect", "forbid",
  // item annotations
  "derive", "default", "must_use", "deprecated", "non_exhaustive", "track_caller", "unstable", "profile",
  "no_effect", "compiler_builtin", "no_rc", "prefer_rc", "cancel_unsafe_until", "specialize", "fork_at",
  // FFI and linking (`#[unsafe(no_mangle)]` is the wrap karac requires for the first two)
  "no_mangle", "link_section", "unsafe", "used", "link_name", "kara_name", "noblock",
  // testing
  "test", "with_provider", "property", "snapshot",
  // layout and placement
  "repr", "thread_local", "interrupt", "max_stack", "rc_budget",
  // targets and code generation
  "target", "target_feature", "multiversion", "gpu", "cyclic", "require_simd", "inline", "cold", "likely", "unlikely",
  // loops (also accepted on items, where they have no effect)
  "par_order_free", "par_unordered",
]);

export function checkAttributes(program: Program, diags: DiagnosticBag): void {
  const check = (attrs: Attribute[] | undefined): void => {
    for (const a of attrs ?? []) {
      if (a.name === "" || a.name.includes("::") || RECOGNIZED.has(a.name)) continue;
      diags.error(
        Codes.UnknownAttribute,
        "resolve",
        `unknown attribute \`${a.name}\`: the compiler does not recognise this attribute name; a tool's attribute is written with its namespace, like \`#[your_tool::${a.name}]\``,
        a.span,
      );
    }
  };
  const methods = (fns: FnDecl[]): void => fns.forEach((f) => check(f.attrs));
  for (const item of program.items) {
    if (item.kind === "fn" || item.kind === "struct" || item.kind === "enum") check(item.attrs);
    if (item.kind === "impl" || item.kind === "trait") methods(item.methods);
  }
  for (const t of program.tests ?? []) check(t.attrs);
}

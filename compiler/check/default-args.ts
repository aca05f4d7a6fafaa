// Default parameter values (`fn greet(name: String, greeting: String = "hi")`): a call that leaves
// out trailing parameters with defaults gets each default expression as its argument, checked at
// the call like a written argument. A default may not name the function's parameters or any other
// local (it is evaluated where the call is), so it may use only literals, constants, variants and
// calls of items: names that are not value-class (snake_case).

import type { Arg, Expr, Span } from "../syntax/ast.js";
import { Codes } from "./codes.js";
import type { CheckContext } from "./context.js";
import type { FnInfo } from "./items.js";

/** Defaults already reported for naming a local, so each is reported once, not at every call. */
const reported = new WeakSet<Expr>();

/** `args` (the receiver first for methods) completed with the defaults of missing trailing parameters. */
export function withDefaultArgs(cx: CheckContext, f: FnInfo, args: Arg[], span: Span): Arg[] {
  const n = f.sig.params.length;
  if (args.length >= n) return args;
  const offset = f.decl.receiver ? 1 : 0;
  const out = [...args];
  for (let i = args.length; i < n; i++) {
    const value = f.decl.params[i - offset]?.defaultValue;
    if (!value) return args; // a parameter without a default is missing: an argument-count error
    const local = localNameIn(value);
    if (local) {
      if (!reported.has(value)) {
        reported.add(value);
        cx.err(Codes.Unsupported, `a default value cannot use \`${local.name}\`: it is evaluated at each call, where parameters and locals of '${f.name}' are not in scope`, local.span);
      }
      return args;
    }
    out.push({ id: -1, span, value, mutMarker: false });
  }
  return out;
}

/** The first local-looking name a default value uses (a snake_case identifier), if any. */
function localNameIn(e: Expr): (Expr & { kind: "ident" }) | undefined {
  const stack: unknown[] = [e];
  while (stack.length) {
    const n = stack.pop();
    if (!n || typeof n !== "object") continue;
    if (Array.isArray(n)) {
      stack.push(...n);
      continue;
    }
    const node = n as { kind?: unknown; name?: unknown };
    if (node.kind === "ident" && typeof node.name === "string" && /^_*[a-z][a-z0-9_]*$/.test(node.name)) return node as Expr & { kind: "ident" };
    for (const [k, v] of Object.entries(node)) if (k !== "span" && typeof v === "object") stack.push(v);
  }
  return undefined;
}

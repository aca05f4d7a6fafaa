// A walk over every object node of a syntax tree, for passes that look at nodes by their `kind`
// wherever they sit (renaming imported type names, finding the largest node id) and so need no
// per-kind traversal. It uses an explicit stack because operator chains nest thousands of nodes
// deep, visits a shared node once, and does not descend into spans.

/**
 * Calls `visit` once on every object node under `roots` (arrays are walked, not visited); `visit`
 * returns true to end the walk early.
 */
export function forEachSyntaxNode(roots: unknown, visit: (node: Record<string, unknown>) => boolean | void): void {
  const seen = new Set<object>();
  const stack: unknown[] = [roots];
  while (stack.length) {
    const x = stack.pop();
    if (x === null || typeof x !== "object" || seen.has(x)) continue;
    seen.add(x);
    if (Array.isArray(x)) {
      for (const v of x) stack.push(v);
      continue;
    }
    const node = x as Record<string, unknown>;
    if (visit(node) === true) return;
    for (const k in node) if (k !== "span") stack.push(node[k]);
  }
}

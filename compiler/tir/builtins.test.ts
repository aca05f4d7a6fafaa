import { describe, expect, it } from "vitest";
import { readFileSync, readdirSync, statSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { parse } from "../syntax/parser.js";
import { check } from "../check/index.js";
import { walkBlock } from "./walk.js";
import type { BuiltinOp } from "./nodes.js";
import { builtinAtoms, BOUNDARY_FREE_BUILTINS, SPAWNING } from "../effects/leaves.js";
import { BUILTIN_REGISTRY, BUILTINS, mutatingOps, opsWithEffect, type BuiltinDescriptor } from "./builtins.js";

const ROOT = fileURLToPath(new URL("../../", import.meta.url));

function karaFiles(dir: string, out: string[] = []): string[] {
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) karaFiles(p, out);
    else if (p.endsWith(".kara")) out.push(p);
  }
  return out;
}

/** Receiver kinds of every builtin node the checker produces for the corpus and the examples. */
function receiverKindsByOp(): Map<string, Set<string>> {
  const files = ["compiler/tests/programs", "compiler/tests/leetcode", "examples"].flatMap((d) => karaFiles(join(ROOT, d)));
  const seen = new Map<string, Set<string>>();
  let checkedPrograms = 0;
  for (const f of files) {
    const parsed = parse(readFileSync(f, "utf8"), f);
    if (parsed.diagnostics.length > 0) continue;
    const program = check(parsed.program).program;
    if (!program) continue;
    checkedPrograms++;
    for (const fn of program.functions) {
      walkBlock(fn.body, {
        expr: (e) => {
          if (e.kind !== "builtin") return;
          const kinds = seen.get(e.op) ?? new Set<string>();
          kinds.add(e.receiver?.kind ?? "absent");
          seen.set(e.op, kinds);
        },
      });
    }
  }
  expect(checkedPrograms).toBeGreaterThan(300);
  return seen;
}

describe("builtin registry", () => {
  it("describes every op the checker produces, with the receiver the checker gives it", () => {
    const seen = receiverKindsByOp();
    const problems: string[] = [];
    for (const [op, kinds] of seen) {
      const d = BUILTIN_REGISTRY.get(op);
      if (!d) {
        problems.push(`${op}: not in the registry`);
        continue;
      }
      for (const k of kinds) {
        // A value receiver may also be passed as the first argument (`i64.parse(s)`); a place
        // receiver may not, since the mutation and ordering facts are read off the place.
        const ok = k === "absent" ? d.receiver === "none" || d.receiver === "value" : k === "value" ? d.receiver === "value" : d.receiver === "ref" || d.receiver === "mut";
        if (!ok) problems.push(`${op}: registry says ${d.receiver}, checker gives a ${k} receiver`);
      }
    }
    expect(problems).toEqual([]);
    // Most of the table is exercised, so the check above means something.
    expect(seen.size).toBeGreaterThan(150);
  }, 120_000);

  it("derives the effect phase's leaf atoms from the table", () => {
    for (const op of BUILTIN_REGISTRY.ops()) {
      const verbs = builtinAtoms(op as BuiltinOp).map((a) => a.verb);
      expect(verbs, op).toEqual([...BUILTIN_REGISTRY.effects(op)]);
    }
    expect(builtinAtoms("vec.push").map((a) => `${a.verb}(${a.resource})`)).toEqual(["allocates(Heap)"]);
    expect([...SPAWNING].sort()).toEqual(["spawn", "taskgroup.spawn"]);
    expect([...BOUNDARY_FREE_BUILTINS].sort()).toEqual(["eprintln", "print", "println", "spawn"]);
  });

  it("derives the sets from the descriptors", () => {
    const mutating = mutatingOps();
    for (const [op, d] of Object.entries(BUILTINS) as [string, BuiltinDescriptor][]) {
      expect(mutating.has(op), op).toBe(d.receiver === "mut");
      expect(opsWithEffect("panics").has(op), op).toBe(d.effects?.includes("panics") ?? false);
    }
    expect(mutating.has("vec.sort")).toBe(true);
    expect(mutating.has("vec.sorted")).toBe(false);
  });

  it("extends into a new registry without changing the original", () => {
    const extended = BUILTIN_REGISTRY.with({ "vec.scramble": { receiver: "mut", sig: "v.scramble()", doc: "Shuffles in place." } });
    expect(extended.mutatesReceiver("vec.scramble")).toBe(true);
    expect(BUILTIN_REGISTRY.mutatesReceiver("vec.scramble")).toBe(false);
    expect(BUILTIN_REGISTRY.get("constructor")).toBeUndefined();
  });
});

// Mutation facts for automatic parallelisation come only from the builtin registry: an op the
// registry describes as modifying its receiver orders two statements that use it on one
// binding, and the same op described as reading its receiver lets them run together.

import { describe, expect, it } from "vitest";
import { analyzeEffects } from "../effects/index.js";
import { walkBlock, type PlaceAccess } from "../tir/walk.js";
import type { TExpr, TProgram } from "../tir/nodes.js";
import { BUILTIN_REGISTRY, type BuiltinDescriptor, type BuiltinRegistry } from "../tir/builtins.js";
import { statementsConflict } from "./conflicts.js";
import { collectFacts } from "./facts.js";
import { checked, fnNamed } from "./testutil.js";

const FAKE = "test.scramble";

// Two statements applying one receiver op to the same vector, with nothing else between them.
const SRC = `
fn main() {
    let mut v: Vec[i64] = [3, 1, 2];
    v.reverse();
    v.reverse();
    println(v.len());
}
`;

/** The program with every `vec.reverse` renamed to the fake op, so only the registry knows it. */
function programUsingFake(): TProgram {
  const p = checked(SRC);
  let renamed = 0;
  walkBlock(fnNamed(p, "main").body, {
    expr: (e: TExpr) => {
      if (e.kind === "builtin" && e.op === "vec.reverse") {
        (e as { op: string }).op = FAKE;
        renamed++;
      }
    },
  });
  expect(renamed).toBe(2);
  return p;
}

function descriptor(receiver: BuiltinDescriptor["receiver"]): BuiltinDescriptor {
  return { receiver, sig: "v.scramble()", doc: "Test-only op." };
}

function conflictBetweenUses(registry: BuiltinRegistry) {
  const program = programUsingFake();
  const effects = analyzeEffects(program);
  const fn = fnNamed(program, "main");
  const [, first, second] = fn.body.stmts.map((s, i) => collectFacts({ program, effects, fn, builtins: registry }, s, i));
  return { first, second, conflict: statementsConflict(first, second) };
}

function accessesOfV(registry: BuiltinRegistry): PlaceAccess[] {
  const program = programUsingFake();
  const fn = fnNamed(program, "main");
  const out: PlaceAccess[] = [];
  walkBlock(fn.body, {
    builtins: registry,
    place: (p, access) => {
      if (p.kind === "local" && fn.locals[p.local]?.name === "v" && access !== "read") out.push(access);
    },
  });
  return out;
}

describe("builtin registry drives the mutation facts", () => {
  it("keeps two uses of a mutating builtin in order", () => {
    const { first, second, conflict } = conflictBetweenUses(BUILTIN_REGISTRY.with({ [FAKE]: descriptor("mut") }));
    expect([...first.defines]).toEqual(["v"]);
    expect([...second.defines]).toEqual(["v"]);
    expect(conflict?.serializedBy).toEqual({ category: "data_dependency", kind: "ww", vars: ["v"] });
  });

  it("lets two uses of its non-mutating twin group", () => {
    const { first, second, conflict } = conflictBetweenUses(BUILTIN_REGISTRY.with({ [FAKE]: descriptor("ref") }));
    expect([...first.defines]).toEqual([]);
    expect([...first.reads]).toEqual(["v"]);
    expect([...second.reads]).toEqual(["v"]);
    expect(conflict).toBeUndefined();
  });

  it("reports the receiver of a mutating builtin as mutated to the shared walker", () => {
    expect(accessesOfV(BUILTIN_REGISTRY.with({ [FAKE]: descriptor("mut") }))).toEqual(["mutate", "mutate"]);
    expect(accessesOfV(BUILTIN_REGISTRY.with({ [FAKE]: descriptor("ref") }))).toEqual([]);
  });

  it("orders the real mutating op the same way", () => {
    const program = checked(SRC);
    const effects = analyzeEffects(program);
    const fn = fnNamed(program, "main");
    const facts = fn.body.stmts.map((s, i) => collectFacts({ program, effects, fn }, s, i));
    expect(statementsConflict(facts[1], facts[2])?.serializedBy).toEqual({ category: "data_dependency", kind: "ww", vars: ["v"] });
  });
});

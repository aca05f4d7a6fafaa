// Facts about a function's locals that decide where they live, found by walking its body.

import type { LocalId, TArg, TCaptureInit, TFunction } from "../../tir/nodes.js";
import { walkBlock } from "../../tir/walk.js";

export interface LocalPlacement {
  /** Locals bound by `lock` blocks (references to a mutex's value). */
  lockAliases: Set<LocalId>;
  /** Locals whose address is needed although the checker did not flag them (defensive). */
  addressNeeds: Set<LocalId>;
}

/**
 * Both facts in one walk of the body: it is the costly part on a long function. The shared TIR
 * walker (tir/walk.ts) visits every expression, nested blocks included, without a generic search
 * through every key of every node.
 */
export function localPlacement(fn: TFunction): LocalPlacement {
  const lockAliases = new Set<LocalId>();
  const addressNeeds = new Set<LocalId>();
  const byRef = (captures: readonly TCaptureInit[]): void => {
    for (const c of captures) if (c.byRef) addressNeeds.add(c.outer);
  };
  const mutRefArgs = (args: readonly TArg[]): void => {
    for (const a of args) if (a.mode === "mutref" && a.place.kind === "local") addressNeeds.add(a.place.local);
  };
  walkBlock(fn.body, {
    expr: (e) => {
      switch (e.kind) {
        case "lock":
          lockAliases.add(e.alias);
          break;
        case "closure":
          byRef(e.captures);
          break;
        case "par":
          for (const b of e.branches) byRef(b.captures);
          break;
        // A provider scope hands its providers' addresses to the provider stack.
        case "providerScope":
          for (const b of e.bindings) addressNeeds.add(b.local);
          break;
        case "call":
        case "providerCall":
          mutRefArgs(e.args);
          break;
      }
    },
  });
  return { lockAliases, addressNeeds };
}


export function lockAliases(fn: TFunction): Set<LocalId> {
  return localPlacement(fn).lockAliases;
}

export function addressNeeds(fn: TFunction): Set<LocalId> {
  return localPlacement(fn).addressNeeds;
}

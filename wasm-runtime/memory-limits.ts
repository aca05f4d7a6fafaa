// How big a run's shared memory starts and how far it may grow: the one place the runtime
// decides this. The generated module declares its imported memory with limits
// [MEMORY_MIN_PAGES, MEMORY_MAX_PAGES] (compiler/abi.ts), so any memory inside them links.

import { LAYOUT, MEMORY_MAX_PAGES, MEMORY_MIN_PAGES } from "../compiler/abi.js";

/** 64 KiB, the wasm page. */
export const PAGE_BYTES = 65536;

/** Default initial size: 16 MiB. Small programs never grow; a big heap grows from here. */
export const DEFAULT_INITIAL_PAGES = 256;

/**
 * Growth limits per platform. Node (V8) allows a shared memory the full wasm32 range, 4 GiB. In a
 * page the engine reserves the whole maximum of a shared memory up front, inside the tab's
 * process, so the browser default is 2 GiB; when even that reservation fails the limit is halved
 * until it succeeds (see createRunMemory).
 */
export const PLATFORM_MAX_PAGES = {
  node: MEMORY_MAX_PAGES, // 4 GiB
  browser: 32768, // 2 GiB
} as const;

export interface MemoryPlan {
  initialPages: number;
  maxPages: number;
  /** The maximum was chosen by the caller, not the platform default: never lower it silently. */
  explicitMax: boolean;
}

/**
 * The memory for one run from the run options and the platform's limit, clamped to the module's
 * declared limits; initial never exceeds maximum.
 */
export function planMemory(options: { memoryPages?: number; maxMemoryPages?: number }, platformMaxPages: number): MemoryPlan {
  const clamp = (pages: number) => Math.min(MEMORY_MAX_PAGES, Math.max(MEMORY_MIN_PAGES, Math.floor(pages)));
  const explicitMax = options.maxMemoryPages !== undefined;
  const maxPages = clamp(options.maxMemoryPages ?? platformMaxPages);
  const initialPages = Math.min(maxPages, clamp(options.memoryPages ?? DEFAULT_INITIAL_PAGES));
  return { initialPages, maxPages, explicitMax };
}

/**
 * Creates the run's growable shared memory and tells the generated allocator its limit
 * (LAYOUT.MEMORY_LIMIT_PAGES, read before the first __init). With the platform's default maximum,
 * an engine that cannot reserve that much gets a halved maximum until the reservation succeeds;
 * an explicit maximum is never lowered (the error reaches the caller). Returns the plan used.
 */
export function createRunMemory(plan: MemoryPlan): { memory: WebAssembly.Memory; plan: MemoryPlan } {
  let maxPages = plan.maxPages;
  for (;;) {
    try {
      const memory = new WebAssembly.Memory({ initial: plan.initialPages, maximum: maxPages, shared: true });
      Atomics.store(new Int32Array(memory.buffer), LAYOUT.MEMORY_LIMIT_PAGES >>> 2, maxPages);
      return { memory, plan: { ...plan, maxPages } };
    } catch (e) {
      const lower = Math.max(plan.initialPages, maxPages >>> 1);
      if (plan.explicitMax || lower === maxPages || !(e instanceof RangeError)) throw e;
      maxPages = lower;
    }
  }
}

/** "16 MiB", "4 GiB": for messages. */
export function formatPages(pages: number): string {
  const mib = (pages * PAGE_BYTES) / (1 << 20);
  return mib >= 1024 && mib % 1024 === 0 ? `${mib / 1024} GiB` : `${mib} MiB`;
}

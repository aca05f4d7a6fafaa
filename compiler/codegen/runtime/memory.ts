// Private runtime state in [RT_PRIVATE, DATA_BASE) and the module-global area.

import { LAYOUT } from "../../abi.js";

export const RT = {
  /** i32: next free byte of the bump region. */
  HEAP_TOP: LAYOUT.RT_PRIVATE,
  /** i32: end of usable memory (memory size in bytes, capped below 4 GiB). */
  HEAP_END: LAYOUT.RT_PRIVATE + 4,
  /** i32 × SIZE_CLASSES: free-list heads, one per power-of-two size class (16 B << k). */
  FREE_LISTS: LAYOUT.RT_PRIVATE + 8,
  SIZE_CLASSES: 28,
  /** Module-level `const`/`let` values live here, 8 bytes each. */
  GLOBALS: 2048,
  GLOBALS_END: LAYOUT.DATA_BASE,
} as const;

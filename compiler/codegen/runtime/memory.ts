// Private runtime state in [RT_PRIVATE, DATA_BASE) and the module-global area.

import { LAYOUT } from "../../abi.js";

export const RT = {
  /** i32: next free byte of the bump region. */
  HEAP_TOP: LAYOUT.RT_PRIVATE,
  /** i32: end of the bump region: the memory's size or the limit, whichever is lower (capped below 4 GiB); moved by rt_heap_grow. */
  HEAP_END: LAYOUT.RT_PRIVATE + 4,
  /** i32 × SIZE_CLASSES: free-list heads, one per power-of-two size class (16 B << k). */
  FREE_LISTS: LAYOUT.RT_PRIVATE + 8,
  SIZE_CLASSES: 28,
  /**
   * i32: address of the out-of-memory message buffers, OOM_MSG_SIZE bytes per worker, reserved
   * at heap set-up so the message is written without allocating.
   */
  OOM_SCRATCH: LAYOUT.RT_PRIVATE + 8 + 28 * 4,
  OOM_MSG_SIZE: 128,
  /** i32, atomic: how many `dbg` task numbers have been handed out (par branches and spawned tasks; the first is 1). */
  DBG_TASK_IDS: LAYOUT.RT_PRIVATE + 8 + 28 * 4 + 4,
  /** Module-level `const`/`let` values live here, 8 bytes each. */
  GLOBALS: 2048,
  GLOBALS_END: LAYOUT.DATA_BASE,
} as const;

// Names of the per-instance wasm globals and of host imports inside the module.

/** Per-instance (per-worker) globals. */
export const G = {
  WORKER: "g_worker",
  WORKERS: "g_workers",
  /** Task record currently running on this worker (0 before the first). */
  TASK: "g_task",
  /** Task whose capture buffer receives output (0 = write through the `write` import). */
  CAPTURE: "g_capture",
  /** How many contract predicates this worker's running task is evaluating (codegen/lower/contracts.ts). */
  CONTRACT: "g_contract",
} as const;

/** Internal names of the host imports. */
export const H = {
  write: "host_write",
  panic: "host_panic",
  fork: "host_fork",
  run_inline: "host_run_inline",
  join: "host_join",
  f64_to_str: "host_f64_to_str",
  f64_parse: "host_f64_parse",
  wait: "host_wait",
  notify: "host_notify",
  now_ns: "host_now_ns",
} as const;

/**
 * Imports reached only through a generated wrapper of the same H name: the host may run other
 * tasks inside them, and the wrapper restores this instance's globals afterwards.
 */
export const H_RAW = { fork: "host_fork_raw", wait: "host_wait_raw" } as const;

// The contract between generated modules (compiler/codegen) and the worker pool
// (wasm-runtime). Both sides import these constants; docs/architecture.md explains them.
// Changing anything here is a breaking change to both sides at once.

/** Module name for every host function the generated code imports. */
export const HOST_MODULE = "kara";

/** The shared memory is imported as env.memory. */
export const MEMORY_MODULE = "env";
export const MEMORY_NAME = "memory";
/**
 * Declared limits of the imported memory, in 64 KiB pages. The runtime creates the memory with
 * an initial size of at least MEMORY_MIN_PAGES and a maximum of at most MEMORY_MAX_PAGES; the
 * generated allocator grows it (memory.grow) when the heap is full, up to the limit in
 * LAYOUT.MEMORY_LIMIT_PAGES.
 */
export const MEMORY_MIN_PAGES = 64; // 4 MiB
export const MEMORY_MAX_PAGES = 65536; // 4 GiB (wasm32 limit)

/** Fixed addresses in linear memory. */
export const LAYOUT = {
  /** [0, RT_BASE) is never handed out, so address 0 is an invalid pointer. */
  RT_BASE: 1024,
  /** i32 word: non-zero once the run must stop (a panic somewhere, or the host stopped it). */
  ABORT_FLAG: 1024,
  /** i32 word: next task id (atomic counter). */
  NEXT_TASK_ID: 1028,
  /** i32 word: allocator lock. */
  HEAP_LOCK: 1032,
  /**
   * i32 word: the most pages the heap may grow to, written by the host before the first __init
   * (0 = MEMORY_MAX_PAGES). The allocator never grows past it (nor past the memory's own
   * maximum) and names it in the out-of-memory panic.
   */
  MEMORY_LIMIT_PAGES: 1036,
  /** Bytes [1040, DATA_BASE) belong to the generated runtime (allocator state etc). */
  RT_PRIVATE: 1040,
  /** Passive data segments are copied here once, by the first worker. */
  DATA_BASE: 16384,
} as const;

/**
 * Task record: TASK_SIZE bytes in linear memory, allocated by generated code. The host writes STATE
 * and notifies it after __run_task returns, so a task function must never free its own record; the
 * joiner frees it once join returns.
 */
export const TASK = {
  SIZE: 72,
  STATE: 0, // i32, atomic: TaskState
  FN: 4, // i32: table index of a `(task: i32) -> ()` function
  ENV: 8, // i32: environment / closure pointer for FN
  KIND: 12, // i32: TaskKind
  RESULT: 16, // 8 bytes: the task's return value (i32 / i64 / f32 / f64), written by FN; for main, the i32 exit code
  ID: 24, // i32: unique id, from NEXT_TASK_ID; main is 1
  PARENT: 28, // i32: id of the task that created it (0 for main)
  LINE: 32, // i32: source line of the branch / spawn site
  CAPTURE_PTR: 36, // i32: output capture buffer (0 = none yet)
  CAPTURE_LEN: 40, // i32
  CAPTURE_CAP: 44, // i32
  FLAGS: 48, // i32: TaskFlags
  CANCEL: 52, // i32: address of the cancel word this task observes (0 = none)
  WORKER: 56, // i32: worker that ran it (written by the host)
  GROUP: 60, // i32: owning TaskGroup record, or 0
  PROVIDERS: 64, // i32: top PROVIDER_FRAME of the task's provider stack (0 = none); a new task starts with its creator's
  DBG_ID: 68, // i32: the number `dbg` tags this task's lines with (`[task:N …]`): a `par` branch's or spawned task's own, else its creator's; 0 = untagged
} as const;

/**
 * A frame of a task's provider stack (compiler/codegen/lower/providers.ts), pushed by
 * `with_provider` / `providers { } in { }` for the scope's body and popped when it is left. Frames
 * form a list from the top; a task created inside the scope starts from its creator's top, so par
 * branches, spawned tasks and automatically parallel branches see the providers bound around them.
 */
export const PROVIDER_FRAME = {
  SIZE: 16,
  RESOURCE: 0, // i32: the resource's index in the program's declarations
  TAG: 4, // i32: which provider type (selects the dispatch case)
  CELL: 8, // i32: address of the provider value
  NEXT: 12, // i32: the frame below, or 0
} as const;

export const TaskState = {
  Pending: 0,
  Running: 1,
  Done: 2,
  Failed: 3, // panicked
  Cancelled: 4, // skipped because its cancel word was set before it started
} as const;

export const TaskKind = {
  Main: 0,
  ParBranch: 1,
  Spawn: 2,
  AutoParBranch: 3,
  ReduceChunk: 4,
} as const;

export const TASK_KIND_NAMES = ["main", "par", "spawn", "auto", "reduce"] as const;

export const TaskFlags = {
  /** Output of this task is captured into its own buffer and replayed by whoever joins it. */
  Captured: 1,
  /** Set by the host when a thief (not the forking worker) ran the task. */
  Stolen: 2,
  /** Nobody will join it; the runtime reclaims it when it ends. */
  Detached: 4,
} as const;

/**
 * A capture buffer is a sequence of chunks: [fd: u8][len: u32 little-endian, unaligned][len bytes].
 * fd 1 = stdout, 2 = stderr.
 */
export const CAPTURE_CHUNK_HEADER = 5;

/**
 * A chunk with this fd holds the panic line of a failed task (always its last chunk). The joiner
 * re-raises it after passing on the output before it, so the panic line comes after every line
 * printed before it.
 */
export const CAPTURE_PANIC_FD = 0;

/** Host functions (module HOST_MODULE) the generated code may import. Signatures in wasm types. */
export const HOST_IMPORTS = {
  /** write(fd, ptr, len): uncaptured output, in program order for the calling task. */
  write: { params: ["i32", "i32", "i32"], result: "none" },
  /** panic(ptr, len): the complete panic line (without newline). Never returns. */
  panic: { params: ["i32", "i32"], result: "none" },
  /** fork(task): advertise a pending task on the calling worker's deque. */
  fork: { params: ["i32"], result: "none" },
  /** run_inline(task): run a pending task now, on this worker (first branch of a par). */
  run_inline: { params: ["i32"], result: "none" },
  /** join(task): return once the task is Done/Cancelled, running other tasks meanwhile. */
  join: { params: ["i32"], result: "none" },
  /** f64_to_str(x, buf): write x as Kāra prints it (UTF-8, at most 400 bytes) to buf; returns length. */
  f64_to_str: { params: ["f64", "i32"], result: "i32" },
  /** f64_parse(ptr, len, out): parse a float; writes f64 at out and returns 1, or returns 0. */
  f64_parse: { params: ["i32", "i32", "i32"], result: "i32" },
  /** wait(addr, expected): park while the i32 at addr equals expected (spurious wake-ups allowed). */
  wait: { params: ["i32", "i32"], result: "none" },
  /** notify(addr, count): wake up to count waiters on addr. */
  notify: { params: ["i32", "i32"], result: "none" },
  /** now_ns(): monotonic clock in nanoseconds, same clock on every worker. */
  now_ns: { params: [], result: "i64" },
} as const;

export type HostImportName = keyof typeof HOST_IMPORTS;

/**
 * Channel blocks (compiler/codegen/runtime/channels.ts). A receiver parks with `wait` on the
 * block's SEQ word; the word TAG bytes after SEQ holds MAGIC, so the host can tell a channel
 * receive from other waits when it reports a deadlock. Only used for that message.
 */
export const CHANNEL = {
  /** Offset of the SEQ word (the receivers' wait address) in the block. */
  SEQ: 4,
  /** Offset of the tag word from SEQ. */
  TAG: 36,
  MAGIC: 0x4b434831, // "KCH1"
} as const;

/**
 * Custom section naming the places of runtime faults (codegen/site-table.ts writes it,
 * wasm-runtime/fault-sites.ts reads it): UTF-8 JSON of SiteTable. Optional: a module without it
 * gets fault messages without function names.
 */
export const SITE_TABLE_SECTION = "kara.sites";

export interface SiteTable {
  /**
   * Wasm function name (as in the name section) → [source function name, line of its declaration,
   * and in a program of several files the file it is in, named as its panics name it].
   */
  functions: Record<string, [string, number] | [string, number, string]>;
  /** Wasm function name of each table slot (a task record's FN field is a slot). */
  table: string[];
  /** Creation sites of Mutexes and channels: [what ("mutex", "channel"), variable name or "", line, file in a program of several files]. */
  sync?: ([string, string, number] | [string, string, number, string])[];
}

/**
 * A Mutex or channel block records where it was created, so a deadlock report can name it: the
 * word at MUTEX bytes after a Mutex's lock word, or CHANNEL bytes after a channel's SEQ word,
 * holds TAG | index into SiteTable.sync (both words are otherwise unused padding).
 */
export const SYNC_SITE = {
  MUTEX: 4,
  CHANNEL: 40,
  TAG: 0x4b530000, // "KS" in the high half; the low half is the index
  INDEX_MASK: 0xffff,
} as const;

/** Functions every generated module exports. */
export const EXPORTS = {
  /** __init(worker_id, worker_count, first): per-instance set-up; first=1 also copies data and sets up the heap. */
  init: "__init",
  /** __main() -> task: allocate the main task record. */
  main: "__main",
  /** __run_task(task): run the task's function with its capture installed; may throw (panic). */
  runTask: "__run_task",
  /**
   * __capturing() -> 1 when a panic raised now fails only the running task, because a joiner
   * will look at it (a par branch, or a spawned task that is not detached). Called by the host
   * inside the `panic` import: then the panic line is already in the task's own buffer (a
   * CAPTURE_PANIC_FD chunk, after its output) and the task's par or group is cancelled; the host
   * unwinds to that task's runner and marks it Failed instead of ending the run. Joining a Failed
   * task returns normally; the joiner re-raises the panic after joining every sibling.
   */
  capturing: "__capturing",
} as const;

// Starts the compile worker. main.ts imports this module first, so the worker (and with it the
// compiler's download and Binaryen's compilation) starts before the rest of the page's modules
// are even evaluated: loading the compiler is the longest step to a first Run.

export const compileWorker = new Worker(new URL("./compile-worker.ts", import.meta.url), { type: "module", name: "kara-compiler" });

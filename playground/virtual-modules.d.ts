// Modules provided by the build (playground/build/binaryen-wasm.ts).
declare module "virtual:binaryen-wasm" {
  /**
   * Starts (once) downloading and compiling Binaryen's wasm; undefined where Binaryen is inline.
   * `onProgress` hears the bytes received so far (decoded) and the file's size.
   */
  export function compileBinaryen(onProgress?: (loaded: number, total: number) => void): Promise<WebAssembly.Module> | undefined;
}

// Replaced at build time (playground/build/build-info.ts, through vite's `define`).
declare const __KARA_VERSION__: string;
declare const __KARA_COMMIT__: string;

// Modules provided by the build (playground/build/binaryen-wasm.ts).
declare module "virtual:binaryen-wasm" {
  /**
   * Starts (once) downloading and compiling Binaryen's wasm; undefined where Binaryen is inline.
   * `onProgress` hears the bytes received so far (decoded) and the file's size.
   */
  export function compileBinaryen(onProgress?: (loaded: number, total: number) => void): Promise<WebAssembly.Module> | undefined;
}

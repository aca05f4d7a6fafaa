// Modules provided by the build (playground/build/binaryen-wasm.ts).
declare module "virtual:binaryen-wasm" {
  /** Starts (once) downloading and compiling Binaryen's wasm; undefined where Binaryen is inline. */
  export function compileBinaryen(): Promise<WebAssembly.Module> | undefined;
}

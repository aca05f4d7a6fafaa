import { defineConfig } from "vite";
import { fileURLToPath } from "node:url";

// Cross-origin isolation: SharedArrayBuffer (and so the worker pool) needs both headers.
const isolation = {
  "Cross-Origin-Opener-Policy": "same-origin",
  "Cross-Origin-Embedder-Policy": "require-corp",
};
const port = Number(process.env.PORT ?? 5173);

export default defineConfig({
  root: fileURLToPath(new URL("./playground", import.meta.url)),
  publicDir: fileURLToPath(new URL("./public", import.meta.url)),
  build: {
    outDir: fileURLToPath(new URL("./dist", import.meta.url)),
    emptyOutDir: true,
    target: "es2022",
    chunkSizeWarningLimit: 20000,
  },
  worker: { format: "es" },
  // Binaryen is one 15 MB module with top-level await: serve it as is, never pre-bundle it.
  optimizeDeps: { exclude: ["binaryen"] },
  server: { port, strictPort: true, headers: isolation },
  preview: { port, strictPort: true, headers: isolation },
});

import { defineConfig } from "vite";
import { fileURLToPath } from "node:url";
import { binaryenWasm } from "./playground/build/binaryen-wasm.js";
import { buildInfoDefines } from "./playground/build/build-info.js";
import { precompress } from "./playground/build/precompress.js";

// Cross-origin isolation: SharedArrayBuffer (and so the worker pool) needs both headers.
const isolation = {
  "Cross-Origin-Opener-Policy": "same-origin",
  "Cross-Origin-Embedder-Policy": "require-corp",
};
const port = Number(process.env.PORT ?? 5173);
const page = (name: string) => fileURLToPath(new URL(`./playground/${name}`, import.meta.url));

export default defineConfig({
  root: fileURLToPath(new URL("./playground", import.meta.url)),
  publicDir: fileURLToPath(new URL("./public", import.meta.url)),
  // Relative asset URLs: the built site works from any path (a GitHub Pages project, a docs subfolder).
  base: "./",
  // The version and commit shown in the page.
  define: buildInfoDefines(fileURLToPath(new URL(".", import.meta.url))),
  build: {
    outDir: fileURLToPath(new URL("./dist", import.meta.url)),
    emptyOutDir: true,
    target: "es2022",
    chunkSizeWarningLimit: 20000,
    rollupOptions: {
      input: {
        index: page("index.html"),
        embed: page("embed.html"),
        "docs-demo": page("docs-demo.html"),
        // Docs pages include this one file by a stable name: <script type="module" src=".../kara-snippet.js">.
        "kara-snippet": page("embed/kara-snippet.ts"),
      },
      output: {
        entryFileNames: (chunk) => (chunk.name === "kara-snippet" ? "kara-snippet.js" : "assets/[name]-[hash].js"),
      },
    },
  },
  // precompress: .br and .gz beside each file, served by `npm start` (build/serve.ts).
  plugins: [binaryenWasm(), precompress()],
  worker: { format: "es", plugins: () => [binaryenWasm()] },
  // Binaryen is one 15 MB module with top-level await: serve it as is, never pre-bundle it.
  optimizeDeps: { exclude: ["binaryen"] },
  server: { port, strictPort: true, headers: isolation },
  preview: { port, strictPort: true, headers: isolation },
});

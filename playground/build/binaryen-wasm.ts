// Build step: serve Binaryen's WebAssembly as its own .wasm file instead of the ~14 MB string
// literal that the npm module embeds in its JavaScript.
//
// Why: with the literal, every page load parses a 14 MB script, decodes the string into bytes in
// JavaScript and compiles the module from an ArrayBuffer, strictly after the compiler's
// JavaScript has loaded. As a separate file, the compile worker starts downloading and compiling
// it (WebAssembly.compileStreaming, on background threads) the moment it starts, while the
// compiler's JavaScript loads and warms up.
//
// Two pieces:
//   - the virtual module `virtual:binaryen-wasm` exports compileBinaryen(): one shared promise of
//     the compiled WebAssembly.Module (undefined in the dev server, where Binaryen stays as it is);
//   - a transform of Binaryen's module (Emscripten output): it empties the embedded literal and
//     passes an `instantiateWasm(imports, receive)` hook, which instantiates that shared module, to
//     the factory call at the end of the file.
// If Binaryen's shape ever changes so the patterns are not found, it is left as it is (correct,
// only slower) with a warning.

import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import type { Plugin } from "vite";

export const VIRTUAL_ID = "virtual:binaryen-wasm";
const RESOLVED_ID = "\0" + VIRTUAL_ID;

/** Where Binaryen's embedded binary starts: `name??=decode(\`\0asm…`. */
const LITERAL_START = /\b[\w$]+\?\?=[\w$]+\(`\\0asm/;
/** The module's last statement calls its factory without options: `=await factory(),`. */
const FACTORY_CALL = /=await ([\w$]+)\(\)([,;])/g;

export interface SplitBinaryen {
  wasm: Uint8Array<ArrayBuffer>;
  /** The module's code with the literal removed, calling `instantiateWasm` (an expression). */
  code(instantiateWasm: string): string;
}

/** The end of a template literal whose body starts at `from`; -1 if it has substitutions. */
function literalEnd(code: string, from: number): number {
  for (let i = from; i < code.length; i++) {
    const c = code.charCodeAt(i);
    if (c === 92 /* \ */) i++;
    else if (c === 96 /* ` */) return i;
    else if (c === 36 /* $ */ && code.charCodeAt(i + 1) === 123 /* { */) return -1;
  }
  return -1;
}

/** Splits Binaryen's module into its code and its embedded wasm; undefined when the shape is unknown. */
export function splitBinaryen(code: string): SplitBinaryen | undefined {
  const start = LITERAL_START.exec(code);
  if (!start) return undefined;
  const bodyStart = start.index + start[0].length - "\\0asm".length;
  const bodyEnd = literalEnd(code, bodyStart);
  if (bodyEnd < 0) return undefined;
  const calls = [...code.matchAll(FACTORY_CALL)];
  if (calls.length !== 1 || calls[0].index === undefined) return undefined;
  const callAt = calls[0].index + "=await ".length + calls[0][1].length + 1; // inside the parentheses

  // The body is template-literal text with escapes only: let the JavaScript engine read it exactly
  // as a browser would, then take one byte per character as Binaryen's own decoder does.
  const text = new Function(`return \`${code.slice(bodyStart, bodyEnd)}\`;`)() as string;
  const wasm = new Uint8Array(text.length);
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c > 255) return undefined;
    wasm[i] = c;
  }
  if (!WebAssembly.validate(wasm)) return undefined;
  return {
    wasm,
    code: (instantiateWasm) => code.slice(0, bodyStart) + code.slice(bodyEnd, callAt) + `{instantiateWasm:${instantiateWasm}}` + code.slice(callAt),
  };
}

/** The virtual module in a build: compiles the emitted .wasm file once, streaming, counting bytes. */
function loaderModule(urlExpression: string, size: number): string {
  return `let compiled;
const SIZE = ${size};
export function compileBinaryen(onProgress) {
  if (compiled) return compiled;
  const url = String(${urlExpression});
  const plain = () => fetch(url).then((r) => {
    if (!r.ok) throw new Error("cannot load " + url + ": HTTP " + r.status);
    return r.arrayBuffer();
  }).then((bytes) => WebAssembly.compile(bytes));
  // The body passes through a counter on its way to the compiler, so the page can show real
  // progress (decoded bytes: a host may send it compressed, so the total is the file's own size).
  const counted = (response) => {
    if (!onProgress || !response.ok || !response.body || typeof TransformStream !== "function") return response;
    let loaded = 0;
    let reported = 0;
    const counter = new TransformStream({
      transform(chunk, controller) {
        loaded += chunk.byteLength;
        if (loaded - reported >= SIZE / 100 || loaded >= SIZE) {
          reported = loaded;
          onProgress(loaded, SIZE);
        }
        controller.enqueue(chunk);
      },
    });
    return new Response(response.body.pipeThrough(counter), { status: response.status, headers: response.headers });
  };
  // Streaming needs the application/wasm type; a host that sends another still works, unstreamed.
  compiled = typeof WebAssembly.compileStreaming === "function"
    ? WebAssembly.compileStreaming(fetch(url).then(counted)).catch(plain)
    : plain();
  return compiled;
}
`;
}

// The hook Binaryen calls with its imports. A failure is rethrown outside any promise: an uncaught
// error in the compile worker reaches the page as the worker's error event.
const HOOK = `(imports, receive) => {
  compileBinaryen().then((module) => WebAssembly.instantiate(module, imports).then((instance) => receive(instance, module)))
    .catch((e) => setTimeout(() => { throw e; }));
  return {};
}`;

/** The Vite plugin; add it to both `plugins` and `worker.plugins`. */
export function binaryenWasm(): Plugin {
  let build = false;
  let split: SplitBinaryen | undefined;
  let tried = false;
  const binaryenPath = createRequire(import.meta.url).resolve("binaryen");
  const getSplit = (code?: string): SplitBinaryen | undefined => {
    if (!tried) {
      tried = true;
      split = splitBinaryen(code ?? readFileSync(binaryenPath, "utf8"));
    }
    return split;
  };
  return {
    name: "kara:binaryen-wasm",
    enforce: "pre",
    configResolved(config) {
      build = config.command === "build";
    },
    resolveId(id) {
      return id === VIRTUAL_ID ? RESOLVED_ID : null;
    },
    load(id) {
      if (id !== RESOLVED_ID) return null;
      const parts = build ? getSplit() : undefined;
      if (!parts) return "export function compileBinaryen() { return undefined; }\n";
      const ref = this.emitFile({ type: "asset", name: "binaryen.wasm", source: parts.wasm });
      return loaderModule(`import.meta.ROLLUP_FILE_URL_${ref}`, parts.wasm.length);
    },
    transform(code, id) {
      if (!build || !/[\\/]node_modules[\\/]binaryen[\\/]index\.js$/.test(id.split("?")[0])) return null;
      const parts = getSplit(code);
      if (!parts) {
        this.warn("Binaryen's embedded wasm was not found; it stays inline (a slower page start)");
        return null;
      }
      return { code: `import { compileBinaryen } from ${JSON.stringify(VIRTUAL_ID)};\n` + parts.code(HOOK), map: null };
    },
  };
}

// Build step: next to every compressible file of the built site, a Brotli (.br) and a gzip (.gz)
// copy, made once at build time, so a server can answer with the smallest encoding the browser
// accepts without compressing per request (playground/build/static-server.ts does; so can nginx's
// gzip_static/brotli_static or a CDN). Binaryen's 10 MB of wasm shrinks to about 1.6 MB.

import { readdir, readFile, stat, writeFile } from "node:fs/promises";
import { join, resolve } from "node:path";
import { promisify } from "node:util";
import { brotliCompress, constants, gzip } from "node:zlib";
import type { Plugin } from "vite";

const brotli = promisify(brotliCompress);
const gz = promisify(gzip);

export const COMPRESSIBLE = /\.(?:js|mjs|css|html|wasm|json|svg|txt|map)$/;
/** Smaller files gain nothing worth a second request path. */
const MIN_BYTES = 1024;
/** Brotli's best quality is slow (over a minute for Binaryen's wasm); large files use 9. */
const BEST_QUALITY_UP_TO = 2_000_000;

async function filesUnder(dir: string): Promise<string[]> {
  const out: string[] = [];
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) out.push(...(await filesUnder(path)));
    else out.push(path);
  }
  return out;
}

/** Writes `.br` and `.gz` beside each compressible file under `dir`; returns how many files. */
export async function precompressDir(dir: string): Promise<number> {
  const files = (await filesUnder(dir)).filter((f) => COMPRESSIBLE.test(f));
  let done = 0;
  // zlib's async calls run on libuv's thread pool: the files compress in parallel.
  await Promise.all(
    files.map(async (file) => {
      if ((await stat(file)).size < MIN_BYTES) return;
      const body = await readFile(file);
      const quality = body.length <= BEST_QUALITY_UP_TO ? constants.BROTLI_MAX_QUALITY : 9;
      const [br, gzipped] = await Promise.all([
        brotli(body, {
          params: {
            [constants.BROTLI_PARAM_QUALITY]: quality,
            [constants.BROTLI_PARAM_LGWIN]: constants.BROTLI_MAX_WINDOW_BITS,
            [constants.BROTLI_PARAM_SIZE_HINT]: body.length,
          },
        }),
        gz(body, { level: 9 }),
      ]);
      await Promise.all([writeFile(`${file}.br`, br), writeFile(`${file}.gz`, gzipped)]);
      done++;
    }),
  );
  return done;
}

/** The Vite plugin: precompresses the output directory once the whole build is written. */
export function precompress(): Plugin {
  let outDir = "";
  return {
    name: "kara:precompress",
    apply: "build",
    configResolved(config) {
      outDir = resolve(config.root, config.build.outDir);
    },
    async closeBundle() {
      const count = await precompressDir(outDir);
      this.info?.(`precompressed ${count} files (.br, .gz)`);
    },
  };
}

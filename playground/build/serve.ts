// `npm start`'s server: the built site with COOP/COEP, precompressed files and immutable caching
// of hashed assets (see static-server.ts). Usage: tsx playground/build/serve.ts [--port N]
// [--host H] [--dir DIR]; PORT sets the port too (default 5173). The port is strict: if it is
// taken, this fails rather than moving elsewhere.

import { fileURLToPath } from "node:url";
import { IMMUTABLE, startStaticServer } from "./static-server.js";

function flag(name: string): string | undefined {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : undefined;
}

const port = Number(flag("port") ?? process.env.PORT ?? 5173);
const host = flag("host") ?? "localhost";
const root = flag("dir") ?? fileURLToPath(new URL("../../dist/", import.meta.url));

const server = await startStaticServer({ root, port, host, isolation: true, assetCache: IMMUTABLE });
console.log(`Kāra playground: ${server.url}/  (serving ${root}; Ctrl+C to stop)`);
for (const signal of ["SIGINT", "SIGTERM"] as const) {
  process.on(signal, () => void server.close().then(() => process.exit(0)));
}

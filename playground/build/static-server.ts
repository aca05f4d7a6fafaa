// A small static file server for the built site (dist/), as a well-configured host serves it:
//   - COOP/COEP, so the page is cross-origin isolated and the worker pool can share memory;
//   - the precompressed .br / .gz file the browser accepts (made by build/precompress.ts), with
//     Vary: Accept-Encoding;
//   - long-lived immutable caching for assets/ (content-hashed names), revalidation for the rest.
// `npm start` serves with it (build/serve.ts); the end-to-end tests and the benchmark use it too,
// with options to act like a plainer host.

import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import { readFile, stat } from "node:fs/promises";
import { extname, join, normalize, resolve, sep } from "node:path";
import type { AddressInfo } from "node:net";

const TYPES: Record<string, string> = {
  ".html": "text/html; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".mjs": "text/javascript; charset=utf-8",
  ".css": "text/css; charset=utf-8",
  ".wasm": "application/wasm",
  ".json": "application/json",
  ".svg": "image/svg+xml",
  ".png": "image/png",
  ".txt": "text/plain; charset=utf-8",
};

export const IMMUTABLE = "public, max-age=31536000, immutable";

export interface StaticServerOptions {
  root: string;
  /** Send COOP/COEP (what a host that can set headers would do). */
  isolation?: boolean;
  /** Cache-Control for files under assets/ (content-hashed names); default: revalidate everything. */
  assetCache?: string;
  /** Serve the .br/.gz files made at build time when the browser accepts them (default true). */
  precompressed?: boolean;
  port?: number;
  host?: string;
}

export interface StaticServer {
  url: string;
  /** Paths requested so far, in order. */
  requests: string[];
  close(): Promise<void>;
}

/** The encodings a request accepts, in the server's order of preference (q=0 excluded). */
export function acceptedEncodings(header: string | undefined): Array<"br" | "gzip"> {
  const accepted = new Map<string, number>();
  for (const part of (header ?? "").split(",")) {
    const [name, ...params] = part.trim().toLowerCase().split(";");
    if (!name) continue;
    const q = params.map((p) => /^\s*q=([\d.]+)\s*$/.exec(p)).find(Boolean);
    accepted.set(name, q ? Number(q[1]) : 1);
  }
  const ok = (name: string): boolean => (accepted.get(name) ?? accepted.get("*") ?? 0) > 0;
  return (["br", "gzip"] as const).filter(ok);
}

const SUFFIX = { br: ".br", gzip: ".gz" } as const;

async function isFile(path: string): Promise<boolean> {
  try {
    return (await stat(path)).isFile();
  } catch {
    return false;
  }
}

export async function startStaticServer(options: StaticServerOptions): Promise<StaticServer> {
  const root = resolve(options.root);
  const requests: string[] = [];
  const precompressed = options.precompressed ?? true;

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const path = decodeURIComponent(new URL(req.url ?? "/", "http://x").pathname);
    requests.push(path);
    let file = normalize(join(root, path));
    if (file !== root && !file.startsWith(root + sep)) {
      res.writeHead(403).end();
      return;
    }
    try {
      if ((await stat(file)).isDirectory()) file = join(file, "index.html");
    } catch {
      res.writeHead(404, { "Content-Type": "text/plain" }).end("not found");
      return;
    }
    const headers: Record<string, string> = { "Content-Type": TYPES[extname(file)] ?? "application/octet-stream" };
    if (options.isolation) {
      headers["Cross-Origin-Opener-Policy"] = "same-origin";
      headers["Cross-Origin-Embedder-Policy"] = "require-corp";
    }
    headers["Cache-Control"] = path.startsWith("/assets/") && options.assetCache ? options.assetCache : "no-cache";
    let body = file;
    if (precompressed) {
      headers["Vary"] = "Accept-Encoding";
      for (const encoding of acceptedEncodings(req.headers["accept-encoding"])) {
        if (await isFile(file + SUFFIX[encoding])) {
          body = file + SUFFIX[encoding];
          headers["Content-Encoding"] = encoding;
          break;
        }
      }
    }
    let data: Buffer;
    try {
      data = await readFile(body);
    } catch {
      res.writeHead(404, { "Content-Type": "text/plain" }).end("not found");
      return;
    }
    headers["Content-Length"] = String(data.length);
    res.writeHead(200, headers);
    res.end(req.method === "HEAD" ? undefined : data);
  }

  const server: Server = createServer((req, res) => {
    handle(req, res).catch(() => {
      if (!res.headersSent) res.writeHead(500).end();
    });
  });
  await new Promise<void>((ok, fail) => {
    server.once("error", fail);
    server.listen(options.port ?? 0, options.host ?? "127.0.0.1", ok);
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://${options.host && options.host !== "0.0.0.0" ? options.host : "127.0.0.1"}:${port}`,
    requests,
    close: () =>
      new Promise<void>((ok) => {
        server.closeAllConnections();
        server.close(() => ok());
      }),
  };
}

import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from "node:fs";
import { get } from "node:http";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { brotliDecompressSync, gunzipSync } from "node:zlib";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { precompressDir } from "./precompress.js";
import { acceptedEncodings, IMMUTABLE, startStaticServer, type StaticServer } from "./static-server.js";

function fetchRaw(url: string, acceptEncoding?: string): Promise<{ status: number; headers: Record<string, string | string[] | undefined>; body: Buffer }> {
  return new Promise((ok, fail) => {
    get(url, { headers: acceptEncoding === undefined ? {} : { "Accept-Encoding": acceptEncoding } }, (res) => {
      const chunks: Buffer[] = [];
      res.on("data", (c: Buffer) => chunks.push(c));
      res.on("end", () => ok({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }));
    }).on("error", fail);
  });
}

describe("acceptedEncodings", () => {
  it("prefers Brotli, honours q=0 and wildcards", () => {
    expect(acceptedEncodings("gzip, deflate, br, zstd")).toEqual(["br", "gzip"]);
    expect(acceptedEncodings("gzip")).toEqual(["gzip"]);
    expect(acceptedEncodings("br;q=0, gzip;q=0.5")).toEqual(["gzip"]);
    expect(acceptedEncodings("*")).toEqual(["br", "gzip"]);
    expect(acceptedEncodings("*, br;q=0")).toEqual(["gzip"]);
    expect(acceptedEncodings(undefined)).toEqual([]);
    expect(acceptedEncodings("identity")).toEqual([]);
  });
});

describe("static server with precompressed files", () => {
  let dir: string;
  let server: StaticServer;
  const big = "console.log('kara');\n".repeat(2000);
  const wasm = Buffer.concat([Buffer.from([0, 0x61, 0x73, 0x6d, 1, 0, 0, 0]), Buffer.alloc(50_000, 7)]);

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), "kara-serve-"));
    mkdirSync(join(dir, "assets"));
    writeFileSync(join(dir, "index.html"), "<!doctype html><title>x</title>");
    writeFileSync(join(dir, "assets", "app-abc123.js"), big);
    writeFileSync(join(dir, "assets", "binaryen-abc123.wasm"), wasm);
    expect(await precompressDir(dir)).toBe(2); // index.html is below the size floor
    server = await startStaticServer({ root: dir, isolation: true, assetCache: IMMUTABLE });
  });
  afterAll(async () => {
    await server.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it("answers with Brotli or gzip as accepted, identical once decoded", async () => {
    const br = await fetchRaw(`${server.url}/assets/app-abc123.js`, "gzip, br");
    expect(br.headers["content-encoding"]).toBe("br");
    expect(br.headers.vary).toBe("Accept-Encoding");
    expect(brotliDecompressSync(br.body).toString()).toBe(big);
    expect(br.body.length).toBeLessThan(big.length / 10);
    const gz = await fetchRaw(`${server.url}/assets/binaryen-abc123.wasm`, "gzip");
    expect(gz.headers["content-encoding"]).toBe("gzip");
    expect(gz.headers["content-type"]).toBe("application/wasm");
    expect(gunzipSync(gz.body).equals(wasm)).toBe(true);
    const plain = await fetchRaw(`${server.url}/assets/binaryen-abc123.wasm`);
    expect(plain.headers["content-encoding"]).toBeUndefined();
    expect(plain.body.equals(wasm)).toBe(true);
  });

  it("sends isolation headers, immutable caching for hashed assets, revalidation for pages", async () => {
    const page = await fetchRaw(`${server.url}/`, "br");
    expect(page.status).toBe(200);
    expect(page.headers["cross-origin-opener-policy"]).toBe("same-origin");
    expect(page.headers["cross-origin-embedder-policy"]).toBe("require-corp");
    expect(page.headers["cache-control"]).toBe("no-cache");
    expect(page.headers["content-encoding"]).toBeUndefined();
    const asset = await fetchRaw(`${server.url}/assets/app-abc123.js`, "br");
    expect(asset.headers["cache-control"]).toBe(IMMUTABLE);
  });

  it("refuses paths outside the root and answers 404 for missing files", async () => {
    expect((await fetchRaw(`${server.url}/../../etc/passwd`)).status).not.toBe(200);
    expect((await fetchRaw(`${server.url}/%2e%2e/%2e%2e/etc/passwd`)).status).not.toBe(200);
    expect((await fetchRaw(`${server.url}/assets/..%2f..%2f..%2fetc%2fpasswd`)).status).toBe(403);
    expect((await fetchRaw(`${server.url}/assets/missing.js`, "br")).status).toBe(404);
  });
});

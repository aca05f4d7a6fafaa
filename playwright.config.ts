import { defineConfig } from "@playwright/test";

const port = Number(process.env.E2E_PORT ?? 4173);
// A build elsewhere than dist/ (`npx vite build --outDir DIR --emptyOutDir`), so a test run is not
// disturbed by another build of the same tree.
const outDir = process.env.E2E_DIST;

export default defineConfig({
  testDir: "e2e",
  timeout: 60_000,
  retries: 0,
  workers: 1,
  reporter: [["list"]],
  use: {
    baseURL: `http://127.0.0.1:${port}`,
    // The page registers a cross-origin-isolation service worker on hosts without COOP/COEP; tests
    // that strip the headers must see the page as such a host leaves it. hosting.spec.ts allows it.
    serviceWorkers: "block",
    launchOptions: {
      executablePath: "/usr/bin/chromium",
      args: ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
    },
  },
  webServer: {
    // The server `npm start` uses: COOP/COEP, precompressed files, immutable hashed assets.
    command: `npx tsx playground/build/serve.ts --port ${port} --host 127.0.0.1${outDir ? ` --dir ${JSON.stringify(outDir)}` : ""}`,
    url: `http://127.0.0.1:${port}`,
    reuseExistingServer: false,
    timeout: 120_000,
    env: { PORT: String(port) },
  },
});

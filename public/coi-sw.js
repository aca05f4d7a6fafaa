// Cross-origin isolation for static hosts that cannot send headers. Loaded by the page as a plain
// script, this file registers itself as a service worker; running as the service worker, it re-serves
// every same-origin response with COOP/COEP/CORP headers, so the page (after one reload) is
// cross-origin isolated and can share memory with its workers.
//   - `?seq` in the page URL skips all of it (and the worker leaves such pages alone).
//   - The page reloads at most once per tab session; if it is still not isolated after that, it stays
//     as it is (sequential) rather than reloading forever.
//   - Without service workers (blocked, private mode, not a secure context) nothing happens and the
//     page runs sequentially with its notice.
(() => {
  "use strict";
  const RELOAD_GUARD = "kara-coi-reloaded";

  if (typeof window === "undefined") {
    // --- service worker side ---
    const sequential = (url) => new URL(url).searchParams.has("seq");
    self.addEventListener("install", () => self.skipWaiting());
    self.addEventListener("activate", (event) => event.waitUntil(self.clients.claim()));
    self.addEventListener("fetch", (event) => {
      const request = event.request;
      // Chromium throws on these when the request is not same-origin.
      if (request.cache === "only-if-cached" && request.mode !== "same-origin") return;
      if (new URL(request.url).origin !== self.location.origin) return;
      if (request.mode === "navigate" && sequential(request.url)) return;
      event.respondWith(
        fetch(request).then((response) => {
          if (response.status === 0 || response.type === "opaqueredirect") return response;
          const headers = new Headers(response.headers);
          headers.set("Cross-Origin-Opener-Policy", "same-origin");
          headers.set("Cross-Origin-Embedder-Policy", "require-corp");
          headers.set("Cross-Origin-Resource-Policy", "same-origin");
          return new Response(response.body, { status: response.status, statusText: response.statusText, headers });
        }),
      );
    });
    return;
  }

  // --- page side ---
  if (window.crossOriginIsolated) {
    try {
      sessionStorage.removeItem(RELOAD_GUARD);
    } catch {}
    return;
  }
  if (new URLSearchParams(location.search).has("seq")) return;
  if (!window.isSecureContext || !("serviceWorker" in navigator)) return;

  const reloadOnce = () => {
    try {
      if (sessionStorage.getItem(RELOAD_GUARD)) return; // already tried in this tab: no loop
      sessionStorage.setItem(RELOAD_GUARD, "1");
    } catch {
      return; // no sessionStorage, so no guard: do not risk a loop
    }
    location.reload();
  };

  const script = document.currentScript && document.currentScript.src;
  if (!script) return;
  navigator.serviceWorker.register(script).then(
    () => {
      // Controlled already (an earlier visit) yet not isolated: the page was served before the
      // worker took over, so one reload fetches it through the worker.
      if (navigator.serviceWorker.controller) reloadOnce();
      else navigator.serviceWorker.addEventListener("controllerchange", reloadOnce);
    },
    () => {
      // Registration refused: the page stays sequential and says so.
    },
  );
})();

// The playground's static server (playground/build/static-server.ts), used by the hosting tests
// and the benchmark to serve dist/ as different hosts would.

export { acceptedEncodings, IMMUTABLE, startStaticServer, type StaticServer, type StaticServerOptions } from "../playground/build/static-server.js";

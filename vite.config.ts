import { defineConfig } from "vite";

/**
 * The web pages: one single-page app (the demo host shell, the gift and invite pages, the operator's
 * console) built into dist/web, which the Boon server serves beside the API.
 */
export default defineConfig({
  root: "src/web",
  base: "/",
  build: { outDir: "../../dist/web", emptyOutDir: true, sourcemap: true },
  server: { proxy: { "/v1": "http://localhost:8787", "/demo/api": "http://localhost:8787" } },
});

/**
 * Runs a TypeScript script: `node scripts/run-ts.mjs <file.ts> [args...]`. Node 20 cannot strip types
 * and the project has no TypeScript runner besides the build, so this borrows Vite, which vitest
 * already uses to run the tests, to load the module, then calls its exported `main(args)`.
 */
import { resolve } from "node:path";
import { createServer } from "vite";

const [file, ...args] = process.argv.slice(2);
if (file === undefined) {
  console.error("usage: node scripts/run-ts.mjs <file.ts> [args...]");
  process.exit(2);
}
// A server without a port or file watching: only its module loader is used, kept open while main runs
// because the script imports more modules as it goes.
const vite = await createServer({
  configFile: false,
  logLevel: "error",
  appType: "custom",
  server: { middlewareMode: true, hmr: false, watch: null },
  optimizeDeps: { noDiscovery: true },
});
try {
  const module = await vite.ssrLoadModule(resolve(file));
  if (typeof module.main !== "function") throw new Error(`${file} exports no main(args) function`);
  await module.main(args);
} finally {
  await vite.close();
}

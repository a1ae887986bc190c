import { defineConfig } from "vite";

/**
 * The embeddable widgets: one ES module with React inside (dist/web/embed/boon-widgets.js) and its
 * stylesheet, for host pages that mount Boon's widgets without a framework of their own.
 */
export default defineConfig({
  define: { "process.env.NODE_ENV": JSON.stringify("production") },
  build: {
    outDir: "dist/web/embed",
    emptyOutDir: true,
    sourcemap: true,
    minify: true,
    cssCodeSplit: false,
    lib: {
      entry: "src/web/embed.tsx",
      formats: ["es"],
      fileName: () => "boon-widgets.js",
      cssFileName: "boon-widgets",
    },
  },
});

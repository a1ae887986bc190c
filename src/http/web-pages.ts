/**
 * The web pages beside the API: the built single-page app (dist/web) with its hashed assets, and its
 * index.html for every page path, carrying the configuration the pages read (the display scale and
 * whether the demo host is on) in a JSON script tag.
 */
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { serveStatic } from "@hono/node-server/serve-static";
import type { App } from "./app.js";

export interface WebPagesOptions {
  /** The folder `vite build` wrote: index.html and assets/. */
  readonly root: string;
  /** Decimal places credits are shown with. */
  readonly displayScale: number;
  readonly demo: boolean;
}

export const DISPLAY_SCALE_MAX = 6;
const CONFIG_TAG = /<script id="boon-config" type="application\/json">[^<]*<\/script>/;

/**
 * Scripts only from this origin; inline styles are allowed because components size bars and
 * meters with style attributes. The config tag is JSON, which a browser never runs.
 */
const CONTENT_SECURITY_POLICY =
  "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; " +
  "connect-src 'self'; base-uri 'none'; form-action 'self'; object-src 'none'";

/** The index page with the configuration written in; `<` is escaped so no value can close the tag. */
export function renderIndex(template: string, options: Omit<WebPagesOptions, "root">): string {
  const config = JSON.stringify({ displayScale: options.displayScale, demo: options.demo }).replaceAll(
    "<",
    "\\u003c",
  );
  if (!CONFIG_TAG.test(template)) throw new Error("index.html has no boon-config script tag");
  return template.replace(CONFIG_TAG, `<script id="boon-config" type="application/json">${config}</script>`);
}

/** Paths the API or the server owns: never answered with the page. */
function isApiPath(path: string): boolean {
  return /^\/(v1|demo\/api)(\/|$)/.test(path) || path === "/openapi.json" || path === "/docs";
}

/** The built pages, read once at startup. */
export interface WebPages {
  readonly root: string;
  readonly index: string;
}

export async function loadWebPages(options: WebPagesOptions): Promise<WebPages> {
  if (
    !Number.isInteger(options.displayScale) ||
    options.displayScale < 0 ||
    options.displayScale > DISPLAY_SCALE_MAX
  )
    throw new Error(`the display scale must be a whole number from 0 to ${DISPLAY_SCALE_MAX}`);
  const template = await readFile(join(options.root, "index.html"), "utf8");
  return { root: options.root, index: renderIndex(template, options) };
}

export function mountWebPages(app: App, pages: WebPages): void {
  const { index } = pages;
  app.use(
    "/assets/*",
    async (c, next) => {
      await next();
      // Asset names carry a hash of their content, so a browser may keep them for good. Set once the
      // file's response exists: serveStatic's onFound runs after it is built, too late for a header.
      if (c.res.ok) c.header("Cache-Control", "public, max-age=31536000, immutable");
    },
    serveStatic({ root: pages.root }),
  );
  app.use(
    "/embed/*",
    serveStatic({
      root: pages.root,
      onFound: (_path, c) => {
        // The widget bundle keeps its name across releases, so browsers check back every few minutes;
        // host pages on other origins load it as a module script, which needs CORS.
        c.header("Cache-Control", "public, max-age=300");
        c.header("Access-Control-Allow-Origin", "*");
      },
    }),
  );
  app.get("*", async (c, next) => {
    if (isApiPath(c.req.path) || /^\/(assets|embed)\//.test(c.req.path)) return next();
    c.header("Cache-Control", "no-cache");
    c.header("Content-Security-Policy", CONTENT_SECURITY_POLICY);
    c.header("X-Content-Type-Options", "nosniff");
    c.header("Referrer-Policy", "no-referrer");
    return c.html(index);
  });
}

/**
 * The web pages served beside the API, in process on every backend: every page path answers the
 * index with the configuration written in and the page's security headers, hashed assets are cached
 * for good, and everything the API owns (/v1, /openapi.json, /docs, /metrics, /demo/api) keeps its own
 * answers. The configuration tag can't be broken out of, and a bad display scale is refused at start.
 */
import { mkdir, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DISPLAY_SCALE_MAX, loadWebPages, renderIndex, type WebPages } from "../../src/http/web-pages.js";
import { backends } from "../support/backends.js";
import { type HttpWorld, openHttpWorld } from "../support/http.js";

const CONFIG_TAG_EMPTY = '<script id="boon-config" type="application/json">{}</script>';
const INDEX_HTML = `<!doctype html>
<html lang="en">
  <head>
    <title>Boon</title>
    ${CONFIG_TAG_EMPTY}
    <script type="module" src="/assets/app.js"></script>
  </head>
  <body><div id="root"></div></body>
</html>
`;
const APP_JS = 'console.log("boon pages");\n';
const SECRET_TEXT = "not for the web";

/** A built-pages folder: index.html and assets/app.js, beside a file that must never be served. */
async function makeWebRoot(): Promise<{ base: string; root: string }> {
  const base = await mkdtemp(join(tmpdir(), "boon-web-"));
  const root = join(base, "web");
  await mkdir(join(root, "assets"), { recursive: true });
  await writeFile(join(root, "index.html"), INDEX_HTML);
  await writeFile(join(root, "assets", "app.js"), APP_JS);
  await writeFile(join(base, "secret.txt"), SECRET_TEXT);
  return { base, root };
}

/** The JSON inside the configuration tag of a page. */
function configOf(html: string): unknown {
  const match = /<script id="boon-config" type="application\/json">([^<]*)<\/script>/.exec(html);
  if (match === null) throw new Error("no configuration tag");
  return JSON.parse(match[1] ?? "");
}

describe("renderIndex", () => {
  it("writes the configuration into the tag and leaves the rest of the page as it was", () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: DISPLAY_SCALE_MAX }), fc.boolean(), (displayScale, demo) => {
        const page = renderIndex(INDEX_HTML, { displayScale, demo });
        expect(configOf(page)).toEqual({ displayScale, demo });
        const [before, after] = INDEX_HTML.split(CONFIG_TAG_EMPTY);
        expect(page.startsWith(before ?? "")).toBe(true);
        expect(page.endsWith(after ?? "")).toBe(true);
      }),
    );
  });

  it("escapes '<' so no value can close the tag", () => {
    const hostile = "</script><script>alert(1)</script>";
    // The options are typed as a number and a boolean; the escape must hold even if that is bypassed.
    const page = renderIndex(INDEX_HTML, { displayScale: hostile as unknown as number, demo: false });
    expect(page).not.toContain("<script>alert(1)");
    expect(page.match(/<\/script>/g)).toHaveLength(2);
    expect(configOf(page)).toEqual({ displayScale: hostile, demo: false });
  });

  it("replaces a configuration already written, and works on the real page template", async () => {
    const written = renderIndex(INDEX_HTML, { displayScale: 2, demo: true });
    expect(configOf(renderIndex(written, { displayScale: 0, demo: false }))).toEqual({
      displayScale: 0,
      demo: false,
    });
    const template = await readFile(new URL("../../src/web/index.html", import.meta.url), "utf8");
    expect(configOf(renderIndex(template, { displayScale: 3, demo: true }))).toEqual({
      displayScale: 3,
      demo: true,
    });
  });

  it("refuses a page without the configuration tag", () => {
    expect(() => renderIndex("<html><body></body></html>", { displayScale: 0, demo: false })).toThrow(
      /boon-config/,
    );
  });
});

describe("loadWebPages", () => {
  let folder: { base: string; root: string };
  beforeAll(async () => {
    folder = await makeWebRoot();
  });
  afterAll(async () => {
    await rm(folder.base, { recursive: true, force: true });
  });

  it("refuses a display scale that is not a whole number from 0 to the maximum", async () => {
    for (const displayScale of [-1, DISPLAY_SCALE_MAX + 1, 1.5, Number.NaN, Number.POSITIVE_INFINITY]) {
      await expect(
        loadWebPages({ root: folder.root, displayScale, demo: false }),
        String(displayScale),
      ).rejects.toThrow(/display scale must be a whole number from 0 to 6/);
    }
  });

  it("accepts every scale in range and writes it into the page", async () => {
    for (let displayScale = 0; displayScale <= DISPLAY_SCALE_MAX; displayScale += 1) {
      const pages = await loadWebPages({ root: folder.root, displayScale, demo: true });
      expect(configOf(pages.index)).toEqual({ displayScale, demo: true });
    }
  });

  it("refuses a folder without index.html, or an index.html without the tag", async () => {
    await expect(
      loadWebPages({ root: join(folder.base, "nowhere"), displayScale: 0, demo: false }),
    ).rejects.toThrow(/ENOENT/);
    const bare = join(folder.base, "bare");
    await mkdir(bare, { recursive: true });
    await writeFile(join(bare, "index.html"), "<html></html>");
    await expect(loadWebPages({ root: bare, displayScale: 0, demo: false })).rejects.toThrow(/boon-config/);
  });
});

const PAGE_PATHS = [
  "/",
  "/gift/ABC",
  "/gift/ABCD-EFGH-JKMN-P",
  "/invite/XYZ",
  "/usage",
  "/console",
  "/console/programs",
];

for (const backend of backends()) {
  describe(`web pages on ${backend.name}`, () => {
    let world: HttpWorld;
    let folder: { base: string; root: string };
    let pages: WebPages;

    beforeAll(async () => {
      folder = await makeWebRoot();
      pages = await loadWebPages({ root: folder.root, displayScale: 2, demo: true });
      world = await openHttpWorld(backend, { web: pages });
    });
    afterAll(async () => {
      await world.close();
      await backend.cleanup();
      await rm(folder.base, { recursive: true, force: true });
    });

    it("answers every page path with the index, the configuration written in", async () => {
      for (const path of PAGE_PATHS) {
        const response = await world.call("GET", path, { key: null });
        expect(response.status, path).toBe(200);
        expect(response.headers.get("content-type"), path).toMatch(/^text\/html/);
        expect(response.body, path).toBe(pages.index);
        expect(configOf(String(response.body))).toEqual({ displayScale: 2, demo: true });
      }
    });

    it("sends the page with its security headers and asks browsers to revalidate it", async () => {
      for (const path of PAGE_PATHS) {
        const { headers } = await world.call("GET", path, { key: null });
        expect(headers.get("cache-control"), path).toBe("no-cache");
        const policy = headers.get("content-security-policy") ?? "";
        for (const directive of [
          "default-src 'self'",
          "script-src 'self'",
          "object-src 'none'",
          "base-uri 'none'",
          "connect-src 'self'",
        ])
          expect(policy, path).toContain(directive);
        expect(policy).not.toMatch(/script-src[^;]*'unsafe-inline'/);
        expect(headers.get("x-content-type-options")).toBe("nosniff");
        expect(headers.get("referrer-policy")).toBe("no-referrer");
        expect(headers.get("x-request-id")).toMatch(/^req_/);
      }
    });

    it("serves the page as it was read at start, not as the file is now", async () => {
      await writeFile(
        join(folder.root, "index.html"),
        INDEX_HTML.replace("<title>Boon</title>", "<title>Changed</title>"),
      );
      const response = await world.call("GET", "/", { key: null });
      expect(String(response.body)).toContain("<title>Boon</title>");
      await writeFile(join(folder.root, "index.html"), INDEX_HTML);
    });

    it("serves hashed assets for good", async () => {
      const response = await world.call("GET", "/assets/app.js", { key: null });
      expect(response.status).toBe(200);
      expect(response.body).toBe(APP_JS);
      expect(response.headers.get("content-type")).toMatch(/javascript/);
      expect(response.headers.get("cache-control")).toBe("public, max-age=31536000, immutable");
    });

    it("answers a missing asset with the JSON not-found envelope, not the page", async () => {
      const response = await world.call("GET", "/assets/missing.js", { key: null });
      expect(response.status).toBe(404);
      expect(response.headers.get("content-type")).toMatch(/^application\/json/);
      expect(response.body).toMatchObject({ error: { code: "not_found" } });
      expect(response.headers.get("cache-control")).toBeNull();
    });

    it("never serves a file outside the pages' folder", async () => {
      for (const path of [
        "/assets/../../secret.txt",
        "/assets/..%2f..%2fsecret.txt",
        "/assets/%2e%2e/%2e%2e/secret.txt",
        "/assets/..%5c..%5csecret.txt",
        "/secret.txt",
        "/../secret.txt",
      ]) {
        const response = await world.call("GET", path, { key: null });
        expect(String(response.body), path).not.toContain(SECRET_TEXT);
      }
    });

    it("leaves the API's own answers alone", async () => {
      const unknown = await world.call("GET", "/v1/unknown");
      expect(unknown.status).toBe(404);
      expect(unknown.headers.get("content-type")).toMatch(/^application\/json/);
      expect(unknown.body).toMatchObject({ error: { code: "not_found" } });

      const unauthorized = await world.call("GET", "/v1/unknown", { key: null });
      expect(unauthorized.status).toBe(401);

      const customer = await world.call("PUT", "/v1/customers/cus_web", { body: { plan: null } });
      expect(customer.status).toBe(200);

      const document = await world.call("GET", "/openapi.json", { key: null });
      expect(document.status).toBe(200);
      expect(document.body).toMatchObject({ openapi: "3.1.0" });

      const docs = await world.call("GET", "/docs", { key: null });
      expect(docs.status).toBe(200);
      expect(String(docs.body)).not.toContain("boon-config");

      const metrics = await world.call("GET", "/metrics", { key: null });
      expect(metrics.status).toBe(200);
      expect(String(metrics.body)).not.toContain("boon-config");
    });

    it("answers the demo host's paths with a JSON 404 when the demo host is off", async () => {
      for (const [method, path] of [
        ["GET", "/demo/api/customers"],
        ["POST", "/demo/api/session"],
        ["GET", "/demo/api"],
      ] as const) {
        const body = method === "POST" ? { customerId: "demo-ada" } : undefined;
        const response = await world.call(method, path, {
          key: null,
          ...(body === undefined ? {} : { body }),
        });
        expect(response.status, path).toBe(404);
        expect(response.body, path).toMatchObject({ error: { code: "not_found" } });
      }
    });

    it("answers writes to a page path with a JSON 404", async () => {
      const response = await world.call("POST", "/gift/ABC", { key: null, body: {} });
      expect(response.status).toBe(404);
      expect(response.body).toMatchObject({ error: { code: "not_found" } });
    });
  });
}

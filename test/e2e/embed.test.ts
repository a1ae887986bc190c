/**
 * The embeddable widgets on a host product's own page, on another origin: the page loads Boon's
 * bundle and stylesheet from Boon, mounts widgets with a customer token its "backend" minted, and
 * themes them with its own CSS variables. This proves the bundle runs alone (React inside), that
 * Boon serves it cross-origin, and that the API answers the host's origin (BOON_CORS_ORIGINS).
 */
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import type { Browser, Locator } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { launchBrowser, newContext } from "../support/browser.js";
import { e2eBackends, type RunningBoon, startBoon } from "./support/boon.js";
import { poll } from "./support/demo-pages.js";

/** The host's page: its own markup and theme, with Boon's widgets mounted into two elements. */
function hostPage(boonUrl: string, token: string): string {
  const options = (widget: string) =>
    JSON.stringify({ widget, baseUrl: boonUrl, token, customerId: "demo-ada", displayScale: 2 });
  return `<!doctype html>
<html lang="en">
  <head>
    <meta charset="UTF-8" />
    <title>Host product</title>
    <link rel="stylesheet" href="${boonUrl}/embed/boon-widgets.css" />
    <style>#gifts { --boon-accent: rgb(200, 0, 0); }</style>
  </head>
  <body>
    <h1>The host's own page</h1>
    <div id="usage"></div>
    <div id="gifts"></div>
    <script type="module">
      import { mountBoonWidget } from "${boonUrl}/embed/boon-widgets.js";
      mountBoonWidget(document.getElementById("usage"), ${options("usage")});
      mountBoonWidget(document.getElementById("gifts"), ${options("gifts")});
    </script>
  </body>
</html>`;
}

/** A computed style property of the element, read in the page (the Node types have no DOM). */
function styleOf(locator: Locator, property: string): Promise<string> {
  return locator.evaluate(
    (element, name) =>
      (
        globalThis as unknown as { getComputedStyle(target: unknown): Record<string, string> }
      ).getComputedStyle(element)[name] ?? "",
    property,
  );
}

async function listen(server: Server): Promise<string> {
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

describe.each(e2eBackends())("the embeddable widgets on another origin on %s", (backend) => {
  let browser: Browser;
  let boon: RunningBoon;
  let host: Server;
  let hostUrl = "";
  let page = "";

  beforeAll(async () => {
    host = createServer((_request, response) => {
      response.writeHead(200, { "content-type": "text/html; charset=utf-8" });
      response.end(page);
    });
    hostUrl = await listen(host);
    [browser, boon] = await Promise.all([
      launchBrowser(),
      startBoon(backend, { BOON_CORS_ORIGINS: hostUrl }),
    ]);
    // The host's backend mints the customer token with its own key, as a real host would.
    const minted = await fetch(`${boon.url}/v1/customer-tokens`, {
      method: "POST",
      headers: { authorization: `Bearer ${boon.adminKey}`, "content-type": "application/json" },
      body: JSON.stringify({ customerId: "demo-ada", ttlSeconds: 600 }),
    });
    expect(minted.status).toBe(200);
    page = hostPage(boon.url, ((await minted.json()) as { token: string }).token);
  });
  afterAll(async () => {
    await browser?.close();
    await boon?.stop();
    await new Promise((resolve) => host?.close(resolve));
  });

  it("mounts the usage and gifts widgets, reads the API across origins, and takes the host's theme", async () => {
    const context = await newContext(browser);
    const tab = await context.newPage();
    const errors: string[] = [];
    tab.on("pageerror", (error) => errors.push(error.message));
    await tab.goto(hostUrl);
    await tab.getByRole("heading", { name: "Usage limits" }).waitFor();
    await tab.getByRole("heading", { name: "Credits", exact: true }).waitFor();
    // Ada's seeded credits at display scale 2: whole credits become hundredths.
    await poll(() => tab.locator("#usage .boon-credits-total").textContent()).toMatch(
      /^\d[\d,]*\.\d{2} credits available/,
    );
    const create = tab.getByRole("button", { name: "Create gift link" });
    await create.waitFor();
    // The host set --boon-accent on the gifts widget's element; the primary button paints with it.
    expect(await styleOf(create, "backgroundColor")).toBe("rgb(200, 0, 0)");
    // The widget's own styles stay inside it: the host's heading keeps the browser's default margin.
    expect(await styleOf(tab.locator("h1"), "marginTop")).not.toBe("0px");
    expect(errors).toEqual([]);
    await context.close();
  });
});

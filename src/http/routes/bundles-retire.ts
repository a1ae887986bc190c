/** `POST /v1/bundles/{bundleId}/retire`: take a bundle off sale (admin). */
import { createRoute } from "@hono/zod-openapi";
import type { App } from "../app.js";
import { answerBundle, BundleIdParam, BundleSaved } from "./bundles-put.js";
import { clientKeyOf, ERROR_RESPONSES, IdempotencyHeader, ok200, requireScope } from "./common.js";

const route = createRoute({
  method: "post",
  path: "/v1/bundles/{bundleId}/retire",
  tags: ["bundles"],
  summary: "Retire a bundle",
  description:
    "Stores a version with status `retired`: the bundle leaves the catalog and no new checkout can use " +
    "it, while past purchases keep their terms. Retiring a retired bundle changes nothing " +
    "(`created: false`). Put it back on sale with `PUT /v1/bundles/{bundleId}` and status `active`.",
  security: [{ bearer: [] }],
  middleware: [requireScope("admin")] as const,
  request: { params: BundleIdParam, headers: IdempotencyHeader },
  responses: { ...ok200(BundleSaved, "The bundle's current version"), ...ERROR_RESPONSES },
});

export function registerBundlesRetire(app: App): void {
  app.openapi(route, async (c) => {
    const { bundleId } = c.req.valid("param");
    const key = clientKeyOf(c, c.req.valid("header"));
    const outcome = await c.get("deps").engine.payments.retireBundle(bundleId, key);
    return answerBundle(c, outcome) as never;
  });
}

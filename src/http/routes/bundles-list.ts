/** `GET /v1/bundles`: the catalog of credit packs on sale. */
import { createRoute, z } from "@hono/zod-openapi";
import type { App } from "../app.js";
import { Bundle, bundleWire } from "./bundles-put.js";
import { ERROR_RESPONSES, fail, ok200 } from "./common.js";
import { requireServerOrCustomer } from "./gifts-post.js";

export const BundleList = z.object({ data: z.array(Bundle) }).openapi("BundleList");

const route = createRoute({
  method: "get",
  path: "/v1/bundles",
  tags: ["bundles"],
  summary: "List bundles",
  description:
    "The bundles on sale, by id, with their price, credits, bonus and whether they can be bought as a " +
    "gift. An admin key may ask for retired ones too with `includeRetired=true`.",
  security: [{ bearer: [] }],
  middleware: [requireServerOrCustomer()] as const,
  request: {
    query: z.object({
      includeRetired: z
        .enum(["true", "false"])
        .optional()
        .openapi({ description: "Admin keys only: also list retired bundles" }),
    }),
  },
  responses: { ...ok200(BundleList, "The catalog"), ...ERROR_RESPONSES },
});

export function registerBundlesList(app: App): void {
  app.openapi(route, async (c) => {
    const includeRetired = c.req.valid("query").includeRetired === "true";
    const principal = c.get("principal");
    if (includeRetired && !(principal?.kind === "key" && principal.scope === "admin"))
      return fail(c, { code: "forbidden", message: "includeRetired needs an admin key" }) as never;
    const bundles = await c.get("deps").engine.payments.listBundles({ includeRetired });
    return c.json({ data: bundles.map(bundleWire) }, 200) as never;
  });
}

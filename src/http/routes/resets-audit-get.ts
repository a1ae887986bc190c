/** `GET /v1/resets`: the audit trail of bulk resets, newest first. */
import { createRoute, z } from "@hono/zod-openapi";
import { BULK_RESETS_PAGE_MAX } from "../../engine/usage.js";
import { PAGE_SIZE_DEFAULT } from "../../engine/validate.js";
import type { App } from "../app.js";
import { ERROR_RESPONSES, fail, ok200, requireScope } from "./common.js";
import { BulkReset, bulkResetWire } from "./resets-bulk.js";

export const BulkResetList = z.object({ data: z.array(BulkReset) }).openapi("BulkResetList");

const route = createRoute({
  method: "get",
  path: "/v1/resets",
  tags: ["usage"],
  summary: "List bulk resets",
  description: `The most recent bulk resets, newest first: \`limit\` of them (default ${PAGE_SIZE_DEFAULT}, at most ${BULK_RESETS_PAGE_MAX}).`,
  security: [{ bearer: [] }],
  middleware: [requireScope("admin")] as const,
  request: {
    // The range is the engine's to check, so its message names the limit.
    query: z.object({ limit: z.coerce.number().int().optional() }),
  },
  responses: { ...ok200(BulkResetList, "The audit records"), ...ERROR_RESPONSES },
});

export function registerResetsAuditGet(app: App): void {
  app.openapi(route, async (c) => {
    const { limit } = c.req.valid("query");
    const outcome = await c.get("deps").engine.bulkResets(limit ?? PAGE_SIZE_DEFAULT);
    if (!outcome.ok) return fail(c, outcome.error) as never;
    return c.json({ data: outcome.value.map(bulkResetWire) }, 200) as never;
  });
}

/** `POST /v1/resets`: an operator restarts windows for a whole plan or a list of customers. */
import { createRoute, z } from "@hono/zod-openapi";
import { ACTOR_LENGTH_MAX } from "../../engine/usage-inputs.js";
import type { BulkResetRecord } from "../../store/usage-repo.js";
import type { App } from "../app.js";
import { toWire } from "../wire.js";
import { ERROR_RESPONSES, fail, IdempotencyHeader, idempotencyKeyOf, ok200, requireScope } from "./common.js";
import { ResetWindows } from "./resets-grant.js";

/** Room left in the recorded actor for the calling key's id, which is always recorded beside the name. */
export const ACTOR_NAME_LENGTH_MAX = ACTOR_LENGTH_MAX - 64;

export const BulkResetRequest = z
  .object({
    plan: z.string().optional().openapi({ description: "Every customer on this plan", example: "pro" }),
    customerIds: z.array(z.string()).optional().openapi({ description: "These customers" }),
    windows: ResetWindows.optional(),
    reason: z.string({ error: "is required: say why the windows are reset" }),
    actor: z
      .string()
      .max(ACTOR_NAME_LENGTH_MAX)
      .optional()
      .openapi({ description: "Who asks, as a person's name; the calling key's id is recorded with it" }),
  })
  .strict()
  .openapi("BulkResetRequest", { description: "Name either `plan` or `customerIds`, not both" });

export const BulkReset = z
  .object({
    id: z.string(),
    actor: z.string(),
    reason: z.string(),
    planId: z.string().nullable(),
    customerIds: z.array(z.string()).nullable(),
    windowIds: z.array(z.string()).nullable().openapi({ description: "Null for every window" }),
    customers: z.number().int().openapi({ description: "Customers in scope" }),
    windows: z.number().int().openapi({ description: "Window rows restarted among them" }),
    createdAt: z.string(),
  })
  .openapi("BulkReset");

/**
 * An audit record on the wire, field by field: the store's row also carries the request's fingerprint
 * (kept to detect a reused idempotency key), which is no business of the client's.
 */
export function bulkResetWire(record: BulkResetRecord): Record<string, unknown> {
  const { id, actor, reason, planId, customerIds, windowIds, customers, windows, createdAtMs } = record;
  return toWire({
    id,
    actor,
    reason,
    planId,
    customerIds,
    windowIds,
    customers,
    windows,
    createdAtMs,
  }) as Record<string, unknown>;
}

const route = createRoute({
  method: "post",
  path: "/v1/resets",
  tags: ["usage"],
  summary: "Reset windows in bulk",
  description:
    "Restarts the named windows (all when left out) for every customer on a plan or for a list of " +
    "customers: a compensation after an incident, a promotion. Each run is recorded in the audit trail " +
    "with who asked and why; a retry with the same Idempotency-Key answers the first record.",
  security: [{ bearer: [] }],
  middleware: [requireScope("admin")] as const,
  request: {
    headers: IdempotencyHeader,
    body: { content: { "application/json": { schema: BulkResetRequest } }, required: true },
  },
  responses: { ...ok200(BulkReset, "The audit record of the reset"), ...ERROR_RESPONSES },
});

export function registerResetsBulk(app: App): void {
  app.openapi(route, async (c) => {
    const principal = c.get("principal");
    // Only keys pass the admin scope check; should that ever change, refusing is the safe answer.
    if (principal === null || principal.kind !== "key")
      return fail(c, { code: "forbidden", message: "this route needs an admin key" }) as never;
    const { actor, ...body } = c.req.valid("json");
    const outcome = await c.get("deps").engine.bulkReset({
      ...body,
      // The key is what the audit can trust; the name is what the operator says of themselves.
      actor: actor === undefined || actor.trim() === "" ? principal.keyId : `${actor} (${principal.keyId})`,
      idempotencyKey: idempotencyKeyOf(c, c.req.valid("header")),
    });
    if (!outcome.ok) return fail(c, outcome.error) as never;
    return c.json(bulkResetWire(outcome.value), 200) as never;
  });
}

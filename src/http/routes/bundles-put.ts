/** `PUT /v1/bundles/{bundleId}`: store a credit pack's terms as its next version (admin). */
import { createRoute, z } from "@hono/zod-openapi";
import type { Context } from "hono";
import { BUNDLE_STATUSES } from "../../core/bundles.js";
import type { Outcome } from "../../core/errors.js";
import type { BundleView } from "../../engine/payments.js";
import type { App, AppEnv } from "../app.js";
import { clientKeyOf, ERROR_RESPONSES, fail, IdempotencyHeader, ok200, requireScope } from "./common.js";

export const BUNDLE_ID_LENGTH_MAX = 64;

const TEAM_EXAMPLE = {
  name: "Team pack",
  credits: 5000,
  bonusCredits: 500,
  bonusExpiresAfter: "90d",
  bonusPriority: 10,
  price: 4000,
  currency: "usd",
  giftable: true,
  status: "active",
};

const duration = (description: string) =>
  z.string().nullable().optional().openapi({ description, example: "90d" });

/**
 * The terms as written. Types are checked here; ranges and rules are the engine's, so its messages
 * (naming the field and the bound) reach the client.
 */
export const BundleTerms = z
  .object({
    name: z.string().openapi({ description: "What the customer sees, 1 to 100 characters" }),
    credits: z.number().int().openapi({ description: "Purchased credits, in minor units" }),
    bonusCredits: z
      .number()
      .int()
      .optional()
      .openapi({ description: "Promotional credits on top, in minor units (default 0)" }),
    bonusExpiresAfter: duration("How long the bonus lasts (required with a bonus), such as 90d"),
    bonusPriority: z
      .number()
      .int()
      .optional()
      .openapi({ description: "The bonus lot's burn-down priority (lower spends first)" }),
    price: z.number().int().openapi({ description: "In the currency's minor units (cents)" }),
    currency: z.string().openapi({ description: "ISO 4217, lower case", example: "usd" }),
    giftable: z.boolean().optional().openapi({ description: "Whether it can be bought as a gift" }),
    status: z.enum(BUNDLE_STATUSES).optional().openapi({ description: "`active` (default) or `retired`" }),
    purchasedExpiresAfter: duration(
      "When purchased credits expire: null (default) for never, else at least 1827d (five years)",
    ),
  })
  .strict()
  .openapi("BundleTerms", { example: TEAM_EXAMPLE });

export const Bundle = z
  .object({
    id: z.string(),
    version: z.number().int().openapi({ description: "1 for the first; purchases keep theirs" }),
    createdAt: z.string(),
    name: z.string(),
    credits: z.number().int(),
    bonusCredits: z.number().int(),
    bonusExpiresAfter: z.string().nullable(),
    bonusPriority: z.number().int(),
    price: z.number().int(),
    currency: z.string(),
    giftable: z.boolean(),
    status: z.enum(BUNDLE_STATUSES),
    purchasedExpiresAfter: z.string().nullable(),
  })
  .openapi("Bundle", { description: "A credit pack: its terms with every default spelled out" });

export const BundleSaved = Bundle.extend({
  created: z.boolean().openapi({ description: "False when the terms equal the current version's" }),
}).openapi("BundleSaved");

export const BundleIdParam = z.object({
  bundleId: z
    .string()
    .min(1)
    .max(BUNDLE_ID_LENGTH_MAX)
    .openapi({ param: { name: "bundleId", in: "path" }, example: "team" }),
});

/** A bundle on the wire: its written terms (which can be sent back as they are) and its version. */
export function bundleWire(bundle: BundleView): Record<string, unknown> {
  return {
    id: bundle.id,
    version: bundle.version,
    createdAt: new Date(bundle.createdAtMs).toISOString(),
    ...bundle.spec,
  };
}

export function answerBundle(
  c: Context<AppEnv>,
  outcome: Outcome<{ bundle: BundleView; created: boolean }>,
): Response {
  if (!outcome.ok) return fail(c, outcome.error);
  return c.json({ ...bundleWire(outcome.value.bundle), created: outcome.value.created }, 200);
}

const route = createRoute({
  method: "put",
  path: "/v1/bundles/{bundleId}",
  tags: ["bundles"],
  summary: "Create or change a bundle",
  description:
    "Stores the terms as the bundle's next version; purchases keep the version they were bought " +
    "under, so a new price never rewrites a past purchase. Terms equal to the current version's store " +
    "nothing and answer it with `created: false`. Purchased credits never expire unless " +
    "`purchasedExpiresAfter` says so, and then not within five years; bonus credits are promotional " +
    "and must expire. Refused with `invalid_request` naming the field at fault.",
  security: [{ bearer: [] }],
  middleware: [requireScope("admin")] as const,
  request: {
    params: BundleIdParam,
    headers: IdempotencyHeader,
    body: { content: { "application/json": { schema: BundleTerms } }, required: true },
  },
  responses: { ...ok200(BundleSaved, "The bundle's current version"), ...ERROR_RESPONSES },
});

export function registerBundlesPut(app: App): void {
  app.openapi(route, async (c) => {
    const { bundleId } = c.req.valid("param");
    const key = clientKeyOf(c, c.req.valid("header"));
    const outcome = await c.get("deps").engine.payments.saveBundle(bundleId, c.req.valid("json"), key);
    return answerBundle(c, outcome) as never;
  });
}

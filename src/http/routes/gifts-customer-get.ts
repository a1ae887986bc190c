/** `GET /v1/customers/{customerId}/gifts`: the Gifts page: sent, received, and the allowance left. */
import { createRoute, z } from "@hono/zod-openapi";
import { RECIPIENT_RULES } from "../../core/gift-program.js";
import { GIFTS_LIST_MAX } from "../../engine/gifts.js";
import type { App } from "../app.js";
import { toWire } from "../wire.js";
import { CustomerIdParam, ERROR_RESPONSES, fail, ok200 } from "./common.js";
import { requireCustomerReader } from "./customers-get.js";
import { Gift, giftWire } from "./gifts-post.js";

export const GiftAllowance = z
  .object({
    programId: z.string(),
    allowance: z
      .number()
      .int()
      .openapi({ description: "What the program lets the customer give per period" }),
    used: z.number().int(),
    left: z.number().int(),
    sentCount: z.number().int(),
    sentPerPeriod: z.number().int().nullable().openapi({ description: "Gifts per period; null: no cap" }),
    periodEndsAt: z.string(),
  })
  .openapi("GiftAllowance");

export const GiftOffer = z
  .object({
    programId: z.string(),
    giftMin: z.number().int().openapi({ description: "The smallest gift, in minor units" }),
    giftMax: z.number().int().openapi({ description: "The largest gift, in minor units" }),
    allowanceLeft: z
      .number()
      .int()
      .openapi({ description: "What the allowance has left this period (0: gift balance only)" }),
    giftsLeft: z
      .number()
      .int()
      .nullable()
      .openapi({ description: "Gifts the period's cap still allows; null: no cap" }),
    periodEndsAt: z.string(),
    recipients: z
      .enum(RECIPIENT_RULES)
      .openapi({ description: "Who may claim: anyone, new or lapsed customers" }),
    claimWindowSeconds: z.number().int().openapi({ description: "How long a recipient has to claim" }),
  })
  .openapi("GiftOffer", {
    description:
      "A gifting program the customer may send under now. A gift from the allowance is valid from " +
      "giftMin to the smaller of giftMax and allowanceLeft; from the gift balance, to the smaller of " +
      "giftMax and giftBalance; either needs giftsLeft above 0 when it is not null.",
  });

export const CustomerGifts = z
  .object({
    customerId: z.string(),
    sent: z.array(Gift).openapi({ description: "Newest first, with their codes and links" }),
    received: z.array(Gift).openapi({ description: "Newest first, without codes or links" }),
    allowances: z
      .array(GiftAllowance)
      .openapi({ description: "Per gifting program open to the customer: this period's allowance" }),
    giftBalance: z.number().int().openapi({ description: "Credits bought to be given, not yet sent" }),
    offers: z
      .array(GiftOffer)
      .openapi({ description: "The gifting programs the customer may send under now, with their bounds" }),
  })
  .openapi("CustomerGifts");

export const GiftsLimitQuery = z.object({
  limit: z.coerce
    .number()
    .int()
    .min(1)
    .max(GIFTS_LIST_MAX)
    .optional()
    .openapi({ description: `At most this many of each list (${GIFTS_LIST_MAX} when left out)` }),
});

const route = createRoute({
  method: "get",
  path: "/v1/customers/{customerId}/gifts",
  tags: ["gifts"],
  summary: "Read a customer's gifts",
  description:
    "The gifts the customer sent (with their codes and links, to share again) and received, what each " +
    "open gifting program's allowance has left this period, the gift balance, and for each program the " +
    "customer may send under the bounds a gift form checks. A gift past its " +
    "claim window shows as expired, its value back at its source.",
  security: [{ bearer: [] }],
  middleware: [requireCustomerReader()] as const,
  request: { params: CustomerIdParam, query: GiftsLimitQuery },
  responses: { ...ok200(CustomerGifts, "The customer's gifts"), ...ERROR_RESPONSES },
});

export function registerGiftsCustomerGet(app: App): void {
  app.openapi(route, async (c) => {
    const { customerId } = c.req.valid("param");
    const { limit } = c.req.valid("query");
    const outcome = await c.get("deps").engine.offers.customerGifts(customerId, limit);
    if (!outcome.ok) return fail(c, outcome.error) as never;
    const { sent, received, allowances, giftBalanceMinor, offers } = outcome.value;
    return c.json(
      {
        customerId,
        sent: sent.map((gift) => giftWire(c, gift)),
        received: received.map((gift) => giftWire(c, gift)),
        allowances: toWire(allowances),
        giftBalance: Number(giftBalanceMinor),
        offers: toWire(offers),
      },
      200,
    ) as never;
  });
}

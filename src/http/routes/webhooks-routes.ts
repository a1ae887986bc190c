/** Outbound webhook endpoints and their delivery log (admin). */
import { createRoute, z } from "@hono/zod-openapi";
import type { App } from "../app.js";
import { answer, clientKeyOf, ERROR_RESPONSES, IdempotencyHeader, ok200, requireScope } from "./common.js";

const Endpoint = z
  .object({
    id: z.string(),
    url: z.string(),
    eventTypes: z.array(z.string()).nullable(),
    description: z.string().nullable(),
    createdAt: z.string(),
    disabledAt: z.string().nullable(),
  })
  .openapi("WebhookEndpoint");

const EndpointWithSecret = Endpoint.extend({ secret: z.string() }).openapi("WebhookEndpointCreated");

const Delivery = z
  .object({
    id: z.string(),
    endpointId: z.string(),
    eventId: z.string(),
    eventType: z.string(),
    customerId: z.string().nullable(),
    status: z.enum(["pending", "delivered", "failed"]),
    attempts: z.number().int(),
    lastStatus: z.number().int().nullable(),
    lastError: z.string().nullable(),
    nextAttemptAt: z.string().nullable(),
    deliveredAt: z.string().nullable(),
    createdAt: z.string(),
  })
  .openapi("WebhookDelivery");

const adminOnly = requireScope("admin");
const admin = {
  security: [{ bearer: [] }],
  tags: ["webhooks"],
};

const addRoute = createRoute({
  ...admin,
  middleware: [adminOnly] as const,
  method: "post",
  path: "/v1/webhooks",
  summary: "Register a webhook endpoint",
  description: "Events are signed per Standard Webhooks with the returned secret, which is shown here only.",
  request: {
    headers: IdempotencyHeader,
    body: {
      content: {
        "application/json": {
          schema: z
            .object({
              url: z.string().min(1).max(2000),
              eventTypes: z.array(z.string()).max(20).optional(),
              description: z.string().max(500).optional(),
            })
            .strict(),
        },
      },
      required: true,
    },
  },
  responses: { ...ok200(EndpointWithSecret, "The endpoint and its signing secret"), ...ERROR_RESPONSES },
});

const disableRoute = createRoute({
  ...admin,
  middleware: [adminOnly] as const,
  method: "post",
  path: "/v1/webhooks/{endpointId}/disable",
  summary: "Stop sending to an endpoint",
  description:
    "No new deliveries are made to the endpoint; its log stays readable. Disabling twice answers the " +
    "endpoint as it is, so the call is safe to repeat.",
  request: { params: z.object({ endpointId: z.string().min(1).max(100) }) },
  responses: { ...ok200(Endpoint, "The endpoint, disabled"), ...ERROR_RESPONSES },
});

const listRoute = createRoute({
  ...admin,
  middleware: [adminOnly] as const,
  method: "get",
  path: "/v1/webhooks",
  summary: "List webhook endpoints",
  responses: { ...ok200(z.object({ data: z.array(Endpoint) }), "The endpoints"), ...ERROR_RESPONSES },
});

const deliveriesRoute = createRoute({
  ...admin,
  middleware: [adminOnly] as const,
  method: "get",
  path: "/v1/webhooks/deliveries",
  summary: "The delivery log, newest event first",
  request: {
    query: z.object({
      endpointId: z.string().optional(),
      status: z.enum(["pending", "delivered", "failed"]).optional(),
      limit: z.coerce.number().int().min(1).max(200).optional(),
    }),
  },
  responses: { ...ok200(z.object({ data: z.array(Delivery) }), "Deliveries"), ...ERROR_RESPONSES },
});

const redeliverRoute = createRoute({
  ...admin,
  middleware: [adminOnly] as const,
  method: "post",
  path: "/v1/webhooks/deliveries/{deliveryId}/redeliver",
  summary: "Send a delivery again",
  request: { params: z.object({ deliveryId: z.string().min(1).max(100) }) },
  responses: { ...ok200(z.object({ id: z.string() }), "Queued, due now"), ...ERROR_RESPONSES },
});

export function registerWebhooksRoutes(app: App): void {
  app.openapi(addRoute, async (c) => {
    const key = clientKeyOf(c, c.req.valid("header"));
    return answer(c, await c.get("deps").webhooks.addEndpoint(c.req.valid("json"), key)) as never;
  });
  app.openapi(disableRoute, async (c) => {
    const outcome = await c.get("deps").webhooks.disableEndpoint(c.req.valid("param").endpointId);
    if (!outcome.ok) return answer(c, outcome) as never;
    const { secret: _secret, ...endpoint } = outcome.value;
    return answer(c, { ok: true, value: endpoint }) as never;
  });
  app.openapi(listRoute, async (c) => {
    const endpoints = await c.get("deps").webhooks.listEndpoints();
    return answer(c, {
      ok: true,
      value: { data: endpoints.map(({ secret: _secret, ...rest }) => rest) },
    }) as never;
  });
  app.openapi(deliveriesRoute, async (c) => {
    const data = await c.get("deps").webhooks.deliveries(c.req.valid("query"));
    return answer(c, { ok: true, value: { data } }) as never;
  });
  app.openapi(
    redeliverRoute,
    async (c) => answer(c, await c.get("deps").webhooks.redeliver(c.req.valid("param").deliveryId)) as never,
  );
}

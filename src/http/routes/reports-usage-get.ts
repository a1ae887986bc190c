/** `GET /v1/reports/usage`: how full the plans' current usage windows are (admin). */
import { createRoute, z } from "@hono/zod-openapi";
import { WINDOW_KINDS } from "../../core/windows.js";
import type { App } from "../app.js";
import { toWire } from "../wire.js";
import { ERROR_RESPONSES, ok200, requireScope } from "./common.js";

export const UsageWindowReport = z
  .object({
    windowId: z.string().openapi({ example: "messages/5h" }),
    meter: z.string(),
    window: z.string(),
    kind: z.enum(WINDOW_KINDS),
    limit: z.number().int().openapi({ description: "The window's allowance, in the meter's units" }),
    customersWithUsage: z
      .number()
      .int()
      .openapi({ description: "Customers with anything used in the window now" }),
    atLimit: z.number().int().openapi({ description: "Of those, the customers who used all of it" }),
    bands: z
      .array(
        z.object({
          fromPercent: z.number().int(),
          toPercent: z.number().int(),
          customers: z.number().int(),
        }),
      )
      .openapi({
        description:
          "Customers with usage by used share of the limit: [0, 25), [25, 50), [50, 75), [75, 100) " +
          "percent, then 100 to 100 for those at the limit",
      }),
  })
  .openapi("UsageWindowReport");

export const UsageReport = z
  .object({
    at: z.string().openapi({ description: "The instant the windows were read at" }),
    plans: z.array(
      z.object({
        planId: z.string(),
        planVersion: z.number().int(),
        customers: z.number().int().openapi({ description: "Customers on the plan" }),
        windows: z.array(UsageWindowReport),
      }),
    ),
  })
  .openapi("UsageReport");

const route = createRoute({
  method: "get",
  path: "/v1/reports/usage",
  tags: ["reports"],
  summary: "The usage report",
  description:
    "For every plan (its current version) and each of its windows as they stand now: how many of the " +
    "plan's customers have used anything, how many reached the limit, and how the others are spread " +
    "over quarters of the limit. A window that restarted (its fixed time or calendar period ended, or " +
    "a reset) counts as unused.",
  security: [{ bearer: [] }],
  middleware: [requireScope("admin")] as const,
  responses: { ...ok200(UsageReport, "The report"), ...ERROR_RESPONSES },
});

export function registerReportsUsageGet(app: App): void {
  app.openapi(route, async (c) => {
    return c.json(toWire(await c.get("deps").engine.reports.usage()), 200) as never;
  });
}

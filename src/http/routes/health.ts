/** `GET /healthz` (the process is up) and `GET /readyz` (the database answers). Public. */
import { createRoute, z } from "@hono/zod-openapi";
import { isReachable } from "../../store/store.js";
import type { App } from "../app.js";

const Health = z.object({ status: z.enum(["ok", "unavailable"]) }).openapi("Health");

const healthz = createRoute({
  method: "get",
  path: "/healthz",
  tags: ["operations"],
  summary: "Liveness",
  responses: { 200: { content: { "application/json": { schema: Health } }, description: "Up" } },
});

const readyz = createRoute({
  method: "get",
  path: "/readyz",
  tags: ["operations"],
  summary: "Readiness: the database answers",
  responses: {
    200: { content: { "application/json": { schema: Health } }, description: "Ready" },
    503: { content: { "application/json": { schema: Health } }, description: "The database does not answer" },
  },
});

export function registerHealth(app: App): void {
  app.openapi(healthz, (c) => c.json({ status: "ok" as const }, 200));
  app.openapi(readyz, async (c) => {
    if (await isReachable(c.get("deps").engine.store)) return c.json({ status: "ok" as const }, 200);
    c.header("Retry-After", "2");
    return c.json({ status: "unavailable" as const }, 503);
  });
}

/** `GET /v1/programs`: every program's current version, gifting and referral alike (admin). */
import { createRoute, z } from "@hono/zod-openapi";
import type { App } from "../app.js";
import { ERROR_RESPONSES, ok200, requireScope } from "./common.js";
import { Program, programWire } from "./programs-post.js";

export const ProgramList = z.object({ data: z.array(Program) }).openapi("ProgramList");

const route = createRoute({
  method: "get",
  path: "/v1/programs",
  tags: ["programs"],
  summary: "List programs",
  description:
    "The current version of every program, gifting and referral, each with its `type`, in order of id. " +
    "Programs are configuration, few by nature, so the list is answered whole rather than a page at a time.",
  security: [{ bearer: [] }],
  middleware: [requireScope("admin")] as const,
  responses: { ...ok200(ProgramList, "The programs"), ...ERROR_RESPONSES },
});

export function registerProgramsList(app: App): void {
  app.openapi(route, async (c) => {
    const { engine } = c.get("deps");
    const [gifting, referral] = await Promise.all([
      engine.gifts.listPrograms(),
      engine.referrals.listPrograms(),
    ]);
    const data = [
      ...gifting.map((program) => programWire("gifting", program)),
      ...referral.map((program) => programWire("referral", program)),
    ].sort(
      (a, b) => String(a.id).localeCompare(String(b.id)) || String(a.type).localeCompare(String(b.type)),
    );
    return c.json({ data }, 200) as never;
  });
}

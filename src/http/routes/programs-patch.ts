/** `PATCH /v1/programs/{programId}`: change some of a program's terms, as its next version (admin). */
import { createRoute } from "@hono/zod-openapi";
import type { App } from "../app.js";
import { clientKeyOf, ERROR_RESPONSES, fail, IdempotencyHeader, ok200, requireScope } from "./common.js";
import { findProgram } from "./programs-get.js";
import { answerProgram, ProgramIdParam, ProgramSaved, ProgramTerms, programsOf } from "./programs-post.js";

const PATCH_SCHEMA = {
  schema: ProgramTerms.openapi({
    description:
      "A JSON merge patch (RFC 7386) of the terms: objects merge, `null` removes a field (its default " +
      'applies), lists are replaced. `{"status": "live"}` opens a program, `{"status": "ended"}` ends it.',
    example: { status: "live", caps: { sentPerPeriod: 3 } },
  }),
};

const route = createRoute({
  method: "patch",
  path: "/v1/programs/{programId}",
  tags: ["programs"],
  summary: "Change a program's terms",
  description:
    "Merges the patch into the current terms of the gifting or referral program and stores the result " +
    "as the next version; gifts and referrals keep the version they were made under. A patch that " +
    "changes nothing stores nothing (`created: false`).",
  security: [{ bearer: [] }],
  middleware: [requireScope("admin")] as const,
  request: {
    params: ProgramIdParam,
    headers: IdempotencyHeader,
    body: {
      content: { "application/merge-patch+json": PATCH_SCHEMA, "application/json": PATCH_SCHEMA },
      required: true,
    },
  },
  responses: { ...ok200(ProgramSaved, "The program's current version"), ...ERROR_RESPONSES },
});

export function registerProgramsPatch(app: App): void {
  app.openapi(route, async (c) => {
    const { programId } = c.req.valid("param");
    const key = clientKeyOf(c, c.req.valid("header"));
    const { engine } = c.get("deps");
    // The kind decides which engine module keeps the program; a program never changes kind.
    const found = await findProgram(engine, programId);
    if (!found.ok) return fail(c, found.error) as never;
    const { type } = found.value;
    const outcome = await programsOf(engine, type).patchProgram(programId, c.req.valid("json"), key);
    return answerProgram(c, type, outcome) as never;
  });
}

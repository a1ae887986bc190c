/** `GET /v1/programs/{programId}`: one program's current version, of either kind (admin). */
import { createRoute } from "@hono/zod-openapi";
import { fail as failure, type Outcome, ok } from "../../core/errors.js";
import type { Engine } from "../../engine/engine.js";
import type { ProgramView } from "../../engine/programs.js";
import type { App } from "../app.js";
import { ERROR_RESPONSES, fail, ok200, requireScope } from "./common.js";
import {
  PROGRAM_TYPES,
  Program,
  ProgramIdParam,
  type ProgramType,
  programsOf,
  programWire,
} from "./programs-post.js";

/** A program by id, with its kind: ids are one space across kinds, so at most one kind has it. */
export async function findProgram(
  engine: Engine,
  programId: string,
): Promise<Outcome<{ type: ProgramType; program: ProgramView }>> {
  for (const type of PROGRAM_TYPES) {
    const found = await programsOf(engine, type).program(programId);
    if (found.ok) return ok({ type, program: found.value });
    if (found.error.code !== "not_found") return found;
  }
  return failure("not_found", `no program ${programId}`);
}

const route = createRoute({
  method: "get",
  path: "/v1/programs/{programId}",
  tags: ["programs"],
  summary: "Read a program",
  description:
    "The program's current version, gifting or referral (`type`), its terms with every default spelled out.",
  security: [{ bearer: [] }],
  middleware: [requireScope("admin")] as const,
  request: { params: ProgramIdParam },
  responses: { ...ok200(Program, "The program"), ...ERROR_RESPONSES },
});

export function registerProgramsGet(app: App): void {
  app.openapi(route, async (c) => {
    const found = await findProgram(c.get("deps").engine, c.req.valid("param").programId);
    if (!found.ok) return fail(c, found.error) as never;
    return c.json(programWire(found.value.type, found.value.program), 200) as never;
  });
}

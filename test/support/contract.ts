/**
 * Checks an answer of the API against what the route's own OpenAPI description promises for it, so
 * the document and the code can't drift apart unnoticed. Route tests call through this on every
 * request (see `openHttpWorld`), and a violation fails the test at the call that produced it.
 */
import { z } from "@hono/zod-openapi";
import type { App } from "../../src/http/app.js";
import { ErrorSchema } from "../../src/http/routes/common.js";

/** Enough problems to find the cause without burying it. */
const PROBLEMS_SHOWN_MAX = 5;

export interface Answer {
  readonly method: string;
  /** The request's path, without its query string. */
  readonly path: string;
  readonly status: number;
  /** The Content-Type header, or null without one. */
  readonly contentType: string | null;
  /** The parsed JSON body, or the text itself when it is not JSON. */
  readonly body: unknown;
}

/** What is wrong with an answer, or null when it keeps the contract. */
export type ContractCheck = (answer: Answer) => string | null;

/** A documented response: its JSON schema, or null when it documents no JSON body to check. */
type Documented = { readonly schema: z.ZodType | null };

interface DocumentedRoute {
  readonly method: string;
  readonly template: string;
  /** The template's segments: a literal, or null for a `{param}` that matches any one segment. */
  readonly segments: readonly (string | null)[];
  readonly responses: ReadonlyMap<number, Documented>;
}

export function contractOf(app: App): ContractCheck {
  const routes = documentedRoutes(app);
  return (answer) => {
    const route = routeFor(routes, answer.method, answer.path);
    // Web pages, the demo host, the docs page and the like are not part of the documented API.
    if (route === undefined) return null;
    const where = `${route.method} ${route.template} answered ${answer.status}`;
    const documented = route.responses.get(answer.status);
    if (documented === undefined && answer.status < 400)
      return `${where}, a status its document does not list`;
    // An error status the route does not list is a gap in its document, but still the one error envelope.
    const schema = documented === undefined ? ErrorSchema : documented.schema;
    if (schema === null) return null;
    if (!answer.contentType?.startsWith("application/json"))
      return `${where} with ${answer.contentType ?? "no Content-Type"}, where its document says JSON`;
    const problems = problemsOf(schema, answer.body);
    if (problems.length === 0) return null;
    const shown = problems.slice(0, PROBLEMS_SHOWN_MAX).map((problem) => `\n  ${problem}`);
    return `${where} with a body its document does not describe:${shown.join("")}`;
  };
}

function documentedRoutes(app: App): DocumentedRoute[] {
  const routes: DocumentedRoute[] = [];
  for (const definition of app.openAPIRegistry.definitions) {
    if (definition.type !== "route") continue;
    const { method, path, responses } = definition.route;
    const documented = new Map<number, Documented>();
    for (const [status, response] of Object.entries(responses)) {
      const media = "content" in response ? response.content?.["application/json"] : undefined;
      const schema = media !== undefined && "schema" in media ? media.schema : undefined;
      documented.set(Number(status), { schema: schema instanceof z.ZodType ? schema : null });
    }
    const segments = path.split("/").map((segment) => (/^\{[^}]+\}$/.test(segment) ? null : segment));
    routes.push({ method: method.toUpperCase(), template: path, segments, responses: documented });
  }
  return routes;
}

/** The documented route a request reaches; of two that fit, the one with a literal segment first. */
function routeFor(
  routes: readonly DocumentedRoute[],
  method: string,
  path: string,
): DocumentedRoute | undefined {
  const segments = path.split("/");
  const fits = routes.filter(
    (route) =>
      route.method === method.toUpperCase() &&
      route.segments.length === segments.length &&
      route.segments.every((literal, i) => literal === null || literal === segments[i]),
  );
  return fits.sort(moreLiteralFirst)[0];
}

function moreLiteralFirst(a: DocumentedRoute, b: DocumentedRoute): number {
  const differing = a.segments.findIndex((segment, i) => (segment === null) !== (b.segments[i] === null));
  if (differing === -1) return 0;
  return a.segments[differing] === null ? 1 : -1;
}

/**
 * The body's problems against the schema. A zod object strips keys it does not list and a coercion
 * would quietly turn "5" into 5, so a body that parses must also come back from the parse unchanged:
 * anything the parse dropped or rewrote is something the document does not describe. In a plain
 * union of objects zod keeps the first option that fits, so such a union must list its most specific
 * option first (or be a discriminated union) for its keys to count as documented.
 */
function problemsOf(schema: z.ZodType, body: unknown): string[] {
  const parsed = schema.safeParse(body);
  if (!parsed.success) return parsed.error.issues.map((issue) => `${pathText(issue.path)}: ${issue.message}`);
  return changes(body, parsed.data, []);
}

function changes(sent: unknown, parsed: unknown, path: readonly PropertyKey[]): string[] {
  if (Array.isArray(sent) && Array.isArray(parsed))
    return sent.flatMap((item, i) => changes(item, parsed[i], [...path, i]));
  if (isPlainObject(sent) && isPlainObject(parsed))
    return Object.entries(sent).flatMap(([key, value]) =>
      Object.hasOwn(parsed, key)
        ? changes(value, parsed[key], [...path, key])
        : [`${pathText([...path, key])}: a field its document does not list`],
    );
  if (Object.is(sent, parsed)) return [];
  return [`${pathText(path)}: ${JSON.stringify(sent)} reads as ${JSON.stringify(parsed)} by its document`];
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function pathText(path: readonly PropertyKey[]): string {
  return path.length === 0 ? "(body)" : path.map(String).join(".");
}

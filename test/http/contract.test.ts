/**
 * The response checker every route test runs through: it must accept what a route documents and
 * refuse everything else, or the route tests prove nothing about the OpenAPI document.
 */
import { createRoute, OpenAPIHono, z } from "@hono/zod-openapi";
import { describe, expect, it } from "vitest";
import type { AppEnv } from "../../src/http/app.js";
import { ERROR_RESPONSES, ok200 } from "../../src/http/routes/common.js";
import { backends } from "../support/backends.js";
import { type Answer, contractOf } from "../support/contract.js";
import { openHttpWorld } from "../support/http.js";

const Item = z.object({
  id: z.string(),
  amount: z.number().int(),
  note: z.string().nullable(),
  tags: z.array(z.object({ name: z.string() })),
  expiresAt: z.string().optional(),
});

const Review = z.object({ queue: z.array(z.string()) });

/** A schema that would accept a string for a number if parsing alone were the check. */
const Count = z.object({ count: z.coerce.number().int() });

function checker() {
  const app = new OpenAPIHono<AppEnv>();
  const routes = [
    createRoute({
      method: "get",
      path: "/v1/items/{itemId}",
      responses: { ...ok200(Item, "The item"), ...ERROR_RESPONSES },
    }),
    createRoute({
      method: "get",
      path: "/v1/counts",
      responses: { ...ok200(Count, "The count"), ...ERROR_RESPONSES },
    }),
    createRoute({
      method: "get",
      path: "/v1/items/review",
      responses: { ...ok200(Review, "The review queue"), ...ERROR_RESPONSES },
    }),
  ];
  for (const route of routes) app.openAPIRegistry.registerPath(route);
  // Routes outside the document, like the web pages, are registered without a description.
  app.get("/gift/:secret", (c) => c.html("<p>a gift</p>"));
  return contractOf(app);
}

const item = { id: "itm_1", amount: 5, note: null, tags: [{ name: "new" }] };

const answer = (body: unknown, overrides: Partial<Answer> = {}): Answer => ({
  method: "GET",
  path: "/v1/items/itm_1",
  status: 200,
  contentType: "application/json",
  body,
  ...overrides,
});

const envelope = { error: { code: "not_found", message: "no item itm_1", requestId: "req_1" } };

describe("the response contract checker", () => {
  const check = checker();

  it("accepts a body that matches the documented schema, with or without its optional fields", () => {
    expect(check(answer(item))).toBeNull();
    expect(check(answer({ ...item, expiresAt: "2026-06-11T09:00:00.000Z" }))).toBeNull();
    expect(check(answer(envelope, { status: 404 }))).toBeNull();
  });

  it("refuses a missing field, naming it", () => {
    const { amount: _amount, ...missing } = item;
    expect(check(answer(missing))).toMatch(/GET \/v1\/items\/\{itemId\} answered 200[\s\S]*amount:/);
  });

  it("refuses a field the document does not list, at any depth", () => {
    expect(check(answer({ ...item, amountMinor: 5 }))).toMatch(
      /amountMinor: a field its document does not list/,
    );
    const nested = { ...item, tags: [{ name: "new", weekStartMs: 0 }] };
    expect(check(answer(nested))).toMatch(/tags\.0\.weekStartMs: a field its document does not list/);
    const inError = { error: { ...envelope.error, detail: "x" } };
    expect(check(answer(inError, { status: 404 }))).toMatch(/error\.detail/);
  });

  it("refuses a wrong type, a number sent as a string included", () => {
    expect(check(answer({ ...item, amount: "5" }))).toMatch(/amount: .*expected number/);
    expect(check(answer({ ...item, note: 7 }))).toMatch(/note:/);
    expect(check(answer({ ...item, tags: {} }))).toMatch(/tags:/);
    const counts = { path: "/v1/counts" };
    expect(check(answer({ count: 5 }, counts))).toBeNull();
    expect(check(answer({ count: "5" }, counts))).toMatch(/count: "5" reads as 5/);
  });

  it("refuses a success status the route does not document", () => {
    expect(check(answer(item, { status: 201 }))).toMatch(/answered 201, a status its document does not list/);
  });

  it("lets an undocumented error status pass only in the error envelope", () => {
    expect(check(answer(envelope, { status: 429 }))).toBeNull();
    expect(check(answer({ message: "slow down" }, { status: 429 }))).toMatch(/answered 429[\s\S]*error:/);
    expect(check(answer("Too Many Requests", { status: 429, contentType: "text/plain" }))).toMatch(
      /text\/plain, where its document says JSON/,
    );
  });

  it("refuses a body that is not JSON where the document says JSON", () => {
    expect(check(answer("<p>item</p>", { contentType: "text/html; charset=UTF-8" }))).toMatch(/text\/html/);
    expect(check(answer("", { contentType: null }))).toMatch(/no Content-Type/);
  });

  it("ignores requests to routes outside the document", () => {
    expect(check(answer("<p>a gift</p>", { path: "/gift/abc", contentType: "text/html" }))).toBeNull();
    expect(check(answer({ anything: true }, { path: "/demo/api/customers", status: 201 }))).toBeNull();
    expect(check(answer({ anything: true }, { method: "DELETE" }))).toBeNull();
    expect(check(answer({ anything: true }, { path: "/v1/items/itm_1/more" }))).toBeNull();
  });

  it("takes the literal route over the parameterized one that also fits", () => {
    expect(check(answer({ queue: ["itm_1"] }, { path: "/v1/items/review" }))).toBeNull();
    expect(check(answer(item, { path: "/v1/items/review" }))).toMatch(/GET \/v1\/items\/review answered 200/);
  });
});

/** The JSON Schema type names a value fits. */
function jsonTypesOf(value: unknown): string[] {
  if (value === null) return ["null"];
  if (Array.isArray(value)) return ["array"];
  if (Number.isInteger(value)) return ["integer", "number"];
  return [typeof value];
}

/** Examples in an OpenAPI document whose JSON type, or enum member, is not what their schema declares. */
function misfitExamples(node: unknown, path: string): string[] {
  if (Array.isArray(node)) return node.flatMap((item, i) => misfitExamples(item, `${path}[${i}]`));
  if (typeof node !== "object" || node === null) return [];
  const inner = Object.entries(node).flatMap(([key, value]) => misfitExamples(value, `${path}.${key}`));
  if (!("example" in node) || !("type" in node)) return inner;
  const declared = [node.type].flat();
  const typed = jsonTypesOf(node.example).some((type) => declared.includes(type));
  const listed = !("enum" in node) || !Array.isArray(node.enum) || node.enum.includes(node.example);
  if (typed && listed) return inner;
  return [`${path}: example ${JSON.stringify(node.example)} does not fit ${JSON.stringify(node)}`, ...inner];
}

for (const backend of backends().slice(0, 1)) {
  describe(`the API's own document on ${backend.name}`, () => {
    it("gives examples of the type its schemas declare: a number is not a string", async () => {
      const world = await openHttpWorld(backend);
      try {
        const document = await world.call("GET", "/openapi.json");
        expect(document.status).toBe(200);
        expect(misfitExamples(document.body, "")).toEqual([]);
        expect(misfitExamples({ type: "integer", example: "500" }, "")).toHaveLength(1);
      } finally {
        await world.close();
        await backend.cleanup();
      }
    });
  });
}

// @vitest-environment happy-dom
/**
 * The console against an API played in the test: `fetch` answers real `Response`s shaped as the
 * server's (ProgramList, ProgramSaved, GrantAnswer, the error envelope). Signing in probes the key
 * and keeps it for the tab; a refused key says why; a key that stops working ends the session; the
 * grant form sends nothing without a reason and sends minor units at the display scale; the program
 * form shows the API's own refusal beside it and on the field it names.
 */
import { cleanup, fireEvent, render, screen, waitFor, within } from "@testing-library/react";
import type { ReactNode } from "react";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { GrantAnswer, Program, Schema } from "../../sdk/client.js";
import { ConsoleApp } from "../../src/web/console/console-app.js";
import { GrantForm } from "../../src/web/console/grant-form.js";
import { ProgramEditorPage } from "../../src/web/console/program-editor.js";
import { consoleRoute } from "../../src/web/console/routes.js";
import { ADMIN_KEY_STORAGE_KEY, connect, SessionProvider } from "../../src/web/console/session.js";
import { ConfigProvider } from "../../src/web/lib/context.js";

afterEach(cleanup);
beforeEach(() => window.sessionStorage.clear());

const BASE_URL = "https://boon.test";
const ADMIN_KEY = "boon_sk_admin";
const SERVER_KEY = "boon_sk_server";

interface Recorded {
  readonly method: string;
  readonly path: string;
  readonly body: unknown;
  readonly idempotencyKey: string | null;
  readonly authorization: string | null;
}

type Answer = { readonly status: number; readonly body: unknown };

const failure = (status: number, code: string, message: string): Answer => ({
  status,
  body: { error: { code, message, requestId: "req_test" } },
});

const GIFTING: Program = {
  id: "demo-gifts",
  type: "gifting",
  version: 1,
  createdAt: "2026-06-01T00:00:00.000Z",
  terms: { status: "live", giftMin: 50, giftMax: 500, claimWindow: "14d" },
};

/** A `fetch` that records every request and answers with `handle`, or the API's 404 envelope. */
function fakeFetch(handle: (request: Recorded) => Answer | undefined) {
  const requests: Recorded[] = [];
  const fetcher: typeof fetch = async (input, init) => {
    const url = new URL(typeof input === "string" ? input : input instanceof URL ? input.href : input.url);
    const headers = new Headers(init?.headers);
    const text = typeof init?.body === "string" ? init.body : "";
    const request: Recorded = {
      method: init?.method ?? "GET",
      path: `${url.pathname}${url.search}`,
      body: text === "" ? undefined : JSON.parse(text),
      idempotencyKey: headers.get("idempotency-key"),
      authorization: headers.get("authorization"),
    };
    requests.push(request);
    const answer = handle(request) ?? failure(404, "not_found", `no route ${request.method} ${request.path}`);
    return new Response(JSON.stringify(answer.body), {
      status: answer.status,
      headers: { "content-type": "application/json" },
    });
  };
  return { fetcher, requests, writes: () => requests.filter((request) => request.method !== "GET") };
}

/** The server's answers to keys: the admin key lists programs, a server key is forbidden, others unknown. */
function keysApi(request: Recorded): Answer | undefined {
  if (request.authorization === `Bearer ${SERVER_KEY}`)
    return failure(403, "forbidden", "this route needs a admin key");
  if (request.authorization !== `Bearer ${ADMIN_KEY}`)
    return failure(401, "unauthorized", "a valid Bearer key is required");
  if (request.method === "GET" && request.path === "/v1/programs")
    return { status: 200, body: { data: [GIFTING] } };
  return undefined;
}

function renderConsole(fetcher: typeof fetch, path = "/console/programs") {
  return render(
    <ConfigProvider config={{ displayScale: 2, demo: false }}>
      <ConsoleApp path={path} baseUrl={BASE_URL} fetch={fetcher} />
    </ConfigProvider>,
  );
}

function signIn(key: string) {
  fireEvent.change(screen.getByLabelText("Admin key"), { target: { value: key } });
  fireEvent.click(screen.getByRole("button", { name: "Sign in" }));
}

describe("signing in", () => {
  it("refuses an unknown key with a clear sentence and keeps nothing", async () => {
    const api = fakeFetch(keysApi);
    renderConsole(api.fetcher);
    signIn("boon_sk_typo");
    expect(await screen.findByText(/That key was not accepted/)).toBeTruthy();
    expect(window.sessionStorage.getItem(ADMIN_KEY_STORAGE_KEY)).toBeNull();
    expect(api.requests).toEqual([expect.objectContaining({ method: "GET", path: "/v1/programs" })]);
  });

  it("refuses a key without the admin scope, saying so", async () => {
    renderConsole(fakeFetch(keysApi).fetcher);
    signIn(SERVER_KEY);
    expect(await screen.findByText(/not an admin key/)).toBeTruthy();
  });

  it("asks for a key before calling anyone", () => {
    const api = fakeFetch(keysApi);
    renderConsole(api.fetcher);
    fireEvent.click(screen.getByRole("button", { name: "Sign in" }));
    expect(screen.getByText("Enter an admin key")).toBeTruthy();
    expect(api.requests).toEqual([]);
  });

  it("keeps an admin key for the tab, shows the console, and forgets the key on sign out", async () => {
    renderConsole(fakeFetch(keysApi).fetcher);
    signIn(` ${ADMIN_KEY} `);
    expect(await screen.findByRole("heading", { name: "Programs" })).toBeTruthy();
    expect(await screen.findByRole("link", { name: "demo-gifts" })).toBeTruthy();
    expect(window.sessionStorage.getItem(ADMIN_KEY_STORAGE_KEY)).toBe(ADMIN_KEY);
    const nav = screen.getByRole("navigation", { name: "Console" });
    expect(within(nav).getByRole("link", { name: "Programs" }).getAttribute("aria-current")).toBe("page");
    for (const name of ["Customers", "Reports", "Review"])
      expect(within(nav).getByRole("link", { name })).toBeTruthy();
    fireEvent.click(screen.getByRole("button", { name: "Sign out" }));
    expect(screen.getByRole("button", { name: "Sign in" })).toBeTruthy();
    expect(window.sessionStorage.getItem(ADMIN_KEY_STORAGE_KEY)).toBeNull();
  });

  it("opens straight to the page with a key kept from earlier in the tab", async () => {
    window.sessionStorage.setItem(ADMIN_KEY_STORAGE_KEY, ADMIN_KEY);
    renderConsole(fakeFetch(keysApi).fetcher);
    expect(await screen.findByRole("link", { name: "demo-gifts" })).toBeTruthy();
  });

  it("ends the session when the key stops working", async () => {
    window.sessionStorage.setItem(ADMIN_KEY_STORAGE_KEY, "boon_sk_revoked");
    renderConsole(fakeFetch(keysApi).fetcher);
    expect(await screen.findByText(/Your key stopped working/)).toBeTruthy();
    expect(screen.getByLabelText("Admin key")).toBeTruthy();
    expect(window.sessionStorage.getItem(ADMIN_KEY_STORAGE_KEY)).toBeNull();
  });
});

describe("the console's pages by path", () => {
  it("maps paths to pages", () => {
    expect(consoleRoute("/console")).toEqual({ page: "programs" });
    expect(consoleRoute("/console/programs/new")).toEqual({ page: "program-new" });
    expect(consoleRoute("/console/programs/june-pilot/")).toEqual({
      page: "program",
      programId: "june-pilot",
    });
    expect(consoleRoute("/console/customers/cus%2F7")).toEqual({ page: "customer", customerId: "cus/7" });
    expect(consoleRoute("/console/reports")).toEqual({ page: "reports" });
    expect(consoleRoute("/console/review")).toEqual({ page: "review" });
    expect(consoleRoute("/console/nowhere")).toEqual({ page: "not-found" });
  });
});

function withSession(fetcher: typeof fetch, children: ReactNode, displayScale = 2) {
  const client = connect(ADMIN_KEY, { baseUrl: BASE_URL, fetch: fetcher });
  return render(
    <ConfigProvider config={{ displayScale, demo: false }}>
      <SessionProvider session={{ client, signOut: () => undefined }}>{children}</SessionProvider>
    </ConfigProvider>,
  );
}

describe("the grant form", () => {
  const GRANTED: GrantAnswer = { type: "grant", transferId: "txn_1", lotId: "lot_1", available: 6234 };

  it("sends nothing without a reason", () => {
    const api = fakeFetch(() => ({ status: 200, body: GRANTED }));
    withSession(api.fetcher, <GrantForm customerId="demo-ada" onDone={() => undefined} />);
    fireEvent.change(screen.getByLabelText("Amount"), { target: { value: "12.34" } });
    fireEvent.click(screen.getByRole("button", { name: "Grant credits" }));
    expect(screen.getByText("Say why: the reason is kept in the ledger")).toBeTruthy();
    expect(api.requests).toEqual([]);
  });

  it("grants minor units at the display scale, with the reason, for the customer", async () => {
    const api = fakeFetch(() => ({ status: 200, body: GRANTED }));
    let done = 0;
    withSession(
      api.fetcher,
      <GrantForm
        customerId="demo-ada"
        onDone={() => {
          done += 1;
        }}
      />,
    );
    fireEvent.change(screen.getByLabelText("Amount"), { target: { value: "12.34" } });
    fireEvent.change(screen.getByLabelText("Kind"), { target: { value: "promotional" } });
    fireEvent.change(screen.getByLabelText("Reason"), { target: { value: "Outage on June 14" } });
    fireEvent.click(screen.getByRole("button", { name: "Grant credits" }));
    expect(await screen.findByText("Granted 12.34 promotional credits to demo-ada.")).toBeTruthy();
    expect(api.writes()).toEqual([
      expect.objectContaining({
        method: "POST",
        path: "/v1/customers/demo-ada/grants",
        body: { amount: 1234, kind: "promotional", reason: "Outage on June 14" },
      }),
    ]);
    expect(api.writes()[0]?.idempotencyKey).toMatch(/^[0-9a-f-]{36}$/);
    expect(done).toBe(1);
    expect((screen.getByLabelText("Amount") as HTMLInputElement).value).toBe("");
  });

  it("shows the API's refusal and retries the same grant with the same idempotency key", async () => {
    let attempts = 0;
    const api = fakeFetch(() => {
      attempts += 1;
      return attempts === 1
        ? failure(400, "invalid_request", "priority must be a whole number from 0 to 1000")
        : { status: 200, body: GRANTED };
    });
    withSession(api.fetcher, <GrantForm customerId="demo-ada" onDone={() => undefined} />);
    fireEvent.change(screen.getByLabelText("Amount"), { target: { value: "5" } });
    fireEvent.change(screen.getByLabelText("Reason"), { target: { value: "Goodwill" } });
    fireEvent.click(screen.getByRole("button", { name: "Grant credits" }));
    expect(await screen.findByText("priority must be a whole number from 0 to 1000")).toBeTruthy();
    fireEvent.click(screen.getByRole("button", { name: "Grant credits" }));
    await screen.findByText(/^Granted 5.00/);
    const [first, second] = api.writes();
    expect(first?.idempotencyKey).toBeTruthy();
    expect(second?.idempotencyKey).toBe(first?.idempotencyKey);
  });
});

describe("the program form", () => {
  function programApi(refusal: string | null) {
    return fakeFetch((request) => {
      if (request.method !== "POST" || request.path !== "/v1/programs") return undefined;
      if (refusal !== null) return failure(400, "invalid_request", refusal);
      const body = request.body as Schema<"ProgramRequest">;
      return {
        status: 200,
        body: {
          id: body.id,
          type: body.type,
          version: 1,
          createdAt: "2026-06-01T00:00:00.000Z",
          terms: body.terms,
          created: true,
        },
      };
    });
  }

  function fillNewGifting() {
    fireEvent.change(screen.getByLabelText("Program id"), { target: { value: "pro-gifts" } });
    fireEvent.change(screen.getByLabelText("Largest gift"), { target: { value: "5" } });
    fireEvent.change(screen.getByLabelText("Gifts sent per period"), { target: { value: "3" } });
  }

  it("marks what to fix and sends nothing", () => {
    const api = programApi(null);
    withSession(api.fetcher, <ProgramEditorPage programId={null} />);
    fireEvent.click(screen.getByRole("button", { name: "Save program" }));
    expect(screen.getByText("Check the 2 fields marked below")).toBeTruthy();
    expect(screen.getByLabelText("Program id").getAttribute("aria-invalid")).toBe("true");
    expect(api.requests).toEqual([]);
  });

  it("saves the terms in minor units, with an idempotency key", async () => {
    const api = programApi(null);
    withSession(api.fetcher, <ProgramEditorPage programId={null} />);
    fillNewGifting();
    fireEvent.click(screen.getByRole("button", { name: "Save program" }));
    await waitFor(() => expect(api.writes()).toHaveLength(1));
    const [write] = api.writes();
    expect(write?.body).toMatchObject({
      id: "pro-gifts",
      type: "gifting",
      terms: { giftMax: 500, allowance: 0, caps: { sentPerPeriod: 3 }, status: "draft" },
    });
    expect(write?.idempotencyKey).toBeTruthy();
  });

  it("shows the API's own refusal beside the form, and on the field it names", async () => {
    const api = programApi("program pro-gifts: caps.sentPerPeriod: must be a whole number from 1 to 1000000");
    withSession(api.fetcher, <ProgramEditorPage programId={null} />);
    fillNewGifting();
    fireEvent.click(screen.getByRole("button", { name: "Save program" }));
    const banner = await screen.findByText("Boon refused the program");
    expect(banner.closest("[role=alert]")?.textContent).toContain(
      "caps.sentPerPeriod: must be a whole number",
    );
    const field = screen.getByLabelText("Gifts sent per period");
    expect(field.getAttribute("aria-invalid")).toBe("true");
    expect(screen.getByText("must be a whole number from 1 to 1000000")).toBeTruthy();
  });
});

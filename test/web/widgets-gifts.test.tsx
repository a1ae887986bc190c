// @vitest-environment happy-dom
/**
 * The Gifts page against an API played in the test: the client's `fetch` answers real `Response`s
 * shaped as the server's (CustomerGifts, Gift, the error envelope). The form's checks show their
 * words and send nothing; a gift sent shows its link and code; a refusal keeps the idempotency key
 * for the retry; revoke posts to the gift's path; credits read at the configured display scale.
 */
import { cleanup, fireEvent, render, screen, waitFor, within } from "@testing-library/react";
import { afterEach, describe, expect, it } from "vitest";
import { BoonClient, type CustomerGifts, type Gift } from "../../sdk/client.js";
import { GIFT_MESSAGE_LENGTH_MAX } from "../../src/core/gifts.js";
import { ConfigProvider } from "../../src/web/lib/context.js";
import { GiftsPage } from "../../src/web/widgets/gifts.js";

afterEach(cleanup);

const BASE_URL = "https://boon.test";
const CUSTOMER = "cus_ada";
const PROGRAM = "pro-gifts";

interface Recorded {
  readonly method: string;
  readonly path: string;
  readonly body: unknown;
  readonly idempotencyKey: string | null;
  readonly authorization: string | null;
}

type Answer = { readonly status: number; readonly body: unknown };
type Handler = (request: Recorded) => Answer | undefined;

const json = (status: number, body: unknown) =>
  new Response(JSON.stringify(body), { status, headers: { "content-type": "application/json" } });
const failure = (status: number, code: string, message: string): Answer => ({
  status,
  body: { error: { code, message, requestId: "req_test" } },
});

/** A client whose every request is recorded and answered by `handle`, or by a 404 envelope. */
function fakeClient(handle: Handler) {
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
    return json(answer.status, answer.body);
  };
  const client = new BoonClient({ baseUrl: BASE_URL, apiKey: "ctok_test", retries: 0, fetch: fetcher });
  return { client, requests, writes: () => requests.filter((request) => request.method !== "GET") };
}

const gift = (id: string, fields: Partial<Gift> = {}): Gift => ({
  id,
  programId: PROGRAM,
  programVersion: 1,
  senderId: CUSTOMER,
  source: "allowance",
  amount: 500,
  code: `${id.slice(-4).toUpperCase()}-7K2M-QX9P-4`,
  url: `https://boon.example/gift/${id}`,
  message: null,
  recipientEmail: null,
  status: "pending",
  expiresAt: "2026-06-25T09:00:00.000Z",
  createdAt: "2026-06-11T09:00:00.000Z",
  recipientId: null,
  claimedAt: null,
  resolvedAt: null,
  lotId: null,
  reviewReason: null,
  ...fields,
});

/** The Gifts page's data as the API answers it, with the allowance `left` in minor units. */
function giftsAnswer(
  left: number,
  sent: readonly Gift[] = [],
  received: readonly Gift[] = [],
  giftBalance = 0,
): CustomerGifts {
  return {
    customerId: CUSTOMER,
    sent,
    received,
    allowances: [
      {
        programId: PROGRAM,
        allowance: 5000,
        used: 5000 - left,
        left,
        sentCount: sent.length,
        sentPerPeriod: 5,
        periodEndsAt: "2026-07-01T00:00:00.000Z",
      },
    ],
    giftBalance,
    offers: [
      {
        programId: PROGRAM,
        giftMin: 50,
        giftMax: 5000,
        allowanceLeft: left,
        giftsLeft: 5 - sent.length,
        periodEndsAt: "2026-07-01T00:00:00.000Z",
        recipients: "anyone",
        claimWindowSeconds: 14 * 86_400,
      },
    ],
  };
}

/** An API holding one customer's gifts: sending takes from the allowance, revoking gives it back. */
function giftsApi(left: number, sent: readonly Gift[] = [], received: readonly Gift[] = [], giftBalance = 0) {
  const state = {
    left,
    sent: [...sent],
    received: [...received],
    refuseSend: null as Answer | null,
    giftBalance,
  };
  const api = fakeClient((request) => {
    if (request.method === "GET" && request.path === `/v1/customers/${CUSTOMER}/gifts`)
      return { status: 200, body: giftsAnswer(state.left, state.sent, state.received, state.giftBalance) };
    if (request.method === "POST" && request.path === "/v1/gifts") {
      if (state.refuseSend !== null) return state.refuseSend;
      const body = request.body as { amount: number; message: string | null; recipientEmail: string | null };
      const sentGift = gift(`gift_${String(state.sent.length + 1).padStart(4, "0")}`, {
        amount: body.amount,
        message: body.message,
        recipientEmail: body.recipientEmail,
      });
      state.left -= body.amount;
      state.sent.unshift(sentGift);
      return { status: 200, body: sentGift };
    }
    const revoke = /^\/v1\/gifts\/([^/]+)\/revoke$/.exec(request.path);
    if (request.method === "POST" && revoke !== null) {
      const index = state.sent.findIndex((candidate) => candidate.id === revoke[1]);
      const found = state.sent[index];
      if (found === undefined) return failure(404, "not_found", "no such gift");
      const revoked = { ...found, status: "revoked" as const, resolvedAt: "2026-06-11T10:00:00.000Z" };
      state.sent[index] = revoked;
      state.left += found.amount;
      return { status: 200, body: revoked };
    }
    return undefined;
  });
  return { ...api, state };
}

function renderPage(client: BoonClient, displayScale = 2) {
  return render(
    <ConfigProvider config={{ displayScale, demo: true }}>
      <GiftsPage client={client} customerId={CUSTOMER} />
    </ConfigProvider>,
  );
}

const amountField = () => screen.getByLabelText("Amount");
const messageField = () => screen.getByLabelText("Message (optional)");
const emailField = () => screen.getByLabelText("Friend's email (optional)");
const submit = () => fireEvent.click(screen.getByRole("button", { name: "Create gift link" }));
const type = (field: HTMLElement, value: string) => fireEvent.change(field, { target: { value } });

describe("the Gifts page", () => {
  it("shows the allowance left at the display scale, and asks for the customer's gifts with its token", async () => {
    const api = giftsApi(1250);
    renderPage(api.client);
    expect(await screen.findByText("Allowance left")).toBeTruthy();
    expect(screen.getAllByText("12.50 credits").length).toBeGreaterThanOrEqual(2);
    expect(screen.getByText("0 of 5")).toBeTruthy();
    expect(screen.getByText("You haven't sent a gift yet.")).toBeTruthy();
    expect(screen.getByText("No gifts received yet.")).toBeTruthy();
    expect(api.requests).toEqual([
      {
        method: "GET",
        path: `/v1/customers/${CUSTOMER}/gifts`,
        body: undefined,
        idempotencyKey: null,
        authorization: "Bearer ctok_test",
      },
    ]);
  });

  it("reads the same amounts at scale 0", async () => {
    renderPage(giftsApi(1250).client, 0);
    expect(await screen.findByText("Allowance left")).toBeTruthy();
    expect(screen.getAllByText("1,250 credits").length).toBeGreaterThanOrEqual(2);
  });

  it("says so when no gifting program is open to the customer", async () => {
    const api = fakeClient((request) =>
      request.method === "GET"
        ? { status: 200, body: { ...giftsAnswer(0), allowances: [], offers: [] } }
        : undefined,
    );
    renderPage(api.client);
    expect(await screen.findByText("Gifting isn't open for your plan right now.")).toBeTruthy();
    expect(screen.queryByRole("button", { name: "Create gift link" })).toBeNull();
  });

  it("shows a failed load with a retry that loads again", async () => {
    let down = true;
    const api = fakeClient((request) => {
      if (request.method !== "GET") return undefined;
      return down
        ? failure(503, "unavailable", "the database is unavailable; retry")
        : { status: 200, body: giftsAnswer(1250) };
    });
    renderPage(api.client);
    expect((await screen.findByRole("alert")).textContent).toContain("Boon is unavailable right now.");
    down = false;
    fireEvent.click(screen.getByRole("button", { name: "Try again" }));
    expect(await screen.findByText("Allowance left")).toBeTruthy();
    expect(api.requests).toHaveLength(2);
  });
});

describe("the gift form's checks", () => {
  it("refuses more than the allowance left, and sends nothing", async () => {
    const api = giftsApi(1250);
    renderPage(api.client);
    await screen.findByText("Allowance left");
    type(amountField(), "12.51");
    submit();
    expect(await screen.findByText("That is more than you have left to give")).toBeTruthy();
    expect(amountField().getAttribute("aria-invalid")).toBe("true");
    expect(api.writes()).toEqual([]);
  });

  it("names each bad field at once, and sends nothing", async () => {
    const api = giftsApi(1250);
    renderPage(api.client);
    await screen.findByText("Allowance left");
    type(amountField(), "1.234");
    type(messageField(), "x".repeat(GIFT_MESSAGE_LENGTH_MAX + 1));
    type(emailField(), "friend@");
    submit();
    expect(await screen.findByText("At most 2 decimal places")).toBeTruthy();
    expect(
      screen.getByText(`At most ${GIFT_MESSAGE_LENGTH_MAX} characters (${GIFT_MESSAGE_LENGTH_MAX + 1} now)`),
    ).toBeTruthy();
    expect(
      screen.getByText("Enter an email address like friend@example.com, or leave it empty"),
    ).toBeTruthy();
    expect(api.writes()).toEqual([]);
  });

  it("asks for an amount, and for one above zero", async () => {
    const api = giftsApi(1250);
    renderPage(api.client);
    await screen.findByText("Allowance left");
    submit();
    expect(await screen.findByText("Enter an amount")).toBeTruthy();
    type(amountField(), "0.00");
    submit();
    expect(await screen.findByText("Enter an amount above zero")).toBeTruthy();
    type(amountField(), "lots");
    submit();
    expect(await screen.findByText("Enter a number, like 50")).toBeTruthy();
    expect(api.writes()).toEqual([]);
  });

  it("counts the message against the limit as it is typed", async () => {
    renderPage(giftsApi(1250).client);
    await screen.findByText("Allowance left");
    type(messageField(), "Happy coding");
    expect(screen.getByText(`12/${GIFT_MESSAGE_LENGTH_MAX}`)).toBeTruthy();
  });
});

describe("sending a gift", () => {
  it("sends the amount in minor units with one idempotency key, then shows the link and the code", async () => {
    const api = giftsApi(1250);
    renderPage(api.client);
    await screen.findByText("Allowance left");
    type(amountField(), "2.5");
    type(messageField(), "  Happy coding  ");
    type(emailField(), " grace@example.com ");
    submit();
    expect(await screen.findByText("Your gift is ready")).toBeTruthy();
    const [sent] = api.writes();
    expect(sent?.path).toBe("/v1/gifts");
    expect(sent?.body).toEqual({
      senderId: CUSTOMER,
      amount: 250,
      source: "allowance",
      programId: PROGRAM,
      message: "Happy coding",
      recipientEmail: "grace@example.com",
    });
    expect(sent?.idempotencyKey).toMatch(/^[0-9a-f-]{36}$/);
    const made = api.state.sent[0];
    expect((screen.getByLabelText("Gift link") as HTMLInputElement).value).toBe(made?.url);
    expect((screen.getByLabelText("Gift code") as HTMLInputElement).value).toBe(made?.code);
    expect(screen.getByText(/It can be claimed until Jun 25, 2026\./)).toBeTruthy();
    await waitFor(() => expect(screen.getByText("10.00 credits")).toBeTruthy());
    const table = screen.getByRole("table", { name: "Gifts you sent" });
    expect(within(table).getByText("2.50 credits")).toBeTruthy();
    expect(within(table).getByText("grace@example.com")).toBeTruthy();
  });

  it("gives from credits bought to give when the sender chooses them, within what they hold", async () => {
    const api = giftsApi(0, [], [], 3000);
    renderPage(api.client);
    await screen.findByText("Bought to give");
    // With the allowance spent, the form starts on the bought credits.
    const from = screen.getByLabelText("Give from") as HTMLSelectElement;
    expect(from.value).toBe("gift_balance");
    type(amountField(), "30.01");
    submit();
    expect(await screen.findByText("That is more than you have left to give")).toBeTruthy();
    expect(api.writes()).toEqual([]);
    type(amountField(), "30");
    submit();
    await screen.findByText("Your gift is ready");
    expect(api.writes()[0]?.body).toMatchObject({ amount: 3000, source: "gift_balance" });
  });

  it("sends an empty message and email as null, and a fresh key for the next gift", async () => {
    const api = giftsApi(1250);
    renderPage(api.client);
    await screen.findByText("Allowance left");
    type(amountField(), "1");
    submit();
    await screen.findByText("Your gift is ready");
    fireEvent.click(screen.getByRole("button", { name: "Gift more credits" }));
    type(amountField(), "1");
    submit();
    await waitFor(() => expect(api.writes()).toHaveLength(2));
    const [first, second] = api.writes();
    expect(first?.body).toMatchObject({ amount: 100, message: null, recipientEmail: null });
    expect(second?.idempotencyKey).not.toBe(first?.idempotencyKey);
  });

  it("shows the API's refusal in its words and retries with the same key", async () => {
    const api = giftsApi(1250);
    api.state.refuseSend = failure(409, "cap_exceeded", "5 gifts sent of 5 this period");
    renderPage(api.client);
    await screen.findByText("Allowance left");
    type(amountField(), "3");
    submit();
    expect((await screen.findByRole("alert")).textContent).toBe("5 gifts sent of 5 this period");
    expect((amountField() as HTMLInputElement).value).toBe("3");
    api.state.refuseSend = null;
    submit();
    expect(await screen.findByText("Your gift is ready")).toBeTruthy();
    const [refused, accepted] = api.writes();
    expect(accepted?.idempotencyKey).toBe(refused?.idempotencyKey);
  });
});

describe("the sent and received lists", () => {
  it("revokes a pending gift through its own path, then shows it revoked", async () => {
    const pending = gift("gift_abcd", { amount: 300 });
    const claimed = gift("gift_efgh", { status: "claimed", claimedAt: "2026-06-12T09:00:00.000Z" });
    const api = giftsApi(1000, [pending, claimed]);
    renderPage(api.client);
    const revoke = await screen.findByRole("button", { name: `Revoke gift ${pending.code}` });
    expect(screen.queryByRole("button", { name: `Revoke gift ${claimed.code}` })).toBeNull();
    fireEvent.click(revoke);
    await waitFor(() => expect(screen.queryByRole("button", { name: /^Revoke gift/ })).toBeNull());
    expect(api.writes()).toEqual([
      {
        method: "POST",
        path: "/v1/gifts/gift_abcd/revoke",
        body: undefined,
        idempotencyKey: "revoke-gift_abcd",
        authorization: "Bearer ctok_test",
      },
    ]);
    expect(screen.getAllByText("revoked")).toHaveLength(1);
    expect(screen.getAllByText("13.00 credits")).toHaveLength(2);
  });

  it("shows a refused revoke in the API's words", async () => {
    const pending = gift("gift_abcd");
    const api = fakeClient((request) => {
      if (request.method === "GET") return { status: 200, body: giftsAnswer(1000, [pending]) };
      return failure(409, "gift_unavailable", "the gift was claimed already");
    });
    renderPage(api.client);
    fireEvent.click(await screen.findByRole("button", { name: `Revoke gift ${pending.code}` }));
    expect((await screen.findByRole("alert")).textContent).toBe("the gift was claimed already");
  });

  it("shows a received gift's message as text, never as markup", async () => {
    const message = '<img src="x" onerror="alert(1)"> Thanks!';
    const received = gift("gift_in01", {
      senderId: "cus_grace",
      amount: 150,
      message,
      status: "claimed",
      recipientId: CUSTOMER,
      claimedAt: "2026-06-12T09:00:00.000Z",
    });
    const { container } = renderPage(giftsApi(1000, [], [received]).client);
    const table = await screen.findByRole("table", { name: "Gifts you received" });
    expect(within(table).getByText(message)).toBeTruthy();
    expect(within(table).getByText("1.50 credits")).toBeTruthy();
    expect(within(table).getByText("Jun 12, 2026")).toBeTruthy();
    expect(container.querySelector("img")).toBeNull();
  });
});

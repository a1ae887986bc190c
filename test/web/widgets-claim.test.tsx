// @vitest-environment happy-dom
/**
 * The gift claim page against an API played in the test (the page's public calls go through the
 * browser's `fetch`, replaced here by one answering real `Response`s): every way a code can be
 * unavailable reads the same, a preview shows its amount at the display scale and its message as
 * text, and a claim posts once for the signed-in customer. The shell also survives a mangled path.
 */
import { cleanup, fireEvent, render, screen, waitFor } from "@testing-library/react";
import { afterEach, describe, expect, it, vi } from "vitest";
import { BoonClient, type GiftPreview } from "../../sdk/client.js";
import { DemoShell } from "../../src/web/host/demo-shell.js";
import { ConfigProvider } from "../../src/web/lib/context.js";
import { GIFT_UNAVAILABLE_MESSAGE, GiftClaimPage } from "../../src/web/widgets/gift-claim.js";

interface Recorded {
  readonly method: string;
  readonly path: string;
  readonly body: unknown;
  readonly idempotencyKey: string | null;
}
type Answer = { readonly status: number; readonly body: unknown };

const failure = (status: number, code: string, message: string): Answer => ({
  status,
  body: { error: { code, message, requestId: "req_test" } },
});

function fakeFetch(handle: (request: Recorded) => Answer) {
  const requests: Recorded[] = [];
  const fetcher: typeof fetch = async (input, init) => {
    const url = new URL(typeof input === "string" ? input : input instanceof URL ? input.href : input.url);
    const text = typeof init?.body === "string" ? init.body : "";
    const request: Recorded = {
      method: init?.method ?? "GET",
      path: url.pathname,
      body: text === "" ? undefined : JSON.parse(text),
      idempotencyKey: new Headers(init?.headers).get("idempotency-key"),
    };
    requests.push(request);
    const answer = handle(request);
    return new Response(JSON.stringify(answer.body), {
      status: answer.status,
      headers: { "content-type": "application/json" },
    });
  };
  return { fetcher, requests };
}

const CODE = "7K2M-QX9P-4HRT-Z";
const preview: GiftPreview = {
  amount: 1250,
  senderName: "Ada",
  message: "<b>Build</b> something great!",
  status: "pending",
  expiresAt: "2026-06-25T09:00:00.000Z",
};

afterEach(() => {
  cleanup();
  vi.unstubAllGlobals();
});

function renderClaim(
  publicApi: (request: Recorded) => Answer,
  session: { client: BoonClient; customerId: string; name: string } | null = null,
) {
  const api = fakeFetch(publicApi);
  vi.stubGlobal("fetch", api.fetcher);
  const onSignIn = vi.fn();
  const onClaimed = vi.fn();
  render(
    <ConfigProvider config={{ displayScale: 2, demo: true }}>
      <GiftClaimPage code={CODE} session={session} onSignIn={onSignIn} onClaimed={onClaimed} />
    </ConfigProvider>,
  );
  return { ...api, onSignIn, onClaimed };
}

describe("the gift claim page", () => {
  it("reads one same sentence for every way a code can be unavailable", async () => {
    const refusals = [
      failure(404, "gift_unavailable", "no pending gift with this code"),
      failure(404, "not_found", "no route"),
      failure(400, "invalid_request", "code: the check character does not match"),
    ];
    for (const refusal of refusals) {
      renderClaim(() => refusal);
      expect(await screen.findByText("This gift isn't available")).toBeTruthy();
      expect(screen.getByText(GIFT_UNAVAILABLE_MESSAGE)).toBeTruthy();
      expect(screen.queryByText(/no pending|no route|check character/)).toBeNull();
      expect(screen.queryByRole("button", { name: "Try again" })).toBeNull();
      cleanup();
    }
  });

  it("asks for the preview by its code, without a key", async () => {
    const { requests } = renderClaim(() => ({ status: 200, body: preview }));
    await screen.findByText("12.50 credits");
    expect(requests).toEqual([
      { method: "GET", path: `/v1/gifts/${encodeURIComponent(CODE)}`, body: undefined, idempotencyKey: null },
    ]);
  });

  it("shows the amount at the display scale, the sender, and the message as text", async () => {
    renderClaim(() => ({ status: 200, body: preview }));
    expect(await screen.findByText("12.50 credits")).toBeTruthy();
    expect(screen.getByText("Ada")).toBeTruthy();
    expect(screen.getByText("<b>Build</b> something great!")).toBeTruthy();
    expect(document.querySelector("b")).toBeNull();
    expect(screen.getByText("Claim it by Jun 25, 2026.")).toBeTruthy();
  });

  it("asks a visitor to sign in before claiming", async () => {
    const { onSignIn } = renderClaim(() => ({ status: 200, body: preview }));
    fireEvent.click(await screen.findByRole("button", { name: "Sign in to claim" }));
    expect(onSignIn).toHaveBeenCalledTimes(1);
  });

  it("claims once for the signed-in customer, with a key the retry reuses", async () => {
    const session = fakeFetch(() => ({ status: 200, body: { ok: true } }));
    const client = new BoonClient({
      baseUrl: "https://boon.test",
      apiKey: "ctok_x",
      retries: 0,
      fetch: session.fetcher,
    });
    const { onClaimed } = renderClaim(() => ({ status: 200, body: preview }), {
      client,
      customerId: "cus_grace",
      name: "Grace",
    });
    fireEvent.click(await screen.findByRole("button", { name: "Claim as Grace" }));
    expect(await screen.findByText("Claimed")).toBeTruthy();
    expect(onClaimed).toHaveBeenCalledTimes(1);
    expect(session.requests).toEqual([
      {
        method: "POST",
        path: `/v1/gifts/${encodeURIComponent(CODE)}/claim`,
        body: { customerId: "cus_grace" },
        idempotencyKey: `claim-${CODE}-cus_grace`,
      },
    ]);
  });

  it("explains a refused claim, and reads an unavailable one like the preview", async () => {
    let refusal = failure(403, "gift_self_claim", "the sender can't claim their own gift");
    const session = fakeFetch(() => refusal);
    const client = new BoonClient({
      baseUrl: "https://boon.test",
      apiKey: "ctok_x",
      retries: 0,
      fetch: session.fetcher,
    });
    renderClaim(() => ({ status: 200, body: preview }), { client, customerId: "cus_ada", name: "Ada" });
    const claim = await screen.findByRole("button", { name: "Claim as Ada" });
    fireEvent.click(claim);
    expect((await screen.findByRole("alert")).textContent).toBe(
      "This is your own gift: send the link to a friend instead.",
    );
    refusal = failure(404, "gift_unavailable", "claimed already");
    fireEvent.click(screen.getByRole("button", { name: "Claim as Ada" }));
    await waitFor(() => expect(screen.getByRole("alert").textContent).toBe(GIFT_UNAVAILABLE_MESSAGE));
  });
});

describe("the demo shell", () => {
  it("shows 'not found' for a path that is not valid percent-encoding, instead of failing to render", () => {
    render(
      <ConfigProvider config={{ displayScale: 0, demo: false }}>
        <DemoShell path="/gift/100%" />
      </ConfigProvider>,
    );
    expect(screen.getByText("Page not found")).toBeTruthy();
  });
});

/**
 * "Your purchases": the credit packs a customer bought, newest first, each with what it gave, what it
 * cost, whom it was for and where it stands, in plain words. Embeddable: give it a client acting for
 * the customer and the customer's id; a host that knows a purchase changed bumps `refreshKey`.
 */
import { useId } from "react";
import type { BoonClient, Schema } from "../../../sdk/client.js";
import { Badge, Card, Loaded } from "../components/ui.js";
import { Credits } from "../lib/context.js";
import { formatDateTime } from "../lib/format.js";
import { formatMoney } from "../lib/money.js";
import { useNow } from "../lib/now.js";
import { useResource } from "../lib/resource.js";

type Purchase = Schema<"Purchase">;
type Tone = NonNullable<Parameters<typeof Badge>[0]["tone"]>;

/** The most purchases the page asks for; the API's own ceiling is higher. */
export const PURCHASES_SHOWN_MAX = 50;

/**
 * The states the page has words for: the API's own (a state it adds fails the typecheck here until it
 * has words), and `processing`, a pending purchase whose customer finished the checkout with a payment
 * that takes days to clear.
 */
type KnownState = Purchase["state"] | "processing";

/** How often the list looks at the clock, so a checkout past its time stops offering its link. */
const CLOCK_TICK_MS = 60_000;

export interface PurchaseStateWords {
  readonly label: string;
  readonly tone: Tone;
}

const STATE_WORDS: Readonly<Record<KnownState, PurchaseStateWords>> = {
  pending: { label: "Awaiting payment", tone: "warn" },
  processing: { label: "Payment processing", tone: "info" },
  paid: { label: "Paid", tone: "good" },
  review: { label: "Being checked by our team", tone: "info" },
  refunded: { label: "Refunded", tone: "neutral" },
  disputed: { label: "Payment disputed", tone: "bad" },
  expired: { label: "Checkout expired — nothing was charged", tone: "neutral" },
  failed: { label: "Payment failed — nothing was charged", tone: "bad" },
};

/**
 * A purchase's state in plain words. The server may be newer than the page and send a state the page
 * has no words for; that one reads as itself (underscores as spaces) rather than breaking the list.
 */
export function purchaseStateWords(state: string): PurchaseStateWords {
  // An own-property check, so a state named like an object's built-in ("constructor") is unknown too.
  if (Object.hasOwn(STATE_WORDS, state)) return STATE_WORDS[state as KnownState];
  const raw = state.replaceAll("_", " ").trim();
  return { label: raw === "" ? "Unknown" : raw, tone: "neutral" };
}

/**
 * Where a purchase stands for its customer at `nowMs`. The server ends a checkout nobody paid a
 * little after its time is up; until then a pending purchase past its time already reads as expired,
 * since its payment page takes no payment any more.
 */
export function purchaseStatus(
  purchase: Pick<Purchase, "state" | "checkoutExpiresAt" | "sessionCompletedAt">,
  nowMs: number,
): string {
  if (purchase.state !== "pending") return purchase.state;
  if (purchase.sessionCompletedAt !== null) return "processing";
  return Date.parse(purchase.checkoutExpiresAt) <= nowMs ? "expired" : "pending";
}

/** The date a purchase is shown under: when it was paid, or when its checkout began. */
export function purchaseDate(purchase: Pick<Purchase, "createdAt" | "paidAt">): string {
  return purchase.paidAt ?? purchase.createdAt;
}

/** Newest first, by when each checkout began; the API already answers so, and this keeps it so. */
export function newestFirst<T extends Pick<Purchase, "createdAt">>(purchases: readonly T[]): T[] {
  return [...purchases].sort((a, b) => Date.parse(b.createdAt) - Date.parse(a.createdAt));
}

export interface PurchasesListProps {
  readonly client: BoonClient;
  readonly customerId: string;
  /** Any new value reloads the list, for a host that knows a purchase just changed. */
  readonly refreshKey?: unknown;
}

/**
 * What a refund or a dispute did: the money it concerned and the credits it took back. A dispute
 * takes what the price had left after refunds, which `refunded` does not count.
 */
function TakenBack(props: { readonly purchase: Purchase }) {
  const { purchase } = props;
  const disputed = purchase.state === "disputed";
  const money = formatMoney(
    disputed ? purchase.price - purchase.refunded : purchase.refunded,
    purchase.currency,
  );
  return (
    <p className="boon-purchase-detail">
      {disputed ? `${money} disputed` : `${money} came back to you`}
      {"; "}
      {purchase.recovered === 0 ? (
        "no credits were taken back"
      ) : (
        <>
          <Credits minor={purchase.recovered} /> taken back
        </>
      )}
      .
    </p>
  );
}

function PurchaseItem(props: {
  readonly purchase: Purchase;
  readonly packName: string;
  readonly nowMs: number;
}) {
  const { purchase, packName } = props;
  const status = purchaseStatus(purchase, props.nowMs);
  const words = purchaseStateWords(status);
  const date = purchaseDate(purchase);
  return (
    <li className="boon-purchase">
      <div className="boon-purchase-head">
        <h3>{packName}</h3>
        <Badge tone={words.tone}>{words.label}</Badge>
      </div>
      <p className="boon-purchase-facts">
        <time dateTime={date}>{formatDateTime(date)}</time>
        <span>{purchase.asGift ? "as a gift" : "for you"}</span>
        <span>
          <Credits minor={purchase.credits} />
          {purchase.bonus === 0 ? null : (
            <>
              {" "}
              + <Credits minor={purchase.bonus} /> bonus
            </>
          )}
        </span>
        <span className="boon-num">{formatMoney(purchase.price, purchase.currency)}</span>
      </p>
      {purchase.state === "refunded" || purchase.state === "disputed" ? (
        <TakenBack purchase={purchase} />
      ) : null}
      {status === "pending" && purchase.checkoutUrl !== null ? (
        <p className="boon-purchase-detail">
          <a href={purchase.checkoutUrl}>
            Continue to payment<span className="boon-visually-hidden"> for {packName}</span>
          </a>
        </p>
      ) : null}
    </li>
  );
}

export function PurchasesList(props: PurchasesListProps) {
  const headingId = useId();
  const nowMs = useNow(CLOCK_TICK_MS);
  const purchases = useResource(
    () =>
      props.client.call("customerPurchases", {
        params: { customerId: props.customerId },
        query: { limit: PURCHASES_SHOWN_MAX },
      }),
    [props.client, props.customerId, props.refreshKey],
  );
  // Names are a nicety: a pack no longer on sale, or a failed lookup, shows its id instead.
  const bundles = useResource(() => props.client.call("listBundles"), [props.client, props.refreshKey]);
  const names = new Map(
    bundles.state === "ready" ? bundles.data.data.map((bundle) => [bundle.id, bundle.name]) : [],
  );
  return (
    <Card title={<span id={headingId}>Your purchases</span>} className="boon-purchases">
      <Loaded
        resource={purchases}
        isEmpty={(answer) => answer.data.length === 0}
        empty="No purchases yet."
        loadingLabel="Loading your purchases…"
      >
        {(answer) => (
          <>
            <ol className="boon-list" aria-labelledby={headingId}>
              {newestFirst(answer.data).map((purchase) => (
                <PurchaseItem
                  key={purchase.id}
                  purchase={purchase}
                  packName={names.get(purchase.bundleId) ?? purchase.bundleId}
                  nowMs={nowMs}
                />
              ))}
            </ol>
            {answer.data.length >= PURCHASES_SHOWN_MAX ? (
              <p className="boon-hint">Showing your {PURCHASES_SHOWN_MAX} most recent purchases.</p>
            ) : null}
          </>
        )}
      </Loaded>
    </Card>
  );
}

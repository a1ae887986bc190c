/**
 * "Buy credits": the credit packs on sale, each bought for oneself or (when the pack allows) as a
 * gift, through the payment provider's checkout. Embeddable: give it a client acting for the customer,
 * the customer's id, and what to do with the checkout's address (by default, go there).
 */
import { useState } from "react";
import type { BoonClient, Schema } from "../../../sdk/client.js";
import { Badge, Banner, Button, Card, Loaded } from "../components/ui.js";
import { Credits } from "../lib/context.js";
import { formatMoney } from "../lib/money.js";
import { messageOf, useResource } from "../lib/resource.js";

type Bundle = Schema<"Bundle">;

export interface BuyCreditsProps {
  readonly client: BoonClient;
  readonly customerId: string;
  /** Where the customer pays; the page goes there unless the host says otherwise. */
  readonly onCheckout?: (url: string) => void;
}

function BundleCard(props: {
  readonly bundle: Bundle;
  readonly busy: "self" | "gift" | null;
  readonly onBuy: (asGift: boolean) => void;
}) {
  const { bundle } = props;
  return (
    <Card title={bundle.name} className="boon-bundle">
      <p className="boon-bundle-credits">
        <Credits minor={bundle.credits} />
      </p>
      {bundle.bonusCredits > 0 ? (
        <p>
          <Badge tone="good">
            + <Credits minor={bundle.bonusCredits} /> bonus
          </Badge>{" "}
          {bundle.bonusExpiresAfter === null ? null : (
            <small className="boon-muted">
              bonus lasts {bundle.bonusExpiresAfter.replace(/d$/, " days")}
            </small>
          )}
        </p>
      ) : null}
      <p className="boon-bundle-price">{formatMoney(bundle.price, bundle.currency)}</p>
      <div className="boon-row">
        <Button
          onClick={() => props.onBuy(false)}
          busy={props.busy === "self"}
          aria-label={`Buy ${bundle.name}`}
        >
          Buy
        </Button>
        {bundle.giftable ? (
          <Button
            variant="secondary"
            onClick={() => props.onBuy(true)}
            busy={props.busy === "gift"}
            aria-label={`Buy ${bundle.name} as a gift`}
          >
            Buy as a gift
          </Button>
        ) : null}
      </div>
    </Card>
  );
}

export function BuyCreditsPage(props: BuyCreditsProps) {
  const bundles = useResource(() => props.client.call("listBundles"), [props.client]);
  const [busy, setBusy] = useState<{ bundleId: string; asGift: boolean } | null>(null);
  const [failure, setFailure] = useState<string | null>(null);
  const buy = (bundle: Bundle, asGift: boolean) => {
    setBusy({ bundleId: bundle.id, asGift });
    setFailure(null);
    props.client
      .call("checkout", { body: { customerId: props.customerId, bundleId: bundle.id, asGift } })
      .then(
        (session) => (props.onCheckout ?? ((url: string) => window.location.assign(url)))(session.url),
        (error: unknown) => setFailure(messageOf(error)),
      )
      .finally(() => setBusy(null));
  };
  return (
    <div className="boon-stack">
      {failure === null ? null : <Banner tone="bad">{failure}</Banner>}
      <Loaded
        resource={bundles}
        isEmpty={(answer) => answer.data.length === 0}
        empty="No credit packs are on sale right now."
      >
        {(answer) => (
          <div className="boon-grid">
            {answer.data.map((bundle) => (
              <BundleCard
                key={bundle.id}
                bundle={bundle}
                busy={busy?.bundleId === bundle.id ? (busy.asGift ? "gift" : "self") : null}
                onBuy={(asGift) => buy(bundle, asGift)}
              />
            ))}
          </div>
        )}
      </Loaded>
      <p className="boon-muted">
        Bought credits never expire and are yours alone; a pack bought as a gift goes to your gift balance, to
        send from the Gifts page.
      </p>
    </div>
  );
}

/**
 * A purchase's columns, shared by the review queue and a customer's page: the bundle and version it
 * was bought under, the credits it gave, its price, and what a refund or dispute did (the money
 * returned, the credits taken back, and the credits already spent that could not be).
 */
import type { Purchase } from "../../../sdk/client.js";
import { Badge, type Column } from "../components/ui.js";
import { Credits } from "../lib/context.js";
import { formatMoney } from "../lib/money.js";

export function PurchaseBundle(props: { readonly purchase: Purchase }) {
  const { purchase } = props;
  return (
    <span className="boon-row boon-nowrap">
      <span className="boon-mono">{purchase.bundleId}</span>
      <span className="boon-hint">v{purchase.bundleVersion}</span>
      {purchase.asGift ? <Badge tone="info">as a gift</Badge> : null}
    </span>
  );
}

function PurchaseCredits(props: { readonly purchase: Purchase }) {
  const { purchase } = props;
  return (
    <span>
      <Credits minor={purchase.credits} unit={false} />
      {purchase.bonus === 0 ? null : (
        <span className="boon-hint">
          {" "}
          + <Credits minor={purchase.bonus} unit={false} /> bonus
        </span>
      )}
    </span>
  );
}

/** Zero reads as a dash, so the figures that matter stand out. */
function creditsOrDash(minor: number) {
  return minor === 0 ? "—" : <Credits minor={minor} unit={false} />;
}

export function purchaseColumns(): Column<Purchase>[] {
  return [
    { header: "Bundle", cell: (purchase) => <PurchaseBundle purchase={purchase} /> },
    { header: "Credits", cell: (purchase) => <PurchaseCredits purchase={purchase} />, align: "right" },
    { header: "Price", cell: (purchase) => formatMoney(purchase.price, purchase.currency), align: "right" },
    {
      header: "Refunded",
      cell: (purchase) => (purchase.refunded === 0 ? "—" : formatMoney(purchase.refunded, purchase.currency)),
      align: "right",
    },
    { header: "Credits recovered", cell: (purchase) => creditsOrDash(purchase.recovered), align: "right" },
    { header: "Already spent", cell: (purchase) => creditsOrDash(purchase.unrecovered), align: "right" },
  ];
}

/**
 * The review queue: gift claims and referral acceptances that looked like abuse (a shared device or
 * address, a disposable email domain, too many acceptances at once), each approved or rejected here;
 * purchases that were refunded, disputed or paid the wrong amount, granted or closed here; and the
 * referral rewards an operator held, found by customer.
 */
import { type FormEvent, useState } from "react";
import type { Gift, Purchase, Referral } from "../../../sdk/client.js";
import { Button, Card, type Column, Empty, Loaded, PageHeader, StateBadge, Table } from "../components/ui.js";
import { Credits } from "../lib/context.js";
import { formatDateTime } from "../lib/format.js";
import { useResource } from "../lib/resource.js";
import { Link } from "../lib/router.js";
import { type Action, ActionBanner, ConfirmButton, TextField, useAction } from "./console-ui.js";
import { purchaseColumns } from "./purchase-cells.js";
import { RewardsTable } from "./referral-tables.js";
import { customerPath } from "./routes.js";
import { useSession } from "./session.js";

type Decision = "approve" | "reject";

function CustomerLink(props: { readonly id: string | null }) {
  if (props.id === null) return <>—</>;
  return (
    <Link to={customerPath(props.id)} className="boon-mono">
      {props.id}
    </Link>
  );
}

/** Approve and Reject for one flagged item, named after it so each button says what it settles. */
function Decisions(props: {
  readonly what: string;
  readonly action: Action;
  readonly decide: (decision: Decision) => void;
}) {
  return (
    <span className="boon-row boon-nowrap">
      <Button
        variant="secondary"
        busy={props.action.busy}
        aria-label={`Approve ${props.what}`}
        onClick={() => props.decide("approve")}
      >
        Approve
      </Button>
      <Button
        variant="danger"
        busy={props.action.busy}
        aria-label={`Reject ${props.what}`}
        onClick={() => props.decide("reject")}
      >
        Reject
      </Button>
    </span>
  );
}

export function ReviewPage() {
  return (
    <>
      <PageHeader
        title="Review"
        subtitle="Claims and acceptances held because they looked like abuse, and purchases whose money came back or did not match. Settle each."
      />
      <div className="boon-stack">
        <GiftsInReview />
        <ReferralsInReview />
        <PurchasesInReview />
        <HeldRewards />
      </div>
    </>
  );
}

function GiftsInReview() {
  const { client } = useSession();
  const gifts = useResource(() => client.call("giftsInReview"), [client]);
  const action = useAction();
  const decide = (gift: Gift, decision: Decision) =>
    action
      .run(async () => {
        const answer = await client.call("reviewGift", { params: { giftId: gift.id }, body: { decision } });
        return decision === "approve"
          ? `Approved: gift ${gift.id} is ${answer.status}.`
          : `Rejected: gift ${gift.id} is ${answer.status}; its value went back to the sender.`;
      })
      .then((changed) => {
        if (changed) gifts.reload();
      });
  const columns: Column<Gift>[] = [
    { header: "Sent", cell: (gift) => formatDateTime(gift.createdAt) },
    { header: "Sender", cell: (gift) => <CustomerLink id={gift.senderId} /> },
    { header: "Claimer", cell: (gift) => <CustomerLink id={gift.recipientId} /> },
    { header: "Amount", cell: (gift) => <Credits minor={gift.amount} />, align: "right" },
    { header: "Program", cell: (gift) => <span className="boon-mono">{gift.programId}</span> },
    { header: "Why it is held", cell: (gift) => gift.reviewReason ?? "—" },
    {
      header: <span className="boon-visually-hidden">Decision</span>,
      cell: (gift) => (
        <Decisions
          what={`gift ${gift.id}`}
          action={action}
          decide={(decision) => void decide(gift, decision)}
        />
      ),
    },
  ];
  return (
    <Card title="Gifts in review">
      <ActionBanner action={action} failed="Could not settle the gift" />
      <Loaded
        resource={gifts}
        isEmpty={(page) => page.data.length === 0}
        empty="No gift claims waiting for review."
      >
        {(page) => (
          <Table columns={columns} rows={page.data} rowKey={(gift) => gift.id} caption="Gifts in review" />
        )}
      </Loaded>
    </Card>
  );
}

function ReferralsInReview() {
  const { client } = useSession();
  const referrals = useResource(() => client.call("referralsInReview"), [client]);
  const action = useAction();
  const decide = (referral: Referral, decision: Decision) =>
    action
      .run(async () => {
        const answer = await client.call("reviewReferral", {
          params: { referralId: referral.id },
          body: { decision },
        });
        return `${decision === "approve" ? "Approved" : "Rejected"}: referral ${referral.id} is ${answer.state}.`;
      })
      .then((changed) => {
        if (changed) referrals.reload();
      });
  const columns: Column<Referral>[] = [
    { header: "Accepted", cell: (referral) => formatDateTime(referral.acceptedAt) },
    { header: "Referrer", cell: (referral) => <CustomerLink id={referral.referrerId} /> },
    { header: "Invitee", cell: (referral) => <CustomerLink id={referral.inviteeId} /> },
    { header: "Invitee was", cell: (referral) => referral.segment },
    { header: "Program", cell: (referral) => <span className="boon-mono">{referral.programId}</span> },
    { header: "Why it is held", cell: (referral) => referral.reviewReason ?? "—" },
    {
      header: <span className="boon-visually-hidden">Decision</span>,
      cell: (referral) => (
        <Decisions
          what={`referral ${referral.id}`}
          action={action}
          decide={(decision) => void decide(referral, decision)}
        />
      ),
    },
  ];
  return (
    <Card title="Referrals in review">
      <ActionBanner action={action} failed="Could not settle the referral" />
      <Loaded
        resource={referrals}
        isEmpty={(page) => page.data.length === 0}
        empty="No referrals waiting for review."
      >
        {(page) => (
          <Table
            columns={columns}
            rows={page.data}
            rowKey={(referral) => referral.id}
            caption="Referrals in review"
          />
        )}
      </Loaded>
    </Card>
  );
}

/** Whether Grant applies: only to a payment that did not match its price, never one a refund or dispute reached. */
export function canGrantPurchase(purchase: Purchase): boolean {
  return purchase.state === "review" && purchase.refunded === 0;
}

/**
 * Whether Refund applies: a payment was made, it is not disputed (the dispute decides where its
 * money goes), and some of it is still kept.
 */
export function canRefundPurchase(purchase: Purchase): boolean {
  return (
    purchase.paymentIntentId !== null && purchase.state !== "disputed" && purchase.refunded < purchase.price
  );
}

function PurchasesInReview() {
  const { client } = useSession();
  const purchases = useResource(() => client.call("purchasesInReview"), [client]);
  const action = useAction();
  const decide = (purchase: Purchase, decision: "grant" | "close" | "refund") =>
    action
      .run(async () => {
        const answer = await client.call("reviewPurchase", {
          params: { purchaseId: purchase.id },
          body: { decision },
        });
        if (decision === "grant")
          return `Granted: purchase ${purchase.id} is ${answer.state}, its credits are in ${purchase.customerId}'s wallet.`;
        if (decision === "refund")
          return `Refunded: the payment provider is returning what is left of purchase ${purchase.id}'s payment; its credits are taken back when the refund arrives.`;
        return `Closed: purchase ${purchase.id} is off the queue (${answer.state}).`;
      })
      .then((changed) => {
        if (changed) purchases.reload();
      });
  const columns: Column<Purchase>[] = [
    { header: "In review since", cell: (purchase) => formatDateTime(purchase.reviewOpenedAt) },
    { header: "Buyer", cell: (purchase) => <CustomerLink id={purchase.customerId} /> },
    { header: "State", cell: (purchase) => <StateBadge state={purchase.state} /> },
    ...purchaseColumns(),
    { header: "Why it is here", cell: (purchase) => purchase.reviewReason ?? "—" },
    {
      header: <span className="boon-visually-hidden">Decision</span>,
      cell: (purchase) => (
        <span className="boon-row boon-nowrap">
          {canGrantPurchase(purchase) ? (
            <ConfirmButton
              label="Grant"
              ariaLabel={`Grant purchase ${purchase.id}`}
              confirmLabel={`Grant ${purchase.id}`}
              question="Grant its credits? Check first that the payment really arrived."
              variant="secondary"
              busy={action.busy}
              onConfirm={() => void decide(purchase, "grant")}
            />
          ) : null}
          {canRefundPurchase(purchase) ? (
            <ConfirmButton
              label="Refund"
              ariaLabel={`Refund purchase ${purchase.id}`}
              confirmLabel={`Refund ${purchase.id}`}
              question="Give back what is left of this payment through the payment provider? Unspent credits are taken back when the refund arrives."
              variant="secondary"
              busy={action.busy}
              onConfirm={() => void decide(purchase, "refund")}
            />
          ) : null}
          <Button
            variant="secondary"
            busy={action.busy}
            aria-label={`Close purchase ${purchase.id}`}
            onClick={() => void decide(purchase, "close")}
          >
            Close
          </Button>
        </span>
      ),
    },
  ];
  return (
    <Card title="Purchases in review">
      <p className="boon-muted">
        Refunds and disputes took back what was unspent; what was already spent is shown as not recovered. A
        payment that did not match its price granted nothing: Grant it once checked, Refund it, or Close it.
        Refund gives back what is left of a payment through the payment provider, once per purchase.
      </p>
      <ActionBanner action={action} failed="Could not settle the purchase" />
      <Loaded
        resource={purchases}
        isEmpty={(page) => page.data.length === 0}
        empty="No purchases waiting for review."
      >
        {(page) => (
          <Table
            columns={columns}
            rows={page.data}
            rowKey={(purchase) => purchase.id}
            caption="Purchases in review"
          />
        )}
      </Loaded>
    </Card>
  );
}

/**
 * Held rewards have no queue of their own in the API, so they are found by customer: the rewards
 * a customer earned, as either side, that wait for an operator.
 */
function HeldRewards() {
  const [text, setText] = useState("");
  const [customerId, setCustomerId] = useState<string | null>(null);
  const submit = (event: FormEvent) => {
    event.preventDefault();
    const id = text.trim();
    setCustomerId(id === "" ? null : id);
  };
  return (
    <Card title="Held referral rewards">
      <p className="boon-muted">
        Rewards an operator held wait in “review required” until approved (granted when due) or rejected
        (canceled). Find them by customer; a customer’s page lists all their rewards.
      </p>
      <form className="boon-search" onSubmit={submit}>
        <TextField
          label="Customer id"
          value={text}
          onChange={setText}
          autoComplete="off"
          spellCheck={false}
        />
        <Button type="submit" variant="secondary">
          Find held rewards
        </Button>
      </form>
      {customerId === null ? null : <CustomerHeldRewards key={customerId} customerId={customerId} />}
    </Card>
  );
}

function CustomerHeldRewards(props: { readonly customerId: string }) {
  const { client } = useSession();
  const referrals = useResource(
    () => client.call("customerReferrals", { params: { customerId: props.customerId } }),
    [client, props.customerId],
  );
  const action = useAction();
  return (
    <>
      <ActionBanner action={action} failed="Could not change the reward" />
      <Loaded resource={referrals} loadingLabel="Looking for held rewards…">
        {(data) => {
          const held = data.rewards.filter((reward) => reward.state === "review_required");
          if (held.length === 0) return <Empty>{props.customerId} has no rewards waiting for review.</Empty>;
          return (
            <RewardsTable
              rewards={held}
              action={action}
              onChanged={referrals.reload}
              caption={`Held rewards of ${props.customerId}`}
            />
          );
        }}
      </Loaded>
    </>
  );
}

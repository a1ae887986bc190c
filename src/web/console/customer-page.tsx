/**
 * One customer: credits (lots), usage windows and banked resets, purchases, gifts, invites and
 * rewards, and the ledger; with the operator's two corrections, a grant and a reversal, each with a required reason.
 */
import { useState } from "react";
import type {
  Balance,
  CustomerGifts,
  CustomerReferrals,
  Gift,
  Invite,
  Lot,
  Purchase,
  Referral,
  Schema,
} from "../../../sdk/client.js";
import { BarChart } from "../components/charts.js";
import {
  Badge,
  Button,
  Card,
  type Column,
  Empty,
  Loaded,
  PageHeader,
  Stat,
  StateBadge,
  Table,
} from "../components/ui.js";
import { Credits } from "../lib/context.js";
import { formatCount, formatDate, formatDateTime } from "../lib/format.js";
import { type Resource, useResource } from "../lib/resource.js";
import { Link } from "../lib/router.js";
import { Facts, LoadMore, usePaged } from "./console-ui.js";
import { GrantForm, ReverseForm } from "./grant-form.js";
import { purchaseColumns } from "./purchase-cells.js";
import { RewardsTable } from "./referral-tables.js";
import { KIND_LABELS, kindShares } from "./report-model.js";
import { customerPath } from "./routes.js";
import { useSession } from "./session.js";

type LedgerEntry = Schema<"LedgerEntry">;

/** Ledger entries per page. */
const LEDGER_PAGE_SIZE = 25;

export function CustomerPage(props: { readonly customerId: string }) {
  const { client } = useSession();
  const { customerId } = props;
  const params = { customerId };
  const customer = useResource(() => client.call("getCustomer", { params }), [client, customerId]);
  const balance = useResource(() => client.call("balance", { params }), [client, customerId]);
  const [ledgerRound, setLedgerRound] = useState(0);
  const afterWrite = () => {
    customer.reload();
    balance.reload();
    setLedgerRound((round) => round + 1);
  };
  const title = customer.state === "ready" ? (customer.data.displayName ?? customerId) : customerId;
  return (
    <>
      <PageHeader
        title={title}
        subtitle={
          customer.state === "ready"
            ? [
                customerId,
                customer.data.email,
                customer.data.plan === null ? "no plan" : `plan ${customer.data.plan}`,
              ]
                .filter((part) => part !== null)
                .join(" · ")
            : customerId
        }
        actions={<Link to="/console/customers">Back to the list</Link>}
      />
      <Loaded resource={customer} loadingLabel="Loading the customer…">
        {(found) => (
          <div className="boon-stack">
            <Card title="Profile">
              <Facts
                items={[
                  [
                    "Customer id",
                    <span key="id" className="boon-mono">
                      {found.id}
                    </span>,
                  ],
                  ["Plan", found.plan ?? "—"],
                  ["Email", found.email ?? "—"],
                  ["Signed up", formatDate(found.signedUpAt)],
                  ["Last active", formatDate(found.lastActiveAt)],
                  ["Pays past the plan with credits", found.overflowAllowed ? "Yes" : "No"],
                ]}
              />
            </Card>
            <CreditsCard balance={balance} />
            <div className="boon-grid">
              <WindowsCard balance={balance} />
              <Card title="Grant credits">
                <GrantForm customerId={customerId} onDone={afterWrite} />
              </Card>
            </div>
            <PurchasesCard customerId={customerId} />
            <GiftsCard customerId={customerId} />
            <ReferralsCard customerId={customerId} />
            <LedgerCard customerId={customerId} round={ledgerRound} onReversed={afterWrite} />
          </div>
        )}
      </Loaded>
    </>
  );
}

type BalanceResource = Resource<Balance>;

function CreditsCard(props: { readonly balance: BalanceResource }) {
  const lotColumns: Column<Lot>[] = [
    { header: "Kind", cell: (lot) => KIND_LABELS[lot.kind] },
    { header: "Remaining", cell: (lot) => <Credits minor={lot.remaining} unit={false} />, align: "right" },
    { header: "Of", cell: (lot) => <Credits minor={lot.amount} unit={false} />, align: "right" },
    { header: "Held", cell: (lot) => <Credits minor={lot.held} unit={false} />, align: "right" },
    { header: "Priority", cell: (lot) => lot.priority, align: "right" },
    { header: "Effective", cell: (lot) => formatDate(lot.effectiveAt) },
    { header: "Expires", cell: (lot) => (lot.expiresAt === null ? "Never" : formatDateTime(lot.expiresAt)) },
    { header: "Transferable", cell: (lot) => (lot.transferable ? "Yes" : "No") },
    { header: "State", cell: (lot) => <StateBadge state={lot.status} /> },
  ];
  return (
    <Card title="Credits">
      <Loaded resource={props.balance} loadingLabel="Loading the balance…">
        {(balance) => (
          <>
            <div className="boon-stats">
              <Stat label="Available" value={<Credits minor={balance.credits.available} />} />
              <Stat label="Held for work under way" value={<Credits minor={balance.credits.held} />} />
              {kindShares(balance.credits.byKind).map((row) => (
                <Stat
                  key={row.kind}
                  label={KIND_LABELS[row.kind]}
                  value={<Credits minor={row.amount} unit={false} />}
                />
              ))}
            </div>
            <h3>Lots, in the order they will be spent</h3>
            {balance.lots.length === 0 ? (
              <Empty>No open lots.</Empty>
            ) : (
              <Table columns={lotColumns} rows={balance.lots} rowKey={(lot) => lot.id} caption="Lots" />
            )}
          </>
        )}
      </Loaded>
    </Card>
  );
}

function WindowsCard(props: { readonly balance: BalanceResource }) {
  return (
    <Card title="Usage windows and resets">
      <Loaded resource={props.balance}>
        {(balance) => {
          const windows = balance.windows ?? [];
          return (
            <>
              <BarChart
                label="Usage against each window's limit"
                bars={windows.map((window) => ({
                  label: `${window.windowId}${window.resetsAt === null ? "" : `, resets ${formatDateTime(window.resetsAt)}`}`,
                  value: window.used,
                  limit: window.limit,
                }))}
                formatValue={formatCount}
                empty="No usage windows: the customer has no plan, or the plan meters nothing."
              />
              <Facts
                items={[
                  ["Banked resets", formatCount(balance.resets?.available ?? 0)],
                  ["Next reset expires", formatDateTime(balance.resets?.nextExpiresAt ?? null)],
                ]}
              />
            </>
          );
        }}
      </Loaded>
    </Card>
  );
}

function PurchasesCard(props: { readonly customerId: string }) {
  const { client } = useSession();
  const purchases = useResource(
    () => client.call("customerPurchases", { params: { customerId: props.customerId } }),
    [client, props.customerId],
  );
  const columns: Column<Purchase>[] = [
    { header: "Bought", cell: (purchase) => formatDateTime(purchase.createdAt) },
    { header: "State", cell: (purchase) => <StateBadge state={purchase.state} /> },
    ...purchaseColumns(),
  ];
  return (
    <Card title="Purchases">
      <Loaded
        resource={purchases}
        isEmpty={(list) => list.data.length === 0}
        empty="No purchases."
        loadingLabel="Loading purchases…"
      >
        {(list) => (
          <Table
            columns={columns}
            rows={list.data}
            rowKey={(purchase) => purchase.id}
            caption={`Purchases of ${props.customerId}`}
          />
        )}
      </Loaded>
    </Card>
  );
}

function GiftsCard(props: { readonly customerId: string }) {
  const { client } = useSession();
  const gifts = useResource(
    () => client.call("customerGifts", { params: { customerId: props.customerId } }),
    [client, props.customerId],
  );
  return (
    <Card title="Gifts">
      <Loaded resource={gifts} loadingLabel="Loading gifts…">
        {(data) => <GiftsBody data={data} />}
      </Loaded>
    </Card>
  );
}

function GiftsBody(props: { readonly data: CustomerGifts }) {
  const { data } = props;
  const giftColumns = (other: "recipient" | "sender"): Column<Gift>[] => [
    { header: "Sent", cell: (gift) => formatDate(gift.createdAt) },
    { header: "Amount", cell: (gift) => <Credits minor={gift.amount} unit={false} />, align: "right" },
    {
      header: other === "recipient" ? "Recipient" : "Sender",
      cell: (gift) => {
        const id = other === "recipient" ? gift.recipientId : gift.senderId;
        if (id === null) return gift.recipientEmail ?? "Anyone with the link";
        return (
          <Link to={customerPath(id)} className="boon-mono">
            {id}
          </Link>
        );
      },
    },
    { header: "Program", cell: (gift) => <span className="boon-mono">{gift.programId}</span> },
    { header: "From", cell: (gift) => (gift.source === "allowance" ? "Allowance" : "Gift balance") },
    { header: "State", cell: (gift) => <StateBadge state={gift.status} /> },
    { header: "Claim by", cell: (gift) => formatDate(gift.expiresAt) },
  ];
  return (
    <>
      <div className="boon-stats">
        <Stat label="Gift balance" value={<Credits minor={data.giftBalance} />} hint="Bought to be given" />
        {data.allowances.map((allowance) => (
          <Stat
            key={allowance.programId}
            label={`Allowance left in ${allowance.programId}`}
            value={<Credits minor={allowance.left} />}
            hint={
              <>
                of <Credits minor={allowance.allowance} />, until {formatDate(allowance.periodEndsAt)}
              </>
            }
          />
        ))}
      </div>
      <h3>Sent</h3>
      {data.sent.length === 0 ? (
        <Empty>No gifts sent.</Empty>
      ) : (
        <Table
          columns={giftColumns("recipient")}
          rows={data.sent}
          rowKey={(gift) => gift.id}
          caption="Gifts sent"
        />
      )}
      <h3>Received</h3>
      {data.received.length === 0 ? (
        <Empty>No gifts received.</Empty>
      ) : (
        <Table
          columns={giftColumns("sender")}
          rows={data.received}
          rowKey={(gift) => gift.id}
          caption="Gifts received"
        />
      )}
    </>
  );
}

function ReferralsCard(props: { readonly customerId: string }) {
  const { client } = useSession();
  const referrals = useResource(
    () => client.call("customerReferrals", { params: { customerId: props.customerId } }),
    [client, props.customerId],
  );
  return (
    <Card title="Invites and rewards">
      <Loaded resource={referrals} loadingLabel="Loading referrals…">
        {(data) => <ReferralsBody data={data} customerId={props.customerId} onChanged={referrals.reload} />}
      </Loaded>
    </Card>
  );
}

function ReferralsBody(props: {
  readonly data: CustomerReferrals;
  readonly customerId: string;
  readonly onChanged: () => void;
}) {
  const { data, customerId } = props;
  const inviteColumns: Column<Invite>[] = [
    { header: "Made", cell: (invite) => formatDate(invite.createdAt) },
    { header: "Program", cell: (invite) => <span className="boon-mono">{invite.programId}</span> },
    { header: "Code", cell: (invite) => <span className="boon-mono">{invite.code}</span> },
    { header: "Sent to", cell: (invite) => invite.email ?? "—" },
  ];
  const referralColumns: Column<Referral>[] = [
    { header: "Accepted", cell: (referral) => formatDate(referral.acceptedAt) },
    {
      header: "As",
      cell: (referral) => <Badge>{referral.referrerId === customerId ? "referrer" : "invitee"}</Badge>,
    },
    {
      header: "Other side",
      cell: (referral) => {
        const other = referral.referrerId === customerId ? referral.inviteeId : referral.referrerId;
        return (
          <Link to={customerPath(other)} className="boon-mono">
            {other}
          </Link>
        );
      },
    },
    { header: "Program", cell: (referral) => <span className="boon-mono">{referral.programId}</span> },
    { header: "Invitee was", cell: (referral) => referral.segment },
    { header: "State", cell: (referral) => <StateBadge state={referral.state} /> },
  ];
  return (
    <>
      <h3>Invites made</h3>
      {data.invites.length === 0 ? (
        <Empty>No invites made.</Empty>
      ) : (
        <Table
          columns={inviteColumns}
          rows={data.invites}
          rowKey={(invite) => invite.id}
          caption="Invites made"
        />
      )}
      <h3>Referrals</h3>
      {data.referrals.length === 0 ? (
        <Empty>No referrals, as referrer or invitee.</Empty>
      ) : (
        <Table
          columns={referralColumns}
          rows={data.referrals}
          rowKey={(referral) => referral.id}
          caption="Referrals"
        />
      )}
      <h3>Rewards</h3>
      {data.rewards.length === 0 ? (
        <Empty>No rewards.</Empty>
      ) : (
        <RewardsTable rewards={data.rewards} onChanged={props.onChanged} caption="Rewards" />
      )}
    </>
  );
}

/** Which transfers of the loaded entries may still be reversed: not reversals, not reversed already. */
export function reversibleTransfers(entries: readonly LedgerEntry[]): Set<string> {
  const reversed = new Set(
    entries.flatMap((entry) => (entry.reversesTransferId === null ? [] : [entry.reversesTransferId])),
  );
  return new Set(
    entries
      .filter((entry) => entry.kind !== "reverse" && !reversed.has(entry.transferId))
      .map((entry) => entry.transferId),
  );
}

function LedgerCard(props: {
  readonly customerId: string;
  readonly round: number;
  readonly onReversed: () => void;
}) {
  const { client } = useSession();
  const [reversing, setReversing] = useState<string | null>(null);
  const ledger = usePaged(
    (cursor) =>
      client.call("ledger", {
        params: { customerId: props.customerId },
        query: { limit: LEDGER_PAGE_SIZE, ...(cursor === undefined ? {} : { cursor }) },
      }),
    [client, props.customerId, props.round],
  );
  return (
    <Card
      title="Ledger"
      actions={
        reversing === null ? (
          <Button variant="secondary" onClick={() => setReversing("")}>
            Reverse a transfer
          </Button>
        ) : null
      }
    >
      {reversing === null ? null : (
        <div className="boon-inset">
          <ReverseForm
            key={reversing}
            transferId={reversing}
            onDone={props.onReversed}
            onCancel={() => setReversing(null)}
          />
        </div>
      )}
      <Loaded
        resource={ledger.resource}
        isEmpty={(entries) => entries.length === 0}
        empty="No entries yet."
        loadingLabel="Loading the ledger…"
      >
        {(entries) => (
          <>
            <LedgerTable entries={entries} onReverse={setReversing} />
            <LoadMore {...ledger} onMore={ledger.loadMore} />
          </>
        )}
      </Loaded>
    </Card>
  );
}

function LedgerTable(props: {
  readonly entries: readonly LedgerEntry[];
  readonly onReverse: (transferId: string) => void;
}) {
  const reversible = reversibleTransfers(props.entries);
  // One Reverse button per transfer, on its first (newest) entry: a transfer may touch several lots.
  const firstOfTransfer = new Set<string>();
  const rows = props.entries.map((entry) => {
    const first = !firstOfTransfer.has(entry.transferId);
    firstOfTransfer.add(entry.transferId);
    return { entry, offerReverse: first && reversible.has(entry.transferId) };
  });
  const columns: Column<(typeof rows)[number]>[] = [
    { header: "When", cell: ({ entry }) => formatDateTime(entry.createdAt) },
    { header: "What", cell: ({ entry }) => entry.kind },
    { header: "Lot kind", cell: ({ entry }) => (entry.lotKind === null ? "—" : KIND_LABELS[entry.lotKind]) },
    {
      header: "Amount",
      cell: ({ entry }) => (
        <span className={entry.amount < 0 ? "boon-amount-out" : "boon-amount-in"}>
          {entry.amount > 0 ? "+" : ""}
          <Credits minor={entry.amount} unit={false} />
        </span>
      ),
      align: "right",
    },
    { header: "Reason", cell: ({ entry }) => entry.reason ?? "—" },
    {
      header: "Transfer",
      cell: ({ entry }) => <span className="boon-mono boon-id">{entry.transferId}</span>,
    },
    {
      header: <span className="boon-visually-hidden">Actions</span>,
      cell: ({ entry, offerReverse }) =>
        offerReverse ? (
          <Button
            variant="secondary"
            onClick={() => props.onReverse(entry.transferId)}
            aria-label={`Reverse ${entry.transferId}`}
          >
            Reverse
          </Button>
        ) : null,
    },
  ];
  return (
    <Table
      columns={columns}
      rows={rows}
      rowKey={({ entry }) => entry.entryId}
      caption="Ledger entries, newest first"
    />
  );
}

/**
 * A customer's usage and credits: each window's use against its limit with a live "resets in"
 * countdown, the banked resets, credits by kind with expiry dates, and the history of entries.
 * Embeddable: give it a client acting for the customer (a customer token) and the customer's id.
 */
import type { BoonClient, Schema } from "../../../sdk/client.js";
import { Badge, Card, Loaded, Table } from "../components/ui.js";
import { Credits } from "../lib/context.js";
import { formatCountdown, formatDate, formatDateTime } from "../lib/format.js";
import { useNow } from "../lib/now.js";
import { type Resource, useResource } from "../lib/resource.js";

export type Balance = Schema<"Balance">;
type WindowLine = Schema<"WindowLine">;
type LedgerEntry = Schema<"LedgerEntry">;

export const KIND_LABELS: Record<string, string> = {
  purchased: "Purchased",
  promotional: "Promotional",
  gifted: "Gifted",
  referral: "Referral",
  compensation: "Compensation",
};

export function useBalance(client: BoonClient, customerId: string, refreshKey: unknown): Resource<Balance> {
  return useResource(
    () => client.call("balance", { params: { customerId } }),
    [client, customerId, refreshKey],
  );
}

/** The share of a window used, from 0 to 1. */
export function usedShare(window: { used: number; limit: number }): number {
  if (window.limit <= 0) return 1;
  return Math.min(1, Math.max(0, window.used / window.limit));
}

function WindowRow(props: { readonly window: WindowLine; readonly nowMs: number }) {
  const { window, nowMs } = props;
  const full = window.remaining <= 0;
  const resetsAtMs = window.resetsAt === null ? null : Date.parse(window.resetsAt);
  return (
    <li className="boon-window">
      <div className="boon-row boon-window-head">
        <strong>
          {window.meter} · {window.window}
        </strong>
        <span className="boon-num">
          {window.used} / {window.limit} used
        </span>
      </div>
      <meter
        className={`boon-meter${full ? " boon-meter-full" : ""}`}
        aria-label={`${window.meter} ${window.window}`}
        min={0}
        max={window.limit}
        value={Math.min(window.used, window.limit)}
      />
      <small className="boon-muted">
        {resetsAtMs === null
          ? "Starts with your next request"
          : resetsAtMs > nowMs
            ? `Resets in ${formatCountdown(resetsAtMs - nowMs)}`
            : "Resets now"}
      </small>
    </li>
  );
}

export function WindowsCard(props: { readonly balance: Resource<Balance> }) {
  const nowMs = useNow();
  return (
    <Card title="Usage limits">
      <Loaded
        resource={props.balance}
        isEmpty={(balance) => (balance.windows ?? []).length === 0}
        empty="Your plan has no usage limits."
      >
        {(balance) => (
          <>
            <ul className="boon-list boon-windows">
              {(balance.windows ?? []).map((window) => (
                <WindowRow key={window.windowId} window={window} nowMs={nowMs} />
              ))}
            </ul>
            {balance.resets === undefined ? null : (
              <p className="boon-muted boon-resets-line">
                {balance.resets.available === 0
                  ? "No banked resets"
                  : `${balance.resets.available} banked reset${balance.resets.available === 1 ? "" : "s"}` +
                    (balance.resets.nextExpiresAt === null
                      ? ""
                      : `, the next expires ${formatDate(balance.resets.nextExpiresAt)}`)}
              </p>
            )}
          </>
        )}
      </Loaded>
    </Card>
  );
}

export function CreditsCard(props: { readonly balance: Resource<Balance> }) {
  return (
    <Card title="Credits">
      <Loaded resource={props.balance}>
        {(balance) => (
          <>
            <p className="boon-credits-total">
              <Credits minor={balance.credits.available} /> available
              {balance.credits.held > 0 ? (
                <span className="boon-muted">
                  {" "}
                  (<Credits minor={balance.credits.held} unit={false} /> held)
                </span>
              ) : null}
            </p>
            {balance.lots.length === 0 ? (
              <p className="boon-muted">No credits yet.</p>
            ) : (
              <Table
                caption="Credits by kind"
                rowKey={(lot) => lot.id}
                rows={balance.lots.filter((lot) => lot.remaining > 0 || lot.status === "pending")}
                columns={[
                  { header: "Kind", cell: (lot) => KIND_LABELS[lot.kind] ?? lot.kind },
                  {
                    header: "Left",
                    align: "right",
                    cell: (lot) => <Credits minor={lot.available} unit={false} />,
                  },
                  {
                    header: "Expires",
                    cell: (lot) => (lot.expiresAt === null ? "Never" : formatDate(lot.expiresAt)),
                  },
                  {
                    header: "",
                    cell: (lot) =>
                      lot.status === "pending" ? (
                        <Badge tone="warn">from {formatDate(lot.effectiveAt)}</Badge>
                      ) : null,
                  },
                ]}
              />
            )}
          </>
        )}
      </Loaded>
    </Card>
  );
}

const ENTRY_LABELS: Record<LedgerEntry["kind"], string> = {
  grant: "Added",
  consume: "Spent",
  capture: "Spent",
  expire: "Expired",
  reverse: "Reversed",
  clawback: "Taken back",
  gift_fund: "Bought to give",
  gift_send: "Gifted",
  gift_claim: "Gift received",
  gift_return: "Gift returned",
  refund: "Refunded",
  restore: "Given back",
};

export function HistoryCard(props: {
  readonly client: BoonClient;
  readonly customerId: string;
  readonly refreshKey?: unknown;
}) {
  const ledger = useResource(
    () => props.client.call("ledger", { params: { customerId: props.customerId } }),
    [props.client, props.customerId, props.refreshKey],
  );
  return (
    <Card title="History">
      <Loaded resource={ledger} isEmpty={(page) => page.data.length === 0} empty="No credit activity yet.">
        {(page) => (
          <Table
            caption="Credit history"
            rowKey={(entry) => entry.entryId}
            rows={page.data}
            columns={[
              { header: "When", cell: (entry) => formatDateTime(entry.createdAt) },
              { header: "What", cell: (entry) => ENTRY_LABELS[entry.kind] },
              {
                header: "Kind",
                cell: (entry) => (entry.lotKind === null ? "—" : KIND_LABELS[entry.lotKind]),
              },
              { header: "Note", cell: (entry) => entry.reason ?? "" },
              {
                header: "Amount",
                align: "right",
                cell: (entry) => (
                  <span className={entry.amount < 0 ? "boon-negative" : "boon-positive"}>
                    {entry.amount > 0 ? "+" : ""}
                    <Credits minor={entry.amount} unit={false} />
                  </span>
                ),
              },
            ]}
          />
        )}
      </Loaded>
    </Card>
  );
}

/** Usage limits, credits and history together: the whole "Usage & credits" view. */
export function UsageWidget(props: { readonly client: BoonClient; readonly customerId: string }) {
  const balance = useBalance(props.client, props.customerId, 0);
  return (
    <div className="boon-stack">
      <div className="boon-grid">
        <WindowsCard balance={balance} />
        <CreditsCard balance={balance} />
      </div>
      <HistoryCard client={props.client} customerId={props.customerId} />
    </div>
  );
}

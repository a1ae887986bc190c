/**
 * The Gifts page of a customer's profile: the gift allowance left this period, a form to gift
 * credits that ends in a link and a code to share, the gifts sent (with revoke while unclaimed) and
 * the gifts received. Embeddable: give it a client acting for the customer and the customer's id.
 */
import { type FormEvent, useState } from "react";
import type { BoonClient, Schema } from "../../../sdk/client.js";
import { EMAIL_LENGTH_MAX, GIFT_MESSAGE_LENGTH_MAX } from "../../core/gifts.js";
import { SelectField, TextAreaField, TextField } from "../components/fields.js";
import { Banner, Button, Card, CopyField, Loaded, Stat, StateBadge, Table } from "../components/ui.js";
import { Credits, useConfig } from "../lib/context.js";
import { creditsWord, formatCredits, formatDate, parseCredits } from "../lib/format.js";
import { messageOf, useResource } from "../lib/resource.js";

type Gift = Schema<"Gift">;
type Allowance = Schema<"GiftAllowance">;
type GiftOffer = Schema<"GiftOffer">;

export interface GiftsPageProps {
  readonly client: BoonClient;
  readonly customerId: string;
}

export interface GiftDraft {
  readonly amount: string;
  readonly message: string;
  readonly email: string;
}

export type CheckedGift =
  | { ok: true; amount: number; message: string | null; email: string | null }
  | { ok: false; errors: Partial<Record<keyof GiftDraft, string>> };

/** What a gift may be: what the allowance has left, and the program's smallest and largest gift. */
export interface GiftBounds {
  readonly left: number;
  readonly min?: number;
  readonly max?: number;
}

/** The form's checks, the same the API makes, so most mistakes are caught before a round trip. */
export function checkGiftDraft(draft: GiftDraft, bounds: GiftBounds, scale: number): CheckedGift {
  const errors: Partial<Record<keyof GiftDraft, string>> = {};
  const amount = parseCredits(draft.amount, scale);
  const words = (minor: number) => `${formatCredits(minor, scale)} ${creditsWord(minor, scale)}`;
  if (!amount.ok) errors.amount = amount.message;
  else if (amount.minor <= 0) errors.amount = "Enter an amount above zero";
  else if (amount.minor > bounds.left) errors.amount = "That is more than you have left to give";
  else if (bounds.min !== undefined && amount.minor < bounds.min)
    errors.amount = `The smallest gift is ${words(bounds.min)}`;
  else if (bounds.max !== undefined && amount.minor > bounds.max)
    errors.amount = `The largest gift is ${words(bounds.max)}`;
  const message = draft.message.trim();
  if (message.length > GIFT_MESSAGE_LENGTH_MAX)
    errors.message = `At most ${GIFT_MESSAGE_LENGTH_MAX} characters (${message.length} now)`;
  const email = draft.email.trim();
  if (email.length > EMAIL_LENGTH_MAX || (email !== "" && !/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(email)))
    errors.email = "Enter an email address like friend@example.com, or leave it empty";
  if (!amount.ok || Object.keys(errors).length > 0) return { ok: false, errors };
  return {
    ok: true,
    amount: amount.minor,
    message: message === "" ? null : message,
    email: email === "" ? null : email,
  };
}

export type GiftSource = "allowance" | "gift_balance";

/**
 * The bounds the form checks: what the chosen source has left (the allowance this period, or the
 * credits bought to give), and the program's own bounds when it names them.
 */
export function boundsOf(
  allowance: Allowance,
  offer: GiftOffer | undefined,
  source: GiftSource = "allowance",
  giftBalance = 0,
): GiftBounds {
  const left = source === "allowance" ? allowance.left : giftBalance;
  return offer === undefined ? { left } : { left, min: offer.giftMin, max: offer.giftMax };
}

function GiftForm(props: {
  readonly client: BoonClient;
  readonly customerId: string;
  readonly allowance: Allowance;
  readonly offer: GiftOffer | undefined;
  /** Credits bought to give; when there are some, the form lets the sender choose where from. */
  readonly giftBalance: number;
  readonly onSent: (gift: Gift) => void;
}) {
  const { displayScale } = useConfig();
  const [source, setSource] = useState<GiftSource>(
    props.allowance.left === 0 && props.giftBalance > 0 ? "gift_balance" : "allowance",
  );
  const left = source === "allowance" ? props.allowance.left : props.giftBalance;
  const [draft, setDraft] = useState<GiftDraft>({ amount: "", message: "", email: "" });
  const [errors, setErrors] = useState<Partial<Record<keyof GiftDraft, string>>>({});
  const [failure, setFailure] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [key, setKey] = useState(() => crypto.randomUUID());
  const submit = (event: FormEvent) => {
    event.preventDefault();
    const checked = checkGiftDraft(
      draft,
      boundsOf(props.allowance, props.offer, source, props.giftBalance),
      displayScale,
    );
    if (!checked.ok) {
      setErrors(checked.errors);
      return;
    }
    setErrors({});
    setFailure(null);
    setBusy(true);
    props.client
      .call("sendGift", {
        body: {
          senderId: props.customerId,
          amount: checked.amount,
          source,
          programId: props.allowance.programId,
          message: checked.message,
          recipientEmail: checked.email,
        },
        // One key per gift the person means to send: a double click or a retry sends it once.
        idempotencyKey: key,
      })
      .then(
        (gift) => {
          setDraft({ amount: "", message: "", email: "" });
          setKey(crypto.randomUUID());
          props.onSent(gift);
        },
        (error: unknown) => setFailure(messageOf(error)),
      )
      .finally(() => setBusy(false));
  };
  const set = (name: keyof GiftDraft) => (value: string) => setDraft({ ...draft, [name]: value });
  return (
    <form className="boon-stack" onSubmit={submit} noValidate>
      {props.giftBalance > 0 ? (
        <SelectField
          label="Give from"
          value={source}
          onChange={(value) => setSource(value === "gift_balance" ? "gift_balance" : "allowance")}
          options={[
            ["allowance", "My gift allowance"],
            ["gift_balance", "Credits I bought to give"],
          ]}
        />
      ) : null}
      <TextField
        label="Amount"
        value={draft.amount}
        onChange={set("amount")}
        error={errors.amount}
        hint={
          <>
            Up to <Credits minor={left} />
          </>
        }
        inputMode="decimal"
        autoComplete="off"
      />
      <TextAreaField
        label="Message (optional)"
        value={draft.message}
        onChange={set("message")}
        error={errors.message}
        hint={`${draft.message.length}/${GIFT_MESSAGE_LENGTH_MAX}`}
        rows={3}
      />
      <TextField
        label="Friend's email (optional)"
        value={draft.email}
        onChange={set("email")}
        error={errors.email}
        hint="Only a note for you: whoever opens the link first can claim it."
        type="email"
        autoComplete="off"
      />
      {failure === null ? null : <Banner tone="bad">{failure}</Banner>}
      <div className="boon-row">
        <Button type="submit" busy={busy}>
          Create gift link
        </Button>
      </div>
    </form>
  );
}

function ShareGift(props: { readonly gift: Gift; readonly onDone: () => void }) {
  const { gift } = props;
  const share = () => {
    if (gift.url === null) return;
    navigator.share?.({ title: "A gift of credits", url: gift.url }).catch(() => undefined);
  };
  return (
    <div className="boon-stack" aria-live="polite">
      <Banner tone="good" title="Your gift is ready">
        Send the link or the code to your friend. It can be claimed until {formatDate(gift.expiresAt)}.
      </Banner>
      {gift.url === null ? null : <CopyField label="Gift link" value={gift.url} />}
      {gift.code === null ? null : <CopyField label="Gift code" value={gift.code} />}
      <div className="boon-row">
        {typeof navigator.share === "function" ? (
          <Button variant="secondary" onClick={share}>
            Share…
          </Button>
        ) : null}
        <Button variant="ghost" onClick={props.onDone}>
          Gift more credits
        </Button>
      </div>
    </div>
  );
}

function SentTable(props: {
  readonly gifts: readonly Gift[];
  readonly client: BoonClient;
  readonly onChanged: () => void;
}) {
  const [busyId, setBusyId] = useState<string | null>(null);
  const [failure, setFailure] = useState<string | null>(null);
  const revoke = (gift: Gift) => {
    setBusyId(gift.id);
    setFailure(null);
    props.client
      .call("revokeGift", { params: { giftId: gift.id }, idempotencyKey: `revoke-${gift.id}` })
      .then(props.onChanged, (error: unknown) => setFailure(messageOf(error)))
      .finally(() => setBusyId(null));
  };
  return (
    <>
      {failure === null ? null : <Banner tone="bad">{failure}</Banner>}
      <Table
        caption="Gifts you sent"
        rowKey={(gift) => gift.id}
        rows={props.gifts}
        columns={[
          { header: "Amount", align: "right", cell: (gift) => <Credits minor={gift.amount} /> },
          { header: "State", cell: (gift) => <StateBadge state={gift.status} /> },
          { header: "For", cell: (gift) => gift.recipientEmail ?? "Anyone with the link" },
          { header: "Code", cell: (gift) => <span className="boon-mono">{gift.code ?? "—"}</span> },
          {
            header: "Until",
            cell: (gift) =>
              gift.status === "pending" ? formatDate(gift.expiresAt) : formatDate(gift.resolvedAt),
          },
          {
            header: <span className="boon-visually-hidden">Actions</span>,
            cell: (gift) =>
              gift.status === "pending" || gift.status === "review" ? (
                <Button
                  variant="danger"
                  busy={busyId === gift.id}
                  onClick={() => revoke(gift)}
                  aria-label={`Revoke gift ${gift.code ?? gift.id}`}
                >
                  Revoke
                </Button>
              ) : null,
          },
        ]}
      />
    </>
  );
}

export function GiftsPage(props: GiftsPageProps) {
  const [round, setRound] = useState(0);
  const [justSent, setJustSent] = useState<Gift | null>(null);
  const gifts = useResource(
    () => props.client.call("customerGifts", { params: { customerId: props.customerId } }),
    [props.client, props.customerId, round],
  );
  const reload = () => setRound((value) => value + 1);
  return (
    <Loaded resource={gifts}>
      {(data) => {
        const allowance = data.allowances[0];
        return (
          <div className="boon-stack">
            <Card title="Gift credits to a friend">
              {allowance === undefined ? (
                <p className="boon-muted">Gifting isn't open for your plan right now.</p>
              ) : (
                <>
                  <div className="boon-row boon-stats">
                    <Stat label="Allowance left" value={<Credits minor={allowance.left} />} />
                    <Stat label="Renews" value={formatDate(allowance.periodEndsAt)} />
                    {data.giftBalance > 0 ? (
                      <Stat label="Bought to give" value={<Credits minor={data.giftBalance} />} />
                    ) : null}
                    {allowance.sentPerPeriod === null ? null : (
                      <Stat
                        label="Gifts sent"
                        value={`${allowance.sentCount} of ${allowance.sentPerPeriod}`}
                      />
                    )}
                  </div>
                  {justSent === null ? (
                    <GiftForm
                      client={props.client}
                      customerId={props.customerId}
                      allowance={allowance}
                      offer={data.offers.find((offer) => offer.programId === allowance.programId)}
                      giftBalance={data.giftBalance}
                      onSent={(gift) => {
                        setJustSent(gift);
                        reload();
                      }}
                    />
                  ) : (
                    <ShareGift gift={justSent} onDone={() => setJustSent(null)} />
                  )}
                </>
              )}
            </Card>
            <Card title="Sent">
              {data.sent.length === 0 ? (
                <p className="boon-muted">You haven't sent a gift yet.</p>
              ) : (
                <SentTable gifts={data.sent} client={props.client} onChanged={reload} />
              )}
            </Card>
            <Card title="Received">
              {data.received.length === 0 ? (
                <p className="boon-muted">No gifts received yet.</p>
              ) : (
                <Table
                  caption="Gifts you received"
                  rowKey={(gift) => gift.id}
                  rows={data.received}
                  columns={[
                    { header: "Amount", align: "right", cell: (gift) => <Credits minor={gift.amount} /> },
                    { header: "Message", cell: (gift) => gift.message ?? "" },
                    { header: "Claimed", cell: (gift) => formatDate(gift.claimedAt) },
                  ]}
                />
              )}
            </Card>
          </div>
        );
      }}
    </Loaded>
  );
}

/**
 * "Invite a friend": the current program's offer in plain words, the customer's personal link,
 * invites used of the cap and each invite's state; and the invite landing page (`/invite/{code}`)
 * a friend opens. Embeddable: give them a client acting for the customer and the customer's id.
 */
import { type FormEvent, useState } from "react";
import { type BoonClient, BoonError, type Schema } from "../../../sdk/client.js";
import { TextField } from "../components/fields.js";
import { Banner, Button, Card, CopyField, Loaded, Stat, StateBadge, Table } from "../components/ui.js";
import { clientFor } from "../lib/api.js";
import { Credits, useConfig } from "../lib/context.js";
import { formatDate } from "../lib/format.js";
import { messageOf, useResource } from "../lib/resource.js";
import { landingSentence, offerSentence, type RewardTerms, validitySentence } from "./offer.js";

type Invite = Schema<"Invite">;
type Referral = Schema<"Referral">;
type CustomerReferrals = Schema<"CustomerReferrals">;

/** One program the customer may invite in now, as the referrals answer lists it. */
export interface Offer {
  readonly programId: string;
  readonly endsAt: string | null;
  readonly rewards: {
    readonly referrer?: RewardTerms | undefined;
    readonly invitee?: RewardTerms | undefined;
  };
  readonly invitesPerReferrer: number | null;
  readonly invitesUsed: number;
  readonly invitesLeft: number | null;
}

/** The offers in a referrals answer (absent from servers that predate them). */
export function offersOf(referrals: CustomerReferrals): readonly Offer[] {
  const offers = (referrals as CustomerReferrals & { offers?: readonly Offer[] }).offers;
  return offers ?? [];
}

/** Where an invite stands, from the referral it led to (if any): sent, joined, qualified… */
export function inviteState(invite: Invite, referrals: readonly Referral[]): string {
  const referral = referrals.find((candidate) => candidate.inviteId === invite.id);
  if (referral === undefined) return "sent";
  if (referral.state === "qualified") return "qualified";
  if (referral.state === "rejected") return "rejected";
  if (referral.state === "review") return "review_required";
  return "accepted";
}

export interface InviteFriendProps {
  readonly client: BoonClient;
  readonly customerId: string;
}

function InviteForm(
  props: InviteFriendProps & { readonly offer: Offer; readonly onCreated: (invite: Invite) => void },
) {
  const [email, setEmail] = useState("");
  const [busy, setBusy] = useState(false);
  const [failure, setFailure] = useState<string | null>(null);
  const submit = (event: FormEvent) => {
    event.preventDefault();
    setBusy(true);
    setFailure(null);
    const trimmed = email.trim();
    props.client
      .call("createInvite", {
        params: { programId: props.offer.programId },
        body: { referrerId: props.customerId, ...(trimmed === "" ? {} : { email: trimmed }) },
      })
      .then(
        (invite) => {
          setEmail("");
          props.onCreated(invite);
        },
        (error: unknown) => setFailure(messageOf(error)),
      )
      .finally(() => setBusy(false));
  };
  const full = props.offer.invitesLeft !== null && props.offer.invitesLeft <= 0;
  return (
    <form className="boon-stack" onSubmit={submit} noValidate>
      <TextField
        label="Friend's email (optional)"
        hint="Helps you keep track; anyone with the link can join."
        value={email}
        onChange={setEmail}
        type="email"
        autoComplete="off"
        disabled={full}
      />
      {failure === null ? null : <Banner tone="bad">{failure}</Banner>}
      <div className="boon-row">
        <Button type="submit" busy={busy} disabled={full}>
          {full ? "All invites used" : "Create invite link"}
        </Button>
      </div>
    </form>
  );
}

function OfferCard(
  props: InviteFriendProps & {
    readonly offer: Offer;
    readonly data: CustomerReferrals;
    readonly onChanged: () => void;
  },
) {
  const { displayScale } = useConfig();
  const { offer } = props;
  const [latest, setLatest] = useState<Invite | null>(null);
  const validity = validitySentence(offer.rewards);
  const invites = props.data.invites.filter((invite) => invite.programId === offer.programId);
  const newest = latest ?? invites[0] ?? null;
  return (
    <Card title="Invite a friend">
      <p className="boon-offer">
        {(offer.rewards.referrer ?? offer.rewards.invitee ?? null) === null
          ? "Invite your friends."
          : `${offerSentence(offer.rewards, displayScale)} when your friend sends their first message.`}
        {validity === "" ? "" : ` ${validity}`}
      </p>
      <div className="boon-row boon-stats">
        {offer.invitesPerReferrer === null ? (
          <Stat label="Invites sent" value={offer.invitesUsed} />
        ) : (
          <Stat label="Invites used" value={`${offer.invitesUsed} of ${offer.invitesPerReferrer}`} />
        )}
        {offer.endsAt === null ? null : <Stat label="Offer ends" value={formatDate(offer.endsAt)} />}
      </div>
      {newest === null ? null : <CopyField label="Your invite link" value={newest.url} />}
      <InviteForm
        {...props}
        onCreated={(invite) => {
          setLatest(invite);
          props.onChanged();
        }}
      />
    </Card>
  );
}

function InvitesTable(props: { readonly data: CustomerReferrals }) {
  return (
    <Table
      caption="Your invites"
      rowKey={(invite) => invite.id}
      rows={props.data.invites}
      columns={[
        { header: "Sent", cell: (invite) => formatDate(invite.createdAt) },
        { header: "To", cell: (invite) => invite.email ?? "Anyone with the link" },
        { header: "Code", cell: (invite) => <span className="boon-mono">{invite.code}</span> },
        {
          header: "State",
          cell: (invite) => <StateBadge state={inviteState(invite, props.data.referrals)} />,
        },
      ]}
    />
  );
}

function RewardsTable(props: { readonly data: CustomerReferrals; readonly customerId: string }) {
  const mine = props.data.rewards.filter((reward) => reward.customerId === props.customerId);
  if (mine.length === 0)
    return <p className="boon-muted">No rewards yet: they arrive when a friend sends a first message.</p>;
  return (
    <Table
      caption="Your rewards"
      rowKey={(reward) => reward.id}
      rows={mine}
      columns={[
        { header: "For", cell: (reward) => (reward.side === "referrer" ? "Inviting a friend" : "Joining") },
        {
          header: "Reward",
          cell: (reward) =>
            reward.kind === "reset" ? "Rate-limit reset" : <Credits minor={reward.amount ?? 0} />,
        },
        { header: "State", cell: (reward) => <StateBadge state={reward.state} /> },
        { header: "When", cell: (reward) => formatDate(reward.grantedAt ?? reward.dueAt) },
      ]}
    />
  );
}

export function InviteFriendPage(props: InviteFriendProps) {
  const [round, setRound] = useState(0);
  const referrals = useResource(
    () => props.client.call("customerReferrals", { params: { customerId: props.customerId } }),
    [props.client, props.customerId, round],
  );
  const reload = () => setRound((value) => value + 1);
  return (
    <Loaded resource={referrals}>
      {(data) => {
        const offer = offersOf(data)[0];
        return (
          <div className="boon-stack">
            {offer === undefined ? (
              <Card title="Invite a friend">
                <p className="boon-muted">
                  There's no invite offer for your plan right now. Check back soon.
                </p>
              </Card>
            ) : (
              <OfferCard {...props} offer={offer} data={data} onChanged={reload} />
            )}
            <Card title="Your invites">
              {data.invites.length === 0 ? (
                <p className="boon-muted">No invites yet.</p>
              ) : (
                <InvitesTable data={data} />
              )}
            </Card>
            <Card title="Your rewards">
              <RewardsTable data={data} customerId={props.customerId} />
            </Card>
          </div>
        );
      }}
    </Loaded>
  );
}

/** What a failed acceptance tells the friend, in their words. */
export function acceptFailureMessage(error: unknown): string {
  if (error instanceof BoonError) {
    if (error.code === "program_closed") return "This invite offer has ended.";
    if (error.code === "not_eligible") return "This offer is for new or returning customers.";
    if (error.code === "referral_self_invite")
      return "That's your own invite: share it with a friend instead.";
    if (error.code === "not_found") return "This invite link isn't valid. Check that it was copied whole.";
  }
  return messageOf(error);
}

export interface InviteLandingProps {
  readonly code: string;
  /** Boon's address; the page's own origin when left out. */
  readonly baseUrl?: string;
  readonly session: { readonly customerId: string; readonly name: string } | null;
  readonly onSignIn: () => void;
  /** The host product's backend attributes the signed-in customer to the invite. */
  readonly onAccept: (code: string, customerId: string) => Promise<unknown>;
}

export function InviteLandingPage(props: InviteLandingProps) {
  const { displayScale } = useConfig();
  const [state, setState] = useState<
    { step: "idle" | "busy" | "done" } | { step: "failed"; message: string }
  >({
    step: "idle",
  });
  const preview = useResource(
    () =>
      clientFor("", props.baseUrl)
        .call("previewInvite", { params: { code: props.code } })
        .catch((error: unknown) => {
          throw new Error(acceptFailureMessage(error));
        }),
    [props.code],
  );
  const accept = (customerId: string) => {
    setState({ step: "busy" });
    props.onAccept(props.code, customerId).then(
      () => setState({ step: "done" }),
      (error: unknown) => setState({ step: "failed", message: acceptFailureMessage(error) }),
    );
  };
  return (
    <Card title="You're invited" className="boon-landing">
      <Loaded resource={preview}>
        {(invite) => (
          <div className="boon-stack">
            <p className="boon-offer">
              {landingSentence(invite.referrerName, invite.rewards, displayScale)}.
            </p>
            <p className="boon-muted">
              Join, then send your first message to get your reward
              {invite.closesAt === null ? "" : ` (offer open until ${formatDate(invite.closesAt)})`}.
            </p>
            {state.step === "failed" ? <Banner tone="bad">{state.message}</Banner> : null}
            {state.step === "done" ? (
              <Banner tone="good" title="You're in">
                Send your first message and you both get your rewards.
              </Banner>
            ) : props.session === null ? (
              <div className="boon-row">
                <Button onClick={props.onSignIn}>Sign in to accept</Button>
              </div>
            ) : (
              <div className="boon-row">
                <Button busy={state.step === "busy"} onClick={() => accept(props.session?.customerId ?? "")}>
                  Accept as {props.session.name}
                </Button>
              </div>
            )}
          </div>
        )}
      </Loaded>
    </Card>
  );
}

/**
 * The gift claim page (`/gift/{code}`): who sent it, their message and the amount, and the claim.
 * Every way a code can fail (unknown, mistyped, expired, revoked, claimed) reads the same, as the
 * API answers them the same, so a page can't be used to probe codes.
 */
import { useState } from "react";
import { type BoonClient, BoonError, type Schema } from "../../../sdk/client.js";
import { Banner, Button, Card, Loaded } from "../components/ui.js";
import { clientFor } from "../lib/api.js";
import { Credits } from "../lib/context.js";
import { formatDate } from "../lib/format.js";
import { messageOf, useResource } from "../lib/resource.js";

type GiftPreview = Schema<"GiftPreview">;

export const GIFT_UNAVAILABLE_MESSAGE =
  "This gift can't be claimed. It may have been claimed already, expired or been taken back, or the code may be mistyped.";

/** What a refused preview or claim tells the person: one message for every unavailable code. */
export function claimFailureMessage(error: unknown): string {
  if (error instanceof BoonError) {
    if (error.code === "gift_unavailable" || error.code === "not_found" || error.code === "invalid_request")
      return GIFT_UNAVAILABLE_MESSAGE;
    if (error.code === "gift_self_claim") return "This is your own gift: send the link to a friend instead.";
    if (error.code === "cap_exceeded") return "You've claimed as many gifts as this program allows for now.";
    if (error.code === "not_eligible") return "This gift is meant for new or returning customers.";
  }
  return messageOf(error);
}

export interface GiftClaimProps {
  readonly code: string;
  /** Boon's address; the page's own origin when left out. */
  readonly baseUrl?: string;
  /** Who is signed in: a client acting for them and their id; null when nobody is. */
  readonly session: {
    readonly client: BoonClient;
    readonly customerId: string;
    readonly name: string;
  } | null;
  /** Asks the host to sign someone in; the page re-renders with a session. */
  readonly onSignIn: () => void;
  readonly onClaimed?: () => void;
}

function ClaimAction(props: GiftClaimProps & { readonly preview: GiftPreview }) {
  const [state, setState] = useState<
    { step: "idle" } | { step: "busy" } | { step: "done" } | { step: "failed"; message: string }
  >({ step: "idle" });
  const { session } = props;
  if (state.step === "done")
    return (
      <Banner tone="good" title="Claimed">
        <Credits minor={props.preview.amount} /> are in your wallet.
      </Banner>
    );
  if (session === null)
    return (
      <div className="boon-row">
        <Button onClick={props.onSignIn}>Sign in to claim</Button>
      </div>
    );
  const claim = () => {
    setState({ step: "busy" });
    session.client
      .call("claimGift", {
        params: { code: props.code },
        body: { customerId: session.customerId },
        idempotencyKey: `claim-${props.code}-${session.customerId}`,
      })
      .then(
        () => {
          setState({ step: "done" });
          props.onClaimed?.();
        },
        (error: unknown) => setState({ step: "failed", message: claimFailureMessage(error) }),
      );
  };
  return (
    <div className="boon-stack">
      {state.step === "failed" ? <Banner tone="bad">{state.message}</Banner> : null}
      <div className="boon-row">
        <Button onClick={claim} busy={state.step === "busy"}>
          Claim as {session.name}
        </Button>
      </div>
    </div>
  );
}

export function GiftClaimPage(props: GiftClaimProps) {
  const preview = useResource(
    () =>
      clientFor("", props.baseUrl)
        .call("previewGift", { params: { code: props.code } })
        .catch((error: unknown) => {
          throw new Error(claimFailureMessage(error));
        }),
    [props.code],
  );
  return (
    <Card title="A gift of credits" className="boon-landing">
      {preview.state === "error" && preview.message === GIFT_UNAVAILABLE_MESSAGE ? (
        <Banner tone="warn" title="This gift isn't available">
          {GIFT_UNAVAILABLE_MESSAGE}
        </Banner>
      ) : (
        <Loaded resource={preview}>
          {(gift) => (
            <div className="boon-stack">
              <p className="boon-landing-amount">
                <Credits minor={gift.amount} />
              </p>
              <p>
                From <strong>{gift.senderName ?? "a friend"}</strong>
              </p>
              {gift.message === null ? null : (
                <blockquote className="boon-gift-message">{gift.message}</blockquote>
              )}
              <p className="boon-muted">Claim it by {formatDate(gift.expiresAt)}.</p>
              <ClaimAction {...props} preview={gift} />
            </div>
          )}
        </Loaded>
      )}
    </Card>
  );
}

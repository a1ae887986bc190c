/**
 * What a customer sees when a request is refused: which limit, when it resets, and the two ways
 * on: add credits, or spend a banked reset when they hold one.
 */
import { Banner, Button } from "../components/ui.js";
import { formatCountdown } from "../lib/format.js";
import { useNow } from "../lib/now.js";

export interface LimitBannerProps {
  /** `limit_reached` (a window is spent) or `insufficient_credits` (overflow found too few credits). */
  readonly code: "limit_reached" | "insufficient_credits";
  readonly resetsAt: string | null;
  /** Banked resets the customer holds; the reset button shows only when there is one. */
  readonly resetsAvailable: number;
  readonly onAddCredits: () => void;
  readonly onUseReset: () => void;
  readonly busy?: boolean;
}

export function LimitBanner(props: LimitBannerProps) {
  const nowMs = useNow();
  const leftMs = props.resetsAt === null ? null : Date.parse(props.resetsAt) - nowMs;
  const waitText =
    leftMs === null ? "" : leftMs > 0 ? ` It resets in ${formatCountdown(leftMs)}.` : " It resets now.";
  const title = props.code === "limit_reached" ? "You've reached your usage limit" : "You're out of credits";
  return (
    <Banner
      tone="warn"
      title={title}
      actions={
        <>
          <Button onClick={props.onAddCredits} busy={props.busy === true}>
            Add credits
          </Button>
          {props.resetsAvailable > 0 ? (
            <Button variant="secondary" onClick={props.onUseReset} busy={props.busy === true}>
              Use a banked reset
            </Button>
          ) : null}
        </>
      }
    >
      {`Add credits to keep going now.${waitText}`}
      {props.resetsAvailable > 0
        ? ` You have ${props.resetsAvailable} banked reset${props.resetsAvailable === 1 ? "" : "s"}.`
        : ""}
    </Banner>
  );
}

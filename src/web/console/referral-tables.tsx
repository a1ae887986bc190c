/** Referral rewards with the operator's review actions, shared by a customer's page and the review queue. */
import type { ReferralReward } from "../../../sdk/client.js";
import { Button, type Column, StateBadge, Table } from "../components/ui.js";
import { Credits } from "../lib/context.js";
import { formatDate } from "../lib/format.js";
import { Link } from "../lib/router.js";
import { type Action, ActionBanner, useAction } from "./console-ui.js";
import { customerPath } from "./routes.js";
import { useSession } from "./session.js";

type RewardAction = "hold" | "approve" | "reject";

/** What an operator may do to a reward in its state: hold a pending one, settle a held one. */
export function rewardActions(state: ReferralReward["state"]): { action: RewardAction; label: string }[] {
  if (state === "pending") return [{ action: "hold", label: "Hold" }];
  if (state === "review_required")
    return [
      { action: "approve", label: "Approve" },
      { action: "reject", label: "Reject" },
    ];
  return [];
}

export function RewardValue(props: { readonly reward: ReferralReward }) {
  const { reward } = props;
  if (reward.kind === "reset") return <>1 reset</>;
  return reward.amount === null ? <>—</> : <Credits minor={reward.amount} />;
}

export function RewardsTable(props: {
  readonly rewards: readonly ReferralReward[];
  readonly onChanged: () => void;
  readonly caption: string;
  /** The parent's, when it shows the outcome itself (a settled reward may leave this table). */
  readonly action?: Action;
}) {
  const { client } = useSession();
  const own = useAction();
  const action = props.action ?? own;
  const act = (reward: ReferralReward, change: RewardAction, label: string) =>
    action
      .run(async () => {
        const answer = await client.call("reviewReferralReward", {
          params: { rewardId: reward.id },
          body: { action: change },
        });
        return `${label}: reward ${reward.id} is now ${answer.state.replaceAll("_", " ")}.`;
      })
      .then((changed) => {
        if (changed) props.onChanged();
      });
  const columns: Column<ReferralReward>[] = [
    {
      header: "Customer",
      cell: (reward) => (
        <Link to={customerPath(reward.customerId)} className="boon-mono">
          {reward.customerId}
        </Link>
      ),
    },
    { header: "Side", cell: (reward) => reward.side },
    { header: "Program", cell: (reward) => <span className="boon-mono">{reward.programId}</span> },
    { header: "Reward", cell: (reward) => <RewardValue reward={reward} /> },
    { header: "State", cell: (reward) => <StateBadge state={reward.state} /> },
    { header: "Due", cell: (reward) => formatDate(reward.dueAt) },
    { header: "Reason", cell: (reward) => reward.reason ?? "—" },
    {
      header: <span className="boon-visually-hidden">Actions</span>,
      cell: (reward) => (
        <span className="boon-row boon-nowrap">
          {rewardActions(reward.state).map(({ action: change, label }) => (
            <Button
              key={change}
              variant={change === "reject" ? "danger" : "secondary"}
              busy={action.busy}
              aria-label={`${label} reward ${reward.id}`}
              onClick={() => void act(reward, change, label)}
            >
              {label}
            </Button>
          ))}
        </span>
      ),
    },
  ];
  return (
    <>
      {props.action === undefined ? (
        <ActionBanner action={action} failed="Could not change the reward" />
      ) : null}
      <Table columns={columns} rows={props.rewards} rowKey={(reward) => reward.id} caption={props.caption} />
    </>
  );
}

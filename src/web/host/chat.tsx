/**
 * The stand-in assistant's chat: every "send" is one `POST /v1/usage` through the demo host. When
 * Boon refuses, the limit banner offers credits or a banked reset.
 */
import { type FormEvent, type KeyboardEvent, useState } from "react";
import type { Schema } from "../../../sdk/client.js";
import { Banner, Button } from "../components/ui.js";
import { Credits, useConfig } from "../lib/context.js";
import { creditsWord, formatCredits } from "../lib/format.js";
import { messageOf } from "../lib/resource.js";
import { navigate } from "../lib/router.js";
import { LimitBanner } from "../widgets/limit-banner.js";
import { type Balance, useBalance, WindowsCard } from "../widgets/usage-panel.js";
import { demoApi } from "./demo-api.js";
import type { Session } from "./session.js";

type UsageAnswer = Schema<"UsageAnswer">;

interface ChatMessage {
  readonly id: string;
  readonly from: "you" | "assistant";
  readonly text: string;
  readonly note?: string;
}

type Refusal = { readonly code: "limit_reached" | "insufficient_credits"; readonly resetsAt: string | null };

/** The small print under a reply: what the message cost. */
export function chargeNote(answer: UsageAnswer, scale: number): string {
  if (answer.paidBy === "credits")
    return `Paid with ${formatCredits(answer.charged.credits, scale)} ${creditsWord(answer.charged.credits, scale)}`;
  const tightest = [...answer.windows].sort((a, b) => a.remaining / a.limit - b.remaining / b.limit)[0];
  if (tightest === undefined) return "Included in your plan";
  return `${tightest.remaining} of ${tightest.limit} left in your ${tightest.window} ${tightest.meter} window`;
}

const REPLIES = [
  "Here's a first pass at that function, with tests.",
  "I refactored the module and kept the public API the same.",
  "Found it: the loop was off by one. Fixed and explained inline.",
  "Done. The migration runs forward only and is idempotent.",
];

function resetsOf(balance: ReturnType<typeof useBalance>): number {
  return balance.state === "ready" ? ((balance.data as Balance).resets?.available ?? 0) : 0;
}

export function Chat(props: { readonly session: Session }) {
  const { session } = props;
  const { displayScale } = useConfig();
  const [messages, setMessages] = useState<readonly ChatMessage[]>([]);
  const [draft, setDraft] = useState("");
  const [sending, setSending] = useState(false);
  const [refusal, setRefusal] = useState<Refusal | null>(null);
  const [notice, setNotice] = useState<{ tone: "good" | "bad"; text: string } | null>(null);
  const [round, setRound] = useState(0);
  const balance = useBalance(session.client, session.customerId, round);
  const refresh = () => setRound((value) => value + 1);

  const send = (event?: FormEvent) => {
    event?.preventDefault();
    const text = draft.trim();
    if (text === "" || sending) return;
    const id = crypto.randomUUID();
    setSending(true);
    setNotice(null);
    demoApi
      .sendMessage(session.customerId, id)
      .then(
        (answer) => {
          if (!answer.allowed) {
            setRefusal({ code: answer.code ?? "limit_reached", resetsAt: answer.resetsAt });
            return;
          }
          setRefusal(null);
          setDraft("");
          setMessages((list) => {
            // Each reply in turn: the list holds both sides, so the replies so far are counted.
            const replies = list.filter((message) => message.from === "assistant").length;
            const reply = REPLIES[replies % REPLIES.length] ?? "";
            return [
              ...list,
              { id, from: "you", text },
              { id: `${id}-reply`, from: "assistant", text: reply, note: chargeNote(answer, displayScale) },
            ];
          });
        },
        (error: unknown) => setNotice({ tone: "bad", text: messageOf(error) }),
      )
      .finally(() => {
        setSending(false);
        refresh();
      });
  };
  const onKeyDown = (event: KeyboardEvent<HTMLTextAreaElement>) => {
    if (event.key === "Enter" && !event.shiftKey) send(event);
  };
  const useReset = () => {
    setSending(true);
    session.client
      .call("redeemReset", { params: { customerId: session.customerId } })
      .then(
        () => {
          setRefusal(null);
          setNotice({ tone: "good", text: "Reset used: your limits start fresh." });
        },
        (error: unknown) => setNotice({ tone: "bad", text: messageOf(error) }),
      )
      .finally(() => {
        setSending(false);
        refresh();
      });
  };
  // Credits are bought on the Buy credits page, through the payment provider's checkout.
  const addCredits = () => navigate("/buy");
  return (
    <div className="host-chat-layout">
      <section className="host-chat" aria-label="Chat">
        <ol className="host-messages" aria-live="polite">
          {messages.length === 0 ? (
            <li className="host-empty">Ask for some code. Each message you send is metered by Boon.</li>
          ) : (
            messages.map((message) => (
              <li key={message.id} className={`host-message host-message-${message.from}`}>
                <span className="boon-visually-hidden">{message.from === "you" ? "You:" : "Assistant:"}</span>
                <p>{message.text}</p>
                {message.note === undefined ? null : <small className="boon-muted">{message.note}</small>}
              </li>
            ))
          )}
        </ol>
        {refusal === null ? null : (
          <LimitBanner
            code={refusal.code}
            resetsAt={refusal.resetsAt}
            resetsAvailable={resetsOf(balance)}
            onAddCredits={addCredits}
            onUseReset={useReset}
            busy={sending}
          />
        )}
        {notice === null ? null : <Banner tone={notice.tone}>{notice.text}</Banner>}
        <form className="host-compose" onSubmit={send}>
          <label htmlFor="host-message" className="boon-visually-hidden">
            Message
          </label>
          <textarea
            id="host-message"
            rows={2}
            placeholder="Ask for some code…"
            value={draft}
            onChange={(event) => setDraft(event.target.value)}
            onKeyDown={onKeyDown}
          />
          <Button type="submit" busy={sending} disabled={draft.trim() === ""}>
            Send
          </Button>
        </form>
      </section>
      <aside className="host-side">
        <WindowsCard balance={balance} />
        {balance.state === "ready" ? (
          <p className="boon-muted">
            Available: <Credits minor={balance.data.credits.available} />
          </p>
        ) : null}
      </aside>
    </div>
  );
}

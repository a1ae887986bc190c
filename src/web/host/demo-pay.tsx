/**
 * The demo's payment page (`/demo/pay/{session}`): what a checkout would charge, and a button that
 * completes the purchase through the same signed webhook a real payment provider would send. Clearly
 * a demo: no card is asked for and no money moves.
 */
import { useState } from "react";
import { Banner, Button, Card, Loaded } from "../components/ui.js";
import { Credits } from "../lib/context.js";
import { formatMoney } from "../lib/money.js";
import { messageOf, useResource } from "../lib/resource.js";
import { navigate } from "../lib/router.js";
import { demoApi } from "./demo-api.js";

export function DemoPayPage(props: { readonly sessionId: string }) {
  const checkout = useResource(() => demoApi.checkout(props.sessionId), [props.sessionId]);
  const [state, setState] = useState<{ step: "idle" | "busy" } | { step: "failed"; message: string }>({
    step: "idle",
  });
  const pay = (asGift: boolean) => {
    setState({ step: "busy" });
    demoApi.pay(props.sessionId).then(
      () => navigate(asGift ? "/gifts?checkout=done" : "/usage?checkout=done"),
      (error: unknown) => setState({ step: "failed", message: messageOf(error) }),
    );
  };
  return (
    <Card title="Checkout" className="boon-landing">
      <Banner tone="warn" title="This is a demo">
        No card is needed and no money moves. Paying here sends Boon the same signed event a payment provider
        would.
      </Banner>
      <Loaded resource={checkout}>
        {(session) => (
          <div className="boon-stack">
            <p className="boon-landing-amount">{formatMoney(session.price, session.currency)}</p>
            <p>
              {session.bundleName}: <Credits minor={session.credits} />
              {session.bonusCredits > 0 ? (
                <>
                  {" "}
                  + <Credits minor={session.bonusCredits} /> bonus
                </>
              ) : null}
              {session.asGift ? " (as a gift)" : ""}
            </p>
            {state.step === "failed" ? <Banner tone="bad">{state.message}</Banner> : null}
            {session.status === "pending" ? (
              <div className="boon-row">
                <Button busy={state.step === "busy"} onClick={() => pay(session.asGift)}>
                  Pay {formatMoney(session.price, session.currency)} (demo)
                </Button>
                <Button variant="ghost" onClick={() => navigate("/buy")}>
                  Cancel
                </Button>
              </div>
            ) : session.status === "expired" || session.status === "failed" ? (
              <Banner tone="warn" title="This checkout expired">
                Nothing was charged. <a href="/buy">Start again from Buy credits</a>.
              </Banner>
            ) : (
              <Banner tone="good" title="Already paid">
                This checkout is complete.
              </Banner>
            )}
          </div>
        )}
      </Loaded>
    </Card>
  );
}

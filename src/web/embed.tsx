/**
 * The embeddable bundle: Boon's end-user widgets for a host product's own pages, React included, so
 * a page needs no framework of its own. A host's backend mints a customer token
 * (`POST /v1/customer-tokens`) and hands it to the page, which mounts a widget:
 *
 *   import { mountBoonWidget } from "https://boon.example.com/embed/boon-widgets.js";
 *   const unmount = mountBoonWidget(element, { widget: "gifts", baseUrl, token, customerId });
 *
 * Styling comes from boon-widgets.css beside it, themed by the `--boon-*` CSS variables set on any
 * ancestor of the element.
 */
import { StrictMode } from "react";
import { createRoot } from "react-dom/client";
import { clientFor } from "./lib/api.js";
import { CONFIG_DEFAULT } from "./lib/config.js";
import { ConfigProvider } from "./lib/context.js";
import { GiftClaimPage } from "./widgets/gift-claim.js";
import { GiftsPage } from "./widgets/gifts.js";
import { InviteFriendPage, InviteLandingPage } from "./widgets/invite.js";
import { PurchasesList } from "./widgets/purchases.js";
import { UsageWidget } from "./widgets/usage-panel.js";
import "./styles.css";

export { GiftClaimPage, GiftsPage, InviteFriendPage, InviteLandingPage, PurchasesList, UsageWidget };

/** What every widget needs: where Boon is and who the customer is. */
interface SignedInOptions {
  /** Boon's address, e.g. `https://boon.example.com`. */
  readonly baseUrl: string;
  /** A customer token from `POST /v1/customer-tokens`, made by the host's backend. */
  readonly token: string;
  readonly customerId: string;
  /** Decimal places credits are shown with (the server's `BOON_DISPLAY_SCALE`); 0 by default. */
  readonly displayScale?: number;
}

export type WidgetOptions =
  | (SignedInOptions & { readonly widget: "usage" | "gifts" | "invite" | "purchases" })
  | {
      readonly widget: "gift-claim";
      readonly baseUrl: string;
      readonly code: string;
      readonly displayScale?: number;
      /** The signed-in customer, if any; without one the widget asks the host to sign someone in. */
      readonly session?: { readonly token: string; readonly customerId: string; readonly name: string };
      readonly onSignIn: () => void;
      readonly onClaimed?: () => void;
    }
  | {
      readonly widget: "invite-landing";
      readonly baseUrl: string;
      readonly code: string;
      readonly displayScale?: number;
      readonly session?: { readonly customerId: string; readonly name: string };
      readonly onSignIn: () => void;
      /** The host's backend accepts the invite for the customer (`POST /v1/invites/{code}/accept`). */
      readonly onAccept: (code: string, customerId: string) => Promise<unknown>;
    };

function widgetOf(options: WidgetOptions) {
  switch (options.widget) {
    case "usage":
      return (
        <UsageWidget client={clientFor(options.token, options.baseUrl)} customerId={options.customerId} />
      );
    case "gifts":
      return <GiftsPage client={clientFor(options.token, options.baseUrl)} customerId={options.customerId} />;
    case "invite":
      return (
        <InviteFriendPage
          client={clientFor(options.token, options.baseUrl)}
          customerId={options.customerId}
        />
      );
    case "purchases":
      return (
        <PurchasesList client={clientFor(options.token, options.baseUrl)} customerId={options.customerId} />
      );
    case "gift-claim": {
      const { session } = options;
      return (
        <GiftClaimPage
          code={options.code}
          baseUrl={options.baseUrl}
          session={
            session === undefined
              ? null
              : {
                  client: clientFor(session.token, options.baseUrl),
                  customerId: session.customerId,
                  name: session.name,
                }
          }
          onSignIn={options.onSignIn}
          {...(options.onClaimed === undefined ? {} : { onClaimed: options.onClaimed })}
        />
      );
    }
    case "invite-landing":
      return (
        <InviteLandingPage
          code={options.code}
          baseUrl={options.baseUrl}
          session={options.session ?? null}
          onSignIn={options.onSignIn}
          onAccept={options.onAccept}
        />
      );
  }
}

/** Mounts one widget into `element`; returns the function that unmounts it. */
export function mountBoonWidget(element: HTMLElement, options: WidgetOptions): () => void {
  element.classList.add("boon-theme");
  const root = createRoot(element);
  const config = { ...CONFIG_DEFAULT, displayScale: options.displayScale ?? CONFIG_DEFAULT.displayScale };
  root.render(
    <StrictMode>
      <ConfigProvider config={config}>{widgetOf(options)}</ConfigProvider>
    </StrictMode>,
  );
  return () => root.unmount();
}

/**
 * The demo host shell: a small stand-in for an AI coding assistant that embeds Boon's widgets. A
 * chat whose "send" is metered by Boon, the lower-left profile menu holding Gifts and Invite a
 * friend, and a customer switcher so a newcomer can act as several demo customers.
 */
import { type ReactNode, useEffect, useRef, useState } from "react";
import { Banner, Button, Card, Loading, PageHeader } from "../components/ui.js";
import { useConfig } from "../lib/context.js";
import { Link, matchPath, navigate } from "../lib/router.js";
import { BuyCreditsPage } from "../widgets/bundles.js";
import { GiftClaimPage } from "../widgets/gift-claim.js";
import { GiftsPage } from "../widgets/gifts.js";
import { InviteFriendPage, InviteLandingPage } from "../widgets/invite.js";
import { PurchasesList } from "../widgets/purchases.js";
import { UsageWidget } from "../widgets/usage-panel.js";
import { Chat } from "./chat.js";
import { CustomerPicker } from "./customer-picker.js";
import { demoApi } from "./demo-api.js";
import { DemoPayPage } from "./demo-pay.js";
import { type DemoSession, type Session, useDemoSession } from "./session.js";

const MENU_ITEMS = [
  { to: "/usage", label: "Usage & credits" },
  { to: "/buy", label: "Buy credits" },
  { to: "/gifts", label: "Gifts" },
  { to: "/invite", label: "Invite a friend" },
] as const;

/** Arrow keys move through a menu's items (wrapping), Home and End jump to its ends. */
export function nextMenuItem<T>(items: readonly T[], current: unknown, key: string): T | null {
  if (items.length === 0) return null;
  const index = items.indexOf(current as T);
  if (key === "Home") return items[0] ?? null;
  if (key === "End") return items[items.length - 1] ?? null;
  if (key === "ArrowDown") return items[(index + 1) % items.length] ?? null;
  if (key === "ArrowUp") return items[(index - 1 + items.length) % items.length] ?? null;
  return null;
}

function ProfileMenu(props: { readonly demo: DemoSession; readonly onSwitch: () => void }) {
  const [open, setOpen] = useState(false);
  const menu = useRef<HTMLDivElement>(null);
  const button = useRef<HTMLButtonElement>(null);
  const { session } = props.demo;
  useEffect(() => {
    if (!open) return;
    menu.current?.querySelector<HTMLElement>("a, button")?.focus();
    // Escape gives the focus back to the button, so a keyboard user goes on from where they were.
    const close = (event: KeyboardEvent) => {
      if (event.key === "Escape") {
        setOpen(false);
        button.current?.focus();
        return;
      }
      const items = [...(menu.current?.querySelectorAll<HTMLElement>('[role="menuitem"]') ?? [])];
      const next = nextMenuItem(items, document.activeElement, event.key);
      if (next === null) return;
      event.preventDefault();
      next.focus();
    };
    const outside = (event: MouseEvent) => {
      if (!menu.current?.parentElement?.contains(event.target as Node)) setOpen(false);
    };
    window.addEventListener("keydown", close);
    window.addEventListener("mousedown", outside);
    return () => {
      window.removeEventListener("keydown", close);
      window.removeEventListener("mousedown", outside);
    };
  }, [open]);
  const name = session?.name ?? "Choose a customer";
  return (
    <div className="host-profile">
      {open ? (
        <div className="host-profile-menu" role="menu" aria-label="Profile" ref={menu}>
          {MENU_ITEMS.map((item) => (
            <Link key={item.to} to={item.to} role="menuitem" onClick={() => setOpen(false)}>
              {item.label}
            </Link>
          ))}
          <button
            type="button"
            role="menuitem"
            onClick={() => {
              setOpen(false);
              props.onSwitch();
            }}
          >
            Switch customer…
          </button>
          <Link to="/console" role="menuitem" onClick={() => setOpen(false)}>
            Operator console
          </Link>
        </div>
      ) : null}
      <button
        ref={button}
        type="button"
        className="host-profile-button"
        aria-haspopup="menu"
        aria-expanded={open}
        onClick={() => setOpen(!open)}
      >
        <span className="host-avatar" aria-hidden="true">
          {name.slice(0, 1).toUpperCase()}
        </span>
        <span className="host-profile-name">
          {name}
          {session?.plan === null || session === null ? null : <small>{session.plan} plan</small>}
        </span>
      </button>
    </div>
  );
}

function SignInPrompt(props: { readonly onSwitch: () => void }) {
  return (
    <Card title="Choose who you are">
      <p>This demo plays a small AI coding assistant. Pick a demo customer to act as.</p>
      <div className="boon-row">
        <Button onClick={props.onSwitch}>Choose a customer</Button>
      </div>
    </Card>
  );
}

function pageOf(path: string, demo: DemoSession, onSwitch: () => void) {
  const { session } = demo;
  const gift = matchPath("/gift/:code", path);
  if (gift !== null)
    return {
      title: "Gift",
      body: <GiftClaimPage code={gift.code ?? ""} session={session} onSignIn={onSwitch} />,
    };
  const pay = matchPath("/demo/pay/:sessionId", path);
  if (pay !== null) return { title: "Demo payment", body: <DemoPayPage sessionId={pay.sessionId ?? ""} /> };
  const invite = matchPath("/invite/:code", path);
  if (invite !== null)
    return {
      title: "Invitation",
      body: (
        <InviteLandingPage
          code={invite.code ?? ""}
          session={session}
          onSignIn={onSwitch}
          onAccept={(code, customerId) => demoApi.acceptInvite(code, customerId)}
        />
      ),
    };
  const needSession = (title: string, render: (session: Session) => ReactNode) => ({
    title,
    body:
      session === null ? (
        demo.signingIn ? (
          <Loading label="Signing in…" />
        ) : (
          <SignInPrompt onSwitch={onSwitch} />
        )
      ) : (
        render(session)
      ),
  });
  if (path === "/" || path === "") return needSession("Chat", (s) => <Chat key={s.customerId} session={s} />);
  if (path === "/usage")
    return needSession("Usage & credits", (s) => (
      <UsageWidget key={s.customerId} client={s.client} customerId={s.customerId} />
    ));
  if (path === "/buy")
    return needSession("Buy credits", (s) => (
      <div key={s.customerId} className="boon-stack">
        <BuyCreditsPage client={s.client} customerId={s.customerId} />
        <PurchasesList client={s.client} customerId={s.customerId} />
      </div>
    ));
  if (path === "/gifts")
    return needSession("Gifts", (s) => (
      <GiftsPage key={s.customerId} client={s.client} customerId={s.customerId} />
    ));
  if (path === "/invite")
    return needSession("Invite a friend", (s) => (
      <InviteFriendPage key={s.customerId} client={s.client} customerId={s.customerId} />
    ));
  return {
    title: "Not found",
    body: (
      <Card title="Page not found">
        <p>
          There's nothing at this address. <Link to="/">Back to the chat</Link>
        </p>
      </Card>
    ),
  };
}

/** After a checkout, the page it returns to says how it went (`?checkout=done` or `cancelled`). */
function CheckoutBanner(props: { readonly path: string }) {
  const outcome = props.path === "" ? null : new URLSearchParams(window.location.search).get("checkout");
  if (outcome === "done")
    return (
      <Banner tone="good" title="Payment complete">
        Your credits are in.
      </Banner>
    );
  if (outcome === "cancelled") return <Banner tone="info">Checkout canceled: nothing was charged.</Banner>;
  return null;
}

export function DemoShell(props: { readonly path: string }) {
  const config = useConfig();
  const demo = useDemoSession(config.demo);
  const [picking, setPicking] = useState(false);
  const openPicker = () => setPicking(true);
  const page = pageOf(props.path, demo, config.demo ? openPicker : () => navigate("/"));
  useEffect(() => {
    document.title = `${page.title} · Acme Code`;
  }, [page.title]);
  return (
    <div className="host-shell">
      <a className="host-skip" href="#host-main">
        Skip to content
      </a>
      <nav className="host-sidebar" aria-label="Product">
        <Link to="/" className="host-brand">
          Acme Code
        </Link>
        <Link to="/" aria-current={props.path === "/" ? "page" : undefined}>
          Chat
        </Link>
        <div className="host-sidebar-fill" />
        {config.demo ? <ProfileMenu demo={demo} onSwitch={openPicker} /> : null}
      </nav>
      <main id="host-main" className="host-main">
        <PageHeader
          title={page.title}
          subtitle={
            demo.session === null ? undefined : (
              <>
                Acting as <strong>{demo.session.name}</strong>
              </>
            )
          }
        />
        {!config.demo ? (
          <Banner tone="info">
            This server runs without the demo host: gift and invite links open here.
          </Banner>
        ) : null}
        {demo.error === null ? null : <Banner tone="bad">{demo.error}</Banner>}
        <CheckoutBanner path={props.path} />
        {page.body}
      </main>
      {picking ? (
        <CustomerPicker
          customers={demo.customers}
          currentId={demo.session?.customerId ?? null}
          onPick={demo.signIn}
          onCreate={demo.createCustomer}
          onClose={() => setPicking(false)}
        />
      ) : null}
    </div>
  );
}

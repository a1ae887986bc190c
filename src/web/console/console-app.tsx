/**
 * The operator's console under /console: sign in with an admin key, then programs, the bundle
 * catalog, customers, reports and the review queue. Each page loads what it shows through the typed SDK client.
 */
import { type ReactNode, useCallback, useEffect, useMemo, useRef, useState } from "react";
import { Button, Empty, PageHeader } from "../components/ui.js";
import { Link } from "../lib/router.js";
import "./console.css";
import { BundleEditorPage, BundlesPage } from "./bundles-page.js";
import { CustomerPage } from "./customer-page.js";
import { CustomersPage } from "./customers-page.js";
import { ProgramEditorPage } from "./program-editor.js";
import { ProgramsPage } from "./programs-page.js";
import { ReportsPage } from "./reports-page.js";
import { ReviewPage } from "./review-page.js";
import { type ConsoleRoute, consoleRoute, NAV, sectionOf } from "./routes.js";
import { clearAdminKey, connect, readAdminKey, SessionProvider, saveAdminKey } from "./session.js";
import { SignIn } from "./sign-in.js";

const SESSION_ENDED = "Your key stopped working (it may have been revoked). Sign in again.";

export function ConsoleApp(props: {
  readonly path: string;
  /** Where Boon answers and how to reach it; the page's own origin and `fetch` by default. */
  readonly baseUrl?: string;
  readonly fetch?: typeof fetch;
}) {
  const [apiKey, setApiKey] = useState(readAdminKey);
  const [notice, setNotice] = useState<string | null>(null);
  const baseUrl = props.baseUrl ?? window.location.origin;
  // Browsers refuse `fetch` called as a method of another object, so it is wrapped, not passed.
  const fetcher = props.fetch ?? ((input: RequestInfo | URL, init?: RequestInit) => fetch(input, init));
  const fetchRef = useRef(fetcher);
  fetchRef.current = fetcher;
  const signOut = useCallback((reason: string | null) => {
    clearAdminKey();
    setApiKey(null);
    setNotice(reason);
  }, []);
  const session = useMemo(() => {
    if (apiKey === null) return null;
    const client = connect(apiKey, {
      baseUrl,
      fetch: (input, init) => fetchRef.current(input, init),
      onUnauthorized: () => signOut(SESSION_ENDED),
    });
    return { client, signOut: () => signOut(null) };
  }, [apiKey, baseUrl, signOut]);
  const route = consoleRoute(props.path);
  const label = NAV.find((item) => item.section === sectionOf(route))?.label ?? "Not found";
  const title = apiKey === null ? "Sign in · Boon console" : `${label} · Boon console`;
  useEffect(() => {
    document.title = title;
  }, [title]);
  if (session === null)
    return (
      <SignIn
        notice={notice}
        connect={(key) => connect(key, { baseUrl, fetch: (input, init) => fetchRef.current(input, init) })}
        onSignedIn={(key) => {
          saveAdminKey(key);
          setNotice(null);
          setApiKey(key);
        }}
      />
    );
  return (
    <SessionProvider session={session}>
      <Shell route={route} path={props.path} onSignOut={session.signOut}>
        <Page route={route} />
      </Shell>
    </SessionProvider>
  );
}

function Page(props: { readonly route: ConsoleRoute }) {
  const { route } = props;
  switch (route.page) {
    case "programs":
      return <ProgramsPage />;
    case "program-new":
      return <ProgramEditorPage programId={null} />;
    case "program":
      return <ProgramEditorPage programId={route.programId} />;
    case "bundles":
      return <BundlesPage />;
    case "bundle-new":
      return <BundleEditorPage bundleId={null} />;
    case "bundle":
      return <BundleEditorPage bundleId={route.bundleId} />;
    case "customers":
      return <CustomersPage />;
    case "customer":
      return <CustomerPage customerId={route.customerId} />;
    case "reports":
      return <ReportsPage />;
    case "review":
      return <ReviewPage />;
    case "not-found":
      return (
        <>
          <PageHeader title="Page not found" />
          <Empty>
            There is no console page here. <Link to="/console/programs">Go to programs</Link>.
          </Empty>
        </>
      );
  }
}

function Shell(props: {
  readonly route: ConsoleRoute;
  readonly path: string;
  readonly onSignOut: () => void;
  readonly children: ReactNode;
}) {
  const section = sectionOf(props.route);
  const main = useRef<HTMLElement | null>(null);
  const first = useRef(true);
  // After an in-page navigation, focus moves to the new page so a screen reader starts there.
  useEffect(() => {
    if (first.current) {
      first.current = false;
      return;
    }
    if (props.path !== "") main.current?.focus();
  }, [props.path]);
  return (
    <div className="boon-console">
      <a className="boon-skip" href="#console-main">
        Skip to content
      </a>
      <header className="boon-console-bar">
        <Link to="/console/programs" className="boon-console-brand">
          Boon console
        </Link>
        <nav aria-label="Console" className="boon-console-nav">
          <ul>
            {NAV.map((item) => (
              <li key={item.section}>
                <Link to={item.path} aria-current={item.section === section ? "page" : undefined}>
                  {item.label}
                </Link>
              </li>
            ))}
          </ul>
        </nav>
        <Button variant="secondary" onClick={props.onSignOut}>
          Sign out
        </Button>
      </header>
      <main id="console-main" className="boon-console-main" ref={main} tabIndex={-1}>
        {props.children}
      </main>
    </div>
  );
}

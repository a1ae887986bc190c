/**
 * Which page a path shows: the demo host shell and its pages, the gift claim and invite landing
 * pages anyone may open, and the operator's console under /console.
 */
import { ConsoleApp } from "./console/console-app.js";
import { DemoShell } from "./host/demo-shell.js";
import type { WebConfig } from "./lib/config.js";
import { ConfigProvider } from "./lib/context.js";
import { usePath } from "./lib/router.js";

export function App(props: { readonly config: WebConfig }) {
  const path = usePath();
  return (
    <ConfigProvider config={props.config}>
      {path === "/console" || path.startsWith("/console/") ? (
        <ConsoleApp path={path} />
      ) : (
        <DemoShell path={path} />
      )}
    </ConfigProvider>
  );
}

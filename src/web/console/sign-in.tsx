/** The console's door: an admin key, checked with one cheap admin call before it is kept. */
import { type FormEvent, useState } from "react";
import type { BoonClient } from "../../../sdk/client.js";
import { Banner, Button } from "../components/ui.js";
import { TextField } from "./console-ui.js";
import { probeAdminKey, signInErrorMessage } from "./session.js";

export function SignIn(props: {
  readonly connect: (apiKey: string) => BoonClient;
  readonly onSignedIn: (apiKey: string) => void;
  /** Why the operator is here again, e.g. a key that stopped working. */
  readonly notice?: string | null;
}) {
  const [key, setKey] = useState("");
  const [missing, setMissing] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const apiKey = key.trim();
    setMissing(apiKey === "");
    if (apiKey === "") return;
    setBusy(true);
    setError(null);
    try {
      await probeAdminKey(props.connect(apiKey));
      props.onSignedIn(apiKey);
    } catch (failure) {
      setError(signInErrorMessage(failure));
      setBusy(false);
    }
  };
  return (
    <main className="boon-console-signin">
      <section className="boon-card">
        <h1>Boon console</h1>
        <p className="boon-muted">Sign in with an admin key to manage programs, customers and reviews.</p>
        {props.notice === undefined || props.notice === null ? null : (
          <Banner tone="warn">{props.notice}</Banner>
        )}
        {error === null ? null : (
          <Banner tone="bad" title="Could not sign in">
            {error}
          </Banner>
        )}
        <form className="boon-stack" onSubmit={submit} noValidate>
          <TextField
            label="Admin key"
            type="password"
            autoComplete="off"
            spellCheck={false}
            value={key}
            onChange={setKey}
            error={missing ? "Enter an admin key" : undefined}
            hint="Kept in this browser tab only, until you sign out or close it."
          />
          <Button type="submit" busy={busy}>
            Sign in
          </Button>
        </form>
      </section>
    </main>
  );
}

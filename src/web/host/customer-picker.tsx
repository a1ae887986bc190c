/**
 * The customer switcher: act as any demo customer, or make a new one (a friend who just signed up,
 * for trying invites and gifts from the other side).
 */
import { type FormEvent, useEffect, useRef, useState } from "react";
import { TextField } from "../components/fields.js";
import { Button } from "../components/ui.js";
import { messageOf } from "../lib/resource.js";
import type { DemoCustomer } from "./demo-api.js";
import { nameOf } from "./session.js";

export interface CustomerPickerProps {
  readonly customers: readonly DemoCustomer[];
  readonly currentId: string | null;
  readonly onPick: (customerId: string) => void;
  readonly onCreate: (displayName: string) => Promise<void>;
  readonly onClose: () => void;
}

export function CustomerPicker(props: CustomerPickerProps) {
  const [name, setName] = useState("");
  const [busy, setBusy] = useState(false);
  const [failure, setFailure] = useState<string | null>(null);
  const dialog = useRef<HTMLDivElement>(null);
  // The latest onClose, read by the key handler, so the effect below runs once per opening.
  const onClose = useRef(props.onClose);
  onClose.current = props.onClose;
  useEffect(() => {
    // The focus goes back where it was when the dialog closes, and Tab stays inside while it is open.
    const before = document.activeElement instanceof HTMLElement ? document.activeElement : null;
    dialog.current?.querySelector<HTMLElement>("button, input")?.focus();
    const onKey = (event: KeyboardEvent) => {
      if (event.key === "Escape") onClose.current();
      if (event.key !== "Tab") return;
      const focusable = [
        ...(dialog.current?.querySelectorAll<HTMLElement>("button:not([disabled]), input") ?? []),
      ];
      const first = focusable[0];
      const last = focusable[focusable.length - 1];
      if (event.shiftKey && document.activeElement === first) {
        event.preventDefault();
        last?.focus();
      } else if (!event.shiftKey && document.activeElement === last) {
        event.preventDefault();
        first?.focus();
      }
    };
    window.addEventListener("keydown", onKey);
    return () => {
      window.removeEventListener("keydown", onKey);
      before?.focus();
    };
  }, []);
  const create = (event: FormEvent) => {
    event.preventDefault();
    if (name.trim() === "") {
      setFailure("Enter a name");
      return;
    }
    setBusy(true);
    setFailure(null);
    props.onCreate(name.trim()).then(
      () => props.onClose(),
      (error: unknown) => {
        setFailure(messageOf(error));
        setBusy(false);
      },
    );
  };
  return (
    <div className="boon-overlay">
      <div
        className="boon-dialog"
        role="dialog"
        aria-modal="true"
        aria-labelledby="picker-title"
        ref={dialog}
      >
        <header className="boon-card-header">
          <h2 id="picker-title">Act as a demo customer</h2>
          <Button variant="ghost" onClick={props.onClose} aria-label="Close">
            ✕
          </Button>
        </header>
        <ul className="boon-list">
          {props.customers.map((customer) => (
            <li key={customer.id}>
              <span>
                <strong>{nameOf(customer)}</strong>{" "}
                <span className="boon-muted">{customer.plan ?? "no plan"}</span>
              </span>
              <Button
                variant={customer.id === props.currentId ? "secondary" : "primary"}
                disabled={customer.id === props.currentId}
                onClick={() => {
                  props.onPick(customer.id);
                  props.onClose();
                }}
                aria-label={`Act as ${nameOf(customer)}`}
              >
                {customer.id === props.currentId ? "Current" : "Act as"}
              </Button>
            </li>
          ))}
        </ul>
        <form className="boon-stack" onSubmit={create} noValidate>
          <TextField
            label="New customer's name"
            hint="A new free-plan customer who just signed up."
            error={failure}
            value={name}
            onChange={setName}
            maxLength={40}
          />
          <div className="boon-row">
            <Button type="submit" variant="secondary" busy={busy}>
              Create and act as
            </Button>
          </div>
        </form>
      </div>
    </div>
  );
}

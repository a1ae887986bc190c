/**
 * The operator's corrections to a wallet: grant credits, reverse a transfer. Both need a reason,
 * which the API keeps on the transfer so the ledger says why; neither submits without one.
 */
import type { FormEvent } from "react";
import { Button } from "../components/ui.js";
import { useConfig } from "../lib/context.js";
import { formatCredits } from "../lib/format.js";
import { ActionBanner, SelectField, TextAreaField, TextField, useWriteForm } from "./console-ui.js";
import {
  buildGrant,
  buildReverse,
  GRANT_DEFAULTS,
  GRANTABLE_KINDS,
  type GrantValues,
  REASON_LENGTH_MAX,
  type ReverseValues,
} from "./grant-form-model.js";
import { useSession } from "./session.js";

const KIND_OPTIONS: Readonly<Record<(typeof GRANTABLE_KINDS)[number], string>> = {
  compensation: "Compensation",
  promotional: "Promotional",
  purchased: "Purchased",
};

export function GrantForm(props: { readonly customerId: string; readonly onDone: () => void }) {
  const { client } = useSession();
  const { displayScale } = useConfig();
  const {
    values,
    setValues,
    errors,
    setErrors,
    change: set,
    action,
    idempotency,
    form,
    arm,
  } = useWriteForm<GrantValues>(GRANT_DEFAULTS);
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const built = buildGrant(values, displayScale, Date.now());
    arm();
    setErrors(built.ok ? {} : built.errors);
    if (!built.ok) return;
    const body = built.body;
    const granted = await action.run(async () => {
      await client.call("grant", {
        params: { customerId: props.customerId },
        body,
        idempotencyKey: idempotency.keyFor({ customerId: props.customerId, ...body }),
      });
      idempotency.succeeded();
      return `Granted ${formatCredits(body.amount, displayScale)} ${body.kind} credits to ${props.customerId}.`;
    });
    if (granted) {
      setValues(GRANT_DEFAULTS);
      props.onDone();
    }
  };
  return (
    <form ref={form} className="boon-stack" onSubmit={submit} noValidate aria-label="Grant credits">
      <div className="boon-form-grid">
        <TextField
          label="Amount"
          inputMode="decimal"
          value={values.amount}
          onChange={set("amount")}
          error={errors.amount}
          hint={displayScale === 0 ? "In whole credits" : `In credits, up to ${displayScale} decimal places`}
        />
        <SelectField
          label="Kind"
          value={values.kind}
          onChange={set("kind")}
          error={errors.kind}
          hint="Compensation and promotional credits spend before purchased ones; purchased are never transferable"
          options={GRANTABLE_KINDS.map((kind) => [kind, KIND_OPTIONS[kind]] as const)}
        />
        <TextField
          label="Expires at"
          type="datetime-local"
          value={values.expiresAt}
          onChange={set("expiresAt")}
          error={errors.expiresAt}
          hint="Your local time; empty for never"
        />
        <TextField
          label="Priority"
          inputMode="numeric"
          value={values.priority}
          onChange={set("priority")}
          error={errors.priority}
          hint="0 to 1000, lower spends first; empty for the kind's default"
        />
      </div>
      <ReasonField value={values.reason} onChange={set("reason")} error={errors.reason} with="grant" />
      <ActionBanner action={action} failed="Boon refused the grant" />
      <div className="boon-form-actions">
        <Button type="submit" busy={action.busy}>
          Grant credits
        </Button>
      </div>
    </form>
  );
}

/** The reason every operator write requires, kept in the ledger with it. */
function ReasonField(props: {
  readonly value: string;
  readonly onChange: (value: string) => void;
  readonly error: string | undefined;
  readonly with: string;
}) {
  return (
    <TextAreaField
      label="Reason"
      value={props.value}
      onChange={props.onChange}
      error={props.error}
      rows={2}
      maxLength={REASON_LENGTH_MAX}
      required
      hint={`Required: kept in the ledger with the ${props.with}`}
    />
  );
}

export function ReverseForm(props: {
  readonly transferId: string;
  readonly onDone: () => void;
  readonly onCancel: () => void;
}) {
  const { client } = useSession();
  const {
    values,
    errors,
    setErrors,
    change: set,
    action,
    idempotency,
    form,
    arm,
  } = useWriteForm<ReverseValues>({
    transferId: props.transferId,
    reason: "",
  });
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const built = buildReverse(values);
    arm();
    setErrors(built.ok ? {} : built.errors);
    if (!built.ok) return;
    const { transferId, reason } = built.body;
    const reversed = await action.run(async () => {
      const answer = await client.call("reverseTransfer", {
        params: { transferId },
        body: { reason },
        idempotencyKey: idempotency.keyFor(built.body),
      });
      idempotency.succeeded();
      return `Reversed ${transferId}: the reversing transfer is ${answer.transferId}.`;
    });
    if (reversed) props.onDone();
  };
  return (
    <form ref={form} className="boon-stack" onSubmit={submit} noValidate aria-label="Reverse a transfer">
      <TextField
        label="Transfer id"
        className="boon-mono"
        value={values.transferId}
        onChange={set("transferId")}
        error={errors.transferId}
        autoComplete="off"
        spellCheck={false}
      />
      <ReasonField value={values.reason} onChange={set("reason")} error={errors.reason} with="reversal" />
      <ActionBanner action={action} failed="Boon refused the reversal" />
      <div className="boon-form-actions">
        <Button type="submit" variant="danger" busy={action.busy}>
          Reverse transfer
        </Button>
        <Button variant="ghost" onClick={props.onCancel}>
          Close
        </Button>
      </div>
    </form>
  );
}

/**
 * The form for a credit pack: each field labeled, with its hint and its problem under it. The values
 * are checked by bundle-form-model.ts (the API's own reader at the end); what the API still refuses is
 * shown beside the Save button, and on the field it names when it names one.
 */
import type { FormEvent } from "react";
import { BoonError, type Schema } from "../../../sdk/client.js";
import { Banner, Button } from "../components/ui.js";
import { useConfig } from "../lib/context.js";
import { currencyDigits } from "../lib/money.js";
import { messageOf } from "../lib/resource.js";
import { navigate } from "../lib/router.js";
import {
  type BundleField,
  type BundleValues,
  buildBundleRequest,
  fieldOfBundleMessage,
} from "./bundle-form-model.js";
import { ActionBanner, SelectField, TextField, useWriteForm } from "./console-ui.js";
import { BUNDLES_PATH } from "./routes.js";
import { useSession } from "./session.js";

export type BundleSaved = Schema<"BundleSaved">;

function creditsHint(scale: number): string {
  return scale === 0 ? "In whole credits" : `In credits, up to ${scale} decimal places`;
}

function priceHint(currency: string): string {
  const code = currency.trim().toLowerCase();
  if (!/^[a-z]{3}$/.test(code)) return "In the currency below, in its own decimals";
  const digits = currencyDigits(code);
  return digits === 0
    ? `In ${code.toUpperCase()}, whole amounts (it has no smaller unit)`
    : `In ${code.toUpperCase()}, up to ${digits} decimal places, such as 40.${"0".repeat(digits)}`;
}

export function BundleForm(props: {
  readonly initialValues: BundleValues;
  /** A new bundle picks its id; an existing one keeps it. */
  readonly isNew: boolean;
  readonly onSaved: (saved: BundleSaved) => void;
}) {
  const { client } = useSession();
  const { displayScale } = useConfig();
  const { values, errors, setErrors, change, action, idempotency, form, arm } = useWriteForm(
    props.initialValues,
  );
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const built = buildBundleRequest(values, displayScale);
    arm();
    if (!built.ok) {
      setErrors(built.errors);
      return;
    }
    setErrors({});
    await action.run(async () => {
      try {
        const body = built.terms;
        const saved = await client.call("putBundle", {
          params: { bundleId: built.id },
          body,
          idempotencyKey: idempotency.keyFor({ id: built.id, body }),
        });
        idempotency.succeeded();
        props.onSaved(saved);
        return null;
      } catch (error) {
        if (error instanceof BoonError) {
          const where = fieldOfBundleMessage(messageOf(error));
          if (where.field !== "form") setErrors({ [where.field]: where.problem });
        }
        throw error;
      }
    });
  };

  const field = (key: BundleField, label: string, hint?: string) => ({
    label,
    value: values[key],
    onChange: change(key),
    error: errors[key],
    ...(hint === undefined ? {} : { hint }),
  });
  const problems = Object.keys(errors).length;
  return (
    <form ref={form} className="boon-stack" onSubmit={submit} noValidate aria-label="Bundle">
      {problems === 0 ? null : (
        <Banner
          tone="bad"
          title={
            problems === 1 ? "Check the field marked below" : `Check the ${problems} fields marked below`
          }
        >
          {errors.form}
        </Banner>
      )}
      <fieldset className="boon-fieldset">
        <legend>The pack</legend>
        <div className="boon-form-grid">
          {props.isNew ? (
            <TextField
              {...field(
                "id",
                "Bundle id",
                "1 to 64 of a-z, 0-9, _ and -, such as team. It can't be changed later.",
              )}
              required
              autoComplete="off"
              spellCheck={false}
            />
          ) : null}
          <TextField {...field("name", "Name", "What the buyer sees, up to 100 characters")} required />
          <TextField
            {...field(
              "credits",
              "Credits",
              `${creditsHint(displayScale)}. Purchased credits, never transferable`,
            )}
            required
            inputMode="decimal"
          />
          <SelectField
            {...field("status", "Status")}
            options={[
              ["active", "Active: on sale"],
              ["retired", "Retired: no new purchases"],
            ]}
          />
        </div>
      </fieldset>
      <fieldset className="boon-fieldset">
        <legend>Price</legend>
        <div className="boon-form-grid">
          <TextField
            {...field("currency", "Currency", "ISO 4217 code, such as usd")}
            required
            autoComplete="off"
            spellCheck={false}
            maxLength={3}
          />
          <TextField {...field("price", "Price", priceHint(values.currency))} required inputMode="decimal" />
          <SelectField
            {...field("giftable", "Can be bought as a gift")}
            options={[
              ["no", "No"],
              ["yes", "Yes: the credits go to the buyer's gift balance"],
            ]}
          />
        </div>
      </fieldset>
      <fieldset className="boon-fieldset">
        <legend>Bonus and expiry</legend>
        <div className="boon-form-grid">
          <TextField
            {...field(
              "bonusCredits",
              "Bonus credits",
              `${creditsHint(displayScale)}. Promotional, on top; 0 for none`,
            )}
            inputMode="decimal"
          />
          <TextField
            {...field(
              "bonusExpiresAfter",
              "Bonus expires after",
              'Required with a bonus: a duration such as "90d", at most 3650d',
            )}
            autoComplete="off"
            spellCheck={false}
          />
          <TextField
            {...field("bonusPriority", "Bonus priority", "Burn-down order, lower spends first. Empty for 10")}
            inputMode="numeric"
          />
          <TextField
            {...field(
              "purchasedExpiresAfter",
              "Purchased credits expire after",
              "Empty for never; otherwise at least 1827d (five years, the shortest life US law allows)",
            )}
            autoComplete="off"
            spellCheck={false}
          />
        </div>
      </fieldset>
      <ActionBanner action={action} failed="Boon refused the bundle" />
      <div className="boon-form-actions">
        <Button type="submit" busy={action.busy}>
          Save bundle
        </Button>
        <Button variant="ghost" onClick={() => navigate(BUNDLES_PATH)}>
          Cancel
        </Button>
      </div>
    </form>
  );
}

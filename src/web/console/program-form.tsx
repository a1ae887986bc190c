/**
 * The form for both kinds of program, drawn from the field list in program-form-model.ts: one
 * fieldset per group, each field labeled, with its hint and its problem under it. What the API
 * refuses is shown beside the Save button, and on the field it names when it names one.
 */
import { type FormEvent, useState } from "react";
import { BoonError, type Schema } from "../../../sdk/client.js";
import { Banner, Button } from "../components/ui.js";
import { useConfig } from "../lib/context.js";
import { messageOf } from "../lib/resource.js";
import { navigate } from "../lib/router.js";
import { ActionBanner, SelectField, TextAreaField, TextField, useWriteForm } from "./console-ui.js";
import { localToIso } from "./form-checks.js";
import {
  activeFields,
  buildProgramRequest,
  defaultValues,
  type FieldErrors,
  type FieldSpec,
  fieldOfApiMessage,
  PROGRAM_TYPES,
  type ProgramType,
  type Values,
} from "./program-form-model.js";
import { useSession } from "./session.js";

export type ProgramSaved = Schema<"ProgramSaved">;

const TYPE_LABELS: Readonly<Record<ProgramType, string>> = { gifting: "Gifting", referral: "Referral" };

export function ProgramForm(props: {
  readonly initialType: ProgramType;
  readonly initialValues: Values;
  /** A new program picks its id and kind; an existing one keeps both. */
  readonly isNew: boolean;
  readonly onSaved: (saved: ProgramSaved) => void;
}) {
  const { client } = useSession();
  const { displayScale } = useConfig();
  const [type, setType] = useState(props.initialType);
  const { values, setValues, errors, setErrors, change, action, idempotency, form, arm } = useWriteForm(
    props.initialValues,
  );
  const changeType = (value: string) => {
    const next = PROGRAM_TYPES.find((known) => known === value) ?? "gifting";
    setType(next);
    setValues({ ...defaultValues(next), id: values.id ?? "" });
    setErrors({});
  };
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const built = buildProgramRequest(type, values, displayScale);
    arm();
    if (!built.ok) {
      setErrors(built.errors);
      return;
    }
    setErrors({});
    await action.run(async () => {
      try {
        const body = built.request;
        const saved = await client.call("saveProgram", { body, idempotencyKey: idempotency.keyFor(body) });
        idempotency.succeeded();
        props.onSaved(saved);
        return null;
      } catch (error) {
        if (error instanceof BoonError) {
          const where = fieldOfApiMessage(type, messageOf(error));
          if (where.field !== "form") setErrors({ [where.field]: where.problem });
        }
        throw error;
      }
    });
  };

  const fields = activeFields(type, values);
  const groups = [...new Set(fields.map((field) => field.group))];
  const problems = Object.keys(errors).length;
  return (
    <form ref={form} className="boon-stack" onSubmit={submit} noValidate aria-label="Program">
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
      {groups.map((group, index) => (
        <fieldset key={group} className="boon-fieldset">
          <legend>{group}</legend>
          <div className="boon-form-grid">
            {index === 0 ? (
              <Identity
                isNew={props.isNew}
                type={type}
                values={values}
                errors={errors}
                change={change}
                changeType={changeType}
              />
            ) : null}
            {fields
              .filter((field) => field.group === group)
              .map((field) => (
                <SpecField
                  key={`${field.key}:${field.read.kind}`}
                  spec={field}
                  value={values[field.key] ?? ""}
                  onChange={change(field.key)}
                  error={errors[field.key]}
                  scale={displayScale}
                />
              ))}
          </div>
        </fieldset>
      ))}
      <ActionBanner action={action} failed="Boon refused the program" />
      <div className="boon-form-actions">
        <Button type="submit" busy={action.busy}>
          Save program
        </Button>
        <Button variant="ghost" onClick={() => navigate("/console/programs")}>
          Cancel
        </Button>
      </div>
    </form>
  );
}

function Identity(props: {
  readonly isNew: boolean;
  readonly type: ProgramType;
  readonly values: Values;
  readonly errors: FieldErrors;
  readonly change: (key: string) => (value: string) => void;
  readonly changeType: (value: string) => void;
}) {
  if (!props.isNew) return null;
  return (
    <>
      <SelectField
        label="Program type"
        hint="Gifting: customers give credits to friends. Referral: they invite friends, and both sides are rewarded."
        value={props.type}
        onChange={props.changeType}
        options={PROGRAM_TYPES.map((type) => [type, TYPE_LABELS[type]] as const)}
      />
      <TextField
        label="Program id"
        value={props.values.id ?? ""}
        onChange={props.change("id")}
        error={props.errors.id}
        hint="1 to 64 of a-z, 0-9, _ and -, such as june-pilot. It can't be changed later."
        autoComplete="off"
        spellCheck={false}
      />
    </>
  );
}

function hintOf(spec: FieldSpec, value: string, scale: number): string | undefined {
  const parts = spec.hint === undefined ? [] : [spec.hint];
  if (spec.fallback !== undefined) parts.push(`Empty for ${spec.fallback}`);
  if (spec.required === true && spec.read.kind !== "choice") parts.push("Required");
  if (spec.read.kind === "credits")
    parts.push(scale === 0 ? "In whole credits" : `In credits, up to ${scale} decimal places`);
  if (spec.read.kind === "instant") {
    const iso = localToIso(value);
    if (iso !== null) parts.push(`In UTC: ${iso.replace(":00.000Z", "Z")}`);
  }
  return parts.length === 0 ? undefined : parts.join(". ");
}

function SpecField(props: {
  readonly spec: FieldSpec;
  readonly value: string;
  readonly onChange: (value: string) => void;
  readonly error: string | undefined;
  readonly scale: number;
}) {
  const { spec } = props;
  const common = {
    label: spec.label,
    required: spec.required === true && spec.read.kind !== "choice",
    value: props.value,
    onChange: props.onChange,
    error: props.error,
    hint: hintOf(spec, props.value, props.scale),
  };
  switch (spec.read.kind) {
    case "choice":
      return <SelectField {...common} label={spec.label} options={spec.read.options} />;
    case "instant":
      return <TextField {...common} type="datetime-local" />;
    case "names":
      return spec.read.what === "domains" ? (
        <TextAreaField {...common} rows={2} spellCheck={false} />
      ) : (
        <TextField {...common} autoComplete="off" spellCheck={false} />
      );
    case "whole":
      return <TextField {...common} inputMode="numeric" />;
    case "credits":
      return <TextField {...common} inputMode="decimal" />;
    default:
      return <TextField {...common} autoComplete="off" spellCheck={false} />;
  }
}

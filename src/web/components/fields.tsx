/**
 * Labeled form controls built on Field: a text input, a select and a text area, each wired to its
 * label, hint and error for screen readers, holding a string value.
 */
import type {
  ChangeEvent,
  InputHTMLAttributes,
  ReactNode,
  SelectHTMLAttributes,
  TextareaHTMLAttributes,
} from "react";
import { Field } from "./ui.js";

interface Labeled {
  readonly label: ReactNode;
  readonly value: string;
  readonly onChange: (value: string) => void;
  readonly error?: string | null | undefined;
  readonly hint?: ReactNode;
}

type Control = HTMLInputElement | HTMLSelectElement | HTMLTextAreaElement;

/** What every control takes from its Field: its id, its description, whether it is invalid, its value. */
function wired<T extends Control>(
  ids: { id: string; describedBy: string | undefined; invalid: boolean },
  value: string,
  onChange: (value: string) => void,
) {
  return {
    id: ids.id,
    "aria-describedby": ids.describedBy,
    "aria-invalid": ids.invalid,
    value,
    onChange: (event: ChangeEvent<T>) => onChange(event.currentTarget.value),
  };
}

function LabeledField(
  props: Labeled & { readonly control: (ids: Parameters<typeof wired>[0]) => ReactNode },
) {
  return (
    <Field
      label={props.label}
      error={props.error ?? null}
      {...(props.hint === undefined ? {} : { hint: props.hint })}
    >
      {props.control}
    </Field>
  );
}

type InputProps = Omit<InputHTMLAttributes<HTMLInputElement>, "value" | "onChange" | "id">;

export function TextField(props: Labeled & InputProps) {
  const { label, value, onChange, error, hint, ...rest } = props;
  return (
    <LabeledField
      {...{ label, value, onChange, error, hint }}
      control={(ids) => <input {...wired<HTMLInputElement>(ids, value, onChange)} {...rest} />}
    />
  );
}

type SelectProps = Omit<SelectHTMLAttributes<HTMLSelectElement>, "value" | "onChange" | "id">;

export function SelectField(
  props: Labeled & { readonly options: readonly (readonly [value: string, label: string])[] } & SelectProps,
) {
  const { label, value, onChange, options, error, hint, ...rest } = props;
  return (
    <LabeledField
      {...{ label, value, onChange, error, hint }}
      control={(ids) => (
        <select {...wired<HTMLSelectElement>(ids, value, onChange)} {...rest}>
          {options.map(([optionValue, optionLabel]) => (
            <option key={optionValue} value={optionValue}>
              {optionLabel}
            </option>
          ))}
        </select>
      )}
    />
  );
}

type TextAreaProps = Omit<TextareaHTMLAttributes<HTMLTextAreaElement>, "value" | "onChange" | "id">;

export function TextAreaField(props: Labeled & TextAreaProps) {
  const { label, value, onChange, error, hint, ...rest } = props;
  return (
    <LabeledField
      {...{ label, value, onChange, error, hint }}
      control={(ids) => <textarea {...wired<HTMLTextAreaElement>(ids, value, onChange)} {...rest} />}
    />
  );
}

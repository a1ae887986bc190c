/**
 * The shared pieces every page is built from, so no layout is written twice: cards, buttons, fields,
 * badges, tables, the loading/empty/error views and a copyable value. Styling is in styles.css, by
 * class names prefixed `boon-` and themed by CSS variables.
 */
import { type ButtonHTMLAttributes, type ReactNode, useId, useState } from "react";
import type { Resource } from "../lib/resource.js";

type Tone = "neutral" | "good" | "warn" | "bad" | "info";

export function Card(props: {
  readonly title?: ReactNode;
  readonly actions?: ReactNode;
  readonly children: ReactNode;
  readonly className?: string;
}) {
  return (
    <section className={`boon-card ${props.className ?? ""}`}>
      {props.title === undefined && props.actions === undefined ? null : (
        <header className="boon-card-header">
          {props.title === undefined ? <span /> : <h2>{props.title}</h2>}
          {props.actions}
        </header>
      )}
      {props.children}
    </section>
  );
}

type ButtonProps = ButtonHTMLAttributes<HTMLButtonElement> & {
  readonly variant?: "primary" | "secondary" | "danger" | "ghost";
  readonly busy?: boolean;
};

export function Button({ variant = "primary", busy = false, disabled, children, ...rest }: ButtonProps) {
  return (
    <button
      type="button"
      className={`boon-button boon-button-${variant}`}
      disabled={disabled === true || busy}
      aria-busy={busy}
      {...rest}
    >
      {busy ? <span className="boon-spinner" aria-hidden="true" /> : null}
      {children}
    </button>
  );
}

export function Badge(props: { readonly tone?: Tone; readonly children: ReactNode }) {
  return <span className={`boon-badge boon-tone-${props.tone ?? "neutral"}`}>{props.children}</span>;
}

/** The tone a state name reads in, across gifts, invites, rewards and programs. */
export function toneOfState(state: string): Tone {
  if (["claimed", "granted", "live", "accepted", "qualified", "active", "approved"].includes(state))
    return "good";
  if (["pending", "hidden", "draft", "review_required", "held", "opened", "paused"].includes(state))
    return "warn";
  if (["revoked", "reversed", "canceled", "rejected", "expired", "ended"].includes(state)) return "bad";
  return "neutral";
}

export function StateBadge(props: { readonly state: string }) {
  return <Badge tone={toneOfState(props.state)}>{props.state.replaceAll("_", " ")}</Badge>;
}

export function Banner(props: {
  readonly tone?: Tone;
  readonly title?: ReactNode;
  readonly children?: ReactNode;
  readonly actions?: ReactNode;
}) {
  const tone = props.tone ?? "info";
  return (
    <div className={`boon-banner boon-tone-${tone}`} role={tone === "bad" ? "alert" : "status"}>
      <div className="boon-banner-text">
        {props.title === undefined ? null : <strong>{props.title}</strong>}
        {props.children === undefined ? null : <div>{props.children}</div>}
      </div>
      {props.actions === undefined ? null : <div className="boon-banner-actions">{props.actions}</div>}
    </div>
  );
}

export function Loading(props: { readonly label?: string }) {
  return (
    <div className="boon-state boon-loading" role="status" aria-live="polite">
      <span className="boon-spinner" aria-hidden="true" />
      {props.label ?? "Loading…"}
    </div>
  );
}

export function ErrorState(props: { readonly message: string; readonly onRetry?: () => void }) {
  return (
    <div className="boon-state boon-error" role="alert">
      <p>{props.message}</p>
      {props.onRetry === undefined ? null : (
        <Button variant="secondary" onClick={props.onRetry}>
          Try again
        </Button>
      )}
    </div>
  );
}

export function Empty(props: { readonly children: ReactNode }) {
  return <div className="boon-state boon-empty">{props.children}</div>;
}

/**
 * A resource's three states in one place: loading, an error with a retry, or its data; `isEmpty`
 * picks the data that has nothing to show, for the `empty` message.
 */
export function Loaded<T>(props: {
  readonly resource: Resource<T>;
  readonly isEmpty?: (data: T) => boolean;
  readonly empty?: ReactNode;
  readonly loadingLabel?: string;
  readonly children: (data: T) => ReactNode;
}) {
  const { resource } = props;
  if (resource.state === "loading") return <Loading {...optional("label", props.loadingLabel)} />;
  if (resource.state === "error") return <ErrorState message={resource.message} onRetry={resource.reload} />;
  if (props.isEmpty?.(resource.data) === true) return <Empty>{props.empty ?? "Nothing here yet."}</Empty>;
  return <>{props.children(resource.data)}</>;
}

function optional<K extends string, V>(key: K, value: V | undefined): { [P in K]?: V } {
  return (value === undefined ? {} : { [key]: value }) as { [P in K]?: V };
}

/** A labeled form control with its hint and error, wired for screen readers. */
export function Field(props: {
  readonly label: ReactNode;
  readonly hint?: ReactNode;
  readonly error?: string | null;
  readonly children: (ids: { id: string; describedBy: string | undefined; invalid: boolean }) => ReactNode;
}) {
  const id = useId();
  const hintId = `${id}-hint`;
  const errorId = `${id}-error`;
  const invalid = props.error !== undefined && props.error !== null && props.error !== "";
  const describedBy =
    [props.hint === undefined ? null : hintId, invalid ? errorId : null]
      .filter((x) => x !== null)
      .join(" ") || undefined;
  return (
    <div className={`boon-field${invalid ? " boon-field-invalid" : ""}`}>
      <label htmlFor={id}>{props.label}</label>
      {props.children({ id, describedBy, invalid })}
      {props.hint === undefined ? null : (
        <small id={hintId} className="boon-hint">
          {props.hint}
        </small>
      )}
      {invalid ? (
        <small id={errorId} className="boon-field-error">
          {props.error}
        </small>
      ) : null}
    </div>
  );
}

export interface Column<Row> {
  readonly header: ReactNode;
  readonly cell: (row: Row) => ReactNode;
  readonly align?: "left" | "right";
}

/** A table that scrolls sideways on a narrow screen instead of breaking the page. */
export function Table<Row>(props: {
  readonly columns: readonly Column<Row>[];
  readonly rows: readonly Row[];
  readonly rowKey: (row: Row) => string;
  readonly caption?: string;
}) {
  return (
    <div className="boon-table-wrap">
      <table className="boon-table">
        {props.caption === undefined ? null : (
          <caption className="boon-visually-hidden">{props.caption}</caption>
        )}
        <thead>
          <tr>
            {props.columns.map((column, index) => (
              // biome-ignore lint/suspicious/noArrayIndexKey: columns are fixed for a table's life.
              <th key={index} scope="col" className={column.align === "right" ? "boon-num" : undefined}>
                {column.header}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {props.rows.map((row) => (
            <tr key={props.rowKey(row)}>
              {props.columns.map((column, index) => (
                // biome-ignore lint/suspicious/noArrayIndexKey: columns are fixed for a table's life.
                <td key={index} className={column.align === "right" ? "boon-num" : undefined}>
                  {column.cell(row)}
                </td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

/** A value to copy (a link, a code) with a button that says when it worked. */
export function CopyField(props: { readonly label: string; readonly value: string }) {
  const [copied, setCopied] = useState<"idle" | "copied" | "failed">("idle");
  const id = useId();
  const copy = () => {
    const clipboard = navigator.clipboard;
    if (clipboard === undefined) {
      setCopied("failed");
      return;
    }
    clipboard.writeText(props.value).then(
      () => setCopied("copied"),
      () => setCopied("failed"),
    );
  };
  return (
    <div className="boon-copy">
      <label htmlFor={id}>{props.label}</label>
      <div className="boon-copy-row">
        <input id={id} readOnly value={props.value} onFocus={(event) => event.currentTarget.select()} />
        <Button variant="secondary" onClick={copy} aria-label={`Copy ${props.label.toLowerCase()}`}>
          {copied === "copied" ? "Copied" : "Copy"}
        </Button>
      </div>
      <span className="boon-visually-hidden" aria-live="polite">
        {copied === "copied"
          ? `${props.label} copied`
          : copied === "failed"
            ? "Copy failed: select and copy it"
            : ""}
      </span>
    </div>
  );
}

/** A big number with its label, for summaries. */
export function Stat(props: {
  readonly label: ReactNode;
  readonly value: ReactNode;
  readonly hint?: ReactNode;
}) {
  return (
    <div className="boon-stat">
      <span className="boon-stat-label">{props.label}</span>
      <span className="boon-stat-value">{props.value}</span>
      {props.hint === undefined ? null : <span className="boon-hint">{props.hint}</span>}
    </div>
  );
}

/** Page title with an optional line under it and actions on the right. */
export function PageHeader(props: {
  readonly title: ReactNode;
  readonly subtitle?: ReactNode;
  readonly actions?: ReactNode;
}) {
  return (
    <header className="boon-page-header">
      <div>
        <h1>{props.title}</h1>
        {props.subtitle === undefined ? null : <p className="boon-subtitle">{props.subtitle}</p>}
      </div>
      {props.actions === undefined ? null : <div className="boon-page-actions">{props.actions}</div>}
    </header>
  );
}

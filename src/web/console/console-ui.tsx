/**
 * Pieces the console's pages share beyond components/ui.tsx and components/fields.tsx: an action runner (busy, error, success) for writes, a confirm step for the
 * irreversible ones, an idempotency key that survives a manual retry, and a key/value list.
 */
import { type ReactNode, type RefObject, useCallback, useEffect, useRef, useState } from "react";
import { Banner, Button } from "../components/ui.js";
import { messageOf, type Resource, useResource } from "../lib/resource.js";

export { SelectField, TextAreaField, TextField } from "../components/fields.js";

export interface Action {
  readonly busy: boolean;
  readonly error: string | null;
  readonly done: string | null;
  /** Runs a write; its error (the API's own message) or its success sentence is shown by ActionBanner. */
  run(write: () => Promise<string | null>): Promise<boolean>;
  clear(): void;
}

/** One write at a time, with what happened. A second run while one is under way is ignored. */
export function useAction(): Action {
  const [state, setState] = useState<{ busy: boolean; error: string | null; done: string | null }>({
    busy: false,
    error: null,
    done: null,
  });
  const running = useRef(false);
  const run = useCallback(async (write: () => Promise<string | null>) => {
    if (running.current) return false;
    running.current = true;
    setState({ busy: true, error: null, done: null });
    try {
      const done = await write();
      setState({ busy: false, error: null, done });
      return true;
    } catch (error) {
      setState({ busy: false, error: messageOf(error), done: null });
      return false;
    } finally {
      running.current = false;
    }
  }, []);
  const clear = useCallback(() => setState({ busy: false, error: null, done: null }), []);
  return { ...state, run, clear };
}

export function ActionBanner(props: { readonly action: Action; readonly failed?: string }) {
  const { error, done } = props.action;
  if (error !== null)
    return (
      <Banner tone="bad" title={props.failed ?? "Boon refused this"}>
        {error}
      </Banner>
    );
  if (done !== null) return <Banner tone="good">{done}</Banner>;
  return null;
}

/**
 * The idempotency key of one intended write: the same until the write succeeds or what it would send
 * changes, so pressing the button again after a lost answer cannot apply it twice.
 */
export function useIdempotencyKey(): { keyFor: (body: unknown) => string; succeeded: () => void } {
  const current = useRef<{ body: string; key: string } | null>(null);
  const keyFor = useCallback((body: unknown) => {
    const text = JSON.stringify(body);
    if (current.current === null || current.current.body !== text)
      current.current = { body: text, key: crypto.randomUUID() };
    return current.current.key;
  }, []);
  const succeeded = useCallback(() => {
    current.current = null;
  }, []);
  return { keyFor, succeeded };
}

/** A button for a write that can't be taken back: the first press asks, the second does it. */
export function ConfirmButton(props: {
  readonly label: string;
  /** The first button's accessible name when its label alone is ambiguous (several "End" buttons). */
  readonly ariaLabel?: string;
  readonly confirmLabel: string;
  readonly question: string;
  readonly onConfirm: () => void;
  readonly busy?: boolean;
  readonly variant?: "danger" | "secondary" | "primary";
}) {
  const [asking, setAsking] = useState(false);
  if (!asking)
    return (
      <Button
        variant={props.variant ?? "danger"}
        busy={props.busy === true}
        aria-label={props.ariaLabel}
        onClick={() => setAsking(true)}
      >
        {props.label}
      </Button>
    );
  return (
    <span className="boon-confirm">
      <span className="boon-confirm-question">{props.question}</span>
      <Button
        variant="danger"
        busy={props.busy === true}
        onClick={() => {
          setAsking(false);
          props.onConfirm();
        }}
      >
        {props.confirmLabel}
      </Button>
      <Button variant="ghost" onClick={() => setAsking(false)}>
        Cancel
      </Button>
    </span>
  );
}

/** Labeled facts in two columns that fold to one on a phone. */
export function Facts(props: { readonly items: readonly (readonly [label: string, value: ReactNode])[] }) {
  return (
    <dl className="boon-facts">
      {props.items.map(([label, value]) => (
        <div key={label}>
          <dt>{label}</dt>
          <dd>{value}</dd>
        </div>
      ))}
    </dl>
  );
}

/** A paged list's "Load more", with its own busy and error state. */
export function LoadMore(props: {
  readonly hasMore: boolean;
  readonly busy: boolean;
  readonly error: string | null;
  readonly onMore: () => void;
}) {
  if (!props.hasMore && props.error === null) return null;
  return (
    <div className="boon-row">
      {props.hasMore ? (
        <Button variant="secondary" busy={props.busy} onClick={props.onMore}>
          Load more
        </Button>
      ) : null}
      {props.error === null ? null : (
        <span className="boon-field-error" role="alert">
          {props.error}
        </span>
      )}
    </div>
  );
}

export interface Page<T> {
  readonly data: readonly T[];
  readonly nextCursor: string | null;
}

export interface Paged<T> {
  /** The rows so far (the first page and every page loaded after it), once the first page is in. */
  readonly resource: Resource<readonly T[]>;
  readonly hasMore: boolean;
  readonly busy: boolean;
  readonly error: string | null;
  readonly loadMore: () => void;
}

/**
 * A cursor-paginated list: the first page as a resource (reloaded when `deps` change), and the
 * pages after it appended on demand. Pages loaded for an older first page are dropped.
 */
export function usePaged<T>(
  load: (cursor: string | undefined) => Promise<Page<T>>,
  deps: readonly unknown[],
): Paged<T> {
  const first = useResource(() => load(undefined), deps);
  const [extra, setExtra] = useState<{
    readonly after: Page<T> | null;
    readonly rows: readonly T[];
    readonly cursor: string | null;
    readonly busy: boolean;
    readonly error: string | null;
  }>({ after: null, rows: [], cursor: null, busy: false, error: null });
  const firstPage = first.state === "ready" ? first.data : null;
  const current = extra.after !== null && extra.after === firstPage ? extra : null;
  const cursor = current === null ? (firstPage?.nextCursor ?? null) : current.cursor;
  const loadMore = () => {
    if (firstPage === null || cursor === null || current?.busy === true) return;
    const rows = current?.rows ?? [];
    setExtra({ after: firstPage, rows, cursor, busy: true, error: null });
    load(cursor).then(
      (page) =>
        setExtra({
          after: firstPage,
          rows: [...rows, ...page.data],
          cursor: page.nextCursor,
          busy: false,
          error: null,
        }),
      (error: unknown) => setExtra({ after: firstPage, rows, cursor, busy: false, error: messageOf(error) }),
    );
  };
  const resource: Resource<readonly T[]> =
    first.state === "ready"
      ? { state: "ready", data: [...first.data.data, ...(current?.rows ?? [])], reload: first.reload }
      : first;
  return {
    resource,
    hasMore: cursor !== null,
    busy: current?.busy === true,
    error: current?.error ?? null,
    loadMore,
  };
}

/**
 * After a refused submit, focus moves to the first field marked invalid, so a keyboard or screen
 * reader user lands on what to fix. `arm` before setting the errors; the next render does the rest.
 */
export function useFocusFirstProblem(): { form: RefObject<HTMLFormElement | null>; arm: () => void } {
  const form = useRef<HTMLFormElement | null>(null);
  const armed = useRef(false);
  useEffect(() => {
    if (!armed.current) return;
    armed.current = false;
    form.current?.querySelector<HTMLElement>('[aria-invalid="true"]')?.focus();
  });
  const arm = useCallback(() => {
    armed.current = true;
  }, []);
  return { form, arm };
}

/**
 * What every console form that writes holds: its values as typed, the errors shown on its fields (a
 * field's error goes when it is edited), the write's action and idempotency key, and the focus move
 * to the first problem after a refused submit.
 */
export function useWriteForm<Values extends { readonly [Key in keyof Values]: string }>(
  initialValues: Values,
) {
  const [values, setValues] = useState<Values>(initialValues);
  const [errors, setErrors] = useState<Readonly<Record<string, string>>>({});
  const action = useAction();
  const idempotency = useIdempotencyKey();
  const { form, arm } = useFocusFirstProblem();
  const change = (key: keyof Values & string) => (value: string) => {
    setValues((current) => ({ ...current, [key]: value }));
    setErrors(({ [key]: _fixed, ...rest }) => rest);
  };
  return { values, setValues, errors, setErrors, change, action, idempotency, form, arm };
}

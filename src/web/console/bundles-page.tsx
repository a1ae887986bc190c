/**
 * Bundles: the catalog of credit packs, retired ones included, with New bundle, Edit and Retire
 * (a confirm step first). Saving stores the terms as the bundle's next version; purchases keep the
 * version they were bought under, so a new price never rewrites a past purchase.
 */
import { useEffect, useState } from "react";
import type { Bundle } from "../../../sdk/client.js";
import {
  Badge,
  Banner,
  Button,
  Card,
  type Column,
  Loaded,
  PageHeader,
  StateBadge,
  Table,
} from "../components/ui.js";
import { Credits, useConfig } from "../lib/context.js";
import { formatDate, formatDateTime } from "../lib/format.js";
import { formatMoney } from "../lib/money.js";
import { useResource } from "../lib/resource.js";
import { Link, navigate } from "../lib/router.js";
import { BundleForm, type BundleSaved } from "./bundle-form.js";
import { defaultBundleValues, valuesFromBundle } from "./bundle-form-model.js";
import { type Action, ActionBanner, ConfirmButton, Facts, useAction } from "./console-ui.js";
import { BUNDLES_PATH, bundlePath } from "./routes.js";
import { useSession } from "./session.js";

/** What a save did, carried from the form to the catalog it returns to. */
let carried: string | null = null;

export function savedBundleSentence(saved: BundleSaved): string {
  const onSale = saved.status === "active" ? "is on sale" : "is retired";
  return saved.created
    ? `Saved ${saved.id}: version ${saved.version} ${onSale}.`
    : `Nothing changed: ${saved.id} already has these terms (version ${saved.version}).`;
}

/** The message carried here, read once: it is cleared after the first render that shows it. */
function useCarriedNotice(): string | null {
  const [notice] = useState(carried);
  useEffect(() => {
    carried = null;
  }, []);
  return notice;
}

function backToCatalog(saved: BundleSaved) {
  carried = savedBundleSentence(saved);
  navigate(BUNDLES_PATH);
}

export function BundlesPage() {
  const { client } = useSession();
  const bundles = useResource(
    () => client.call("listBundles", { query: { includeRetired: "true" } }),
    [client],
  );
  const action = useAction();
  const notice = useCarriedNotice();
  return (
    <>
      <PageHeader
        title="Bundles"
        subtitle="Credit packs for sale: what each gives, what it costs, and whether it can be a gift."
        actions={<Button onClick={() => navigate(`${BUNDLES_PATH}/new`)}>New bundle</Button>}
      />
      <Card>
        {notice === null || action.done !== null || action.error !== null ? null : (
          <Banner tone="good">{notice}</Banner>
        )}
        <ActionBanner action={action} failed="Could not retire the bundle" />
        <Loaded
          resource={bundles}
          isEmpty={(list) => list.data.length === 0}
          empty="No bundles yet. Put a pack on sale with New bundle."
          loadingLabel="Loading bundles…"
        >
          {(list) => <BundleTable bundles={list.data} action={action} onChanged={bundles.reload} />}
        </Loaded>
      </Card>
    </>
  );
}

function BundleTable(props: {
  readonly bundles: readonly Bundle[];
  readonly action: Action;
  readonly onChanged: () => void;
}) {
  const { client } = useSession();
  const retire = (bundleId: string) =>
    props.action
      .run(async () => {
        const saved = await client.call("retireBundle", { params: { bundleId } });
        return saved.created
          ? `Retired ${bundleId}: no new purchases; past purchases keep their terms.`
          : `${bundleId} was already retired.`;
      })
      .then((changed) => {
        if (changed) props.onChanged();
      });
  const columns: Column<Bundle>[] = [
    {
      header: "Bundle",
      cell: (bundle) => (
        <span>
          <Link to={bundlePath(bundle.id)}>{bundle.name}</Link>{" "}
          <span className="boon-hint boon-mono">{bundle.id}</span>
        </span>
      ),
    },
    { header: "Credits", cell: (bundle) => <Credits minor={bundle.credits} unit={false} />, align: "right" },
    {
      header: "Bonus",
      cell: (bundle) =>
        bundle.bonusCredits === 0 ? (
          "—"
        ) : (
          <span>
            <Credits minor={bundle.bonusCredits} unit={false} />{" "}
            <span className="boon-hint">{bundle.bonusExpiresAfter ?? ""}</span>
          </span>
        ),
      align: "right",
    },
    { header: "Price", cell: (bundle) => formatMoney(bundle.price, bundle.currency), align: "right" },
    { header: "Currency", cell: (bundle) => bundle.currency.toUpperCase() },
    { header: "Giftable", cell: (bundle) => (bundle.giftable ? <Badge tone="info">giftable</Badge> : "No") },
    { header: "Status", cell: (bundle) => <StateBadge state={bundle.status} /> },
    {
      header: "Version",
      cell: (bundle) => (
        <span>
          v{bundle.version} <span className="boon-hint">{formatDate(bundle.createdAt)}</span>
        </span>
      ),
    },
    {
      header: <span className="boon-visually-hidden">Actions</span>,
      cell: (bundle) => (
        <span className="boon-row boon-nowrap">
          <Button
            variant="secondary"
            onClick={() => navigate(bundlePath(bundle.id))}
            aria-label={`Edit ${bundle.id}`}
          >
            Edit
          </Button>
          {bundle.status === "active" ? (
            <ConfirmButton
              label="Retire"
              ariaLabel={`Retire ${bundle.id}`}
              confirmLabel={`Retire ${bundle.id}`}
              question={`Retire ${bundle.id}? Nobody can buy it until it is put back on sale.`}
              busy={props.action.busy}
              onConfirm={() => void retire(bundle.id)}
            />
          ) : null}
        </span>
      ),
    },
  ];
  return <Table columns={columns} rows={props.bundles} rowKey={(bundle) => bundle.id} caption="Bundles" />;
}

export function BundleEditorPage(props: { readonly bundleId: string | null }) {
  return props.bundleId === null ? <NewBundle /> : <EditBundle bundleId={props.bundleId} />;
}

function NewBundle() {
  return (
    <>
      <PageHeader
        title="New bundle"
        subtitle="A pack of credits for sale. Purchased credits are never transferable."
        actions={<Link to={BUNDLES_PATH}>Back to the catalog</Link>}
      />
      <Card>
        <BundleForm isNew initialValues={defaultBundleValues()} onSaved={backToCatalog} />
      </Card>
    </>
  );
}

function EditBundle(props: { readonly bundleId: string }) {
  const { client } = useSession();
  const { displayScale } = useConfig();
  // The API has no single-bundle read; the catalog, retired ones included, holds every current version.
  const bundles = useResource(
    () => client.call("listBundles", { query: { includeRetired: "true" } }),
    [client],
  );
  return (
    <>
      <PageHeader
        title={props.bundleId}
        subtitle="Saving stores the terms as a new version; purchases keep the version they were bought under."
        actions={<Link to={BUNDLES_PATH}>Back to the catalog</Link>}
      />
      <Loaded
        resource={bundles}
        isEmpty={(list) => !list.data.some((bundle) => bundle.id === props.bundleId)}
        empty={
          <>
            There is no bundle {props.bundleId}. <Link to={BUNDLES_PATH}>Go to the catalog</Link>.
          </>
        }
        loadingLabel="Loading the bundle…"
      >
        {(list) => {
          const current = list.data.find((bundle) => bundle.id === props.bundleId);
          if (current === undefined) return null;
          return (
            <div className="boon-stack">
              <Card title="Current version">
                <Facts
                  items={[
                    ["Status", <StateBadge key="status" state={current.status} />],
                    ["Price", formatMoney(current.price, current.currency)],
                    ["Credits", <Credits key="credits" minor={current.credits} />],
                    ["Version", `v${current.version}, ${formatDateTime(current.createdAt)}`],
                  ]}
                />
              </Card>
              <Card title="Terms">
                <BundleForm
                  key={current.version}
                  isNew={false}
                  initialValues={valuesFromBundle(current, displayScale)}
                  onSaved={backToCatalog}
                />
              </Card>
            </div>
          );
        }}
      </Loaded>
    </>
  );
}

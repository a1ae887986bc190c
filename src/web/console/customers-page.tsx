/** Customers: search by id, email or name (and plan), a page at a time. */
import { type FormEvent, useState } from "react";
import type { Schema } from "../../../sdk/client.js";
import { Button, Card, type Column, Loaded, PageHeader, Table } from "../components/ui.js";
import { Credits } from "../lib/context.js";
import { formatDate } from "../lib/format.js";
import { Link } from "../lib/router.js";
import { LoadMore, TextField, usePaged } from "./console-ui.js";
import { customerPath } from "./routes.js";
import { useSession } from "./session.js";

type CustomerListItem = Schema<"CustomerListItem">;

/** Customers per page: enough to scan, few enough to load fast. */
const PAGE_SIZE = 25;

/** What the last search asked for; the form keeps its own text until it is submitted. */
interface Search {
  readonly query: string;
  readonly plan: string;
}

export function CustomersPage() {
  const { client } = useSession();
  const [query, setQuery] = useState("");
  const [plan, setPlan] = useState("");
  const [search, setSearch] = useState<Search>({ query: "", plan: "" });
  const customers = usePaged(
    (cursor) =>
      client.call("listCustomers", {
        query: {
          limit: PAGE_SIZE,
          ...(cursor === undefined ? {} : { cursor }),
          ...(search.query === "" ? {} : { query: search.query }),
          ...(search.plan === "" ? {} : { plan: search.plan }),
        },
      }),
    [client, search],
  );
  const submit = (event: FormEvent) => {
    event.preventDefault();
    setSearch({ query: query.trim(), plan: plan.trim() });
  };
  return (
    <>
      <PageHeader
        title="Customers"
        subtitle="Find a customer to see their credits, gifts, referrals and ledger."
      />
      <Card>
        <form className="boon-search" onSubmit={submit}>
          <TextField
            label="Search customers"
            type="search"
            value={query}
            onChange={setQuery}
            hint="The start of an id, or part of an email or name"
            autoComplete="off"
          />
          <TextField label="Plan" value={plan} onChange={setPlan} autoComplete="off" spellCheck={false} />
          <Button type="submit">Search</Button>
        </form>
        <Loaded
          resource={customers.resource}
          isEmpty={(rows) => rows.length === 0}
          empty={
            search.query === "" && search.plan === ""
              ? "No customers yet."
              : "No customer matches this search."
          }
          loadingLabel="Searching…"
        >
          {(rows) => (
            <>
              <CustomerTable rows={rows} />
              <LoadMore {...customers} onMore={customers.loadMore} />
            </>
          )}
        </Loaded>
      </Card>
    </>
  );
}

function CustomerTable(props: { readonly rows: readonly CustomerListItem[] }) {
  const columns: Column<CustomerListItem>[] = [
    {
      header: "Customer",
      cell: (customer) => (
        <Link to={customerPath(customer.id)} className="boon-mono">
          {customer.id}
        </Link>
      ),
    },
    { header: "Name", cell: (customer) => customer.displayName ?? "—" },
    { header: "Email", cell: (customer) => customer.email ?? "—" },
    { header: "Plan", cell: (customer) => customer.plan ?? "—" },
    {
      header: "Available",
      cell: (customer) => <Credits minor={customer.credits.available} unit={false} />,
      align: "right",
    },
    { header: "Last active", cell: (customer) => formatDate(customer.lastActiveAt) },
  ];
  return <Table columns={columns} rows={props.rows} rowKey={(customer) => customer.id} caption="Customers" />;
}

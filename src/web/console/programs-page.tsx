/** Programs: every gifting and referral program with its status and window, and its status changes. */
import type { Program } from "../../../sdk/client.js";
import { Badge, Button, Card, type Column, Loaded, PageHeader, StateBadge, Table } from "../components/ui.js";
import { formatDate, formatDateTime } from "../lib/format.js";
import { useResource } from "../lib/resource.js";
import { Link, navigate } from "../lib/router.js";
import { type Action, ActionBanner, ConfirmButton, useAction } from "./console-ui.js";
import {
  type ProgramStatus,
  type ProgramSummary,
  statusActions,
  summarizeProgram,
} from "./program-form-model.js";
import { programPath } from "./routes.js";
import { useSession } from "./session.js";

export function ProgramsPage() {
  const { client } = useSession();
  const programs = useResource(() => client.call("listPrograms"), [client]);
  const action = useAction();
  return (
    <>
      <PageHeader
        title="Programs"
        subtitle="Gifting and referral programs: who may take part, when, and what they get."
        actions={<Button onClick={() => navigate("/console/programs/new")}>New program</Button>}
      />
      <Card>
        <ActionBanner action={action} failed="Could not change the program" />
        <Loaded
          resource={programs}
          isEmpty={(page) => page.data.length === 0}
          empty="No programs yet. Start one with New program."
          loadingLabel="Loading programs…"
        >
          {(page) => <ProgramTable programs={page.data} action={action} onChanged={programs.reload} />}
        </Loaded>
      </Card>
    </>
  );
}

const STATUS_SENTENCES: Readonly<Record<ProgramStatus, (programId: string) => string>> = {
  live: (programId) => `${programId} is live.`,
  draft: (programId) =>
    `${programId} is paused: back to draft, nobody can take part until it goes live again.`,
  hidden: (programId) => `${programId} is a hidden pilot: only the cohorts it names can take part.`,
  ended: (programId) => `${programId} has ended.`,
};

/** When a program runs: a referral program's window, or for gifting, whenever it is live. */
export function windowText(summary: ProgramSummary, type: Program["type"]): string {
  if (type === "gifting") return "While live";
  if (summary.opensAt === null && summary.closesAt === null) return "While live";
  if (summary.closesAt === null) return `From ${formatDateTime(summary.opensAt)}`;
  if (summary.opensAt === null) return `Until ${formatDateTime(summary.closesAt)}`;
  return `${formatDateTime(summary.opensAt)} – ${formatDateTime(summary.closesAt)}`;
}

function ProgramTable(props: {
  readonly programs: readonly Program[];
  readonly action: Action;
  readonly onChanged: () => void;
}) {
  const { client } = useSession();
  const nowMs = Date.now();
  const rows = props.programs.map((program) => ({
    program,
    summary: summarizeProgram(program.type, program.terms, nowMs),
  }));
  const setStatus = (programId: string, status: ProgramStatus) =>
    props.action
      .run(async () => {
        await client.call("patchProgram", { params: { programId }, body: { status } });
        return STATUS_SENTENCES[status](programId);
      })
      .then((changed) => {
        if (changed) props.onChanged();
      });
  const columns: Column<(typeof rows)[number]>[] = [
    {
      header: "Program",
      cell: ({ program }) => (
        <Link to={programPath(program.id)} className="boon-mono">
          {program.id}
        </Link>
      ),
    },
    { header: "Type", cell: ({ program }) => <Badge tone="info">{program.type}</Badge> },
    {
      header: "Status",
      cell: ({ summary }) => (
        <span className="boon-row">
          <StateBadge state={summary.phase} />
          {summary.phase === summary.status ? null : (
            <span className="boon-hint">status {summary.status}</span>
          )}
        </span>
      ),
    },
    { header: "Window", cell: ({ program, summary }) => windowText(summary, program.type) },
    {
      header: "Version",
      cell: ({ program }) => (
        <span>
          v{program.version} <span className="boon-hint">{formatDate(program.createdAt)}</span>
        </span>
      ),
    },
    {
      header: <span className="boon-visually-hidden">Actions</span>,
      cell: ({ program, summary }) => (
        <span className="boon-row boon-nowrap">
          <Button
            variant="secondary"
            onClick={() => navigate(programPath(program.id))}
            aria-label={`Edit ${program.id}`}
          >
            Edit
          </Button>
          {statusActions(summary.status).map((change) =>
            change.status === "ended" ? (
              <ConfirmButton
                key={change.status}
                label={change.label}
                ariaLabel={`${change.label}: ${program.id}`}
                confirmLabel={`End ${program.id}`}
                question={`End ${program.id}? Nobody can take part after this.`}
                busy={props.action.busy}
                onConfirm={() => void setStatus(program.id, change.status)}
              />
            ) : (
              <Button
                key={change.status}
                variant="secondary"
                busy={props.action.busy}
                aria-label={`${change.label}: ${program.id}`}
                onClick={() => void setStatus(program.id, change.status)}
              >
                {change.label}
              </Button>
            ),
          )}
        </span>
      ),
    },
  ];
  return <Table columns={columns} rows={rows} rowKey={({ program }) => program.id} caption="Programs" />;
}

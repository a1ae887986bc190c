/** A program's page: the form for a new program, or for the current version of an existing one. */
import { useEffect, useState } from "react";
import { Banner, Card, Loaded, PageHeader } from "../components/ui.js";
import { useConfig } from "../lib/context.js";
import { formatDateTime } from "../lib/format.js";
import { useResource } from "../lib/resource.js";
import { Link, navigate } from "../lib/router.js";
import { Facts } from "./console-ui.js";
import { ProgramForm, type ProgramSaved } from "./program-form.js";
import { defaultValues, summarizeProgram, valuesFromTerms } from "./program-form-model.js";
import { windowText } from "./programs-page.js";
import { programPath } from "./routes.js";
import { useSession } from "./session.js";

/** What a save did, carried from the new-program page to the program's own page it opens next. */
let carried: string | null = null;

function savedSentence(saved: ProgramSaved): string {
  return saved.created
    ? `Saved ${saved.id}: version ${saved.version} is now in force.`
    : `Nothing changed: ${saved.id} already has these terms (version ${saved.version}).`;
}

/** The message carried here, read once: it is cleared after the first render that shows it. */
function useCarriedNotice(): [string | null, (notice: string | null) => void] {
  const [notice, setNotice] = useState(carried);
  useEffect(() => {
    carried = null;
  }, []);
  return [notice, setNotice];
}

export function ProgramEditorPage(props: { readonly programId: string | null }) {
  return props.programId === null ? <NewProgram /> : <EditProgram programId={props.programId} />;
}

function NewProgram() {
  return (
    <>
      <PageHeader
        title="New program"
        subtitle="Start as a draft, try it as a hidden pilot, then go live."
        actions={<Link to="/console/programs">Back to the list</Link>}
      />
      <Card>
        <ProgramForm
          isNew
          initialType="gifting"
          initialValues={defaultValues("gifting")}
          onSaved={(saved) => {
            carried = savedSentence(saved);
            navigate(programPath(saved.id), { replace: true });
          }}
        />
      </Card>
    </>
  );
}

function EditProgram(props: { readonly programId: string }) {
  const { client } = useSession();
  const { displayScale } = useConfig();
  const [notice, setNotice] = useCarriedNotice();
  const program = useResource(
    () => client.call("getProgram", { params: { programId: props.programId } }),
    [client, props.programId],
  );
  return (
    <>
      <PageHeader
        title={props.programId}
        subtitle="Saving stores the terms as a new version; gifts and referrals keep the version they were made under."
        actions={<Link to="/console/programs">Back to the list</Link>}
      />
      <div className="boon-stack">
        {notice === null ? null : <Banner tone="good">{notice}</Banner>}
        <Loaded resource={program} loadingLabel="Loading the program…">
          {(current) => {
            const summary = summarizeProgram(current.type, current.terms, Date.now());
            return (
              <div className="boon-stack">
                <Card title="Current version">
                  <Facts
                    items={[
                      ["Type", current.type],
                      [
                        "Status",
                        summary.phase === summary.status
                          ? summary.status
                          : `${summary.phase} (status ${summary.status})`,
                      ],
                      ["Window", windowText(summary, current.type)],
                      ["Version", `v${current.version}, ${formatDateTime(current.createdAt)}`],
                    ]}
                  />
                  {current.type === "referral" ? (
                    <p className="boon-hint">
                      <Link to="/console/reports">See its funnel and viral coefficient</Link>
                    </p>
                  ) : null}
                </Card>
                <Card title="Terms">
                  <ProgramForm
                    key={current.version}
                    isNew={false}
                    initialType={current.type}
                    initialValues={valuesFromTerms(current.type, current.id, current.terms, displayScale)}
                    onSaved={(saved) => {
                      setNotice(savedSentence(saved));
                      program.reload();
                    }}
                  />
                </Card>
              </div>
            );
          }}
        </Loaded>
      </div>
    </>
  );
}

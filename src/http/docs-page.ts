/** A readable reference page rendered from the OpenAPI document: every route, who may call it, and why. */

interface Operation {
  readonly summary?: string;
  readonly description?: string;
  readonly tags?: readonly string[];
  readonly security?: readonly unknown[];
}

const escapeHtml = (text: string): string =>
  text.replace(
    /[<>&"']/g,
    (c) => ({ "<": "&lt;", ">": "&gt;", "&": "&amp;", '"': "&quot;", "'": "&#39;" })[c] ?? c,
  );

export function renderDocsPage(document: { paths?: object | undefined }): string {
  const paths = (document.paths ?? {}) as Record<string, Record<string, Operation>>;
  const rows = Object.entries(paths).flatMap(([path, methods]) =>
    Object.entries(methods).map(
      ([method, op]) =>
        `<tr><td><code>${method.toUpperCase()}</code></td><td><code>${escapeHtml(path)}</code></td>` +
        `<td>${escapeHtml(op.summary ?? "")}<br><small>${escapeHtml(op.description ?? "")}</small></td>` +
        `<td>${op.security === undefined ? "public" : "Bearer key"}</td></tr>`,
    ),
  );
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Boon API reference</title>
<meta name="viewport" content="width=device-width, initial-scale=1">
<style>body{font-family:system-ui,sans-serif;margin:2rem;color:#1d2430}table{border-collapse:collapse;width:100%}
td{border-top:1px solid #dde2e8;padding:.5rem;vertical-align:top}code{font-size:.95em}small{color:#4a5563}</style></head>
<body><h1>Boon API reference</h1><p>The machine-readable document is at <a href="/openapi.json">/openapi.json</a> (OpenAPI 3.1).
Errors are <code>{"error": {"code", "message", "requestId"}}</code>; every write accepts an <code>Idempotency-Key</code> header.</p>
<table><thead><tr><th>method</th><th>path</th><th>what</th><th>auth</th></tr></thead><tbody>${rows.join("")}</tbody></table></body></html>`;
}

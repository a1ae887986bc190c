/**
 * JSON for a parameter. Row builders turn bigints into decimal strings themselves (`jsonb_to_recordset`
 * casts them back to bigint): a replacer function would run for every value of every row of every batch.
 *
 * It lives apart from the repositories so that none of them imports another for it: the ledger's write
 * statement embeds the usage CTEs at load time, and an import cycle between the two modules could
 * leave that text undefined.
 */
export function jsonParam(value: unknown): string {
  return JSON.stringify(value);
}

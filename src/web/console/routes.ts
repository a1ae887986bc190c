/** The console's pages by path, and the navigation between them. */
import { matchPath } from "../lib/router.js";

export const CONSOLE_BASE = "/console";
export const BUNDLES_PATH = `${CONSOLE_BASE}/bundles`;

export type ConsoleRoute =
  | { readonly page: "programs" }
  | { readonly page: "program-new" }
  | { readonly page: "program"; readonly programId: string }
  | { readonly page: "bundles" }
  | { readonly page: "bundle-new" }
  | { readonly page: "bundle"; readonly bundleId: string }
  | { readonly page: "customers" }
  | { readonly page: "customer"; readonly customerId: string }
  | { readonly page: "reports" }
  | { readonly page: "review" }
  | { readonly page: "not-found" };

export type Section = "programs" | "bundles" | "customers" | "reports" | "review";

export const NAV: readonly { readonly section: Section; readonly label: string; readonly path: string }[] = [
  { section: "programs", label: "Programs", path: `${CONSOLE_BASE}/programs` },
  { section: "bundles", label: "Bundles", path: `${CONSOLE_BASE}/bundles` },
  { section: "customers", label: "Customers", path: `${CONSOLE_BASE}/customers` },
  { section: "reports", label: "Reports", path: `${CONSOLE_BASE}/reports` },
  { section: "review", label: "Review", path: `${CONSOLE_BASE}/review` },
];

export function consoleRoute(path: string): ConsoleRoute {
  const trimmed = path.length > 1 ? path.replace(/\/+$/, "") : path;
  if (trimmed === CONSOLE_BASE || trimmed === `${CONSOLE_BASE}/programs`) return { page: "programs" };
  if (trimmed === `${CONSOLE_BASE}/programs/new`) return { page: "program-new" };
  const program = matchPath(`${CONSOLE_BASE}/programs/:programId`, trimmed);
  if (program?.programId !== undefined) return { page: "program", programId: program.programId };
  if (trimmed === BUNDLES_PATH) return { page: "bundles" };
  if (trimmed === `${BUNDLES_PATH}/new`) return { page: "bundle-new" };
  const bundle = matchPath(`${BUNDLES_PATH}/:bundleId`, trimmed);
  if (bundle?.bundleId !== undefined) return { page: "bundle", bundleId: bundle.bundleId };
  if (trimmed === `${CONSOLE_BASE}/customers`) return { page: "customers" };
  const customer = matchPath(`${CONSOLE_BASE}/customers/:customerId`, trimmed);
  if (customer?.customerId !== undefined) return { page: "customer", customerId: customer.customerId };
  if (trimmed === `${CONSOLE_BASE}/reports`) return { page: "reports" };
  if (trimmed === `${CONSOLE_BASE}/review`) return { page: "review" };
  return { page: "not-found" };
}

export function sectionOf(route: ConsoleRoute): Section | null {
  switch (route.page) {
    case "programs":
    case "program-new":
    case "program":
      return "programs";
    case "bundles":
    case "bundle-new":
    case "bundle":
      return "bundles";
    case "customers":
    case "customer":
      return "customers";
    case "reports":
    case "review":
      return route.page;
    case "not-found":
      return null;
  }
}

export const programPath = (programId: string) => `${CONSOLE_BASE}/programs/${encodeURIComponent(programId)}`;
export const customerPath = (customerId: string) =>
  `${CONSOLE_BASE}/customers/${encodeURIComponent(customerId)}`;
export const bundlePath = (bundleId: string) => `${BUNDLES_PATH}/${encodeURIComponent(bundleId)}`;

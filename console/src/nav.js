/** Hash navigation: `#/page/tenant/...`. Tenant ids and page names only, never a secret. */
export function go(page, tenant = "", ...rest) {
  location.hash = `#/${[page, tenant, ...rest].map(encodeURIComponent).join("/")}`;
}

/** The tenants page's pseudo-id for "create": `*` cannot start a tenant id. */
export const NEW_TENANT = "*new";

/** The agency roles, most powerful last, and the one name each goes by on every page and in every mail. */
export const AGENCY_ROLES = ['STAFF', 'PROVIDER_ADMIN', 'SUPER_ADMIN'] as const;
export type AgencyRole = (typeof AGENCY_ROLES)[number];

export const ROLE_LABEL: Record<AgencyRole, string> = {
  STAFF: 'Staff',
  PROVIDER_ADMIN: 'Provider administrator',
  SUPER_ADMIN: 'Super administrator',
};

/** "a provider administrator", for sentences. */
export function roleWithArticle(role: AgencyRole): string {
  return `${role === 'STAFF' ? 'a staff member' : `a ${ROLE_LABEL[role].toLowerCase()}`}`;
}

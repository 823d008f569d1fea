/**
 * Roles and permissions. Every contract method names one permission; the station checks it
 * server-side for every call (D-CUSTODIAN: named persons hold named powers).
 */
export const ROLES = ['officer', 'custodian', 'supervisor', 'admin'] as const;
export type Role = (typeof ROLES)[number];

/**
 * `public`: callable without a session (station info, first-run setup, login).
 * `session`: any logged-in user, whatever the role.
 */
export const PERMISSIONS = [
  'public',
  'session',
  'users.read',
  'users.manage',
  'audit.read',
  'audit.verify',
  'recorders.read',
  'recorders.manage',
  'clips.read',
  'policy.read',
  'policy.manage',
  'clips.label',
  'clips.play',
  'cases.read',
  'cases.create',
  'cases.manage',
  'cases.archive',
  'reports.read',
  /** D-NO-TAMPER, D-SUPERVISION: the archive integrity sweep's results. */
  'integrity.read',
  /** D-CUSTODIAN: starting a sweep now. */
  'integrity.run',
  /** Separation of duties: the custodian and supervisor roles waiting for confirmation. */
  'grants.read',
  /** Confirming or rejecting them: a custodian, never the admin who asked (D-CUSTODIAN). */
  'grants.decide',
  /** D-24H, D-SUPERVISION: the central-storage targets and how far forwarding has come. */
  'forward.read',
  /** D-CUSTODIAN: adding, testing, changing and removing targets; retrying failures. */
  'forward.manage',
  /** D-LONGTERM, D-SUPERVISION: the disc register, sets, drives and labels. */
  'disc.read',
  /** D-CUSTODIAN: planning, burning, re-checking and handing over discs. */
  'disc.manage',
] as const;
export type Permission = (typeof PERMISSIONS)[number];

/**
 * Supervisors oversee (D-SUPERVISION): they read users and the audit log and verify the chain,
 * but change nothing. Custodians run the archive and read its audit log. Admins manage accounts.
 */
export const ROLE_PERMISSIONS: Readonly<Record<Role, readonly Permission[]>> = {
  // An officer reads clips too, but only their own: the handler narrows it (D-NO-LEAK).
  // Officers label, play and file into cases their own footage only: the handlers narrow it.
  officer: [
    'public',
    'session',
    'clips.read',
    'clips.label',
    'clips.play',
    'cases.read',
    'cases.create',
    'cases.manage',
  ],
  // Custodians register recorders, run the archive and set the unit's docking policy (D-CUSTODIAN).
  custodian: [
    'public',
    'session',
    'audit.read',
    'audit.verify',
    'recorders.read',
    'recorders.manage',
    'clips.read',
    'policy.read',
    'policy.manage',
    'clips.label',
    'clips.play',
    'cases.read',
    'cases.create',
    'cases.manage',
    'cases.archive',
    'reports.read',
    'integrity.read',
    'integrity.run',
    // Custodians confirm the roles an admin asks for; they read the accounts to know whom.
    'users.read',
    'grants.read',
    'grants.decide',
    'forward.read',
    'forward.manage',
    'disc.read',
    'disc.manage',
  ],
  supervisor: [
    'public',
    'session',
    'users.read',
    'audit.read',
    'audit.verify',
    'recorders.read',
    'clips.read',
    'policy.read',
    'clips.play',
    'cases.read',
    'reports.read',
    'integrity.read',
    'grants.read',
    'forward.read',
    'disc.read',
  ],
  admin: [
    'public',
    'session',
    'users.read',
    'users.manage',
    'audit.read',
    'audit.verify',
    'recorders.read',
    'policy.read',
    'grants.read',
  ],
};

export function roleHasPermission(role: Role, permission: Permission): boolean {
  return ROLE_PERMISSIONS[role].includes(permission);
}

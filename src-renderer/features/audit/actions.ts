/**
 * Audit actions the station is known to write (their names are translated; any other action
 * is shown by its raw id). The filter offers these as suggestions.
 */
export const KNOWN_AUDIT_ACTIONS = [
  'setup.admin.created',
  'auth.login',
  'auth.login.failed',
  'auth.login.refused',
  'auth.locked',
  'auth.logout',
  'auth.password.changed',
  'user.added',
  'user.disabled',
  'user.enabled',
  'user.password.reset',
  'catalogue.migrated',
  'station.started',
  'station.stopped',
] as const;

import type { Permission, Role } from '../../src-main/contract/roles';
import { roleHasPermission } from '../../src-main/contract/roles';

/**
 * The screens that exist, in side-menu order. Dock comes first: docking recorders is what the
 * station is for. Later capabilities (cases, discs…) get an entry when they exist.
 */
export const SCREENS = ['dock', 'home', 'recorders', 'policy', 'users', 'audit'] as const;
export type Screen = (typeof SCREENS)[number];

const SCREEN_PERMISSION: Record<Screen, Permission> = {
  dock: 'session',
  home: 'session',
  recorders: 'recorders.read',
  policy: 'policy.read',
  users: 'users.read',
  audit: 'audit.read',
};

export function screensFor(role: Role): Screen[] {
  return SCREENS.filter((screen) => roleHasPermission(role, SCREEN_PERMISSION[screen]));
}

/** Where a role lands: officers come to dock their recorders; the others to their overview. */
export function defaultScreen(role: Role): Screen {
  return role === 'officer' ? 'dock' : 'home';
}

export function screenFromHash(hash: string, role: Role): Screen {
  const name = hash.replace(/^#\/?/, '');
  const allowed = screensFor(role);
  return (allowed as string[]).includes(name) ? (name as Screen) : defaultScreen(role);
}

import type { Permission, Role } from '../../src-main/contract/roles';
import { roleHasPermission } from '../../src-main/contract/roles';

/** The screens that exist. Later capabilities (dock, clips, cases…) get an entry when they exist. */
export const SCREENS = ['home', 'users', 'audit'] as const;
export type Screen = (typeof SCREENS)[number];

const SCREEN_PERMISSION: Record<Screen, Permission> = {
  home: 'session',
  users: 'users.read',
  audit: 'audit.read',
};

export function screensFor(role: Role): Screen[] {
  return SCREENS.filter((screen) => roleHasPermission(role, SCREEN_PERMISSION[screen]));
}

export function screenFromHash(hash: string, role: Role): Screen {
  const name = hash.replace(/^#\/?/, '');
  const allowed = screensFor(role);
  return (allowed as string[]).includes(name) ? (name as Screen) : 'home';
}

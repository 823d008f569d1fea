import { type Permission, type Role, roleHasPermission } from '../../src-main/contract';

/**
 * The screens that exist, in side-menu order. Dock comes first: docking recorders is what the
 * station is for; labelling the footage follows it.
 */
export const SCREENS = [
  'dock',
  'label',
  'home',
  'clips',
  'cases',
  'reports',
  'forwarding',
  'discs',
  'recorders',
  'policy',
  'users',
  'audit',
] as const;
export type Screen = (typeof SCREENS)[number];

const SCREEN_PERMISSION: Record<Screen, Permission> = {
  dock: 'session',
  // Officers label their own clips; custodians may label anyone's (the station narrows it).
  label: 'clips.label',
  home: 'session',
  clips: 'clips.read',
  cases: 'cases.read',
  reports: 'reports.read',
  // Custodians manage central storage; supervisors read it (D-24H, D-SUPERVISION).
  forwarding: 'forward.read',
  // Custodians plan, burn and re-check long-term discs; supervisors read the register (D-LONGTERM).
  discs: 'disc.read',
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

/**
 * A place in the UI: a screen and what it shows, e.g. `#/cases/<case number>`, or
 * `#/discs/<case number>` (the disc plan form filled in for that case).
 */
export interface Location {
  screen: Screen;
  /** The rest of the address, decoded (a case number), or null. */
  param: string | null;
}

function parts(hash: string): { name: string; param: string | null } {
  const path = hash.replace(/^#\/?/, '');
  const slash = path.indexOf('/');
  if (slash < 0) return { name: path, param: null };
  const raw = path.slice(slash + 1);
  let param: string | null;
  try {
    param = raw === '' ? null : decodeURIComponent(raw);
  } catch {
    param = null;
  }
  return { name: path.slice(0, slash), param };
}

export function screenFromHash(hash: string, role: Role): Screen {
  return locationFromHash(hash, role).screen;
}

export function locationFromHash(hash: string, role: Role): Location {
  const { name, param } = parts(hash);
  const allowed = screensFor(role);
  return (allowed as string[]).includes(name)
    ? { screen: name as Screen, param }
    : { screen: defaultScreen(role), param: null };
}

export function hashFor(screen: Screen, param: string | null = null): string {
  return param === null || param === ''
    ? `#/${screen}`
    : `#/${screen}/${encodeURIComponent(param)}`;
}

/** Goes to a place; the shell follows the address (hashchange). */
export function navigate(screen: Screen, param: string | null = null): void {
  window.location.hash = hashFor(screen, param);
}

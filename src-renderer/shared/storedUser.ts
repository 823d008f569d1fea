import type { Role } from '../../src-main/contract';

/** Who is at the station, remembered for this tab so a reload lands on the right screen. */
export interface KnownUser {
  badge: string;
  name: string;
  role: Role;
}

const CURRENT_KEY = 'evidock.user';
const LOCKED_KEY = 'evidock.locked';

function read(key: string): KnownUser | null {
  try {
    const raw = window.sessionStorage.getItem(key);
    if (raw === null) return null;
    const value = JSON.parse(raw) as Partial<KnownUser>;
    if (typeof value.badge !== 'string' || typeof value.name !== 'string') return null;
    if (typeof value.role !== 'string') return null;
    return { badge: value.badge, name: value.name, role: value.role };
  } catch {
    return null;
  }
}

function write(key: string, user: KnownUser | null): void {
  try {
    if (user === null) window.sessionStorage.removeItem(key);
    else
      window.sessionStorage.setItem(
        key,
        JSON.stringify({ badge: user.badge, name: user.name, role: user.role }),
      );
  } catch {
    // Storage unavailable: a reload then starts from the login screen.
  }
}

export const storedUser = {
  current: (): KnownUser | null => read(CURRENT_KEY),
  setCurrent: (user: KnownUser | null): void => write(CURRENT_KEY, user),
  locked: (): KnownUser | null => read(LOCKED_KEY),
  setLocked: (user: KnownUser | null): void => write(LOCKED_KEY, user),
};

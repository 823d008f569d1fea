import { roleHasPermission, type Permission } from '../../contract';
import type { CliSession } from './context';
import { fail } from './output';

/**
 * Logs in as `badge` and requires a permission before a command does anything: a custodian's
 * power over forwarding or discs, say. The station checks it again on every call; this says so
 * once, in the command's words, before any password-protected work starts.
 */
export async function actingWith(
  session: CliSession,
  badge: string | undefined,
  permission: Permission,
  doing: string,
): Promise<string> {
  await session.loginAs(badge);
  const { user } = await session.call('auth.whoami', {});
  if (!roleHasPermission(user.role, permission)) {
    fail('FORBIDDEN', `The ${user.role} role may not ${doing} (needs ${permission}).`);
  }
  return user.badge;
}

/** Stops a long command between two steps on Ctrl+C or SIGTERM. */
export function stopOnSignal(why: string): { signal: AbortSignal; release: () => void } {
  const stop = new AbortController();
  const onSignal = () => stop.abort(new Error(why));
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  return {
    signal: stop.signal,
    release: () => {
      process.off('SIGINT', onSignal);
      process.off('SIGTERM', onSignal);
    },
  };
}

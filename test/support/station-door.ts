// A test's sessions at the station's one door (its dispatcher), each kept under a name: calls go
// through the same validation, permission checks and error codes as a screen's.
import type { RpcResult } from '../../src-main/contract';
import type { Station } from '../../src-main/station/services';

export interface StationDoor {
  /** Session tokens by name: a badge, or another name for a second session of that badge. */
  tokens: Map<string, string>;
  /** A call as the session named `as`, or with no session. */
  call: (method: string, params: unknown, as?: string) => Promise<RpcResult>;
  /** The same, failing the test unless the station answers ok; its value. */
  ok: <T>(method: string, params: unknown, as?: string) => Promise<T>;
  /** Logs `badge` in with `password` and keeps the session as `as` (the badge by default). */
  logIn: (badge: string, password: string, as?: string) => Promise<string>;
}

/** The door of `station()`, read at each call (tests open a new station for each test). */
export function stationDoor(station: () => Station): StationDoor {
  const tokens = new Map<string, string>();
  const call = (method: string, params: unknown, as?: string): Promise<RpcResult> =>
    station().dispatcher.dispatch({ method, params, session: as && tokens.get(as) });
  const ok = async <T>(method: string, params: unknown, as?: string): Promise<T> => {
    const result = await call(method, params, as);
    if (!result.ok) throw new Error(`${method}: ${result.error.code} ${result.error.message}`);
    return result.value as T;
  };
  const logIn = async (badge: string, password: string, as = badge): Promise<string> => {
    const { token } = await ok<{ token: string }>('auth.login', { badge, password });
    tokens.set(as, token);
    return token;
  };
  return { tokens, call, ok, logIn };
}

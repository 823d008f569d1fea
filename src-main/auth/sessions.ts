import { randomBytes } from 'node:crypto';

export type RevokeReason = 'disabled' | 'password-reset' | 'locked';

export interface Session {
  token: string;
  badge: string;
  /**
   * The account's password generation when the session opened: once a person sets another
   * password (here, in another session, or from another process), the session ends.
   */
  generation: number;
  lastActivity: number;
  /** Set when an admin ended the session (account disabled, password reset); told once. */
  revoked?: RevokeReason;
}

/**
 * Sessions live in the station's memory only: a restarted station asks everyone to log in again,
 * which is what a shared workstation wants. A session ends after `idleMs` without a call
 * (the UI locks at the same moment).
 */
export class SessionStore {
  private readonly sessions = new Map<string, Session>();

  constructor(
    readonly idleMs: number,
    private readonly now: () => number = Date.now,
  ) {}

  open(badge: string, generation: number): Session {
    const session = {
      token: randomBytes(32).toString('base64url'),
      badge,
      generation,
      lastActivity: this.now(),
    };
    this.sessions.set(session.token, session);
    return session;
  }

  /** The live session for a token, its idle clock restarted; `expired` when it timed out. */
  touch(token: string): Session | 'expired' | RevokeReason | undefined {
    const session = this.sessions.get(token);
    if (!session) return undefined;
    if (session.revoked) {
      this.sessions.delete(token);
      return session.revoked;
    }
    const now = this.now();
    if (now - session.lastActivity > this.idleMs) {
      this.sessions.delete(token);
      return 'expired';
    }
    session.lastActivity = now;
    return session;
  }

  /** Looks without touching: for deciding who may receive a pushed event. */
  peek(token: string): Session | undefined {
    const session = this.sessions.get(token);
    return session && !session.revoked && this.now() - session.lastActivity <= this.idleMs
      ? session
      : undefined;
  }

  /** The session that changed its own password carries on under the new one. */
  adopt(token: string, generation: number): void {
    const session = this.sessions.get(token);
    if (session) session.generation = generation;
  }

  close(token: string): void {
    this.sessions.delete(token);
  }

  /** Ends every session of a user; each says why at its next call. */
  revokeAllFor(badge: string, reason: RevokeReason): void {
    const key = badge.toLowerCase();
    for (const session of this.sessions.values()) {
      if (session.badge.toLowerCase() === key) session.revoked = reason;
    }
  }
}

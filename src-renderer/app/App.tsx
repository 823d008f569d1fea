import { useCallback, useEffect, useRef, useState } from 'react';
import { App as AntApp, Button, Result, Spin } from 'antd';
import { useTranslation } from 'react-i18next';
import type { SessionInfo } from '../../src-main/contract';
import type { StationClient } from '../api/client';
import { errorText } from '../i18n/format';
import { StationError, isSessionLoss } from '../api/errors';
import { LoginScreen, type LoginNotice } from '../features/login/LoginScreen';
import { LockScreen, type LockReason } from '../features/lock/LockScreen';
import { SetupScreen } from '../features/setup/SetupScreen';
import { AppShell, type ActiveSession } from './AppShell';
import { StationProvider, useConnection, type StationInfo } from '../shared/StationContext';
import { storedUser, type KnownUser } from '../shared/storedUser';
import { CenteredPage } from '../shared/CenteredPage';

type Phase =
  | { kind: 'starting' }
  | { kind: 'unreachable'; error: unknown }
  | { kind: 'setup' }
  | { kind: 'login'; notice: LoginNotice }
  | { kind: 'locked'; user: KnownUser; reason: LockReason }
  | { kind: 'shell'; session: ActiveSession };

function knownUser(user: { badge: string; name: string; role: KnownUser['role'] }): KnownUser {
  return { badge: user.badge, name: user.name, role: user.role };
}

/**
 * Where a start lands: first-run setup, the lock screen when the workstation was locked, the
 * shell when the remembered session still holds, else login. Fails when the station is unreachable.
 */
async function firstPhase(client: StationClient): Promise<{ info: StationInfo; phase: Phase }> {
  const info = await client.call('station.info', {});
  if (info.setupRequired) {
    client.setToken(null);
    storedUser.setCurrent(null);
    storedUser.setLocked(null);
    return { info, phase: { kind: 'setup' } };
  }
  const locked = storedUser.locked();
  if (locked !== null) {
    client.setToken(null);
    return { info, phase: { kind: 'locked', user: locked, reason: 'reload' } };
  }
  if (client.token !== null) {
    try {
      const who = await client.call('auth.whoami', {});
      storedUser.setCurrent(knownUser(who.user));
      return {
        info,
        phase: {
          kind: 'shell',
          session: { user: who.user, idleTimeoutSeconds: who.idleTimeoutSeconds },
        },
      };
    } catch (error) {
      const previous = storedUser.current();
      client.setToken(null);
      storedUser.setCurrent(null);
      if (error instanceof StationError && error.code === 'ACCOUNT_DISABLED') {
        return { info, phase: { kind: 'login', notice: 'disabled' } };
      }
      if (error instanceof StationError && isSessionLoss(error.code) && previous !== null) {
        storedUser.setLocked(previous);
        return { info, phase: { kind: 'locked', user: previous, reason: 'expired' } };
      }
    }
  }
  return { info, phase: { kind: 'login', notice: null } };
}

/**
 * The top-level state machine: first-run setup, login, lock, or the shell.
 * Locking ends the session on the station and forgets its token, so neither a reload nor
 * the back button can reopen the shell without the password (the workstation is shared).
 */
export function App({ client }: { client: StationClient }) {
  const { t } = useTranslation();
  const { message } = AntApp.useApp();
  const [info, setInfo] = useState<StationInfo | null>(null);
  const [phase, setPhase] = useState<Phase>({ kind: 'starting' });
  const { state: connection, reconnects } = useConnection(client);
  const phaseRef = useRef(phase);
  useEffect(() => {
    phaseRef.current = phase;
  }, [phase]);

  /** Asks the station where to begin; the phase is 'starting' meanwhile. */
  const start = useCallback(
    () =>
      firstPhase(client).then(
        (first) => {
          setInfo(first.info);
          setPhase(first.phase);
        },
        (error: unknown) => setPhase({ kind: 'unreachable', error }),
      ),
    [client],
  );

  useEffect(() => {
    void start();
  }, [start]);

  const restart = () => {
    setPhase({ kind: 'starting' });
    void start();
  };

  const enterShell = useCallback(
    (session: SessionInfo) => {
      client.setToken(session.token);
      storedUser.setLocked(null);
      storedUser.setCurrent(knownUser(session.user));
      setPhase({
        kind: 'shell',
        session: { user: session.user, idleTimeoutSeconds: session.idleTimeoutSeconds },
      });
    },
    [client],
  );

  const lock = useCallback(
    (reason: LockReason) => {
      const current = phaseRef.current;
      if (current.kind !== 'shell') return;
      const user = knownUser(current.session.user);
      // End the old session on the station; its token is forgotten either way.
      if (client.token !== null && reason !== 'expired') {
        client.call('auth.logout', {}).catch(() => undefined);
      }
      client.setToken(null);
      storedUser.setCurrent(null);
      storedUser.setLocked(user);
      // Toasts may name people or accounts: they go with the rest of the screen.
      message.destroy();
      setPhase({ kind: 'locked', user, reason });
    },
    [client, message],
  );

  const toLogin = useCallback(
    (notice: LoginNotice) => {
      client.setToken(null);
      storedUser.setCurrent(null);
      storedUser.setLocked(null);
      setPhase({ kind: 'login', notice });
    },
    [client],
  );

  const logout = useCallback(async () => {
    try {
      await client.call('auth.logout', {});
    } catch {
      // The session may already be gone; leaving is what matters.
    }
    toLogin('loggedOut');
  }, [client, toLogin]);

  // The station ended the session: lock (the password brings it back), unless the account was
  // disabled, when only another user can log in.
  useEffect(
    () =>
      client.onSessionLost((code) => {
        if (code === 'ACCOUNT_DISABLED') {
          if (phaseRef.current.kind === 'shell') toLogin('disabled');
        } else lock('expired');
      }),
    [client, lock, toLogin],
  );

  if (phase.kind === 'starting' || info === null) {
    if (phase.kind === 'unreachable') {
      return (
        <CenteredPage>
          <Result
            status="warning"
            title={t('app.unreachable')}
            subTitle={errorText(t, phase.error)}
            extra={
              <Button type="primary" onClick={restart} data-testid="retry-connect">
                {t('common.retry')}
              </Button>
            }
          />
        </CenteredPage>
      );
    }
    return (
      <CenteredPage>
        <Spin size="large" description={t('app.connecting')} />
      </CenteredPage>
    );
  }

  const context = { client, info, connection, reconnects };
  return (
    <StationProvider value={context}>
      {phase.kind === 'setup' && (
        <SetupScreen
          onDone={(session) => {
            setInfo({ ...info, setupRequired: false });
            enterShell(session);
          }}
          onAlreadyDone={restart}
        />
      )}
      {phase.kind === 'login' && <LoginScreen onLoggedIn={enterShell} notice={phase.notice} />}
      {phase.kind === 'locked' && (
        <LockScreen
          user={phase.user}
          reason={phase.reason}
          onUnlocked={enterShell}
          onSwitchUser={() => toLogin(null)}
        />
      )}
      {phase.kind === 'shell' && (
        <AppShell
          session={phase.session}
          onLock={() => lock('manual')}
          onIdle={() => lock('idle')}
          onLogout={() => void logout()}
        />
      )}
    </StationProvider>
  );
}

import { useEffect, useRef } from 'react';

const ACTIVITY_EVENTS = [
  'mousemove',
  'mousedown',
  'keydown',
  'touchstart',
  'wheel',
  'pointerdown',
] as const;

export interface IdleLockOptions {
  timeoutSeconds: number;
  /** Called once when no input has been seen for `timeoutSeconds`. */
  onIdle: () => void;
  /**
   * Called (at most every few seconds) while the user is active, so the station, which only
   * sees calls, can be told the session is in use.
   */
  onActivity?: () => void;
}

/** Locks the shared workstation after a quiet period: mouse, keyboard and touch count as input. */
export function useIdleLock({ timeoutSeconds, onIdle, onActivity }: IdleLockOptions): void {
  const onIdleRef = useRef(onIdle);
  const onActivityRef = useRef(onActivity);
  useEffect(() => {
    onIdleRef.current = onIdle;
    onActivityRef.current = onActivity;
  }, [onIdle, onActivity]);

  useEffect(() => {
    const timeoutMs = timeoutSeconds * 1000;
    let lastInput = Date.now();
    let lastReported = 0;
    let fired = false;

    const activity = () => {
      lastInput = Date.now();
      if (lastInput - lastReported >= 1000) {
        lastReported = lastInput;
        onActivityRef.current?.();
      }
    };
    const check = () => {
      if (!fired && Date.now() - lastInput >= timeoutMs) {
        fired = true;
        onIdleRef.current();
      }
    };
    for (const name of ACTIVITY_EVENTS) {
      window.addEventListener(name, activity, { capture: true, passive: true });
    }
    // Timers are throttled in background tabs; the wall clock decides, so a late tick still locks.
    const interval = window.setInterval(check, 500);
    document.addEventListener('visibilitychange', check);
    return () => {
      for (const name of ACTIVITY_EVENTS) {
        window.removeEventListener(name, activity, { capture: true });
      }
      window.clearInterval(interval);
      document.removeEventListener('visibilitychange', check);
    };
  }, [timeoutSeconds]);
}

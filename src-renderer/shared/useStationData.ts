import {
  useCallback,
  useEffect,
  useRef,
  useState,
  type Dispatch,
  type SetStateAction,
} from 'react';
import { useStation } from './StationContext';

/**
 * Asks the station for something. `signal` is aborted once the answer is no longer wanted (the
 * screen went away, or asked again): a loader that keeps state of its own checks it before
 * touching that state.
 */
export type StationLoader<T> = (signal: AbortSignal) => Promise<T>;

export interface StationData<T> {
  /** The last answer that arrived; null until the first. Kept while reloading and on failure. */
  data: T | null;
  /** A load is under way for what is asked now. */
  loading: boolean;
  /** Why the last load failed; null once one succeeds. */
  error: unknown;
  /** Loads again; settles once that load has (at once when there is nothing to load). */
  reload: () => Promise<void>;
  /** Changes the data here, for what the screen learns otherwise (an event, another answer). */
  setData: Dispatch<SetStateAction<T | null>>;
}

/** What a load was for: a load that settles for anything else is stale and dropped. */
interface Request {
  load: unknown;
  reconnects: number;
  attempt: number;
  reloadKey: unknown;
}

const sameRequest = (a: Request, b: Request) =>
  a.load === b.load &&
  a.reconnects === b.reconnects &&
  a.attempt === b.attempt &&
  Object.is(a.reloadKey, b.reloadKey);

/**
 * Data a screen loads from the station: loads when the loader changes (wrap it in useCallback or
 * useMemo with what it asks for), after each reconnect (events may have been missed), when
 * `reloadKey` changes, and on `reload()`. `load` null means nothing to load now (the data stays).
 */
export function useStationData<T>(
  load: StationLoader<T> | null,
  options: {
    /** Another reason to load again, e.g. a count the screen bumps after a change elsewhere. */
    reloadKey?: unknown;
  } = {},
): StationData<T> {
  const { reconnects } = useStation();
  const { reloadKey } = options;
  const [attempt, setAttempt] = useState(0);
  const [data, setData] = useState<T | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [settled, setSettled] = useState<Request | null>(null);
  /** Callers of reload() waiting for their load to settle, with the attempt that is theirs. */
  const waiting = useRef<{ attempt: number; done: () => void }[]>([]);
  const attempts = useRef(0);

  const request: Request = { load, reconnects, attempt, reloadKey };
  // Derived, not set in the effect: the render that asks for new data already shows it loading.
  const loading = load !== null && (settled === null || !sameRequest(settled, request));

  useEffect(() => {
    const queue = waiting.current;
    const release = (upTo: number) => {
      const due = queue.filter((w) => w.attempt <= upTo);
      queue.splice(0, queue.length, ...queue.filter((w) => w.attempt > upTo));
      for (const waiter of due) waiter.done();
    };
    if (load === null) {
      release(attempt);
      return undefined;
    }
    const asked: Request = { load, reconnects, attempt, reloadKey };
    const controller = new AbortController();
    new Promise<T>((resolve) => resolve(load(controller.signal))).then(
      (value) => {
        if (controller.signal.aborted) return;
        setData(() => value);
        setError(null);
        setSettled(asked);
        release(attempt);
      },
      (cause: unknown) => {
        if (controller.signal.aborted) return;
        setError(cause);
        setSettled(asked);
        release(attempt);
      },
    );
    return () => controller.abort();
  }, [load, reconnects, attempt, reloadKey]);

  // Nobody is left to show a reload's result: let its callers go on.
  useEffect(() => {
    const queue = waiting.current;
    return () => {
      for (const waiter of queue.splice(0)) waiter.done();
    };
  }, []);

  const reload = useCallback(
    () =>
      new Promise<void>((done) => {
        attempts.current += 1;
        waiting.current.push({ attempt: attempts.current, done });
        setAttempt(attempts.current);
      }),
    [],
  );

  return { data, loading, error, reload, setData };
}

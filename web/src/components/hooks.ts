// Loading and submitting with the API: state for pending work and the last error, and no state
// updates after the component is gone.
import { useCallback, useEffect, useRef, useState } from 'react';

export interface Loaded<T> {
  data: T | undefined;
  error: unknown;
  loading: boolean;
  reload: () => void;
  /** replaces the data, or updates it from the latest value */
  set: (data: T | ((prev: T | undefined) => T)) => void;
}

/** runs `load` when deps change; stale answers (from older deps) are dropped */
export function useLoad<T>(load: () => Promise<T>, deps: unknown[]): Loaded<T> {
  const [state, setState] = useState<{ data?: T; error: unknown; loading: boolean }>({ error: null, loading: true });
  const [tick, setTick] = useState(0);
  const latest = useRef(0);
  useEffect(() => {
    const n = ++latest.current;
    setState((s) => ({ ...s, loading: true }));
    load().then(
      (data) => n === latest.current && setState({ data, error: null, loading: false }),
      (error: unknown) => n === latest.current && setState((s) => ({ data: s.data, error, loading: false })),
    );
    return () => {
      latest.current++;
    };
  }, [...deps, tick]);
  return {
    ...state,
    data: state.data,
    reload: useCallback(() => setTick((x) => x + 1), []),
    set: useCallback(
      (next: T | ((prev: T | undefined) => T)) =>
        setState((s) => ({ data: typeof next === 'function' ? (next as (p: T | undefined) => T)(s.data) : next, error: null, loading: false })),
      [],
    ),
  };
}

export interface Action<A extends unknown[], R> {
  run: (...args: A) => Promise<R | undefined>;
  pending: boolean;
  error: unknown;
  clear: () => void;
}

/** wraps a submit: one at a time, the error kept for display, undefined returned on failure */
export function useAction<A extends unknown[], R>(fn: (...args: A) => Promise<R>): Action<A, R> {
  const [pending, setPending] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const alive = useRef(true);
  useEffect(() => {
    alive.current = true;
    return () => {
      alive.current = false;
    };
  }, []);
  const run = useCallback(
    async (...args: A) => {
      setPending(true);
      setError(null);
      try {
        return await fn(...args);
      } catch (err) {
        if (alive.current) setError(err);
        return undefined;
      } finally {
        if (alive.current) setPending(false);
      }
    },
    [fn],
  );
  return { run, pending, error, clear: useCallback(() => setError(null), []) };
}

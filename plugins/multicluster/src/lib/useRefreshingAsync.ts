/*
 * Copyright 2026 The Archipelago Authors
 * SPDX-License-Identifier: Apache-2.0
 */
import {
  DependencyList,
  useCallback,
  useEffect,
  useRef,
  useState,
} from 'react';

/** State of data that is loaded once and then refreshed. */
export interface RefreshingAsyncState<T> {
  /** The last value loaded; kept when a later refresh fails. */
  value?: T;
  /** Set when nothing could be loaded at all. */
  error?: Error;
  /** Set when a refresh failed while an older value is still shown (stale data). */
  refreshError?: Error;
  /** True until the first load for the current deps settles. */
  loading: boolean;
  /** True while any load, first or background, is in flight. */
  refreshing: boolean;
  /** When `value` was loaded (ms since epoch). */
  loadedAt?: number;
  /** Counts successful loads; a key for whatever should reload along with this data. */
  version: number;
  /** Loads again now. */
  refresh: () => void;
}

export interface RefreshingAsyncOptions<T> {
  /**
   * Reload this long after each load settles; undefined stops (for instance
   * once an environment is ready). Re-evaluated after every load.
   */
  intervalMs?: number | ((value: T | undefined) => number | undefined);
  /**
   * Keep showing the previous deps' value while the new one loads (paging a
   * table without blanking it). If that load fails, the old value is dropped:
   * it answers a different question.
   */
  keepPrevious?: boolean;
  /** Clock, for tests. */
  now?: () => number;
}

type State<T> = Omit<RefreshingAsyncState<T>, 'refresh'> & {
  /** Whether `value` was loaded for the current deps. */
  current?: boolean;
};

function sameDeps(a: DependencyList | undefined, b: DependencyList): boolean {
  return (
    a !== undefined &&
    a.length === b.length &&
    a.every((v, i) => Object.is(v, b[i]))
  );
}

/**
 * Like react-use's useAsyncRetry, but a failed refresh keeps the data already
 * shown and reports it as stale instead of blanking the card: a flaky network
 * should not hide what was known a minute ago. A newer load aborts the one in
 * flight, and a deps change forgets the old value.
 */
export function useRefreshingAsync<T>(
  load: (signal: AbortSignal) => Promise<T>,
  deps: DependencyList,
  options: RefreshingAsyncOptions<T> = {},
): RefreshingAsyncState<T> {
  const [state, setState] = useState<State<T>>({
    loading: true,
    refreshing: true,
    version: 0,
  });
  const [trigger, setTrigger] = useState(0);
  // Latest callbacks and value, read from async continuations without re-running the effect.
  const loadRef = useRef(load);
  loadRef.current = load;
  const optionsRef = useRef(options);
  optionsRef.current = options;
  const valueRef = useRef<T | undefined>(undefined);
  const prevDeps = useRef<DependencyList | undefined>(undefined);

  useEffect(() => {
    if (!sameDeps(prevDeps.current, deps)) {
      prevDeps.current = deps;
      if (optionsRef.current.keepPrevious) {
        setState(s => ({
          ...s,
          error: undefined,
          refreshError: undefined,
          current: false,
          loading: true,
          refreshing: true,
        }));
      } else {
        valueRef.current = undefined;
        setState(s => ({
          loading: true,
          refreshing: true,
          version: s.version,
        }));
      }
    } else {
      setState(s => ({ ...s, refreshing: true }));
    }
    const controller = new AbortController();
    let timer: ReturnType<typeof setTimeout> | undefined;
    const now = optionsRef.current.now ?? Date.now;

    const schedule = () => {
      const interval = optionsRef.current.intervalMs;
      const ms =
        typeof interval === 'function' ? interval(valueRef.current) : interval;
      if (ms !== undefined && ms > 0) {
        timer = setTimeout(() => setTrigger(t => t + 1), ms);
      }
    };

    loadRef.current(controller.signal).then(
      value => {
        if (controller.signal.aborted) return;
        valueRef.current = value;
        setState(s => ({
          value,
          current: true,
          loading: false,
          refreshing: false,
          loadedAt: now(),
          version: s.version + 1,
        }));
        schedule();
      },
      (error: unknown) => {
        if (controller.signal.aborted) return;
        const err = error instanceof Error ? error : new Error(String(error));
        setState(s =>
          s.value !== undefined && s.current
            ? { ...s, loading: false, refreshing: false, refreshError: err }
            : {
                loading: false,
                refreshing: false,
                error: err,
                version: s.version,
              },
        );
        schedule();
      },
    );
    return () => {
      controller.abort();
      if (timer) clearTimeout(timer);
    };
    // The caller's deps are the effect's deps, as with useEffect itself.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [trigger, ...deps]);

  const refresh = useCallback(() => setTrigger(t => t + 1), []);
  const { current: _current, ...visible } = state;
  return { ...visible, refresh };
}

/*
 * Copyright 2026 The Archipelago Authors
 * SPDX-License-Identifier: Apache-2.0
 */
import { act, renderHook, waitFor } from '@testing-library/react';
import { useRefreshingAsync } from './useRefreshingAsync';

describe('useRefreshingAsync', () => {
  it('loads, then reports the value', async () => {
    const { result } = renderHook(() => useRefreshingAsync(async () => 42, []));
    expect(result.current.loading).toBe(true);
    await waitFor(() => expect(result.current.value).toBe(42));
    expect(result.current).toMatchObject({
      loading: false,
      refreshing: false,
      version: 1,
    });
    expect(result.current.error).toBeUndefined();
  });

  it('reports an error when nothing could be loaded', async () => {
    const { result } = renderHook(() =>
      useRefreshingAsync(async () => {
        throw new Error('down');
      }, []),
    );
    await waitFor(() => expect(result.current.error?.message).toBe('down'));
    expect(result.current.value).toBeUndefined();
    expect(result.current.refreshError).toBeUndefined();
  });

  it('keeps the last value and reports a stale refresh when a reload fails', async () => {
    let fail = false;
    const { result } = renderHook(() =>
      useRefreshingAsync(async () => {
        if (fail) throw new Error('flaky');
        return 'data';
      }, []),
    );
    await waitFor(() => expect(result.current.value).toBe('data'));
    fail = true;
    act(() => result.current.refresh());
    await waitFor(() =>
      expect(result.current.refreshError?.message).toBe('flaky'),
    );
    expect(result.current.value).toBe('data');
    expect(result.current.error).toBeUndefined();

    fail = false;
    act(() => result.current.refresh());
    await waitFor(() => expect(result.current.refreshError).toBeUndefined());
    expect(result.current.version).toBe(2);
  });

  it('forgets the value when the deps change', async () => {
    const { result, rerender } = renderHook(
      ({ id }) => useRefreshingAsync(async () => `v-${id}`, [id]),
      {
        initialProps: { id: 'a' },
      },
    );
    await waitFor(() => expect(result.current.value).toBe('v-a'));
    rerender({ id: 'b' });
    await waitFor(() => expect(result.current.value).toBe('v-b'));
  });

  it('with keepPrevious, shows the old value while loading and drops it if the new load fails', async () => {
    let reject: ((e: Error) => void) | undefined;
    const { result, rerender } = renderHook(
      ({ id }) =>
        useRefreshingAsync(
          () =>
            id === 'a'
              ? Promise.resolve('page-a')
              : new Promise<string>((_, r) => {
                  reject = r;
                }),
          [id],
          { keepPrevious: true },
        ),
      { initialProps: { id: 'a' } },
    );
    await waitFor(() => expect(result.current.value).toBe('page-a'));
    rerender({ id: 'b' });
    await waitFor(() => expect(result.current.loading).toBe(true));
    expect(result.current.value).toBe('page-a');
    act(() => reject?.(new Error('bad cursor')));
    await waitFor(() =>
      expect(result.current.error?.message).toBe('bad cursor'),
    );
    expect(result.current.value).toBeUndefined();
  });

  it('polls at the interval the value asks for and stops when it asks for none', async () => {
    jest.useFakeTimers();
    try {
      const statuses = ['provisioning', 'provisioning', 'ready'];
      let calls = 0;
      const load = jest.fn(
        async () => statuses[Math.min(calls++, statuses.length - 1)],
      );
      const { result } = renderHook(() =>
        useRefreshingAsync(load, [], {
          intervalMs: v => (v === 'provisioning' ? 5_000 : undefined),
        }),
      );
      await act(async () => {});
      expect(result.current.value).toBe('provisioning');
      await act(async () => {
        jest.advanceTimersByTime(5_000);
      });
      expect(load).toHaveBeenCalledTimes(2);
      await act(async () => {
        jest.advanceTimersByTime(5_000);
      });
      expect(result.current.value).toBe('ready');
      await act(async () => {
        jest.advanceTimersByTime(60_000);
      });
      expect(load).toHaveBeenCalledTimes(3);
    } finally {
      jest.useRealTimers();
    }
  });

  it('aborts the request in flight on unmount and ignores its answer', async () => {
    let signal: AbortSignal | undefined;
    const { unmount } = renderHook(() =>
      useRefreshingAsync(s => {
        signal = s;
        return new Promise(() => {});
      }, []),
    );
    unmount();
    expect(signal?.aborted).toBe(true);
  });
});

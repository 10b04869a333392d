/*
 * The run's live state: its snapshot (GET .../runs/:rid) folded with its
 * event stream, read from the first event (so the feed and the totals are
 * whole) and resumed with Last-Event-ID after a drop. Events are applied in
 * batches (every 100 ms at most) so a burst does not re-render per event.
 */
import { useEffect, useMemo, useRef, useState } from 'react';
import type { Run } from '../../../api/runs';
import { applyEvent, initialMonitor, isEnded, mergeRun, type MonitorState } from './monitor';
import { followEventStream, type SseMessage, type StreamState } from './sse';

const TERMINAL = new Set(['run_completed', 'run_failed', 'run_cancelled']);
const BATCH_MS = 100;

/** `runAt`: when the snapshot `run` was read (ms; react-query's dataUpdatedAt). */
export function useRunStream(testId: string, runId: string, run: Run, runAt: number) {
  const [state, setState] = useState<MonitorState>(() => initialMonitor(run));
  const [conn, setConn] = useState<StreamState>('connecting');
  const [connError, setConnError] = useState<unknown>(null);
  const ended = useRef(isEnded(run.status));

  useEffect(() => {
    const ctrl = new AbortController();
    let queue: SseMessage[] = [];
    let timer: ReturnType<typeof setTimeout> | null = null;
    const flush = () => {
      timer = null;
      const batch = queue;
      queue = [];
      const now = Date.now();
      setState((s) => batch.reduce((acc, m) => applyEvent(acc, m, now), s));
    };
    void followEventStream({
      url: `/api/tests/${testId}/runs/${runId}/events`,
      signal: ctrl.signal,
      shouldReconnect: () => !ended.current,
      onMessage: (m) => {
        if (TERMINAL.has(m.event)) ended.current = true;
        queue.push(m);
        timer ??= setTimeout(flush, BATCH_MS);
      },
      onState: (s, info) => {
        setConn(s);
        setConnError(info.error ?? null);
      },
    });
    return () => {
      ctrl.abort();
      if (timer) clearTimeout(timer);
    };
  }, [testId, runId]);

  // with the latest snapshot (a refetch, or the answer to pause / resume / cancel)
  const merged = useMemo(() => mergeRun(state, run, runAt), [state, run, runAt]);
  return { state: merged, conn, connError };
}

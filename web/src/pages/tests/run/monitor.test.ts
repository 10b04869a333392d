import { describe, expect, it } from 'vitest';
import type { Run } from '../../../api/runs';
import {
  answerSummary,
  applyEvent,
  elapsedSeconds,
  FEED_MAX,
  formatElapsed,
  initialMonitor,
  mergeRun,
  percentDone,
  type MonitorState,
} from './monitor';

const run: Run = {
  id: 'r1',
  test_id: 't1',
  status: 'queued',
  requested: null,
  seed: 7,
  progress: { done: 0, total: 0 },
  calls: 0,
  cache_hits: 0,
  tokens_in: 0,
  tokens_out: 0,
  cost_usd: 0,
  model: null,
  error: null,
  attempts: 0,
  created_at: '2026-11-26T06:38:40.080Z',
  started_at: null,
  finished_at: null,
  updated_at: '2026-11-26T06:38:40.081Z',
};

let seq = 0;
const ev = (event: string, data: unknown = {}) => ({
  id: String(++seq),
  event,
  data: JSON.stringify(data),
});

function fold(s: MonitorState, events: ReturnType<typeof ev>[], now = 1000): MonitorState {
  return events.reduce((acc, e) => applyEvent(acc, e, now), s);
}

describe('the run monitor', () => {
  it('follows a run from queued to completed (the events of src/domain/runs.c)', () => {
    const s = fold(initialMonitor(run), [
      ev('run_queued'),
      ev('run_started', { personas: 20, total: 40 }),
      ev('persona_answered', {
        persona_id: 'p1',
        scenario: 'ad/A',
        sample: 0,
        answers: { appeal: 5, trust: 'yes' },
        talk: 'Looks fine.',
        abandoned: false,
        error: null,
      }),
      ev('step_done', {
        done: 20,
        total: 40,
        calls: 20,
        tokens_in: 30000,
        tokens_out: 5000,
        cost_usd: 0.012,
      }),
      ev('step_done', {
        done: 40,
        total: 40,
        calls: 20,
        tokens_in: 33701,
        tokens_out: 5104,
        cost_usd: 0.025,
      }),
    ]);
    expect(s.status).toBe('running');
    expect(s.personas).toBe(20);
    expect([s.done, s.total]).toEqual([40, 40]);
    // a step's calls and tokens add up; the cost is the run's so far
    expect([s.calls, s.tokensIn, s.tokensOut, s.costUsd]).toEqual([40, 63701, 10104, 0.025]);
    expect(s.startedAt).toBe(1000);
    expect(s.feed).toHaveLength(1);
    expect(s.feed[0]).toMatchObject({
      kind: 'answer',
      personaId: 'p1',
      scenario: 'ad/A',
      text: 'Looks fine.',
    });
    expect(percentDone(s)).toBe(100);

    const done = applyEvent(s, ev('run_completed', { status: 'completed', error: null }), 5000);
    expect(done.status).toBe('completed');
    expect(done.finishedAt).toBe(5000);
    expect(done.lastEventId).toBe(String(seq));
  });

  it('keeps the newest answers and focus-group lines first, at most FEED_MAX', () => {
    let s = initialMonitor({ ...run, status: 'running' });
    for (let i = 0; i < FEED_MAX + 5; i++)
      s = applyEvent(
        s,
        ev('said', {
          persona_id: 'p',
          speaker: 'Ana',
          target: null,
          text: `line ${i}`,
          scenario: 'c',
          round: 1,
        }),
      );
    expect(s.feed).toHaveLength(FEED_MAX);
    expect(s.feed[0]).toMatchObject({
      kind: 'said',
      speaker: 'Ana',
      text: `line ${FEED_MAX + 4}`,
      round: 1,
    });
    expect(s.lines).toBe(FEED_MAX + 5);
  });

  it('pauses, resumes, fails and cancels', () => {
    const start = initialMonitor({ ...run, status: 'running' });
    const paused = applyEvent(start, ev('run_paused'));
    expect(paused.status).toBe('paused');
    expect(applyEvent(paused, ev('run_resumed')).status).toBe('queued');
    const failed = applyEvent(
      start,
      ev('run_failed', { status: 'failed', error: "the test's timeout passed" }),
    );
    expect(failed).toMatchObject({ status: 'failed', error: "the test's timeout passed" });
    expect(applyEvent(paused, ev('run_cancelled')).status).toBe('cancelled');
    // an ended run stays ended whatever comes after
    expect(applyEvent(failed, ev('run_queued')).status).toBe('failed');
  });

  it('replays from the start without counting twice, and ignores unknown or broken events', () => {
    const snapshot = {
      ...run,
      status: 'running' as const,
      tokens_in: 500,
      calls: 2,
      progress: { done: 2, total: 4 },
    };
    let s = initialMonitor(snapshot);
    s = applyEvent(
      s,
      ev('step_done', { done: 2, total: 4, calls: 2, tokens_in: 500, tokens_out: 0, cost_usd: 0 }),
    );
    expect([s.calls, s.tokensIn, s.done]).toEqual([2, 500, 2]);
    s = applyEvent(s, { id: '99', event: 'step_done', data: 'not json' });
    s = applyEvent(s, ev('something_new', { x: 1 }));
    expect([s.calls, s.tokensIn, s.done]).toEqual([2, 500, 2]);
  });

  it('takes the newer of the stream and a run snapshot', () => {
    const s = applyEvent(initialMonitor({ ...run, status: 'running' }), ev('run_paused'), 2000);
    // a snapshot read before the pause does not undo it
    expect(mergeRun(s, { ...run, status: 'running' }, 1500).status).toBe('paused');
    // the answer to "resume", read after it, wins
    expect(mergeRun(s, { ...run, status: 'queued' }, 2500).status).toBe('queued');
    // the pause asked of a running run shows until the stream says it happened
    const asked = mergeRun(
      initialMonitor({ ...run, status: 'running' }),
      { ...run, status: 'running', requested: 'pause' },
      10,
    );
    expect(asked.requested).toBe('pause');
    // counters never go back
    const m = mergeRun(
      { ...s, done: 30, total: 40 },
      { ...run, progress: { done: 10, total: 40 } },
      9999,
    );
    expect(m.done).toBe(30);
    // a run the stream saw end stays ended
    const ended = applyEvent(s, ev('run_completed', { status: 'completed' }), 3000);
    expect(mergeRun(ended, { ...run, status: 'running' }, 9999).status).toBe('completed');
  });

  it('reads progress, answers and elapsed time', () => {
    expect(percentDone({ done: 0, total: 0 })).toBeNull();
    expect(percentDone({ done: 13, total: 40 })).toBe(33);
    expect(
      answerSummary({
        appeal: 5,
        trust: 'yes',
        why: 'a long open answer that is left out',
        rank: ['a', 'b'],
      }),
    ).toBe('appeal 5 · trust yes · rank a > b');
    expect(elapsedSeconds(null, null, 5000)).toBeNull();
    expect(elapsedSeconds(1000, null, 76_500)).toBe(75);
    expect(elapsedSeconds(1000, 3000, 99_000)).toBe(2);
    expect(formatElapsed(75)).toBe('1:15');
    expect(formatElapsed(3725)).toBe('1:02:05');
  });
});

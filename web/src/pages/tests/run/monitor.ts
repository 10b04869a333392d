/*
 * What the run monitor shows, folded from the run (GET .../runs/:rid) and
 * its events (GET .../events, src/domain/runs.c): run_queued, run_started
 * {personas, total}, persona_answered {persona_id, scenario, sample,
 * answers, talk, abandoned, error}, said {persona_id, speaker, target,
 * text, scenario, round} (a focus group's discussion), step_done {done,
 * total, calls, tokens_in, tokens_out, cost_usd} (the step's calls and
 * tokens, the run's cost so far), run_paused, run_resumed, run_cancelled,
 * run_completed / run_failed {status, error}. Pure, so it is unit-tested.
 */
import type { Run, RunStatus } from '../../../api/runs';
import type { SseMessage } from './sse';

export const FEED_MAX = 40;

export interface FeedItem {
  /** the event's id, unique in the run */
  key: string;
  kind: 'answer' | 'said';
  personaId: string | null;
  /** a focus group's speaker as the discussion names them */
  speaker?: string;
  /** whom a focus group line answers */
  target?: string | null;
  /** <scenario> or <scenario>/<variant> */
  scenario: string;
  round?: number;
  text: string;
  answers?: Record<string, unknown>;
  abandoned?: boolean;
  error?: string | null;
}

export interface MonitorState {
  status: RunStatus;
  /** pause or cancel asked of a running run, not yet done */
  requested: 'pause' | 'cancel' | null;
  done: number;
  total: number;
  personas: number | null;
  calls: number;
  tokensIn: number;
  tokensOut: number;
  costUsd: number;
  /** the sums of the step_done events seen (a replay from the start adds up to the run's) */
  streamed: { calls: number; tokensIn: number; tokensOut: number };
  /** ms since the epoch; null until the run starts */
  startedAt: number | null;
  finishedAt: number | null;
  error: string | null;
  feed: FeedItem[];
  /** answers and lines seen so far */
  answers: number;
  lines: number;
  lastEventId: string;
  /** when (ms) an event last set the status: a run snapshot older than that does not override it */
  statusAt: number;
}

const ENDED: RunStatus[] = ['completed', 'failed', 'cancelled'];

export function isEnded(status: RunStatus): boolean {
  return ENDED.includes(status);
}

function time(iso: string | null | undefined): number | null {
  if (!iso) return null;
  const t = Date.parse(iso);
  return Number.isNaN(t) ? null : t;
}

export function initialMonitor(run: Run): MonitorState {
  return {
    status: run.status,
    requested: run.requested ?? null,
    done: run.progress?.done ?? 0,
    total: run.progress?.total ?? 0,
    personas: null,
    calls: run.calls ?? 0,
    tokensIn: run.tokens_in ?? 0,
    tokensOut: run.tokens_out ?? 0,
    costUsd: run.cost_usd ?? 0,
    streamed: { calls: 0, tokensIn: 0, tokensOut: 0 },
    startedAt: time(run.started_at),
    finishedAt: time(run.finished_at),
    error: run.error ?? null,
    feed: [],
    answers: 0,
    lines: 0,
    lastEventId: '',
    statusAt: 0,
  };
}

/**
 * The stream's state with a snapshot of the run read at `snapshotAt` (ms):
 * the counters never go back, the status is the newer one's - and a run
 * the stream saw end stays ended.
 */
export function mergeRun(s: MonitorState, run: Run, snapshotAt: number): MonitorState {
  const streamEnded = isEnded(s.status);
  const snapshotWins = isEnded(run.status) || (!streamEnded && snapshotAt >= s.statusAt);
  return {
    ...s,
    status: snapshotWins ? run.status : s.status,
    requested: snapshotWins ? (run.requested ?? null) : s.requested,
    done: Math.max(s.done, run.progress?.done ?? 0),
    total: Math.max(s.total, run.progress?.total ?? 0),
    calls: Math.max(s.calls, run.calls ?? 0),
    tokensIn: Math.max(s.tokensIn, run.tokens_in ?? 0),
    tokensOut: Math.max(s.tokensOut, run.tokens_out ?? 0),
    costUsd: Math.max(s.costUsd, run.cost_usd ?? 0),
    startedAt: s.startedAt ?? time(run.started_at),
    finishedAt: s.finishedAt ?? time(run.finished_at),
    error: s.error ?? run.error ?? null,
  };
}

type Json = Record<string, unknown>;

function parse(data: string): Json {
  try {
    const v: unknown = JSON.parse(data);
    return v && typeof v === 'object' && !Array.isArray(v) ? (v as Json) : {};
  } catch {
    return {};
  }
}

const num = (v: unknown, dflt = 0): number =>
  typeof v === 'number' && Number.isFinite(v) ? v : dflt;
const str = (v: unknown): string | null => (typeof v === 'string' ? v : null);

function pushFeed(feed: FeedItem[], item: FeedItem): FeedItem[] {
  const next = [item, ...feed];
  return next.length > FEED_MAX ? next.slice(0, FEED_MAX) : next;
}

/** The state after one event; `now` (ms) dates a start or an end the run's snapshot lacked. */
export function applyEvent(s: MonitorState, m: SseMessage, now: number = Date.now()): MonitorState {
  const next = fold(s, m, now);
  return next.status !== s.status || next.requested !== s.requested
    ? { ...next, statusAt: now }
    : next;
}

function fold(s: MonitorState, m: SseMessage, now: number): MonitorState {
  const d = parse(m.data);
  const base: MonitorState = { ...s, lastEventId: m.id || s.lastEventId };
  switch (m.event) {
    case 'run_queued':
      return isEnded(s.status) ? base : { ...base, status: 'queued' };
    case 'run_started':
      return {
        ...base,
        status: isEnded(s.status) ? s.status : 'running',
        personas: num(d.personas, s.personas ?? 0),
        total: Math.max(s.total, num(d.total)),
        startedAt: s.startedAt ?? now,
      };
    case 'persona_answered': {
      const item: FeedItem = {
        key: m.id || `a${s.answers}`,
        kind: 'answer',
        personaId: str(d.persona_id),
        scenario: str(d.scenario) ?? '',
        text: str(d.talk) ?? '',
        answers: d.answers && typeof d.answers === 'object' ? (d.answers as Json) : {},
        abandoned: d.abandoned === true,
        error: str(d.error),
      };
      return { ...base, feed: pushFeed(s.feed, item), answers: s.answers + 1 };
    }
    case 'said': {
      const item: FeedItem = {
        key: m.id || `s${s.lines}`,
        kind: 'said',
        personaId: str(d.persona_id),
        speaker: str(d.speaker) ?? '',
        target: str(d.target),
        scenario: str(d.scenario) ?? '',
        round: num(d.round, 0),
        text: str(d.text) ?? '',
      };
      return { ...base, feed: pushFeed(s.feed, item), lines: s.lines + 1 };
    }
    case 'step_done': {
      const streamed = {
        calls: s.streamed.calls + num(d.calls),
        tokensIn: s.streamed.tokensIn + num(d.tokens_in),
        tokensOut: s.streamed.tokensOut + num(d.tokens_out),
      };
      return {
        ...base,
        status: isEnded(s.status) || s.status === 'paused' ? s.status : 'running',
        done: Math.max(s.done, num(d.done)),
        total: Math.max(s.total, num(d.total)),
        streamed,
        calls: Math.max(s.calls, streamed.calls),
        tokensIn: Math.max(s.tokensIn, streamed.tokensIn),
        tokensOut: Math.max(s.tokensOut, streamed.tokensOut),
        costUsd: Math.max(s.costUsd, num(d.cost_usd)),
        startedAt: s.startedAt ?? now,
      };
    }
    case 'run_paused':
      return isEnded(s.status) ? base : { ...base, status: 'paused', requested: null };
    case 'run_resumed':
      return isEnded(s.status) ? base : { ...base, status: 'queued', requested: null };
    case 'run_cancelled':
      return {
        ...base,
        status: 'cancelled',
        requested: null,
        finishedAt: s.finishedAt ?? now,
      };
    case 'run_completed':
    case 'run_failed': {
      const status = str(d.status);
      const final: RunStatus =
        status === 'completed' || status === 'failed' || status === 'cancelled'
          ? status
          : m.event === 'run_completed'
            ? 'completed'
            : 'failed';
      return {
        ...base,
        status: final,
        requested: null,
        error: str(d.error) ?? s.error,
        finishedAt: s.finishedAt ?? now,
        done: final === 'completed' ? Math.max(s.done, s.total) : s.done,
      };
    }
    default:
      return base;
  }
}

/** Progress as a percentage 0..100, or null while the total is unknown. */
export function percentDone(s: Pick<MonitorState, 'done' | 'total'>): number | null {
  if (s.total <= 0) return null;
  return Math.min(100, Math.round((s.done / s.total) * 100));
}

/** A short reading of an answer set: "appeal 5 · trust yes · …" (text answers left out). */
export function answerSummary(answers: Record<string, unknown> | undefined, max = 4): string {
  if (!answers) return '';
  const parts: string[] = [];
  for (const [k, v] of Object.entries(answers)) {
    if (typeof v === 'number') parts.push(`${k} ${v}`);
    else if (typeof v === 'string' && v.length <= 24) parts.push(`${k} ${v}`);
    else if (Array.isArray(v)) parts.push(`${k} ${v.map(String).join(' > ')}`);
    if (parts.length >= max) break;
  }
  return parts.join(' · ');
}

/** Elapsed seconds from start to end (or now); null before the start. */
export function elapsedSeconds(
  startedAt: number | null,
  finishedAt: number | null,
  now: number,
): number | null {
  if (startedAt === null) return null;
  return Math.max(0, Math.floor(((finishedAt ?? now) - startedAt) / 1000));
}

/** 75 -> "1:15", 3725 -> "1:02:05". */
export function formatElapsed(seconds: number): string {
  const h = Math.floor(seconds / 3600);
  const m = Math.floor((seconds % 3600) / 60);
  const sec = seconds % 60;
  const pad = (n: number) => String(n).padStart(2, '0');
  return h > 0 ? `${h}:${pad(m)}:${pad(sec)}` : `${m}:${pad(sec)}`;
}

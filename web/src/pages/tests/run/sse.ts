/*
 * Server-Sent Events read with fetch: EventSource cannot send the Bearer
 * token, so the stream is fetched with the Authorization header and parsed
 * here, following the WHATWG "event stream interpretation" rules (lines end
 * with CRLF, LF or CR; ":" starts a comment; data lines join with "\n"; an
 * id holding NUL is ignored; retry takes digits only; an unfinished event
 * at the end of the stream is dropped). After a drop the stream is opened
 * again with Last-Event-ID, so no event is lost or repeated.
 */
import { ApiError, errorFromResponse, tokenStore } from '../../../api/client';

export interface SseMessage {
  /** the last event id at the time of the event ('' when the server never sent one) */
  id: string;
  /** the event's type ('message' when not named) */
  event: string;
  data: string;
}

/** An incremental parser: push text as it arrives, get the complete events back. */
export class SseParser {
  lastEventId = '';
  /** the reconnection time the server asked for, in ms */
  retry: number | null = null;
  private line = '';
  private data = '';
  private hasData = false;
  private eventType = '';
  private skipLF = false;
  private started = false;

  push(text: string): SseMessage[] {
    const out: SseMessage[] = [];
    let s = text;
    if (!this.started && s.length > 0) {
      this.started = true;
      if (s.charCodeAt(0) === 0xfeff) s = s.slice(1);
    }
    let i = 0;
    if (this.skipLF && s.length > 0) {
      if (s[0] === '\n') i = 1;
      this.skipLF = false;
    }
    let start = i;
    for (; i < s.length; i++) {
      const c = s[i];
      if (c !== '\n' && c !== '\r') continue;
      this.line += s.slice(start, i);
      this.processLine(this.line, out);
      this.line = '';
      if (c === '\r') {
        if (i + 1 < s.length) {
          if (s[i + 1] === '\n') i++;
        } else {
          this.skipLF = true;
        }
      }
      start = i + 1;
    }
    this.line += s.slice(start);
    return out;
  }

  private processLine(line: string, out: SseMessage[]) {
    if (line === '') {
      this.dispatch(out);
      return;
    }
    if (line[0] === ':') return;
    const colon = line.indexOf(':');
    let field: string;
    let value: string;
    if (colon === -1) {
      field = line;
      value = '';
    } else {
      field = line.slice(0, colon);
      value = line.slice(colon + 1);
      if (value[0] === ' ') value = value.slice(1);
    }
    switch (field) {
      case 'event':
        this.eventType = value;
        break;
      case 'data':
        this.data += this.hasData ? `\n${value}` : value;
        this.hasData = true;
        break;
      case 'id':
        if (!value.includes('\0')) this.lastEventId = value;
        break;
      case 'retry':
        if (/^\d+$/.test(value)) this.retry = Number(value);
        break;
      default:
        break;
    }
  }

  private dispatch(out: SseMessage[]) {
    if (this.hasData) {
      out.push({ id: this.lastEventId, event: this.eventType || 'message', data: this.data });
    }
    this.data = '';
    this.hasData = false;
    this.eventType = '';
  }
}

/* ---- following a stream ------------------------------------------------------------------------ */

export type StreamState = 'connecting' | 'open' | 'reconnecting' | 'closed' | 'failed';

export interface FollowOptions {
  url: string;
  /** resume after this event id (Last-Event-ID) */
  lastEventId?: string;
  onMessage: (m: SseMessage) => void;
  onState?: (state: StreamState, info: { error?: unknown; delayMs?: number }) => void;
  /** asked when the server ends the stream: open it again? (false once the run has ended) */
  shouldReconnect: () => boolean;
  signal: AbortSignal;
  /** the session's token (default: the signed-in session's) */
  token?: () => string | null;
  fetchImpl?: typeof fetch;
  sleep?: (ms: number, signal: AbortSignal) => Promise<void>;
  /** the first reconnection delay when the server gave none (ms) */
  baseDelayMs?: number;
  maxDelayMs?: number;
}

export function sleepMs(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal.aborted) return resolve();
    const id = setTimeout(done, ms);
    function done() {
      clearTimeout(id);
      signal.removeEventListener('abort', done);
      resolve();
    }
    signal.addEventListener('abort', done);
  });
}

/** The wait before reconnection attempt `attempt` (0 = the first after a drop). */
export function reconnectDelay(attempt: number, base: number, max: number): number {
  return Math.min(max, base * 2 ** Math.max(0, attempt));
}

/** 4xx other than a timeout or a rate limit will not get better by asking again. */
function isFinal(err: unknown): boolean {
  if (!(err instanceof ApiError)) return false;
  return err.status >= 400 && err.status < 500 && err.status !== 408 && err.status !== 429;
}

/**
 * Follows an event stream until it ends for good (the server closes it and
 * shouldReconnect says no), the signal aborts, or the server refuses it
 * (401, 404...). Drops and 5xx are retried with Last-Event-ID after the
 * server's retry time, doubling up to maxDelayMs while they keep failing.
 */
export async function followEventStream(
  opts: FollowOptions,
): Promise<'ended' | 'aborted' | 'failed'> {
  const fetchImpl = opts.fetchImpl ?? fetch.bind(globalThis);
  const sleep = opts.sleep ?? sleepMs;
  const tokenOf = opts.token ?? (() => tokenStore.get());
  const maxDelay = opts.maxDelayMs ?? 30_000;
  let lastEventId = opts.lastEventId ?? '';
  let serverRetry: number | null = null;
  let failures = 0;
  const state = (s: StreamState, info: { error?: unknown; delayMs?: number } = {}) =>
    opts.onState?.(s, info);

  state('connecting');
  while (!opts.signal.aborted) {
    let error: unknown = undefined;
    const token = tokenOf();
    try {
      const headers: Record<string, string> = {
        Accept: 'text/event-stream',
        'Cache-Control': 'no-cache',
      };
      if (token) headers.Authorization = `Bearer ${token}`;
      if (lastEventId) headers['Last-Event-ID'] = lastEventId;
      const res = await fetchImpl(opts.url, {
        headers,
        signal: opts.signal,
        credentials: 'same-origin',
        cache: 'no-store',
      });
      if (!res.ok) {
        const err = await errorFromResponse(res);
        if (res.status === 401 && token) tokenStore.clear('expired');
        throw err;
      }
      if (!res.body) throw new ApiError({ status: 0, code: 'network', message: 'no body' });
      state('open');
      const parser = new SseParser();
      const reader = res.body.getReader();
      const decoder = new TextDecoder();
      for (;;) {
        const { value, done } = await reader.read();
        if (done) break;
        const msgs = parser.push(decoder.decode(value, { stream: true }));
        if (parser.retry !== null) serverRetry = parser.retry;
        for (const m of msgs) {
          lastEventId = m.id || lastEventId;
          failures = 0;
          opts.onMessage(m);
        }
      }
      if (parser.retry !== null) serverRetry = parser.retry;
      if (!opts.shouldReconnect()) {
        state('closed');
        return 'ended';
      }
    } catch (e) {
      if (opts.signal.aborted || (e instanceof DOMException && e.name === 'AbortError'))
        return 'aborted';
      error =
        e instanceof ApiError
          ? e
          : new ApiError({
              status: 0,
              code: 'network',
              message: e instanceof Error ? e.message : 'network error',
            });
      if (isFinal(error)) {
        state('failed', { error });
        return 'failed';
      }
    }
    if (opts.signal.aborted) return 'aborted';
    const delayMs = reconnectDelay(failures, serverRetry ?? opts.baseDelayMs ?? 2000, maxDelay);
    failures++;
    state('reconnecting', { error, delayMs });
    await sleep(delayMs, opts.signal);
  }
  return 'aborted';
}

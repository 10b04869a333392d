import { afterEach, describe, expect, it, vi } from 'vitest';
import { tokenStore } from '../../../api/client';
import { followEventStream, reconnectDelay, SseParser, type SseMessage } from './sse';

describe('SseParser', () => {
  it("parses events with ids, types and data (the server's format)", () => {
    const p = new SseParser();
    const out = p.push(
      'retry: 2000\n\nid: 1\nevent: run_queued\ndata: {}\n\nid: 2\nevent: run_started\ndata: {"personas":20,"total":40}\n\n',
    );
    expect(out).toEqual([
      { id: '1', event: 'run_queued', data: '{}' },
      { id: '2', event: 'run_started', data: '{"personas":20,"total":40}' },
    ]);
    expect(p.retry).toBe(2000);
    expect(p.lastEventId).toBe('2');
  });

  it('keeps an event split across chunks anywhere, even inside a UTF-8 text', () => {
    const p = new SseParser();
    const text = 'id: 7\nevent: said\ndata: {"text":"Até já"}\n\n';
    const got: SseMessage[] = [];
    for (const ch of text) got.push(...p.push(ch));
    expect(got).toEqual([{ id: '7', event: 'said', data: '{"text":"Até já"}' }]);
  });

  it('accepts CRLF and CR line ends, also when a CRLF is split between chunks', () => {
    const p = new SseParser();
    const a = p.push('event: a\r\ndata: 1\r');
    const b = p.push('\n\r\nevent: b\rdata: 2\r\r');
    expect([...a, ...b]).toEqual([
      { id: '', event: 'a', data: '1' },
      { id: '', event: 'b', data: '2' },
    ]);
  });

  it('joins data lines with newlines and names unnamed events "message"', () => {
    const p = new SseParser();
    expect(p.push('data: line one\ndata:line two\ndata\n\n')).toEqual([
      { id: '', event: 'message', data: 'line one\nline two\n' },
    ]);
  });

  it('ignores comments (the heartbeat), unknown fields and a bad retry', () => {
    const p = new SseParser();
    expect(p.push(': heartbeat\n\nfoo: bar\nretry: 2s\ndata: x\n\n')).toEqual([
      { id: '', event: 'message', data: 'x' },
    ]);
    expect(p.retry).toBeNull();
  });

  it('dispatches nothing for an event without data but still takes its id', () => {
    const p = new SseParser();
    expect(p.push('id: 41\nevent: nothing\n\n')).toEqual([]);
    expect(p.lastEventId).toBe('41');
    expect(p.push('data: y\n\n')).toEqual([{ id: '41', event: 'message', data: 'y' }]);
  });

  it('drops an id with NUL, a leading BOM, and an unfinished event at the end', () => {
    const p = new SseParser();
    expect(p.push('\uFEFFid: 3\ndata: a\n\nid: 4\u0000\ndata: b\n\ndata: half')).toEqual([
      { id: '3', event: 'message', data: 'a' },
      { id: '3', event: 'message', data: 'b' },
    ]);
  });

  it('strips exactly one space after the colon', () => {
    const p = new SseParser();
    expect(p.push('data:  two spaces\n\n')[0]?.data).toBe(' two spaces');
  });
});

/** A Response whose body streams the given chunks, then ends (or fails). */
function streamResponse(chunks: string[], { fail = false } = {}): Response {
  const enc = new TextEncoder();
  let i = 0;
  const body = new ReadableStream<Uint8Array>({
    pull(ctrl) {
      if (i < chunks.length) ctrl.enqueue(enc.encode(chunks[i++]));
      else if (fail) ctrl.error(new TypeError('network error'));
      else ctrl.close();
    },
  });
  return new Response(body, { status: 200, headers: { 'Content-Type': 'text/event-stream' } });
}

describe('followEventStream', () => {
  afterEach(() => {
    localStorage.clear();
  });

  it('sends the Bearer token, and after a drop resumes with Last-Event-ID', async () => {
    tokenStore.set('tok-1');
    const calls: { headers: Record<string, string> }[] = [];
    const responses = [
      streamResponse(['retry: 1500\n\nid: 1\nevent: run_queued\ndata: {}\n\nid: 2\nev'], {
        fail: true,
      }),
      streamResponse(['id: 3\nevent: run_completed\ndata: {"status":"completed"}\n\n']),
    ];
    const fetchImpl = vi.fn(async (_url: string | URL | Request, init?: RequestInit) => {
      calls.push({ headers: init?.headers as Record<string, string> });
      return responses.shift() as Response;
    });
    const got: SseMessage[] = [];
    const sleeps: number[] = [];
    let ended = false;
    const ctrl = new AbortController();
    const result = await followEventStream({
      url: '/api/tests/t/runs/r/events',
      signal: ctrl.signal,
      fetchImpl: fetchImpl as unknown as typeof fetch,
      sleep: async (ms) => {
        sleeps.push(ms);
      },
      onMessage: (m) => {
        got.push(m);
        if (m.event === 'run_completed') ended = true;
      },
      shouldReconnect: () => !ended,
    });
    expect(result).toBe('ended');
    expect(got.map((m) => m.event)).toEqual(['run_queued', 'run_completed']);
    expect(calls[0]?.headers.Authorization).toBe('Bearer tok-1');
    expect(calls[0]?.headers['Last-Event-ID']).toBeUndefined();
    expect(calls[1]?.headers['Last-Event-ID']).toBe('1');
    // the server's retry time, not the default
    expect(sleeps).toEqual([1500]);
  });

  it('backs off while reconnecting fails, and gives up on a 404', async () => {
    const fetchImpl = vi
      .fn()
      .mockResolvedValueOnce(new Response('busy', { status: 503 }))
      .mockRejectedValueOnce(new TypeError('offline'))
      .mockResolvedValueOnce(
        new Response(JSON.stringify({ error: { code: 'not_found', message: 'no run' } }), {
          status: 404,
          headers: { 'Content-Type': 'application/json' },
        }),
      );
    const sleeps: number[] = [];
    const states: string[] = [];
    const result = await followEventStream({
      url: '/x',
      signal: new AbortController().signal,
      fetchImpl: fetchImpl as unknown as typeof fetch,
      sleep: async (ms) => {
        sleeps.push(ms);
      },
      baseDelayMs: 1000,
      onMessage: () => {},
      onState: (s) => states.push(s),
      shouldReconnect: () => true,
    });
    expect(result).toBe('failed');
    expect(sleeps).toEqual([1000, 2000]);
    expect(states).toEqual(['connecting', 'reconnecting', 'reconnecting', 'failed']);
  });

  it('drops the session on a 401', async () => {
    tokenStore.set('old');
    const fetchImpl = vi.fn().mockResolvedValue(
      new Response(JSON.stringify({ error: { code: 'unauthorized', message: 'expired' } }), {
        status: 401,
      }),
    );
    const result = await followEventStream({
      url: '/x',
      signal: new AbortController().signal,
      fetchImpl: fetchImpl as unknown as typeof fetch,
      onMessage: () => {},
      shouldReconnect: () => true,
    });
    expect(result).toBe('failed');
    expect(tokenStore.get()).toBeNull();
  });

  it('stops when aborted', async () => {
    const ctrl = new AbortController();
    const fetchImpl = vi.fn(async () => {
      ctrl.abort();
      throw new DOMException('aborted', 'AbortError');
    });
    const result = await followEventStream({
      url: '/x',
      signal: ctrl.signal,
      fetchImpl: fetchImpl as unknown as typeof fetch,
      onMessage: () => {},
      shouldReconnect: () => true,
    });
    expect(result).toBe('aborted');
  });

  it('doubles the delay up to the cap', () => {
    expect([0, 1, 2, 3, 10].map((n) => reconnectDelay(n, 2000, 30_000))).toEqual([
      2000, 4000, 8000, 16000, 30000,
    ]);
  });
});

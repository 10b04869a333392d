import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { jsonResponse } from '../test/render';
import {
  ApiError,
  apiRequest,
  buildUrl,
  onUnauthorized,
  sessionEndReason,
  tokenStore,
} from './client';

const fetchMock = vi.fn<typeof fetch>();

beforeEach(() => {
  fetchMock.mockReset();
  vi.stubGlobal('fetch', fetchMock);
});
afterEach(() => vi.unstubAllGlobals());

async function failure(p: Promise<unknown>): Promise<ApiError> {
  try {
    await p;
  } catch (e) {
    expect(e).toBeInstanceOf(ApiError);
    return e as ApiError;
  }
  throw new Error('the request did not fail');
}

describe('apiRequest', () => {
  it('sends JSON with the stored token as a Bearer token and parses the answer', async () => {
    tokenStore.set('tok-1');
    fetchMock.mockResolvedValueOnce(jsonResponse(201, { id: 'p1' }));
    const out = await apiRequest<{ id: string }>('/api/personas', {
      method: 'POST',
      body: { template_id: 'ana' },
    });
    expect(out).toEqual({ id: 'p1' });
    const [url, init] = fetchMock.mock.calls[0]!;
    expect(url).toBe('/api/personas');
    const headers = init!.headers as Record<string, string>;
    expect(headers.Authorization).toBe('Bearer tok-1');
    expect(headers['Content-Type']).toBe('application/json');
    expect(init!.body).toBe('{"template_id":"ana"}');
  });

  it('turns the API error body into a typed ApiError (code, message, field, request id)', async () => {
    fetchMock.mockResolvedValueOnce(
      jsonResponse(
        400,
        {
          error: {
            code: 'invalid_request',
            message: 'password: at least 10 characters',
            field: 'password',
          },
        },
        { 'X-Request-Id': 'req-42' },
      ),
    );
    const e = await failure(
      apiRequest('/api/auth/register', { method: 'POST', body: {}, auth: false }),
    );
    expect(e.status).toBe(400);
    expect(e.code).toBe('invalid_request');
    expect(e.field).toBe('password');
    expect(e.message).toBe('password: at least 10 characters');
    expect(e.requestId).toBe('req-42');
    expect(e.retryable).toBe(false);
  });

  it('keeps Retry-After and details, and marks 429 and 5xx retryable', async () => {
    fetchMock.mockResolvedValueOnce(
      jsonResponse(
        429,
        { error: { code: 'rate_limited', message: 'slow down' } },
        { 'Retry-After': '17' },
      ),
    );
    const e = await failure(apiRequest('/api/usage'));
    expect(e.code).toBe('rate_limited');
    expect(e.retryAfter).toBe(17);
    expect(e.retryable).toBe(true);

    fetchMock.mockResolvedValueOnce(
      jsonResponse(409, {
        error: {
          code: 'conflict',
          message: 'too many',
          details: { personas: { used: 30, limit: 20 } },
        },
      }),
    );
    const c = await failure(apiRequest('/api/billing/downgrade', { method: 'POST', body: {} }));
    expect(c.details).toEqual({ personas: { used: 30, limit: 20 } });
  });

  it('describes an answer that is not the API JSON by its status', async () => {
    fetchMock.mockResolvedValueOnce(new Response('<html>bad gateway</html>', { status: 502 }));
    const e = await failure(apiRequest('/api/tests'));
    expect(e.code).toBe('upstream_error');
    expect(e.status).toBe(502);
    expect(e.retryable).toBe(true);
    fetchMock.mockResolvedValueOnce(new Response('', { status: 500 }));
    expect((await failure(apiRequest('/api/tests'))).code).toBe('internal');
  });

  it('maps a failed fetch to a network error', async () => {
    fetchMock.mockRejectedValueOnce(new TypeError('Failed to fetch'));
    const e = await failure(apiRequest('/api/usage'));
    expect(e.code).toBe('network');
    expect(e.status).toBe(0);
    expect(e.retryable).toBe(true);
  });

  it('a 2xx body that is not JSON is a bad_response', async () => {
    fetchMock.mockResolvedValueOnce(new Response('not json', { status: 200 }));
    expect((await failure(apiRequest('/api/usage'))).code).toBe('bad_response');
  });

  it('204 answers undefined', async () => {
    fetchMock.mockResolvedValueOnce(new Response(null, { status: 204 }));
    await expect(apiRequest('/api/auth/logout', { method: 'POST' })).resolves.toBeUndefined();
  });

  it('a 401 on a request with a token ends the session and tells the listeners', async () => {
    tokenStore.set('old');
    const listener = vi.fn();
    const off = onUnauthorized(listener);
    fetchMock.mockResolvedValueOnce(
      jsonResponse(401, { error: { code: 'unauthorized', message: 'the token was revoked' } }),
    );
    const e = await failure(apiRequest('/api/auth/me'));
    off();
    expect(e.code).toBe('unauthorized');
    expect(tokenStore.get()).toBeNull();
    expect(sessionEndReason()).toBe('expired');
    expect(listener).toHaveBeenCalledTimes(1);
  });

  it('a 401 without a token (a wrong password) leaves the session alone', async () => {
    const listener = vi.fn();
    const off = onUnauthorized(listener);
    fetchMock.mockResolvedValueOnce(
      jsonResponse(401, { error: { code: 'unauthorized', message: 'invalid email or password' } }),
    );
    await failure(apiRequest('/api/auth/login', { method: 'POST', body: {}, auth: false }));
    off();
    expect(listener).not.toHaveBeenCalled();
  });
});

describe('buildUrl', () => {
  it('drops empty values and encodes the rest', () => {
    expect(
      buildUrl('/api/personas', { q: 'nurse brazil', type: undefined, gender: '', limit: 12 }),
    ).toBe('/api/personas?q=nurse+brazil&limit=12');
    expect(buildUrl('/api/usage')).toBe('/api/usage');
  });
});

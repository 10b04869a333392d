/*
 * The one way the UI talks to the C API: JSON over fetch on the same origin,
 * the sign-in token (kept in localStorage) sent as a Bearer token, and every
 * failure turned into an ApiError. A 401 on a request that carried a token
 * means the session is over: the token is dropped and the listeners (the
 * app's router) are told, so the user lands on the sign-in page.
 */
import type { ErrorCode } from './types';

const TOKEN_KEY = 'crowdelic.token';

const tokenListeners = new Set<() => void>();
/** Why the last session ended: refused by the API, or the user signed out. */
export type SessionEnd = 'expired' | 'signedOut' | null;
let sessionEnd: SessionEnd = null;

/** Why the session ended, until the next sign-in. */
export function sessionEndReason(): SessionEnd {
  return sessionEnd;
}

export const tokenStore = {
  subscribe(fn: () => void): () => void {
    tokenListeners.add(fn);
    return () => tokenListeners.delete(fn);
  },
  get(): string | null {
    try {
      return localStorage.getItem(TOKEN_KEY);
    } catch {
      return null;
    }
  },
  set(token: string): void {
    localStorage.setItem(TOKEN_KEY, token);
    sessionEnd = null;
    tokenListeners.forEach((fn) => fn());
  },
  clear(reason: SessionEnd = null): void {
    sessionEnd = reason;
    try {
      localStorage.removeItem(TOKEN_KEY);
    } catch {
      /* storage unavailable: nothing to clear */
    }
    tokenListeners.forEach((fn) => fn());
  },
};

export class ApiError extends Error {
  readonly status: number;
  readonly code: ErrorCode;
  readonly field: string | undefined;
  readonly requestId: string | undefined;
  readonly retryAfter: number | undefined;
  readonly details: Record<string, unknown> | undefined;

  constructor(init: {
    status: number;
    code: ErrorCode;
    message: string;
    field?: string | undefined;
    requestId?: string | undefined;
    retryAfter?: number | undefined;
    details?: Record<string, unknown> | undefined;
  }) {
    super(init.message);
    this.name = 'ApiError';
    this.status = init.status;
    this.code = init.code;
    this.field = init.field;
    this.requestId = init.requestId;
    this.retryAfter = init.retryAfter;
    this.details = init.details;
  }

  /** Worth trying again as it is: the network, the server's 5xx, a rate limit. */
  get retryable(): boolean {
    return this.status === 0 || this.status >= 500 || this.status === 429;
  }
}

export function isApiError(e: unknown): e is ApiError {
  return e instanceof ApiError;
}

type UnauthorizedListener = () => void;
const unauthorizedListeners = new Set<UnauthorizedListener>();

/** Called when the API refuses the session's token; returns the unsubscribe function. */
export function onUnauthorized(fn: UnauthorizedListener): () => void {
  unauthorizedListeners.add(fn);
  return () => unauthorizedListeners.delete(fn);
}

const CODE_BY_STATUS: Record<number, ErrorCode> = {
  400: 'invalid_request',
  401: 'unauthorized',
  403: 'forbidden',
  404: 'not_found',
  405: 'method_not_allowed',
  409: 'conflict',
  413: 'payload_too_large',
  415: 'unsupported_media_type',
  422: 'plan_limit',
  429: 'rate_limited',
  502: 'upstream_error',
  503: 'unavailable',
  504: 'timeout',
};

function codeForStatus(status: number): ErrorCode {
  return CODE_BY_STATUS[status] ?? (status >= 500 ? 'internal' : 'invalid_request');
}

/** Turns a non-2xx answer into an ApiError, from the API's {"error": {...}} when it is one. */
export async function errorFromResponse(res: Response): Promise<ApiError> {
  const requestId = res.headers.get('X-Request-Id') ?? undefined;
  const ra = res.headers.get('Retry-After');
  const retryAfter = ra !== null && /^\d+$/.test(ra) ? Number(ra) : undefined;
  let body: unknown = undefined;
  try {
    body = await res.json();
  } catch {
    /* not JSON: described by the status alone */
  }
  const e =
    body && typeof body === 'object' && 'error' in body
      ? (body as { error: unknown }).error
      : undefined;
  if (e && typeof e === 'object' && typeof (e as { message?: unknown }).message === 'string') {
    const err = e as { code?: unknown; message: string; field?: unknown; details?: unknown };
    return new ApiError({
      status: res.status,
      code: typeof err.code === 'string' ? (err.code as ErrorCode) : codeForStatus(res.status),
      message: err.message,
      field: typeof err.field === 'string' ? err.field : undefined,
      requestId,
      retryAfter,
      details:
        err.details && typeof err.details === 'object'
          ? (err.details as Record<string, unknown>)
          : undefined,
    });
  }
  return new ApiError({
    status: res.status,
    code: codeForStatus(res.status),
    message: `HTTP ${res.status}${res.statusText ? ` ${res.statusText}` : ''}`,
    requestId,
    retryAfter,
  });
}

export type Query = Record<string, string | number | boolean | undefined | null>;

export function buildUrl(path: string, query?: Query): string {
  if (!query) return path;
  const params = new URLSearchParams();
  for (const [k, v] of Object.entries(query)) {
    if (v === undefined || v === null || v === '') continue;
    params.set(k, String(v));
  }
  const qs = params.toString();
  return qs ? `${path}?${qs}` : path;
}

export interface RequestOptions {
  method?: 'GET' | 'POST' | 'PUT' | 'DELETE';
  body?: unknown;
  query?: Query;
  signal?: AbortSignal | undefined;
  /** send the session's token (default true) */
  auth?: boolean;
  /** extra request headers (e.g. Idempotency-Key); they cannot replace Authorization */
  headers?: Record<string, string> | undefined;
}

export async function apiRequest<T>(path: string, opts: RequestOptions = {}): Promise<T> {
  const { method = 'GET', body, query, signal, auth = true } = opts;
  const headers: Record<string, string> = { Accept: 'application/json', ...opts.headers };
  const token = auth ? tokenStore.get() : null;
  if (token) headers.Authorization = `Bearer ${token}`;
  if (body !== undefined) headers['Content-Type'] = 'application/json';

  let res: Response;
  try {
    res = await fetch(buildUrl(path, query), {
      method,
      headers,
      body: body === undefined ? null : JSON.stringify(body),
      signal: signal ?? null,
      credentials: 'same-origin',
    });
  } catch (cause) {
    if (cause instanceof DOMException && cause.name === 'AbortError') throw cause;
    throw new ApiError({
      status: 0,
      code: 'network',
      message: cause instanceof Error ? cause.message : 'network error',
    });
  }

  if (!res.ok) {
    const err = await errorFromResponse(res);
    if (res.status === 401 && token) {
      tokenStore.clear('expired');
      unauthorizedListeners.forEach((fn) => fn());
    }
    throw err;
  }
  if (res.status === 204) return undefined as T;
  const text = await res.text();
  if (!text) return undefined as T;
  try {
    return JSON.parse(text) as T;
  } catch {
    throw new ApiError({
      status: res.status,
      code: 'bad_response',
      message: 'the answer is not JSON',
      requestId: res.headers.get('X-Request-Id') ?? undefined,
    });
  }
}

export const api = {
  get: <T>(path: string, query?: Query, signal?: AbortSignal) =>
    apiRequest<T>(path, { query, signal }),
  post: <T>(path: string, body?: unknown, opts: Omit<RequestOptions, 'method' | 'body'> = {}) =>
    apiRequest<T>(path, { ...opts, method: 'POST', body }),
  put: <T>(path: string, body?: unknown, opts: Omit<RequestOptions, 'method' | 'body'> = {}) =>
    apiRequest<T>(path, { ...opts, method: 'PUT', body }),
  delete: <T>(path: string, opts: Omit<RequestOptions, 'method' | 'body'> = {}) =>
    apiRequest<T>(path, { ...opts, method: 'DELETE' }),
};

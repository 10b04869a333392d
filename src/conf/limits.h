/*
 * conf/limits.h - the default of every limit, in one place, with the reason
 * for each number (STYLE.md K4). The configuration table (conf/config.c)
 * takes its defaults from here; each can be changed by its variable.
 */
#ifndef CONF_LIMITS_H
#define CONF_LIMITS_H

/*
 * HTTP_MAX_BODY_BYTES: 1 MiB. The largest legitimate body is a test spec
 * with a few hundred persona ids and long stimuli, well under 256 KiB; a
 * persona is a few KiB. Parsing is ~30 us per 2 KiB (reference/libs.md), so
 * 1 MiB bounds a request's parse to tens of milliseconds.
 */
#define LIMIT_HTTP_MAX_BODY_BYTES 1048576 /* 1 MiB */

/*
 * HTTP_IDLE_TIMEOUT: 30 s. libmicrohttpd's default is "never", which lets a
 * slow client hold a connection forever; 30 s is far above any browser's
 * gap between keep-alive requests and any honest upload's pause.
 */
#define LIMIT_HTTP_IDLE_TIMEOUT_S 30

/*
 * HTTP_MAX_CONNECTIONS: 1024, libmicrohttpd's own ceiling with select() is
 * ~1020; with epoll we choose it. Each connection may use up to
 * HTTP_CONN_MEMORY, so 1024 x 64 KiB = 64 MiB worst case.
 */
#define LIMIT_HTTP_MAX_CONNECTIONS 1024

/*
 * HTTP_CONN_MEMORY: 64 KiB per connection. This pool holds the request line
 * and headers (a JWT plus cookies fit in 8 KiB), so it also caps header
 * size; the default 32 KiB refused 40 KB headers in reference/libs.md.
 */
#define LIMIT_HTTP_CONN_MEMORY_BYTES 65536 /* 64 KiB */

/*
 * HTTP_MAX_CONN_PER_IP: 0 = unlimited. Behind nginx every client shares one
 * address, so a per-address cap belongs at the proxy; set it for direct
 * exposure.
 */
#define LIMIT_HTTP_MAX_CONN_PER_IP 0

/*
 * HTTP_THREADS: 0 = 4 x cores. Pool threads multiplex many connections each
 * and may do short database work inline, so a few per core hide that wait.
 */
#define LIMIT_HTTP_THREADS_AUTO     0
#define LIMIT_HTTP_THREADS_PER_CORE 4
#define LIMIT_HTTP_THREADS_AUTO_MAX 64 /* so the default 1024 connections stay >= threads */

/*
 * HTTP_SHUTDOWN_GRACE: 10 s for in-flight requests to finish after SIGTERM,
 * inside systemd's default 90 s stop timeout with room to close the rest.
 */
#define LIMIT_HTTP_SHUTDOWN_GRACE_S 10

/*
 * SSE_HEARTBEAT: 15 s. A suspended connection notices no disconnect
 * (reference/libs.md 3.1), so a comment line every 15 s surfaces dead
 * clients; it is also below the 60 s idle cut of common proxies.
 */
#define LIMIT_SSE_HEARTBEAT_S 15

/*
 * SSE_MAX_STREAMS: 4096 open event streams; each costs a connection and a
 * few KiB of queued events.
 */
#define LIMIT_SSE_MAX_STREAMS 4096

/*
 * SSE_QUEUE_BYTES: 256 KiB of undelivered events per stream; a client that
 * falls further behind is cut off and resumes with Last-Event-ID.
 */
#define LIMIT_SSE_QUEUE_BYTES 262144 /* 256 KiB */

/*
 * WORKER_THREADS: 2 threads for slow work off the HTTP threads (argon2id
 * takes 64 MiB and ~0.2 s each: threads x 64 MiB of memory).
 * WORKER_QUEUE: 256 waiting tasks, beyond which callers get 503.
 */
#define LIMIT_WORKER_THREADS 2

/*
 * MODEL_WORKER_THREADS: 4 threads for the model's work a request waits for
 * (generating personas, validating one, an interview's reply). Each mostly
 * waits on the model, so they cost little; they are a pool of their own so
 * that a slow model never holds up sign-ins (password hashing). They share
 * WORKER_QUEUE's bound.
 */
#define LIMIT_MODEL_WORKER_THREADS 4

/*
 * RUN_WORKERS: 2 threads in `serve` that execute test runs (0: none, for a
 * deployment where `crowdelic worker` processes do it). A run's calls are
 * in flight together, so one thread keeps a model busy; two let a second
 * run start while one waits.
 * RUN_LEASE_MS: 30 s. A worker's heartbeat renews its claim on a run every
 * third of this (domain/run_lease.h), and every saved step renews it too; a
 * worker that died is replaced once this passed without either. Shorter
 * finds a dead worker sooner and costs a heartbeat write more often.
 * RUN_STEP_UNITS: 50 units (persona x scenario) a step: a checkpoint at
 * least every 50 answers, and enough calls in flight to fill a model's
 * concurrency.
 */
#define LIMIT_RUN_WORKERS    2
#define LIMIT_RUN_LEASE_MS   30000
#define LIMIT_RUN_STEP_UNITS 50

/*
 * JWT_TTL: a sign-in token lives 24 hours: a working day and then some,
 * short enough that a leaked token does not stay useful for long (logout
 * revokes it at once).
 */
#define LIMIT_JWT_TTL_S    86400
#define LIMIT_WORKER_QUEUE 256

/*
 * DB_POOL_SIZE: 0 = HTTP threads + worker threads + 2, one connection per
 * thread that may hold one. DB_BUSY_TIMEOUT: 5 s waiting for SQLite's write
 * lock (reference/libs.md 4.5), or PostgreSQL's (lock_timeout). DB_ACQUIRE_TIMEOUT:
 * 5 s waiting for a free connection before answering 503.
 * DB_STATEMENT_TIMEOUT (PostgreSQL): 30 s. The slowest statement we run is a
 * search over every persona of a large workspace, tens of milliseconds; one
 * running for 30 s is a runaway that holds a connection (and perhaps the
 * write lock) from everyone else, so it is cancelled (503).
 */
#define LIMIT_DB_POOL_SIZE_AUTO       0
#define LIMIT_DB_BUSY_TIMEOUT_MS      5000
#define LIMIT_DB_ACQUIRE_TIMEOUT_MS   5000
#define LIMIT_DB_STATEMENT_TIMEOUT_MS 30000

/*
 * The model client. LLM_CONCURRENCY: 16 calls in flight, well inside
 * OpenAI's limits and enough to keep a 2-core machine busy on answers.
 * LLM_TIMEOUT_MS: 60 s per attempt; long answers of slow models finish in
 * well under that. LLM_MAX_ATTEMPTS: 4 (3 retries) with backoff from 500 ms
 * capped at 30 s: about 3.5 s of waiting at most without Retry-After.
 * LLM_RPM / LLM_TPM: 500 requests and 200,000 tokens a minute, OpenAI's
 * first usage tier for gpt-4o-mini. LLM_MAX_REASKS: 2 corrections of an
 * invalid answer before the call fails.
 */
#define LIMIT_LLM_CONCURRENCY     16
#define LIMIT_LLM_TIMEOUT_MS      60000
#define LIMIT_LLM_MAX_ATTEMPTS    4
#define LIMIT_LLM_BACKOFF_BASE_MS 500
#define LIMIT_LLM_BACKOFF_MAX_MS  30000
#define LIMIT_LLM_RPM             500
#define LIMIT_LLM_TPM             200000
#define LIMIT_LLM_MAX_REASKS      2

/*
 * Outgoing webhooks (domain/webhooks.h). WEBHOOK_WORKERS: 1 delivery
 * thread in `serve` (0: none; any number share the outbox table).
 * WEBHOOK_TIMEOUT_MS: 5 s for one attempt: a receiver should answer at
 * once and do its work later. WEBHOOK_BACKOFF_MS: 10 s before the first
 * retry, doubling, capped at WEBHOOK_BACKOFF_MAX_MS (1 hour);
 * WEBHOOK_MAX_ATTEMPTS: 15, so a receiver that is down is tried for about
 * 6.4 hours before a delivery fails. WEBHOOK_RETENTION_DAYS: 30 days a
 * delivery is kept after it was delivered or given up (the workspace's
 * page lists its latest deliveries; the outbox does not grow for ever),
 * pruned once an hour.
 */
#define LIMIT_WEBHOOK_WORKERS        1
#define LIMIT_WEBHOOK_TIMEOUT_MS     5000
#define LIMIT_WEBHOOK_BACKOFF_MS     10000
#define LIMIT_WEBHOOK_BACKOFF_MAX_MS 3600000
#define LIMIT_WEBHOOK_MAX_ATTEMPTS   15
#define LIMIT_WEBHOOK_RETENTION_DAYS 30

/*
 * Redis (store/redis.h). REDIS_CACHE_TTL: 7 days for a model answer in
 * Redis's copy of the cache: long enough for a week of reruns of the same
 * tests, short enough that Redis's memory holds only what is in use (the
 * table keeps every answer). The client's timeouts (300 ms) and retry
 * delays (1 s doubling to 5 s) are in store/redis.c.
 */
#define LIMIT_REDIS_CACHE_TTL_S 604800

/* LOG_MAX_BYTES: 10 MiB per file before rotation; LOG_MAX_FILES: 10 kept. */
#define LIMIT_LOG_MAX_BYTES 10485760 /* 10 MiB */
#define LIMIT_LOG_MAX_FILES 10

/* .env files larger than this are refused: a real one is a few KiB. */
#define LIMIT_DOTENV_BYTES 1048576 /* 1 MiB */

/* JWT_SECRET: at least 32 bytes (256 bits, the HS256 key size) in production. */
#define LIMIT_JWT_SECRET_MIN 32

#endif

/*
 * http/sse.h - Server-Sent Events responses fed by other threads
 * (STYLE.md H3; reference/libs.md 3.1 and Appendix A).
 *
 * sse_open() turns a request's response into an open text/event-stream.
 * Any thread then queues events with sse_send(); the connection sleeps
 * (suspended, costing no thread) while the queue is empty and is woken by
 * the next event. A comment line is sent every SSE_HEARTBEAT seconds of
 * silence so that a client that went away is noticed. A stream is
 * reference-counted (M7): one reference for the response, one for each
 * holder; the last sse_unref() frees it.
 *
 * A client resuming after a disconnect sends Last-Event-ID; the producer
 * replays events after it (sse_last_event_id()).
 */
#ifndef HTTP_SSE_H
#define HTTP_SSE_H

#include "core/buf.h"
#include "core/compat.h"
#include "core/err.h"

struct req;
struct sse_stream;

/*
 * Makes req's response an event stream and returns a new reference to it in
 * *out. ERR_UNAVAILABLE when SSE_MAX_STREAMS are open. Call from the handler.
 */
enum err_code sse_open(struct req *req, struct sse_stream **out, struct err *err);

/*
 * The id the client last saw: the Last-Event-ID header, or the query
 * argument last_event_id (for a first connection that resumes), or 0.
 * ERR_INVALID when present but not an event id.
 */
enum err_code sse_last_event_id(const struct req *req, uint64_t *out, struct err *err);

/*
 * Queues one event (data may hold newlines; each line becomes a data: line).
 * ERR_UNAVAILABLE when the stream is closed or the client gone, or when the
 * client is so far behind that SSE_QUEUE_BYTES would be passed (the stream
 * is then closed; the client resumes with Last-Event-ID). Any thread.
 */
enum err_code sse_send(struct sse_stream *s, uint64_t id, const char *event, const char *data,
                       size_t len, struct err *err);

/* Queues a comment line (": text"); same errors as sse_send. */
enum err_code sse_comment(struct sse_stream *s, const char *text, struct err *err);

/* Ends the stream once queued events are sent. Any thread; idempotent. */
void sse_close(struct sse_stream *s);

/* False once the stream is closed or the client has gone. */
bool sse_is_open(struct sse_stream *s);

void sse_ref(struct sse_stream *s);
void sse_unref(struct sse_stream *s);

/* ---- pure helpers (unit-tested and fuzzed) ---- */

/*
 * Appends the wire form of one event: "id: N\n" (when id > 0), "event: E\n"
 * (when event is not NULL), one "data: " line per line of data (split at
 * \n, \r\n or \r), then a blank line. CR and LF in event are dropped.
 */
void sse_format_event(struct buf *out, uint64_t id, const char *event, const char *data,
                      size_t len);

/* Parses an event id: 1 to 16 decimal digits, value up to 2^53. */
bool sse_parse_event_id(const char *s, size_t n, uint64_t *out);

#endif

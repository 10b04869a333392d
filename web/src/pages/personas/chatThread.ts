/*
 * The interview's logic, apart from its looks: which messages to show
 * (the conversation's, then the one being sent), when a key press sends,
 * what the API's refusals mean for the person typing, and the cost of a
 * reply.
 */
import { isApiError } from '../../api/client';
import type { ChatMessage } from '../../api/personas';

/** POST /api/personas/:id/chat's limit on one message (characters). */
export const MESSAGE_MAX = 4000;
/** The model the server's offline simulator answers as (GET /api/llm/status). */
export const OFFLINE_MODEL = 'crowdelic-offline';

export interface ThreadMessage extends ChatMessage {
  /** the question on its way, not yet kept by the server */
  sending?: boolean;
}

/** The conversation's messages in order, then the pending question (when it is this conversation's). */
export function threadMessages(
  messages: ChatMessage[] | undefined,
  pending: { text: string; conversationId: string | null } | null,
  conversationId: string | null,
): ThreadMessage[] {
  const out: ThreadMessage[] = [...(messages ?? [])].sort((a, b) => a.seq - b.seq);
  if (pending && pending.conversationId === conversationId) {
    const last = out[out.length - 1];
    out.push({
      seq: (last?.seq ?? 0) + 1,
      role: 'user',
      content: pending.text,
      created_at: new Date().toISOString(),
      sending: true,
    });
  }
  return out;
}

/** Whether a message can be sent: something besides spaces, within the limit. */
export function canSend(text: string): boolean {
  const n = Array.from(text).length;
  return text.trim().length > 0 && n <= MESSAGE_MAX;
}

/** Enter sends; Shift+Enter (and Enter while an input method composes) is a new line. */
export function sendsOnKey(e: { key: string; shiftKey: boolean; isComposing?: boolean }): boolean {
  return e.key === 'Enter' && !e.shiftKey && !e.isComposing;
}

/**
 * What a failed send means: the conversation is full (start another), it
 * is gone, another message went in meanwhile (reload it, send again), or
 * anything else (try again).
 */
export type ChatFailure = 'full' | 'gone' | 'raced' | 'other';

export function chatFailure(err: unknown): ChatFailure {
  if (!isApiError(err)) return 'other';
  if (err.field === 'conversation_id') {
    if (err.code === 'not_found') return 'gone';
    if (err.code === 'conflict' && /at most/.test(err.message)) return 'full';
    if (err.code === 'conflict') return 'raced';
  }
  return 'other';
}

/** A key for a reply's usage, kept for the replies of this visit (GET does not return it). */
export function usageKey(conversationId: string, seq: number): string {
  return `${conversationId}:${seq}`;
}

/** Whether a message came from the offline model (its own name, or the model the status names). */
export function fromOfflineModel(
  model: string | undefined,
  status: { provider: string; model: string } | undefined,
): boolean {
  if (!model) return false;
  if (model === OFFLINE_MODEL) return true;
  return !!status && status.provider === 'offline' && status.model === model;
}

/** The conversation to show: the URL's, "new" for a fresh one, else the latest. */
export function selectedConversation(
  param: string | null,
  conversations: { id: string }[] | undefined,
): string | null {
  if (param === 'new') return null;
  if (param) return param;
  return conversations?.[0]?.id ?? null;
}

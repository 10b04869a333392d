import { describe, expect, it } from 'vitest';
import { ApiError } from '../../api/client';
import {
  MESSAGE_MAX,
  canSend,
  chatFailure,
  fromOfflineModel,
  selectedConversation,
  sendsOnKey,
  threadMessages,
} from './chatThread';
import { fitBand, scorePercent, validateOptions } from './validation';

const msg = (seq: number, role: 'user' | 'persona', content: string) => ({
  seq,
  role,
  content,
  created_at: '2026-11-26T06:38:24.763Z',
});

describe('the interview', () => {
  it('shows the conversation in order, then the question on its way (only in its conversation)', () => {
    const messages = [msg(2, 'persona', 'Hi'), msg(1, 'user', 'Hello')];
    const pending = { text: 'And you?', conversationId: 'c1' };
    const shown = threadMessages(messages, pending, 'c1');
    expect(shown.map((m) => [m.seq, m.content, !!m.sending])).toEqual([
      [1, 'Hello', false],
      [2, 'Hi', false],
      [3, 'And you?', true],
    ]);
    expect(threadMessages(messages, pending, 'c2')).toHaveLength(2);
    expect(threadMessages(undefined, { text: 'First', conversationId: null }, null)).toEqual([
      expect.objectContaining({ seq: 1, role: 'user', content: 'First', sending: true }),
    ]);
  });

  it('Enter sends, Shift+Enter and composing input methods do not', () => {
    expect(sendsOnKey({ key: 'Enter', shiftKey: false })).toBe(true);
    expect(sendsOnKey({ key: 'Enter', shiftKey: true })).toBe(false);
    expect(sendsOnKey({ key: 'Enter', shiftKey: false, isComposing: true })).toBe(false);
    expect(sendsOnKey({ key: 'a', shiftKey: false })).toBe(false);
  });

  it('sends something besides spaces, within the limit', () => {
    expect(canSend('  \n ')).toBe(false);
    expect(canSend('Hi')).toBe(true);
    expect(canSend('x'.repeat(MESSAGE_MAX))).toBe(true);
    expect(canSend('x'.repeat(MESSAGE_MAX + 1))).toBe(false);
  });

  it("reads the API's refusals: a full conversation, a gone one, a race", () => {
    const err = (status: number, code: 'conflict' | 'not_found', message: string) =>
      new ApiError({ status, code, message, field: 'conversation_id' });
    expect(
      chatFailure(
        err(409, 'conflict', 'conversation_id: a conversation holds at most 200 messages'),
      ),
    ).toBe('full');
    expect(
      chatFailure(err(409, 'conflict', 'conversation_id: another message was added meanwhile')),
    ).toBe('raced');
    expect(chatFailure(err(404, 'not_found', "no conversation 'x'"))).toBe('gone');
    expect(chatFailure(new ApiError({ status: 503, code: 'unavailable', message: 'busy' }))).toBe(
      'other',
    );
    expect(chatFailure(new Error('boom'))).toBe('other');
  });

  it('knows the offline model by its name or by the status', () => {
    expect(fromOfflineModel('crowdelic-offline', undefined)).toBe(true);
    expect(fromOfflineModel('sim-1', { provider: 'offline', model: 'sim-1' })).toBe(true);
    expect(fromOfflineModel('gpt-4o', { provider: 'openai', model: 'gpt-4o' })).toBe(false);
    expect(fromOfflineModel(undefined, { provider: 'offline', model: 'x' })).toBe(false);
  });

  it("shows the URL's conversation, a new one, or the latest", () => {
    const list = [{ id: 'latest' }, { id: 'older' }];
    expect(selectedConversation('older', list)).toBe('older');
    expect(selectedConversation('new', list)).toBeNull();
    expect(selectedConversation(null, list)).toBe('latest');
    expect(selectedConversation(null, [])).toBeNull();
  });
});

describe('the validator', () => {
  it('reads a score as a band and a percentage', () => {
    expect(fitBand(0.88)).toBe('strong');
    expect(fitBand(0.8)).toBe('strong');
    expect(fitBand(0.6)).toBe('partial');
    expect(fitBand(0.2)).toBe('weak');
    expect(scorePercent(0.876)).toBe(88);
    expect(scorePercent(1.2)).toBe(100);
    expect(scorePercent(Number.NaN)).toBe(0);
  });

  it('checks its options as the API does', () => {
    expect(validateOptions('', '3')).toEqual({});
    expect(validateOptions('', '')).toEqual({});
    expect(validateOptions('x'.repeat(2001), '3')).toEqual({ expectations: 'expectationsTooLong' });
    expect(validateOptions('', '1')).toEqual({ rounds: 'roundsRange' });
    expect(validateOptions('', '11')).toEqual({ rounds: 'roundsRange' });
  });
});

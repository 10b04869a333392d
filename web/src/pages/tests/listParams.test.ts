import { describe, expect, it } from 'vitest';
import { setupI18n } from '../../i18n';
import { apiParams, isFiltered, listStateFromParams, withParam } from './listParams';
import { durationSeconds, shapeText } from './summary';

const P = (s: string) => new URLSearchParams(s);
const UUID = '01a21693-9d5c-7004-8cf8-337ec7c56e89';

describe("the tests list's URL", () => {
  it('reads only the API words and a page number', () => {
    expect(listStateFromParams(P(`status=completed&type=journey&project=${UUID}&page=3`))).toEqual({
      status: 'completed',
      type: 'journey',
      project: UUID,
      page: 3,
    });
    expect(listStateFromParams(P('status=done&type=survey&project=x&page=-1'))).toEqual({
      page: 1,
    });
    expect(listStateFromParams(P('page=0'))).toEqual({ page: 1 });
  });

  it("becomes GET /api/tests's query, 20 a page", () => {
    expect(apiParams({ page: 1 })).toEqual({ limit: 20, offset: 0 });
    expect(apiParams({ page: 3, status: 'draft', project: UUID })).toEqual({
      limit: 20,
      offset: 40,
      status: 'draft',
      project_id: UUID,
    });
  });

  it('a filter change goes back to page 1; clearing a filter drops it', () => {
    expect(withParam(P('page=4&type=message'), 'status', 'failed').toString()).toBe(
      'type=message&status=failed',
    );
    expect(withParam(P('type=message'), 'type', '').toString()).toBe('');
    expect(withParam(P('type=message'), 'page', '2').toString()).toBe('type=message&page=2');
    expect(withParam(P('page=2'), 'page', '1').toString()).toBe('');
  });

  it('knows when it is filtered', () => {
    expect(isFiltered({ page: 2 })).toBe(false);
    expect(isFiltered({ page: 1, type: 'product' })).toBe(true);
  });
});

describe("a test's shape in words", () => {
  const t = setupI18n('en').getFixedT('en');
  it('counts scenarios (steps for a journey), variants, questions and the panel', () => {
    const scenarios = [
      {
        id: 's',
        stimulus: 'x',
        variants: [
          { id: 'A', stimulus: 'a' },
          { id: 'B', stimulus: 'b' },
        ],
        questions: [{ id: 'q', kind: 'yes_no' as const, prompt: 'ok?' }],
      },
    ];
    expect(shapeText({ personas: ['a', 'b', 'c'], scenarios }, 'message', t)).toBe(
      '1 scenario · 2 variants · 1 question · 3 personas',
    );
    expect(
      shapeText(
        { panel: { templates: 'all' }, scenarios: [scenarios[0]!, scenarios[0]!] },
        'journey',
        t,
      ),
    ).toBe('2 steps · 4 variants · 2 questions · every template');
    const pt = setupI18n('pt-BR').getFixedT('pt-BR');
    expect(shapeText({ panel: { generate: 8, description: 'x' }, scenarios }, 'product', pt)).toBe(
      '1 cenário · 2 variantes · 1 pergunta · 8 personas geradas',
    );
  });

  it("a run's duration", () => {
    expect(durationSeconds('2026-01-01T00:00:00.000Z', '2026-01-01T00:00:01.500Z')).toBe(1.5);
    expect(durationSeconds('2026-01-01T00:00:00.000Z', null)).toBeNull();
    expect(durationSeconds(null, null)).toBeNull();
  });
});

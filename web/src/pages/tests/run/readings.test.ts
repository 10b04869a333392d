/* The statistics in words, with the real texts of both languages. */
import { describe, expect, it } from 'vitest';
import type { Comparison, Report } from '../../../api/runs';
import { setupI18n } from '../../../i18n';
import messageJson from './fixtures/message-report.json';
import { dimensionLabel, failureKey, scenarioLabeler, segmentValueLabel } from './labels';
import { comparisonDetails, readingSentences } from './readings';

const message = messageJson as unknown as Report;
const appeal = message.comparisons[0] as Comparison;
const trust = message.comparisons[1] as Comparison;

describe('a comparison in words', () => {
  it('says a rating gap that could be chance plainly (English)', () => {
    const i18n = setupI18n('en');
    const s = readingSentences(i18n.t, appeal, 'en', '1–7');
    expect(s.headline).toBe('Variant B is slightly ahead, but that could be chance.');
    expect(s.difference).toBe('B averages 0.5 points more than A (scale 1–7).');
    expect(s.chance).toBe(
      'A gap this large would come up by chance about 50 times in 100 (p = 0.50): it may well be noise.',
    );
    expect(s.effect).toBe("Size of the effect: small (Cohen's d 0.24).");
    expect(comparisonDetails(i18n.t, appeal, 'en')).toBe(
      "Permutation test: difference 0.5, p = 0.50 · Welch's t 0.75 (df 38), p = 0.46 · Mann-Whitney U 229, p = 0.43",
    );
  });

  it('says a significant share gap and names the winner (Portuguese)', () => {
    const i18n = setupI18n('pt-BR');
    const won: Comparison = { ...trust, p: 0.031, significant: true, winner: 'B' };
    const s = readingSentences(i18n.t, won, 'pt-BR', '');
    expect(s.headline).toBe('A variante B está na frente, e não por acaso.');
    expect(s.difference).toBe('B recebe 25 pontos percentuais a mais de respostas “yes” que A.');
    expect(s.chance).toBe(
      'Uma diferença deste tamanho apareceria por acaso só cerca de 3 vezes em 100 (p = 0,031).',
    );
    expect(s.effect).toBe('Tamanho do efeito: pequeno (V de Cramér 0,25).');
    setupI18n('en');
  });
});

describe('labels', () => {
  it("names scenario keys by their titles, a journey's steps numbered", () => {
    const i18n = setupI18n('en');
    const label = scenarioLabeler(i18n.t, [{ id: 'ad', title: 'Instagram ad' }], false);
    expect(label('ad/B')).toBe('Instagram ad · variant B');
    expect(label('other')).toBe('other');
    const step = scenarioLabeler(
      i18n.t,
      [
        { id: 'a', title: 'Open' },
        { id: 'b', title: null },
      ],
      true,
    );
    expect(step('b')).toBe('Step 2: b');
  });

  it('translates segment values the product knows, and leaves the rest', () => {
    const i18n = setupI18n('pt-BR');
    expect(segmentValueLabel(i18n.t, 'gender', 'female')).toBe('Feminino');
    expect(segmentValueLabel(i18n.t, 'income', 'lower_middle')).toBe('Renda média-baixa');
    expect(segmentValueLabel(i18n.t, 'occupation_group', 'Business and finance')).toBe(
      'Negócios e finanças',
    );
    expect(segmentValueLabel(i18n.t, 'country', 'Portugal')).toBe('Portugal');
    expect(segmentValueLabel(i18n.t, 'age_band', 'unknown')).toBe('Desconhecido');
    expect(dimensionLabel(i18n.t, 'age_band', 'Age')).toBe('Idade');
    expect(dimensionLabel(i18n.t, 'shoe_size', 'Shoe size')).toBe('Shoe size');
    setupI18n('en');
  });

  it("explains a failed run's known errors", () => {
    expect(failureKey("the test's timeout passed")).toBe('run.ended.why.timeout');
    expect(failureKey('something odd')).toBeNull();
    expect(failureKey(null)).toBeNull();
  });
});

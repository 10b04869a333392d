import { describe, expect, it } from 'vitest';
import {
  checkCriterion,
  checkGuided,
  defaultGuided,
  fractionText,
  guidedFromText,
  guidedText,
  type CriteriaEnv,
  type Guided,
} from './criteria';

/** The questions and variants of examples/message-ab-ad-copy.json, plus a choice. */
const env: CriteriaEnv = {
  questions: [
    { id: 'appeal', kind: 'rating', scale: { min: 1, max: 7 } },
    { id: 'trust', kind: 'yes_no' },
    { id: 'click', kind: 'yes_no' },
    { id: 'feeling', kind: 'text' },
    { id: 'price', kind: 'choice', options: ['too low', 'fair', 'too high'] },
    { id: 'order', kind: 'ranking', options: ['price', 'range'] },
  ],
  variants: ['A', 'B'],
};
const noVariants: CriteriaEnv = { ...env, variants: [] };

const code = (text: string, e: CriteriaEnv = env) => checkCriterion(text, e)?.code ?? null;

describe('checkCriterion: what the API accepts', () => {
  it.each([
    'mean(appeal) >= 4',
    'median(appeal) > 3.5',
    'min(appeal) >= 1 and max(appeal) <= 7',
    'stdev(appeal) < 2',
    'count(feeling) >= 10',
    'share(click == "yes") >= 0.5',
    'share(trust != "no") > 0.25',
    'share(price == "fair") >= 0.4',
    'share(order == "price") > 0',
    'share(feeling == "great") < 0.1',
    'share(appeal >= 6) >= 0.3',
    'winner == "B"',
    '"B" == winner',
    'winner != "A"',
    'not mean(appeal) < 3',
    'mean(appeal) >= 4 or (share(click == "yes") >= 0.5 and winner == "B")',
    '  mean(appeal)>=4  ',
    '4 <= mean(appeal)',
  ])('%s', (text) => {
    expect(checkCriterion(text, env)).toBeNull();
  });
});

describe('checkCriterion: the API refusals, at the same column', () => {
  it('an unknown question names the questions (as the server: column 6)', () => {
    expect(checkCriterion('mean(apeal) >= 4', env)).toEqual({
      column: 6,
      code: 'unknownQuestion',
      params: { id: 'apeal', questions: 'appeal, trust, click, feeling, price, order' },
    });
  });

  it('a statistic of a question that is not a rating', () => {
    expect(checkCriterion('mean(trust) >= 1', env)).toMatchObject({
      column: 6,
      code: 'statNeedsRating',
      params: { fn: 'mean', id: 'trust', kind: 'yes_no' },
    });
  });

  it('a function without a comparison', () => {
    expect(checkCriterion('mean(appeal)', env)).toMatchObject({
      column: 13,
      code: 'endExpectedComparison',
      params: { after: 'mean(appeal)' },
    });
    expect(code('mean(appeal) and winner == "A"')).toBe('expectedComparison');
  });

  it('a yes/no share compares with "yes" or "no" only, with == or !=', () => {
    expect(checkCriterion('share(click == "maybe") >= 0.5', env)).toMatchObject({
      column: 16,
      code: 'shareLiteral_yesNo',
    });
    expect(code('share(click >= "yes") > 0')).toBe('shareOp');
    expect(code('share(click == 1) > 0')).toBe('shareLiteral_yesNo');
  });

  it("a choice's share compares with one of its options", () => {
    expect(checkCriterion('share(price == "cheap") > 0.1', env)).toMatchObject({
      code: 'shareLiteral_option',
      params: { options: '"too low", "fair", "too high"' },
    });
  });

  it('a rating share compares with a number', () => {
    expect(code('share(appeal == "high") > 0.1')).toBe('shareLiteral_number');
  });

  it('winner needs variants, and a variant it knows', () => {
    expect(code('winner == "B"', noVariants)).toBe('winnerNoVariants');
    expect(checkCriterion('winner == "C"', env)).toMatchObject({
      column: 11,
      code: 'unknownVariant',
      params: { id: '"C"', variants: '"A", "B"' },
    });
    expect(code('winner >= "A"')).toBe('stringOp');
    expect(code('winner == 3')).toBe('unexpected');
  });

  it('lexical mistakes, with their hints', () => {
    expect(checkCriterion('mean(appeal) >= 4 && winner == "B"', env)).toMatchObject({
      column: 19,
      code: 'badChar',
      params: { char: '&', hint: 'and' },
    });
    expect(checkCriterion("share(click == 'yes') > 0", env)).toMatchObject({
      code: 'badChar',
      params: { hint: 'quotes' },
    });
    expect(code('mean(appeal) >= .5')).toBe('badChar');
    expect(code('mean(appeal) >= 4.')).toBe('malformedNumber');
    expect(code('mean(appeal) >= 4x')).toBe('malformedNumber');
    expect(code('share(click == "yes) > 0')).toBe('unterminated');
    expect(code('share(feeling == "a\\nb") > 0')).toBe('badEscape');
    // a lone '=' is no comparison: the server points after the function, at column 14
    expect(checkCriterion('mean(appeal) = 4', env)).toMatchObject({
      column: 14,
      code: 'expectedComparison',
    });
  });

  it('grammar mistakes', () => {
    expect(code('')).toBe('empty');
    expect(code('   ')).toBe('empty');
    expect(code('Mean(appeal) > 3')).toBe('functionCase');
    expect(code('avg(appeal) > 3')).toBe('unknownFunction');
    expect(checkCriterion('appeal >= 4', env)).toMatchObject({
      code: 'bareQuestion',
      params: { example: 'mean(appeal)' },
    });
    expect(checkCriterion('click', env)).toMatchObject({
      params: { example: 'share(click == "yes")' },
    });
    expect(code('3 > 2')).toBe('constants');
    expect(code('(mean(appeal) >= 4')).toBe('unexpectedEnd');
    expect(code('mean(appeal) >= 4 winner')).toBe('unexpected');
    expect(code('(mean(appeal) >= 4) >= 3')).toBe('conditionCompared');
    expect(code('mean(appeal) >= 4 and')).toBe('unexpectedEnd');
    expect(checkCriterion('mean appeal >= 4', env)).toMatchObject({
      column: 6,
      code: 'unexpected',
      params: { found: 'appeal', expected: 'open', fn: 'mean' },
    });
    expect(code('mean(appeal >= 4')).toBe('unexpected');
  });

  it('nesting is capped at 32 levels of ( and not', () => {
    expect(checkCriterion(`${'not '.repeat(32)}mean(appeal) > 1`, env)).toBeNull();
    expect(code(`${'not '.repeat(33)}mean(appeal) > 1`)).toBe('tooDeep');
  });

  it('at most 500 bytes (UTF-8), counted as the server counts them', () => {
    const pad = ' '.repeat(500 - 'mean(appeal) > 1'.length);
    expect(checkCriterion(`mean(appeal) > 1${pad}`, env)).toBeNull();
    expect(code(`mean(appeal) > 1${pad} `)).toBe('tooLong');
    expect(code(`share(feeling == "${'é'.repeat(250)}") > 0`)).toBe('tooLong');
  });

  it('columns count characters, not UTF-16 units or bytes', () => {
    expect(checkCriterion('share(feeling == "😀") > 0 && x', env)?.column).toBe(27);
  });

  it('a test without questions says so', () => {
    expect(code('mean(x) > 1', { questions: [], variants: [] })).toBe('unknownQuestionNone');
  });
});

describe("checkCriterion: thresholds a run can't reach (the client's own rule)", () => {
  it('a mean outside its scale', () => {
    expect(checkCriterion('mean(appeal) >= 9', env)).toEqual({
      column: 17,
      code: 'outOfScale',
      params: { fn: 'mean', id: 'appeal', value: 9, min: 1, max: 7 },
    });
    expect(code('9 <= max(appeal)')).toBe('outOfScale');
    expect(code('mean(appeal) > 0')).toBe('outOfScale');
    expect(code('mean(appeal) >= 7')).toBeNull();
    expect(code('mean(appeal) >= 1')).toBeNull();
  });

  it('a share is a fraction', () => {
    expect(checkCriterion('share(click == "yes") >= 40', env)).toMatchObject({
      code: 'shareRange',
      params: { value: 40 },
    });
    expect(code('share(click == "yes") >= -0.1')).toBe('shareRange');
    expect(code('share(click == "yes") <= 1')).toBeNull();
  });

  it("a rating share's value inside the scale", () => {
    expect(code('share(appeal >= 8) > 0.2')).toBe('shareOutOfScale');
    expect(code('share(appeal >= 7) > 0.2')).toBeNull();
  });

  it('stdev and count are never negative', () => {
    expect(code('stdev(appeal) > -1')).toBe('negative');
    expect(code('count(appeal) >= -2')).toBe('negative');
  });
});

describe('guided criteria', () => {
  const cases: [Guided, string][] = [
    [{ type: 'stat', fn: 'mean', question: 'appeal', op: '>=', value: '4' }, 'mean(appeal) >= 4'],
    [{ type: 'stat', fn: 'max', question: 'appeal', op: '<', value: '6.5' }, 'max(appeal) < 6.5'],
    [
      { type: 'share', question: 'click', answerOp: '==', answer: 'yes', op: '>=', percent: '40' },
      'share(click == "yes") >= 0.4',
    ],
    [
      { type: 'share', question: 'appeal', answerOp: '>=', answer: '6', op: '>', percent: '33.5' },
      'share(appeal >= 6) > 0.335',
    ],
    [
      {
        type: 'share',
        question: 'feeling',
        answerOp: '!=',
        answer: 'say "hi"',
        op: '<',
        percent: '10',
      },
      'share(feeling != "say \\"hi\\"") < 0.1',
    ],
    [{ type: 'winner', variant: 'B' }, 'winner == "B"'],
  ];

  it.each(cases)('writes %j as %s, accepted by the parser, and reads it back', (g, text) => {
    expect(guidedText(g, env)).toBe(text);
    expect(checkCriterion(text, env)).toBeNull();
    expect(guidedFromText(text)).toEqual(g);
  });

  it('other expressions stay expressions', () => {
    expect(guidedFromText('mean(appeal) >= 4 and winner == "B"')).toBeNull();
    expect(guidedFromText('stdev(appeal) < 2')).toBeNull();
    expect(guidedFromText('not winner == "A"')).toBeNull();
  });

  it('fractions are written short', () => {
    expect(fractionText(40)).toBe('0.4');
    expect(fractionText(33.3333333)).toBe('0.333333');
    expect(fractionText(100)).toBe('1');
  });

  it("checks a guided criterion's own fields", () => {
    const stat = (value: string, question = 'appeal'): Guided => ({
      type: 'stat',
      fn: 'mean',
      question,
      op: '>=',
      value,
    });
    expect(checkGuided(stat('5'), env)).toBeNull();
    expect(checkGuided(stat('9'), env)).toMatchObject({ field: 'value', code: 'outOfScale' });
    expect(checkGuided(stat(''), env)).toMatchObject({ field: 'value', code: 'enterNumber' });
    expect(checkGuided(stat('4', 'gone'), env)).toMatchObject({
      field: 'question',
      code: 'missingQuestion',
    });
    expect(checkGuided(stat('4', 'trust'), env)).toMatchObject({ code: 'statNeedsRating' });
    expect(checkGuided(stat('4', ''), env)).toMatchObject({ code: 'pickQuestion' });
    const share = (answer: string, percent: string, question = 'click'): Guided => ({
      type: 'share',
      question,
      answerOp: '==',
      answer,
      op: '>=',
      percent,
    });
    expect(checkGuided(share('yes', '50'), env)).toBeNull();
    expect(checkGuided(share('yes', '150'), env)).toMatchObject({
      field: 'percent',
      code: 'percentRange',
    });
    expect(checkGuided(share('yes', 'x'), env)).toMatchObject({ code: 'enterPercent' });
    expect(checkGuided(share('maybe', '50'), env)).toMatchObject({
      field: 'answer',
      code: 'pickAnswer',
    });
    expect(checkGuided(share('cheap', '50', 'price'), env)).toMatchObject({ code: 'pickAnswer' });
    expect(checkGuided(share('9', '50', 'appeal'), env)).toMatchObject({ code: 'shareOutOfScale' });
    expect(checkGuided({ type: 'winner', variant: 'C' }, env)).toMatchObject({
      code: 'missingVariant',
    });
    expect(checkGuided({ type: 'winner', variant: 'A' }, noVariants)).toMatchObject({
      code: 'winnerNoVariants',
    });
  });

  it('starts from a sensible criterion: 60 % up a rating, else half saying yes, else the winner', () => {
    expect(guidedText(defaultGuided(env), env)).toBe('mean(appeal) >= 5');
    const yn: CriteriaEnv = { questions: [{ id: 'buy', kind: 'yes_no' }], variants: [] };
    expect(guidedText(defaultGuided(yn), yn)).toBe('share(buy == "yes") >= 0.5');
    const only: CriteriaEnv = { questions: [{ id: 'why', kind: 'text' }], variants: ['A', 'B'] };
    expect(guidedText(defaultGuided(only), only)).toBe('winner == "A"');
  });
});

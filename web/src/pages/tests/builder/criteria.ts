/*
 * Success criteria, as the API reads them (src/report/criteria.h): a small
 * expression language over the test's question ids and variant ids, e.g.
 * `mean(appeal) >= 7`, `share(buy == "yes") >= 0.4`, `winner == "B"`.
 *
 * checkCriterion mirrors the server's parser (the same grammar, types and
 * columns) so that a mistake is shown while the user types, in their
 * language; an issue is a code with its values, translated by the editor.
 * On top of the server's rules it refuses a threshold no run can reach: a
 * mean (median, min, max) compared with a number outside its question's
 * scale, a share compared with a number outside 0..1, and a share of a
 * rating compared with a number outside the scale.
 *
 * The guided editor writes the common shapes (a statistic of a rating, a
 * share of an answer, the winning variant); guidedFromText reads them back.
 */

export type CriteriaKind = 'rating' | 'choice' | 'yes_no' | 'ranking' | 'text';

export interface CriteriaQuestion {
  id: string;
  kind: CriteriaKind;
  /** choice and ranking: every option, over the scenarios that ask it */
  options?: string[];
  /** rating: its scale */
  scale?: { min: number; max: number };
}

/** What a criterion may name: the test's questions and variant ids. */
export interface CriteriaEnv {
  questions: CriteriaQuestion[];
  variants: string[];
}

/** A mistake in a criterion: where (column, from 1, in characters), what (code) and its values. */
export interface CriterionIssue {
  column: number;
  code: string;
  params: Record<string, string | number>;
}

export const CRITERION_MAX_BYTES = 500;
export const CRITERIA_MAX = 20;
const DEPTH_MAX = 32;
const STAT_FNS = ['mean', 'median', 'min', 'max', 'stdev', 'count'] as const;
export const OPS = ['>=', '<=', '>', '<', '==', '!='] as const;
export type Op = (typeof OPS)[number];

type TokKind = 'end' | 'number' | 'string' | 'word' | 'lparen' | 'rparen' | 'op' | 'assign';

interface Token {
  kind: TokKind;
  pos: number;
  len: number;
  op?: Op;
  number?: number;
}

type VType = 'bool' | 'number' | 'string';
type NodeKind = 'or' | 'and' | 'not' | 'cmp' | 'number' | 'string' | 'winner' | 'stat' | 'share';

interface Node {
  kind: NodeKind;
  type: VType;
  pos: number;
  end: number;
  children: Node[];
  op?: Op;
  number?: number;
  text?: string;
  fn?: string;
  question?: CriteriaQuestion;
  /** share: the literal is a number */
  isNumber?: boolean;
}

class Fail extends Error {
  readonly issue: CriterionIssue;
  constructor(issue: CriterionIssue) {
    super(issue.code);
    this.issue = issue;
  }
}

/** A control character (U+0000..U+001F, U+007F), which the API refuses in a criterion. */
const isControl = (c: string) => {
  const n = c.charCodeAt(0);
  return n < 0x20 || n === 0x7f;
};
const isSpace = (c: string) => c === ' ' || c === '\t' || c === '\n' || c === '\r';
const isDigit = (c: string) => c >= '0' && c <= '9';
const isWordStart = (c: string) => (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c === '_';
const isWordChar = (c: string) => isWordStart(c) || isDigit(c) || c === '-';

/** At most 40 characters of a piece of the text, as a message quotes it. */
function show(s: string): string {
  const chars = Array.from(s).map((c) => (isControl(c) ? ' ' : c));
  return chars.length > 40 ? `${chars.slice(0, 40).join('')}...` : chars.join('');
}

class Parser {
  private readonly text: string;
  private readonly env: CriteriaEnv;
  private at = 0;
  private depth = 0;
  tok: Token = { kind: 'end', pos: 0, len: 0 };

  constructor(text: string, env: CriteriaEnv) {
    this.text = text;
    this.env = env;
  }

  private ch(i: number): string {
    return i < this.text.length ? (this.text[i] ?? '') : '';
  }

  column(pos: number): number {
    return 1 + Array.from(this.text.slice(0, pos)).length;
  }

  fail(pos: number, code: string, params: Record<string, string | number> = {}): never {
    throw new Fail({ column: this.column(pos), code, params });
  }

  private found(): string {
    const t = this.tok;
    if (t.kind === 'end') return '';
    return show(this.text.slice(t.pos, t.pos + t.len));
  }

  /** "unexpected <token>: expected <what>", what being a code of its own. */
  unexpected(expected: string, params: Record<string, string | number> = {}): never {
    if (this.tok.kind === 'end') this.fail(this.tok.pos, 'unexpectedEnd', { expected, ...params });
    this.fail(this.tok.pos, 'unexpected', { found: this.found(), expected, ...params });
  }

  private questionList(): string {
    const ids = [...new Set(this.env.questions.map((q) => q.id))];
    return ids.join(', ');
  }

  private skipSpace() {
    while (this.at < this.text.length && isSpace(this.ch(this.at))) this.at++;
  }

  private setTok(kind: TokKind, len: number, extra: Partial<Token> = {}) {
    this.tok = { kind, pos: this.at, len, ...extra };
    this.at += len;
  }

  private badChar(): never {
    const i = this.at;
    const c = String.fromCodePoint(this.text.codePointAt(i) ?? 0);
    if (isControl(c))
      this.fail(i, 'control', {
        code: `U+${c.charCodeAt(0).toString(16).toUpperCase().padStart(4, '0')}`,
      });
    const hints: Record<string, string> = {
      '&': 'and',
      '|': 'or',
      '!': 'not',
      "'": 'quotes',
      '.': 'number',
    };
    this.fail(i, 'badChar', { char: c, hint: hints[c] ?? '' });
  }

  private lexString() {
    let i = this.at + 1;
    while (i < this.text.length) {
      const c = this.ch(i);
      if (c === '"') {
        this.setTok('string', i + 1 - this.at);
        return;
      }
      if (c === '\\') {
        const e = this.ch(i + 1);
        if (e === '"' || e === '\\') {
          i += 2;
          continue;
        }
        if (i + 1 >= this.text.length) break;
        if (isControl(e)) this.fail(i + 1, 'controlInString');
        this.fail(i, 'badEscape', { escape: `\\${e}` });
      }
      if (isControl(c)) this.fail(i, 'controlInString');
      i++;
    }
    this.fail(this.at, 'unterminated');
  }

  private lexNumber() {
    let i = this.at;
    if (this.ch(i) === '-') i++;
    while (isDigit(this.ch(i))) i++;
    let ok = true;
    if (this.ch(i) === '.') {
      ok = isDigit(this.ch(i + 1));
      i++;
      while (isDigit(this.ch(i))) i++;
    }
    if (!ok || isWordChar(this.ch(i)) || this.ch(i) === '.') {
      while (isWordChar(this.ch(i)) || this.ch(i) === '.') i++;
      this.fail(this.at, 'malformedNumber', { text: show(this.text.slice(this.at, i)) });
    }
    const n = Number(this.text.slice(this.at, i));
    if (!Number.isFinite(n))
      this.fail(this.at, 'numberTooLarge', { text: show(this.text.slice(this.at, i)) });
    this.setTok('number', i - this.at, { number: n });
  }

  lex() {
    this.skipSpace();
    this.tok = { kind: 'end', pos: this.at, len: 0 };
    if (this.at >= this.text.length) return;
    const c = this.ch(this.at);
    const c1 = this.ch(this.at + 1);
    switch (c) {
      case '(':
        return this.setTok('lparen', 1);
      case ')':
        return this.setTok('rparen', 1);
      case '>':
      case '<': {
        const op = (c1 === '=' ? `${c}=` : c) as Op;
        return this.setTok('op', op.length, { op });
      }
      case '=':
        return c1 === '=' ? this.setTok('op', 2, { op: '==' }) : this.setTok('assign', 1);
      case '!':
        if (c1 !== '=') this.badChar();
        return this.setTok('op', 2, { op: '!=' });
      case '"':
        return this.lexString();
      default:
        break;
    }
    if (isDigit(c) || (c === '-' && isDigit(c1))) return this.lexNumber();
    if (isWordStart(c)) {
      let i = this.at;
      while (isWordChar(this.ch(i))) i++;
      return this.setTok('word', i - this.at);
    }
    this.badChar();
  }

  /** A question id (may start with a digit); false when none stands there (the ordinary token is read). */
  private lexQuestion(): boolean {
    this.skipSpace();
    let i = this.at;
    while (isWordChar(this.ch(i))) i++;
    if (i === this.at) {
      this.lex();
      return false;
    }
    this.tok = { kind: 'word', pos: this.at, len: i - this.at };
    this.at = i;
    return true;
  }

  private tokIs(word: string): boolean {
    return (
      this.tok.kind === 'word' &&
      this.text.slice(this.tok.pos, this.tok.pos + this.tok.len) === word
    );
  }

  private tokText(): string {
    return this.text.slice(this.tok.pos, this.tok.pos + this.tok.len);
  }

  private enter() {
    if (++this.depth > DEPTH_MAX) this.fail(this.tok.pos, 'tooDeep', { max: DEPTH_MAX });
  }

  private expectedComparison(ops: 'all' | 'eq', from: number, to: number): never {
    this.fail(
      this.tok.pos,
      this.tok.kind === 'end' ? 'endExpectedComparison' : 'expectedComparison',
      {
        ops: ops === 'all' ? OPS.join(', ') : '==, !=',
        after: show(this.text.slice(from, to)),
      },
    );
  }

  needBool(n: Node) {
    if (n.type === 'bool') return;
    this.expectedComparison(n.type === 'number' ? 'all' : 'eq', n.pos, n.end);
  }

  private chain(word: 'or' | 'and', kind: NodeKind, sub: () => Node): Node {
    const first = sub();
    if (!this.tokIs(word)) return first;
    this.needBool(first);
    const children = [first];
    while (this.tokIs(word)) {
      this.lex();
      const next = sub();
      this.needBool(next);
      children.push(next);
    }
    const last = children[children.length - 1] ?? first;
    return { kind, type: 'bool', pos: first.pos, end: last.end, children };
  }

  parseOr(): Node {
    return this.chain('or', 'or', () => this.parseAnd());
  }

  private parseAnd(): Node {
    return this.chain('and', 'and', () => this.parseNot());
  }

  private parseGroup(): Node {
    const open = this.tok.pos;
    this.enter();
    this.lex();
    const x = this.parseOr();
    if (this.tok.kind !== 'rparen') {
      if (x.type !== 'bool') this.needBool(x);
      this.unexpected('closeGroup', { at: this.column(open) });
    }
    this.depth--;
    x.pos = open;
    x.end = this.tok.pos + 1;
    this.lex();
    return x;
  }

  private parseQuestion(): CriteriaQuestion {
    if (!this.lexQuestion()) {
      if (this.env.questions.length === 0) this.unexpected('questionNone');
      this.unexpected('question', { questions: this.questionList() });
    }
    const id = this.tokText();
    const q = this.env.questions.find((x) => x.id === id);
    if (!q) {
      if (this.env.questions.length === 0)
        this.fail(this.tok.pos, 'unknownQuestionNone', { id: show(id) });
      this.fail(this.tok.pos, 'unknownQuestion', { id: show(id), questions: this.questionList() });
    }
    return q;
  }

  private expectOpen(fn: string): number {
    this.lex();
    if (this.tok.kind !== 'lparen') this.unexpected('open', { fn });
    return this.tok.pos;
  }

  private expectClose(fn: string, open: number): number {
    if (this.tok.kind !== 'rparen') this.unexpected('closeFn', { fn, at: this.column(open) });
    const end = this.tok.pos + 1;
    this.lex();
    return end;
  }

  private parseStat(fn: string): Node {
    const pos = this.tok.pos;
    const open = this.expectOpen(fn);
    const q = this.parseQuestion();
    if (fn !== 'count' && q.kind !== 'rating')
      this.fail(this.tok.pos, 'statNeedsRating', { fn, id: show(q.id), kind: q.kind });
    this.lex();
    const end = this.expectClose(fn, open);
    return { kind: 'stat', type: 'number', pos, end, children: [], fn, question: q };
  }

  private shareHint(q: CriteriaQuestion): { expected: string; options: string } {
    if (q.kind === 'rating') return { expected: 'number', options: '' };
    if (q.kind === 'yes_no') return { expected: 'yesNo', options: '' };
    if ((q.kind === 'choice' || q.kind === 'ranking') && q.options?.length)
      return { expected: 'option', options: q.options.map((o) => `"${show(o)}"`).join(', ') };
    return { expected: 'string', options: '' };
  }

  private parseShare(): Node {
    const pos = this.tok.pos;
    const open = this.expectOpen('share');
    const q = this.parseQuestion();
    const qpos = this.tok.pos;
    const qend = qpos + this.tok.len;
    const rating = q.kind === 'rating';
    this.lex();
    if (this.tok.kind !== 'op') this.expectedComparison(rating ? 'all' : 'eq', qpos, qend);
    const op = this.tok.op as Op;
    if (!rating && op !== '==' && op !== '!=')
      this.fail(this.tok.pos, 'shareOp', { kind: q.kind, op });
    this.lex();
    const hint = this.shareHint(q);
    const lit = this.tok;
    if (lit.kind !== 'number' && lit.kind !== 'string')
      this.unexpected(`share_${hint.expected}`, { options: hint.options });
    const raw = this.text.slice(lit.pos, lit.pos + lit.len);
    const value = lit.kind === 'string' ? unquote(raw) : raw;
    let ok: boolean;
    if (rating) ok = lit.kind === 'number';
    else if (lit.kind !== 'string') ok = false;
    else if (q.kind === 'yes_no') ok = value === 'yes' || value === 'no';
    else if ((q.kind === 'choice' || q.kind === 'ranking') && q.options?.length)
      ok = q.options.includes(value);
    else ok = true;
    if (!ok)
      this.fail(lit.pos, `shareLiteral_${hint.expected}`, {
        kind: q.kind,
        options: hint.options,
        got: show(raw),
      });
    this.lex();
    const end = this.expectClose('share', open);
    return {
      kind: 'share',
      type: 'number',
      pos,
      end,
      children: [],
      question: q,
      op,
      isNumber: lit.kind === 'number',
      number: lit.kind === 'number' ? (lit.number ?? 0) : 0,
      text: value,
    };
  }

  private parseWord(expected: string, params: Record<string, string | number>): Node {
    const t = this.tok;
    const word = this.tokText();
    if (this.tokIs('winner')) {
      if (this.env.variants.length === 0) this.fail(t.pos, 'winnerNoVariants');
      this.lex();
      return { kind: 'winner', type: 'string', pos: t.pos, end: t.pos + t.len, children: [] };
    }
    for (const fn of STAT_FNS) if (this.tokIs(fn)) return this.parseStat(fn);
    if (this.tokIs('share')) return this.parseShare();
    let after = this.at;
    while (isSpace(this.ch(after))) after++;
    if (this.ch(after) === '(') {
      const lower = word.toLowerCase();
      if ([...STAT_FNS, 'share'].includes(lower as (typeof STAT_FNS)[number]))
        this.fail(t.pos, 'functionCase', { name: show(word), fn: lower });
      this.fail(t.pos, 'unknownFunction', { name: show(word) });
    }
    const q = this.env.questions.find((x) => x.id === word);
    if (q) {
      const example =
        q.kind === 'rating'
          ? `mean(${q.id})`
          : q.kind === 'yes_no'
            ? `share(${q.id} == "yes")`
            : (q.kind === 'choice' || q.kind === 'ranking') && q.options?.[0]
              ? `share(${q.id} == "${q.options[0]}")`
              : `count(${q.id})`;
      this.fail(t.pos, 'bareQuestion', { id: show(word), example: show(example) });
    }
    this.unexpected(expected, params);
  }

  private parseValue(expected: string, params: Record<string, string | number> = {}): Node {
    const t = this.tok;
    switch (t.kind) {
      case 'number':
        this.lex();
        return {
          kind: 'number',
          type: 'number',
          pos: t.pos,
          end: t.pos + t.len,
          children: [],
          number: t.number ?? 0,
        };
      case 'string': {
        const text = unquote(this.text.slice(t.pos, t.pos + t.len));
        this.lex();
        return {
          kind: 'string',
          type: 'string',
          pos: t.pos,
          end: t.pos + t.len,
          children: [],
          text,
        };
      }
      case 'lparen':
        return this.parseGroup();
      case 'word':
        return this.parseWord(expected, params);
      default:
        return this.unexpected(expected, params);
    }
  }

  private checkVariant(winner: Node, other: Node) {
    if (winner.kind !== 'winner' || other.kind !== 'string') return;
    if (this.env.variants.includes(other.text ?? '')) return;
    this.fail(other.pos, 'unknownVariant', {
      id: show(this.text.slice(other.pos, other.end)),
      variants: this.env.variants.map((v) => `"${v}"`).join(', '),
    });
  }

  private parseCompare(): Node {
    const l = this.parseValue('value');
    if (this.tok.kind !== 'op') return l;
    const opt = this.tok;
    const op = opt.op as Op;
    const what = show(this.text.slice(l.pos, l.end));
    if (l.type === 'bool') this.fail(opt.pos, 'conditionCompared', { op, what });
    if (l.type === 'string' && op !== '==' && op !== '!=')
      this.fail(opt.pos, 'stringOp', { op, what });
    let expected = 'number';
    const params: Record<string, string | number> = {};
    if (l.kind === 'winner') {
      expected = 'variant';
      params.variants = this.env.variants.map((v) => `"${v}"`).join(', ');
    } else if (l.kind === 'string') {
      expected = 'winner';
    }
    this.lex();
    const r = this.parseValue(expected, params);
    if (r.type !== l.type)
      this.fail(r.pos, 'unexpected', {
        found: show(this.text.slice(r.pos, r.end)),
        expected,
        ...params,
      });
    this.checkVariant(l, r);
    this.checkVariant(r, l);
    const constant = (n: Node) => n.kind === 'number' || n.kind === 'string';
    if (constant(l) && constant(r))
      this.fail(l.pos, 'constants', { what: show(this.text.slice(l.pos, r.end)) });
    return { kind: 'cmp', type: 'bool', pos: l.pos, end: r.end, children: [l, r], op };
  }

  private parseNot(): Node {
    if (!this.tokIs('not')) return this.parseCompare();
    const pos = this.tok.pos;
    this.enter();
    this.lex();
    const x = this.parseNot();
    this.needBool(x);
    this.depth--;
    return { kind: 'not', type: 'bool', pos, end: x.end, children: [x] };
  }
}

/** A string token's value: the quotes off, \" and \\ read. */
function unquote(raw: string): string {
  let out = '';
  for (let i = 1; i + 1 < raw.length; i++) {
    if (raw[i] === '\\') i++;
    out += raw[i] ?? '';
  }
  return out;
}

/** Thresholds no run can reach (the client's own rules, after a good parse). */
function checkRanges(n: Node, p: Parser) {
  for (const c of n.children) checkRanges(c, p);
  if (n.kind === 'share' && n.isNumber && n.question?.scale) {
    const { min, max } = n.question.scale;
    const x = n.number ?? 0;
    if (x < min || x > max)
      p.fail(n.pos, 'shareOutOfScale', { id: n.question.id, value: x, min, max });
  }
  if (n.kind !== 'cmp') return;
  const [a, b] = n.children;
  if (!a || !b) return;
  for (const [fnNode, num] of [
    [a, b],
    [b, a],
  ] as const) {
    if (num.kind !== 'number') continue;
    const x = num.number ?? 0;
    if (fnNode.kind === 'stat' && ['mean', 'median', 'min', 'max'].includes(fnNode.fn ?? '')) {
      const scale = fnNode.question?.scale;
      if (scale && (x < scale.min || x > scale.max))
        p.fail(num.pos, 'outOfScale', {
          fn: fnNode.fn ?? '',
          id: fnNode.question?.id ?? '',
          value: x,
          min: scale.min,
          max: scale.max,
        });
    }
    if (fnNode.kind === 'stat' && (fnNode.fn === 'stdev' || fnNode.fn === 'count') && x < 0)
      p.fail(num.pos, 'negative', { fn: fnNode.fn, value: x });
    if (fnNode.kind === 'share' && (x < 0 || x > 1)) p.fail(num.pos, 'shareRange', { value: x });
  }
}

/** The first mistake in a criterion, or null when the API (and the client's range rules) accept it. */
export function checkCriterion(text: string, env: CriteriaEnv): CriterionIssue | null {
  if (new TextEncoder().encode(text).length > CRITERION_MAX_BYTES)
    return { column: 1, code: 'tooLong', params: { max: CRITERION_MAX_BYTES } };
  const p = new Parser(text, env);
  try {
    p.lex();
    if (p.tok.kind === 'end') p.fail(p.tok.pos, 'empty');
    const root = p.parseOr();
    p.needBool(root);
    if (p.tok.kind !== 'end') p.unexpected('andOrEnd');
    checkRanges(root, p);
    return null;
  } catch (e) {
    if (e instanceof Fail) return e.issue;
    throw e;
  }
}

/* ---- the guided editor's shapes ------------------------------------------------- */

export type StatFn = 'mean' | 'median' | 'min' | 'max';
export const STAT_CHOICES: StatFn[] = ['mean', 'median', 'min', 'max'];

export type Guided =
  | { type: 'stat'; fn: StatFn; question: string; op: Op; value: string }
  | {
      type: 'share';
      question: string;
      answerOp: Op;
      answer: string;
      op: Op;
      /** per cent, 0..100, as typed */
      percent: string;
    }
  | { type: 'winner'; variant: string };

/** A string literal: in double quotes with \" and \\. */
export function quote(s: string): string {
  return `"${s.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`;
}

/** A fraction written the short way: 40 (per cent) is 0.4. */
export function fractionText(percent: number): string {
  return String(Number((percent / 100).toFixed(6)));
}

/** The criterion's text, as the API takes it. */
export function guidedText(g: Guided, env?: CriteriaEnv): string {
  switch (g.type) {
    case 'stat':
      return `${g.fn}(${g.question}) ${g.op} ${g.value.trim()}`;
    case 'winner':
      return `winner == ${quote(g.variant)}`;
    case 'share': {
      const q = env?.questions.find((x) => x.id === g.question);
      const answer = q?.kind === 'rating' ? g.answer.trim() : quote(g.answer);
      const pct = Number(g.percent);
      const value = g.percent.trim() !== '' && Number.isFinite(pct) ? fractionText(pct) : g.percent;
      return `share(${g.question} ${g.answerOp} ${answer}) ${g.op} ${value}`;
    }
  }
}

const NUM = '-?\\d+(?:\\.\\d+)?';
const OP = '>=|<=|==|!=|>|<';
const ID = '[A-Za-z0-9_-]+';
const STR = '"(?:[^"\\\\]|\\\\.)*"';

/** The guided shape of a criterion's text, or null when it is another expression. */
export function guidedFromText(text: string): Guided | null {
  let m = new RegExp(
    `^\\s*(mean|median|min|max)\\s*\\(\\s*(${ID})\\s*\\)\\s*(${OP})\\s*(${NUM})\\s*$`,
  ).exec(text);
  if (m)
    return {
      type: 'stat',
      fn: m[1] as StatFn,
      question: m[2] ?? '',
      op: m[3] as Op,
      value: m[4] ?? '',
    };
  m = new RegExp(`^\\s*winner\\s*==\\s*(${STR})\\s*$`).exec(text);
  if (m) return { type: 'winner', variant: unquote(m[1] ?? '""') };
  m = new RegExp(
    `^\\s*share\\s*\\(\\s*(${ID})\\s*(${OP})\\s*(${STR}|${NUM})\\s*\\)\\s*(${OP})\\s*(${NUM})\\s*$`,
  ).exec(text);
  if (m) {
    const lit = m[3] ?? '';
    const fraction = Number(m[5]);
    return {
      type: 'share',
      question: m[1] ?? '',
      answerOp: m[2] as Op,
      answer: lit.startsWith('"') ? unquote(lit) : lit,
      op: m[4] as Op,
      percent: String(Number((fraction * 100).toFixed(4))),
    };
  }
  return null;
}

/** A mistake in a guided criterion's own fields, by field ('question', 'value', ...), or null. */
export function checkGuided(
  g: Guided,
  env: CriteriaEnv,
): { field: string; code: string; params: Record<string, string | number> } | null {
  if (g.type === 'winner') {
    if (env.variants.length === 0)
      return { field: 'variant', code: 'winnerNoVariants', params: {} };
    if (!env.variants.includes(g.variant))
      return g.variant
        ? { field: 'variant', code: 'missingVariant', params: { id: g.variant } }
        : { field: 'variant', code: 'pickVariant', params: {} };
    return null;
  }
  if (!g.question) return { field: 'question', code: 'pickQuestion', params: {} };
  const q = env.questions.find((x) => x.id === g.question);
  if (!q) return { field: 'question', code: 'missingQuestion', params: { id: g.question } };
  if (g.type === 'stat') {
    if (q.kind !== 'rating')
      return {
        field: 'question',
        code: 'statNeedsRating',
        params: { fn: g.fn, id: q.id, kind: q.kind },
      };
    if (!new RegExp(`^${NUM}$`).test(g.value.trim()))
      return { field: 'value', code: 'enterNumber', params: {} };
    const x = Number(g.value);
    if (q.scale && (x < q.scale.min || x > q.scale.max))
      return {
        field: 'value',
        code: 'outOfScale',
        params: { fn: g.fn, id: q.id, value: x, min: q.scale.min, max: q.scale.max },
      };
    return null;
  }
  if (q.kind === 'rating') {
    if (!new RegExp(`^${NUM}$`).test(g.answer.trim()))
      return { field: 'answer', code: 'enterNumber', params: {} };
    const x = Number(g.answer);
    if (q.scale && (x < q.scale.min || x > q.scale.max))
      return {
        field: 'answer',
        code: 'shareOutOfScale',
        params: { id: q.id, value: x, min: q.scale.min, max: q.scale.max },
      };
  } else {
    if (g.answerOp !== '==' && g.answerOp !== '!=')
      return { field: 'answer', code: 'shareOp', params: { kind: q.kind, op: g.answerOp } };
    if (q.kind === 'yes_no' && g.answer !== 'yes' && g.answer !== 'no')
      return { field: 'answer', code: 'pickAnswer', params: {} };
    if ((q.kind === 'choice' || q.kind === 'ranking') && !(q.options ?? []).includes(g.answer))
      return { field: 'answer', code: 'pickAnswer', params: {} };
    if (q.kind === 'text' && g.answer === '')
      return { field: 'answer', code: 'enterAnswer', params: {} };
  }
  if (!new RegExp(`^\\d+(?:\\.\\d+)?$`).test(g.percent.trim()))
    return { field: 'percent', code: 'enterPercent', params: {} };
  const pct = Number(g.percent);
  if (pct < 0 || pct > 100)
    return { field: 'percent', code: 'percentRange', params: { value: pct } };
  return null;
}

/** A guided criterion to start from, given what the test asks. */
export function defaultGuided(env: CriteriaEnv): Guided {
  const rating = env.questions.find((q) => q.kind === 'rating');
  if (rating?.scale) {
    const { min, max } = rating.scale;
    const value = Math.round(min + (max - min) * 0.6);
    return { type: 'stat', fn: 'mean', question: rating.id, op: '>=', value: String(value) };
  }
  const yn = env.questions.find((q) => q.kind === 'yes_no');
  if (yn)
    return {
      type: 'share',
      question: yn.id,
      answerOp: '==',
      answer: 'yes',
      op: '>=',
      percent: '50',
    };
  if (env.variants.length) return { type: 'winner', variant: env.variants[0] ?? '' };
  const any = env.questions[0];
  return {
    type: 'share',
    question: any?.id ?? '',
    answerOp: '==',
    answer: any?.options?.[0] ?? '',
    op: '>=',
    percent: '50',
  };
}

/* The billing page's logic: plan order, meters from the allowance, a refused downgrade's figures, the quantity. */
import type { TFunction } from 'i18next';
import { moneyToCents, type Allowance, type Billing, type InvoiceLine } from '../../api/billing';
import type { Meter, Plan } from '../../api/types';
import { formatNumber, formatUsd } from '../../lib/format';

/** The plans from the cheapest up, as the server ranks them (upgrade goes right, downgrade left). */
export const PLAN_ORDER = ['free', 'individual', 'business', 'agency', 'enterprise'] as const;

export function planRank(name: string): number {
  const i = (PLAN_ORDER as readonly string[]).indexOf(name);
  return i < 0 ? PLAN_ORDER.length : i;
}

export type PlanMove = 'current' | 'upgrade' | 'downgrade' | 'contact';

/** What a plan card offers from the current plan: nothing, an upgrade, a downgrade, or sales. */
export function planMove(current: string, target: Plan): PlanMove {
  if (target.name === current) return 'current';
  if (target.custom || target.name === 'enterprise') return 'contact';
  return planRank(target.name) > planRank(current) ? 'upgrade' : 'downgrade';
}

/** GET /api/billing's allowance as a meter (amber from 80 %, the rule of GET /api/usage). */
export function meterOf(a: Allowance): Meter {
  return {
    used: a.used,
    limit: a.limit,
    approaching_limit: a.limit !== null && a.limit > 0 && a.used * 10 >= a.limit * 8,
  };
}

export const LIMIT_KINDS = ['personas', 'projects', 'members'] as const;
export type LimitKind = (typeof LIMIT_KINDS)[number];

export interface Excess {
  kind: LimitKind;
  used: number;
  limit: number;
  /** how many to remove before the plan fits */
  over: number;
}

export interface Refusal {
  plan: string;
  excess: Excess[];
}

/**
 * A refused downgrade's error.details ({plan, personas, projects, members},
 * each {used, limit, exceeds}) as the limits it exceeds; null when the
 * details are not those.
 */
export function refusalOf(details: Record<string, unknown> | undefined): Refusal | null {
  if (!details || typeof details !== 'object') return null;
  const excess: Excess[] = [];
  for (const kind of LIMIT_KINDS) {
    const d = details[kind];
    if (!d || typeof d !== 'object') continue;
    const { used, limit, exceeds } = d as { used?: unknown; limit?: unknown; exceeds?: unknown };
    if (typeof used !== 'number' || typeof limit !== 'number') continue;
    if (exceeds === true || (exceeds === undefined && limit >= 0 && used > limit))
      excess.push({ kind, used, limit, over: used - limit });
  }
  if (excess.length === 0) return null;
  return { plan: typeof details.plan === 'string' ? details.plan : '', excess };
}

/** The extra persona quantity the API accepts: a whole number from 1 to 100000. */
export const QUANTITY_MAX = 100_000;

export type QuantityCheck =
  { ok: true; quantity: number } | { ok: false; error: 'required' | 'whole' | 'min' | 'max' };

export function checkQuantity(raw: string): QuantityCheck {
  const s = raw.trim();
  if (s === '') return { ok: false, error: 'required' };
  if (!/^-?\d+$/.test(s)) return { ok: false, error: 'whole' };
  const n = Number(s);
  if (n < 1) return { ok: false, error: 'min' };
  if (n > QUANTITY_MAX) return { ok: false, error: 'max' };
  return { ok: true, quantity: n };
}

/** The persona limit a purchase leads to (null: unlimited stays unlimited). */
export function personaLimitAfter(b: Billing, quantity: number): number | null {
  const l = b.allowance.personas.limit;
  return l === null ? null : l + quantity;
}

/** Whole cents as dollars for formatUsd. */
export const centsToUsd = (cents: number) => cents / 100;

/** A plan's "24.90" in cents; 0 for a price agreed per contract. */
export const moneyToCentsOrZero = (money: string | null | undefined) => moneyToCents(money) ?? 0;

/**
 * An invoice line's description (the server's English words) as a key and
 * values to translate, when it is one of the server's three forms
 * (src/domain/billing.c); null otherwise (shown as it is).
 */
export type LineWords =
  | { key: 'upgrade'; from: string; to: string; left: string; period: string }
  | { key: 'extra'; quantity: number; unit: string; plan: string }
  | { key: 'subscription'; plan: string; start: string; end: string };

export function lineWords(description: string): LineWords | null {
  let m =
    /^Upgrade from (\w+) \([\d.]+ a month\) to (\w+) \([\d.]+ a month\), prorated: (\d+ d \d+ h \d+ min) left of (\d+ d \d+ h \d+ min)$/.exec(
      description,
    );
  if (m) return { key: 'upgrade', from: m[1]!, to: m[2]!, left: m[3]!, period: m[4]! };
  m = /^(\d+) extra personas? at ([\d.]+) each \((\w+) plan\)$/.exec(description);
  if (m) return { key: 'extra', quantity: Number(m[1]), unit: m[2]!, plan: m[3]! };
  m = /^(\w+) plan, (\d{4}-\d{2}-\d{2}) to (\d{4}-\d{2}-\d{2})$/.exec(description);
  if (m) return { key: 'subscription', plan: m[1]!, start: m[2]!, end: m[3]! };
  return null;
}

/** "29 d 23 h 59 min" as [29, 23, 59]. */
export function spanParts(span: string): [number, number, number] {
  const m = /^(\d+) d (\d+) h (\d+) min$/.exec(span);
  return m ? [Number(m[1]), Number(m[2]), Number(m[3])] : [0, 0, 0];
}

/** An invoice line in the user's language (the server's words are English). */
export function lineText(line: InvoiceLine, t: TFunction, lng: string): string {
  const w = lineWords(line.description);
  const plan = (p: string) => t(`plans.${p}`, { defaultValue: p });
  if (!w) return line.description;
  if (w.key === 'upgrade') {
    const [d, h, m] = spanParts(w.left);
    const [pd] = spanParts(w.period);
    return t('billing.invoices.line.upgrade', {
      from: plan(w.from),
      to: plan(w.to),
      left: t('billing.invoices.span', { d, h, m }),
      period: t('billing.invoices.days', { count: pd }),
    });
  }
  if (w.key === 'extra')
    return t('billing.invoices.line.extra', {
      count: w.quantity,
      quantity: formatNumber(w.quantity, lng),
      unit: formatUsd(centsToUsd(moneyToCentsOrZero(w.unit)), lng),
      plan: plan(w.plan),
    });
  return t('billing.invoices.line.subscription', {
    plan: plan(w.plan),
    start: formatUtcDay(w.start, lng),
    end: formatUtcDay(w.end, lng),
  });
}

/** A UTC day 'YYYY-MM-DD' as a medium date, the same day wherever the browser is. */
export function formatUtcDay(day: string, lng: string): string {
  const d = new Date(`${day}T00:00:00Z`);
  if (Number.isNaN(d.getTime())) return day;
  return new Intl.DateTimeFormat(lng === 'pt-BR' ? 'pt-BR' : 'en-US', {
    dateStyle: 'medium',
    timeZone: 'UTC',
  }).format(d);
}

/** A span of ms as the server words it ("29 d 23 h 50 min", minutes rounded down), translated. */
export function spanText(ms: number, t: TFunction): string {
  const min = Math.max(0, Math.floor(ms / 60_000));
  return t('billing.invoices.span', {
    d: Math.floor(min / 1440),
    h: Math.floor(min / 60) % 24,
    m: min % 60,
  });
}

/*
 * Billing: the plan, its period and allowance, the plans on offer, the
 * invoices, and the charging operations (upgrade, extra personas) plus the
 * scheduled downgrade. Every charging POST carries an Idempotency-Key made
 * once per confirmation (newIdempotencyKey), so a double click or a retry of
 * the same confirmation is answered with the first charge, never a second.
 */
import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api, isApiError } from './client';
import { meKey } from './auth';
import type { Page, Plan } from './types';

export interface Allowance {
  /** null: unlimited */
  limit: number | null;
  used: number;
}

export interface Billing {
  workspace_id: string;
  plan: string;
  custom_terms?: boolean;
  price_month_cents: number | null;
  price_month: string | null;
  extra_persona_cents: number | null;
  extra_persona: string | null;
  period: { start: string; end: string };
  allowance: {
    personas: Allowance & { plan?: number | null; extra?: number };
    projects: Allowance;
    members: Allowance & { pending_invites?: number };
  };
  scheduled_change: { plan: string; effective_at: string } | null;
  charges_this_period: { invoices: number; total_cents: number; total: string };
}

export interface InvoiceLine {
  kind: string;
  description: string;
  quantity: number;
  unit_cents: number;
  unit: string;
  amount_cents: number;
  amount: string;
}

export interface Invoice {
  id: string;
  number: number;
  kind: 'extra_personas' | 'upgrade' | 'subscription' | string;
  status: string;
  provider: string;
  currency: string;
  total_cents: number;
  total: string;
  period_start: string;
  period_end: string;
  created_at: string;
  lines: InvoiceLine[];
}

export interface InvoicePage extends Page {
  invoices: Invoice[];
}

export interface Charged {
  invoice: Invoice;
  billing: Billing;
}

export type QuoteAction = 'upgrade' | 'downgrade' | 'extra_personas';

/** GET /api/billing/quote's answer: what an operation would charge, before it is confirmed. */
export interface Quote {
  action: QuoteAction;
  plan: string;
  quantity: number;
  amount_cents: number;
  currency: string;
  effective_at: string;
  period_end: string;
  /** the invoice line's unit price: one extra persona's; an upgrade's is its whole amount */
  unit_cents?: number;
  /** the invoice line's words (English, the server's) */
  description?: string;
  /** of the period, at the quote's time */
  ms_left?: number;
  period_ms?: number;
}

export const billingKey = ['billing'] as const;

export function useBilling() {
  return useQuery({
    queryKey: billingKey,
    queryFn: ({ signal }) => api.get<Billing>('/api/billing', undefined, signal),
  });
}

export function usePlans() {
  return useQuery({
    queryKey: ['plans'],
    queryFn: ({ signal }) =>
      api.get<{ plans: Plan[] }>('/api/plans', undefined, signal).then((r) => r.plans),
    staleTime: 10 * 60_000,
  });
}

export const INVOICES_PAGE = 10;

export function useInvoices(offset: number) {
  return useQuery({
    queryKey: ['billing', 'invoices', { limit: INVOICES_PAGE, offset }],
    queryFn: ({ signal }) =>
      api.get<InvoicePage>('/api/billing/invoices', { limit: INVOICES_PAGE, offset }, signal),
    placeholderData: keepPreviousData,
  });
}

/** A fresh Idempotency-Key (a v4 UUID; crypto.randomUUID needs a secure context, this does not). */
export function newIdempotencyKey(): string {
  const c = globalThis.crypto;
  if (typeof c?.randomUUID === 'function') {
    try {
      return c.randomUUID();
    } catch {
      /* not a secure context: made by hand below */
    }
  }
  const b = new Uint8Array(16);
  c.getRandomValues(b);
  b[6] = ((b[6] ?? 0) & 0x0f) | 0x40;
  b[8] = ((b[8] ?? 0) & 0x3f) | 0x80;
  const h = [...b].map((x) => x.toString(16).padStart(2, '0')).join('');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}

/** "9.90" as 990; null for a price agreed per contract (or not a price). */
export function moneyToCents(money: string | null | undefined): number | null {
  if (typeof money !== 'string') return null;
  const m = /^(\d+)(?:\.(\d{1,2}))?$/.exec(money.trim());
  if (!m) return null;
  return Number(m[1]) * 100 + Number((m[2] ?? '0').padEnd(2, '0'));
}

/**
 * What a plan change or a purchase would cost, from GET /api/billing/quote.
 * The server answers with its own clock and the state it will charge from,
 * so the amount shown is the amount the invoice will carry. A 409 (a
 * downgrade that does not fit) comes back as the ApiError with its details.
 */
export function useQuote(
  params: { action: QuoteAction; plan?: string | undefined; quantity?: number | undefined },
  enabled: boolean,
) {
  return useQuery({
    queryKey: ['billing', 'quote', params],
    queryFn: ({ signal }) =>
      api
        .get<{ quote: Quote }>(
          '/api/billing/quote',
          { action: params.action, plan: params.plan, quantity: params.quantity },
          signal,
        )
        .then((r) => r.quote),
    enabled,
    // a prorated amount moves with time: kept current while the dialog is open
    staleTime: 0,
    gcTime: 0,
    refetchInterval: 30_000,
    retry: (n, e) => n < 1 && isApiError(e) && (e.status === 0 || e.status >= 500),
  });
}

function useBillingChange<I, R extends { billing: Billing }>(fn: (input: I) => Promise<R>) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: fn,
    onSuccess: (r) => {
      qc.setQueryData(billingKey, r.billing);
      // the plan changes the limits, the meters, the caller's plan and the notifications;
      // an open quote is done with (asked again, it would refuse the change just made)
      void qc.cancelQueries({ queryKey: ['billing', 'quote'] });
      void qc.invalidateQueries({
        queryKey: billingKey,
        predicate: (q) => q.queryKey[1] !== 'quote',
      });
      void qc.invalidateQueries({ queryKey: ['usage'] });
      void qc.invalidateQueries({ queryKey: meKey });
      void qc.invalidateQueries({ queryKey: ['notifications'] });
    },
    // refused because the state moved under the page (another admin, the period's end):
    // the page shows the state as it is now
    onError: (e) => {
      if (isApiError(e) && (e.status === 404 || e.status === 409))
        void qc.invalidateQueries({
          queryKey: billingKey,
          predicate: (q) => q.queryKey[1] !== 'quote',
        });
    },
  });
}

const keyed = (key: string) => ({ headers: { 'Idempotency-Key': key } });

/** POST /api/billing/upgrade: charged at once, prorated. */
export function useUpgrade() {
  return useBillingChange((v: { plan: string; key: string }) =>
    api.post<Charged>('/api/billing/upgrade', { plan: v.plan }, keyed(v.key)),
  );
}

/** POST /api/billing/downgrade: scheduled for the end of the period, nothing charged. */
export function useDowngrade() {
  return useBillingChange((v: { plan: string; key: string }) =>
    api.post<{ billing: Billing }>('/api/billing/downgrade', { plan: v.plan }, keyed(v.key)),
  );
}

/** POST /api/billing/extra-personas: quantity x the plan's price, charged at once. */
export function useBuyExtraPersonas() {
  return useBillingChange((v: { quantity: number; key: string }) =>
    api.post<Charged>('/api/billing/extra-personas', { quantity: v.quantity }, keyed(v.key)),
  );
}

/** DELETE /api/billing/scheduled-change. */
export function useCancelScheduledChange() {
  return useBillingChange(() => api.delete<{ billing: Billing }>('/api/billing/scheduled-change'));
}

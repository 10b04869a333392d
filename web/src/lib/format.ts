/** Locale-aware formatting; lng is i18next's language ('en' or 'pt-BR'). */
const intlLocale = (lng: string) => (lng === 'pt-BR' ? 'pt-BR' : 'en-US');

export function formatNumber(n: number, lng: string): string {
  return new Intl.NumberFormat(intlLocale(lng)).format(n);
}

/** Model cost in US dollars; small sums keep 4 decimals so a cent's fraction shows. */
export function formatUsd(n: number, lng: string): string {
  const small = n !== 0 && Math.abs(n) < 0.01;
  return new Intl.NumberFormat(intlLocale(lng), {
    style: 'currency',
    currency: 'USD',
    minimumFractionDigits: small ? 4 : 2,
    maximumFractionDigits: small ? 4 : 2,
  }).format(n);
}

export function formatDate(iso: string, lng: string): string {
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso;
  return new Intl.DateTimeFormat(intlLocale(lng), { dateStyle: 'medium' }).format(d);
}

export function formatDateTime(iso: string, lng: string): string {
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso;
  return new Intl.DateTimeFormat(intlLocale(lng), {
    dateStyle: 'medium',
    timeStyle: 'short',
  }).format(d);
}

/** A day 'YYYY-MM-DD' as a short axis label (UTC, as the API counts days). */
export function formatDay(day: string, lng: string): string {
  const d = new Date(`${day}T00:00:00Z`);
  if (Number.isNaN(d.getTime())) return day;
  return new Intl.DateTimeFormat(intlLocale(lng), {
    day: 'numeric',
    month: 'short',
    timeZone: 'UTC',
  }).format(d);
}

/** Whole UTC days from `fromIso` to now, at least 1 (today counts). */
export function daysSince(fromIso: string, now: Date = new Date()): number {
  const from = new Date(fromIso);
  if (Number.isNaN(from.getTime())) return 1;
  const a = Date.UTC(from.getUTCFullYear(), from.getUTCMonth(), from.getUTCDate());
  const b = Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate());
  return Math.max(1, Math.floor((b - a) / 86_400_000) + 1);
}

/** Percentage used of a meter, 0..100; null when unlimited. */
export function percentUsed(used: number, limit: number | null): number | null {
  if (limit === null) return null;
  if (limit <= 0) return 100;
  return Math.min(100, Math.round((used / limit) * 100));
}

export function initials(name: string): string {
  const parts = name.trim().split(/\s+/).filter(Boolean);
  const first = parts[0]?.[0] ?? '?';
  const last = parts.length > 1 ? (parts[parts.length - 1]?.[0] ?? '') : '';
  return (first + last).toUpperCase();
}

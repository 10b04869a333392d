/* Numbers of a run as its pages write them, in the reader's language. */
const locale = (lng: string) => (lng === 'pt-BR' ? 'pt-BR' : 'en-US');

/** 0.425 -> "43%" ("42.5%" with digits 1). */
export function formatShare(share: number, lng: string, digits = 0): string {
  return new Intl.NumberFormat(locale(lng), {
    style: 'percent',
    minimumFractionDigits: digits,
    maximumFractionDigits: digits,
  }).format(share);
}

/** A mean or a statistic: at most `digits` decimals ("4.6", "4,35"). */
export function formatDecimal(n: number, lng: string, digits = 2): string {
  return new Intl.NumberFormat(locale(lng), { maximumFractionDigits: digits }).format(n);
}

/** Big counts shortened: 63 701 -> "63.7K" ("63,7 mil"). */
export function formatCompact(n: number, lng: string): string {
  return new Intl.NumberFormat(locale(lng), {
    notation: n >= 10_000 ? 'compact' : 'standard',
    maximumFractionDigits: 1,
  }).format(n);
}

/** Seconds as "0.1 s", "42 s", "3 min 5 s", "1 h 2 min". */
export function formatDuration(seconds: number, lng: string): string {
  if (seconds < 60) return `${formatDecimal(seconds, lng, seconds < 10 ? 1 : 0)} s`;
  const m = Math.floor(seconds / 60);
  if (m < 60) {
    const s = Math.round(seconds % 60);
    return s ? `${m} min ${s} s` : `${m} min`;
  }
  const h = Math.floor(m / 60);
  return m % 60 ? `${h} h ${m % 60} min` : `${h} h`;
}

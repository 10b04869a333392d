/* The webhook URL: what the browser can tell before asking, and the API's refusals as translation keys. */

export type UrlProblem = 'required' | 'scheme' | 'spaces' | 'tooLong';

/** The same first checks as the server's (src/domain/webhooks.c); the server has the last word. */
export function checkWebhookUrl(raw: string): UrlProblem | null {
  const url = raw.trim();
  if (url === '') return 'required';
  if (url.length > 2048) return 'tooLong';
  if (/\s/.test(url)) return 'spaces';
  if (!/^https?:\/\//i.test(url)) return 'scheme';
  return null;
}

const SERVER_MESSAGES: [RegExp, string][] = [
  [/must be 1\.\.\d+ characters/, 'tooLong'],
  [/only printable ASCII/, 'spaces'],
  [/must start with https:\/\/ or http:\/\//, 'scheme'],
  [/user name or password/, 'userinfo'],
  [/bad IPv6/, 'ipv6'],
  [/has no host/, 'host'],
  [/port must be/, 'port'],
];

/** The translation key of the API's 400 on url; null when the UI does not know it (shown as it is). */
export function urlErrorKey(message: string): string | null {
  for (const [re, key] of SERVER_MESSAGES)
    if (re.test(message)) return `notificationsPage.webhook.url.${key}`;
  return null;
}

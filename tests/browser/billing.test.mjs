// tests/browser/billing.test.mjs - the billing and notifications pages
// against the real server: the free plan; an upgrade part-way into the
// period (the server's test clock moved on) whose prorated amount, shown in
// the confirmation, is the invoice's; extra personas priced before buying; a
// downgrade refused with the API's figures; one scheduled and cancelled;
// the notifications (one marked read, then all, the bell's count gone); the
// webhook saved (secret shown once), its deliveries, removed; a phone; in
// Portuguese; and a member who only reads. See lib.mjs for the page checks.
import { api, assert, BASE, PASSWORD, registerOwner, stamp, suite } from './lib.mjs';

const t = suite('billing');
const { check, pageCheck } = t;
await t.launch();

/** "$15.52" (or "US$ 15,52") as 1552. */
const cents = (text) => {
  const m = /(\d[\d.,]*)[.,](\d{2})\b/.exec(text);
  assert(m, `no amount in "${text}"`);
  return Number(m[1].replace(/[.,]/g, '')) * 100 + Number(m[2]);
};

try {
  const owner = await registerOwner('billing', {
    company: 'Billing Browser Co',
  });
  // eleven days and a bit into the first period, so the upgrade is really prorated;
  // tokens live a day, so the owner signs in again at the new time
  const later = new Date(Date.now() + 11 * 86_400_000 + 7 * 3_600_000 + 13 * 60_000);
  await api('POST', '/api/_test/clock', { body: { now: later.toISOString() } });
  const { token } = await api('POST', '/api/auth/login', {
    body: { email: owner.email, password: PASSWORD },
  });
  const auth = { token };

  const { page, w } = await t.signedInPage(token, '/billing');

  await check('billing: the current plan is Free, with its meters', async () => {
    await page.getByTestId('current-plan-name').getByText('Free', { exact: true }).waitFor();
    await page.getByTestId('current-plan').getByText('0 of 20').waitFor();
    await page.getByTestId('current-plan').getByText('1 of 1').waitFor();
  });
  await check(
    'billing: five plans side by side, Free marked current, Enterprise via sales',
    async () => {
      for (const p of ['free', 'individual', 'business', 'agency', 'enterprise'])
        await page.getByTestId(`plan-card-${p}`).waitFor();
      await page.getByTestId('plan-card-free').getByText('Current plan').waitFor();
      await page.getByTestId('plan-card-business').getByText('$24.90').waitFor();
      await page.getByTestId('plan-card-enterprise').getByText('Custom price').waitFor();
      await page.getByTestId('contact-sales').click();
      await page.getByText(owner.workspace.id).waitFor();
      await page.keyboard.press('Escape');
    },
  );
  await check('billing: extra personas are not sold on Free, no invoices yet', async () => {
    await page.getByTestId('extra-not-sold').waitFor();
    await page.getByText('No invoices yet').waitFor();
  });
  await pageCheck(page, w, 'billing-free', 'Billing');

  let shown = 0;
  await check('upgrade: the confirmation shows the prorated amount before charging', async () => {
    await page.getByTestId('upgrade-business').click();
    const dialog = page.getByTestId('plan-change-dialog');
    await dialog.getByText('Upgrade from Free to Business').waitFor();
    const amount = dialog.getByTestId('quote-amount');
    await amount.waitFor();
    shown = cents(await amount.innerText());
    // 18 days and some hours left of 30: clearly less than the full 24.90
    assert(shown > 1400 && shown < 1600, `prorated amount ${shown} cents`);
    await dialog
      .getByText(
        /\(\$24\.90 a month\) for the \d+ d \d+ h \d+ min left of the billing period \(\d+ days\)/,
      )
      .waitFor();
  });
  await t.screenshot(page, 'upgrade-confirm');
  await check('upgrade: confirmed, the invoice carries exactly the amount shown', async () => {
    const dialog = page.getByTestId('plan-change-dialog');
    await dialog.getByRole('button', { name: /^Pay \$\d+\.\d\d and upgrade$/ }).click();
    await page
      .getByTestId('billing-notice')
      .getByText(/Upgraded to Business/)
      .waitFor();
    assert(
      (await page.getByTestId('billing-notice').innerText()).includes('The quote said') === false,
      'the charge differed from the quote',
    );
    await page.getByTestId('current-plan-name').getByText('Business', { exact: true }).waitFor();
    const row = page.getByTestId('invoice-row').first();
    await row.getByText('Upgrade', { exact: true }).waitFor();
    const onPage = cents(await row.getByTestId('invoice-total').innerText());
    assert(onPage === shown, `invoice on the page ${onPage} != shown ${shown}`);
    const { invoices } = await api('GET', '/api/billing/invoices', auth);
    assert(invoices.length === 1, `${invoices.length} invoices`);
    assert(invoices[0].kind === 'upgrade', invoices[0].kind);
    assert(invoices[0].total_cents === shown, `API invoice ${invoices[0].total_cents} != ${shown}`);
  });
  await pageCheck(page, w, 'billing-business', 'Billing');

  await check(
    'extra personas: a bad quantity is refused by the form, kept, and explained',
    async () => {
      const card = page.getByTestId('extra-personas-card');
      await card.getByText(/\$0\.08 each on the Business plan/).waitFor();
      await page.getByTestId('extra-quantity').fill('0');
      await page.getByTestId('extra-review').click();
      await card.getByText('Buy at least 1.').waitFor();
      assert((await page.getByTestId('extra-quantity').inputValue()) === '0', 'input lost');
      assert((await page.getByTestId('extra-personas-dialog').count()) === 0, 'dialog opened');
    },
  );
  await check('extra personas: the price is shown as typed and again before paying', async () => {
    await page.getByTestId('extra-quantity').fill('5');
    await page.getByTestId('extra-price').getByText('5 extra personas: $0.40').waitFor();
    await page.getByTestId('extra-review').click();
    const dialog = page.getByTestId('extra-personas-dialog');
    await dialog.getByTestId('quote-amount').getByText('$0.40').waitFor();
    await dialog.getByText('Your persona limit becomes 305.').waitFor();
    await dialog.getByRole('button', { name: 'Pay $0.40' }).click();
    await page
      .getByTestId('billing-notice')
      .getByText(/Bought 5 extra personas for \$0\.40/)
      .waitFor();
    await page.getByTestId('extra-bought').getByText('5').waitFor();
    const row = page.getByTestId('invoice-row').first();
    await row.getByText('Extra personas', { exact: true }).waitFor();
    assert(cents(await row.getByTestId('invoice-total').innerText()) === 40, 'invoice total');
    const b = await api('GET', '/api/billing', auth);
    assert(b.allowance.personas.extra === 5 && b.allowance.personas.limit === 305, 'allowance');
  });

  await check(
    'downgrade: refused with the figures of what does not fit (30 personas)',
    async () => {
      await api('POST', '/api/personas/generate', {
        ...auth,
        body: {
          description: 'Shoppers in Lisbon who compare prices online',
          count: 30,
          seed: 7,
        },
      });
      await page.reload();
      await page.getByTestId('current-plan').getByText('30 of 305').waitFor();
      w.allowed.push({ path: '/api/billing/quote', status: 409 });
      await page.getByTestId('downgrade-free').click();
      const refusal = page.getByTestId('downgrade-refusal');
      await refusal.getByText('Your workspace does not fit the Free plan yet').waitFor();
      await refusal
        .getByText('Personas: 30 in the workspace, Free allows 25. Remove 5 personas first.', {
          exact: false,
        })
        .waitFor();
      await refusal.getByText(/includes the 5 extra personas you bought/).waitFor();
      await refusal.getByRole('link', { name: 'Go to personas' }).waitFor();
      const confirm = page
        .getByTestId('plan-change-dialog')
        .getByRole('button', { name: 'Schedule the downgrade' });
      assert(await confirm.isDisabled(), 'the refused downgrade can still be confirmed');
    },
  );
  await pageCheck(page, w, 'downgrade-refused', 'Billing');

  await check('downgrade: one that fits is scheduled, nothing charged', async () => {
    await page
      .getByTestId('plan-change-dialog')
      .getByRole('button', { name: 'Cancel', exact: true })
      .click();
    await page.getByTestId('plan-change-dialog').waitFor({ state: 'detached' });
    await page.getByTestId('downgrade-individual').click();
    const dialog = page.getByTestId('plan-change-dialog');
    await dialog.getByTestId('quote-amount').getByText('$0.00').waitFor();
    await dialog.getByText(/on .* the workspace moves to Individual/).waitFor();
    await dialog.getByRole('button', { name: 'Schedule the downgrade' }).click();
    await page
      .getByTestId('billing-notice')
      .getByText(/downgrade to Individual is scheduled/)
      .waitFor();
    await page
      .getByTestId('scheduled-change')
      .getByText(/Your plan changes to Individual/)
      .waitFor();
    await page
      .getByTestId('plan-card-individual')
      .getByText(/^From /)
      .waitFor();
    const b = await api('GET', '/api/billing', auth);
    assert(b.scheduled_change?.plan === 'individual', 'not scheduled');
    assert(b.plan === 'business', 'changed at once');
    const { total } = await api('GET', '/api/billing/invoices', auth);
    assert(total === 2, `${total} invoices after the downgrade`);
  });
  await pageCheck(page, w, 'downgrade-scheduled', 'Billing');
  await check('downgrade: the scheduled change is cancelled', async () => {
    await page.getByTestId('cancel-scheduled').click();
    await page
      .getByTestId('billing-notice')
      .getByText(/scheduled plan change is cancelled/)
      .waitFor();
    await page.getByTestId('scheduled-change').waitFor({ state: 'detached' });
    const b = await api('GET', '/api/billing', auth);
    assert(b.scheduled_change === null, 'still scheduled');
  });

  // ---------------------------------------------------------------- notifications
  await check(
    'notifications: the sidebar leads there; the plan change is listed, translated',
    async () => {
      await page
        .getByRole('navigation', { name: 'Main navigation' })
        .getByRole('link', { name: 'Notifications' })
        .click();
      await page.waitForURL(/\/notifications$/);
      await page
        .getByTestId('notification')
        .filter({ hasText: 'Upgraded from the Free plan to the Business plan' })
        .getByText(/\$\d+\.\d\d charged for the rest of the billing period/)
        .waitFor();
      await page
        .getByTestId('notification')
        .filter({ hasText: 'Bought 5 extra personas for $0.40' })
        .waitFor();
      assert((await page.locator('[data-unread="true"]').count()) >= 2, 'not unread');
    },
  );
  await pageCheck(page, w, 'notifications', 'Notifications');
  await check('notifications: one marked read, the bell counts one less', async () => {
    const before = Number(await page.getByTestId('unread-count').innerText());
    await page.getByTestId('mark-read').first().click();
    await page.waitForFunction(
      (n) => document.querySelector('[data-testid="unread-count"]')?.textContent === String(n),
      before - 1,
    );
  });
  await check('notifications: mark all read empties the bell and the unread filter', async () => {
    await page.getByTestId('mark-all-read').click();
    await page.getByTestId('unread-count').waitFor({ state: 'detached' });
    assert((await page.locator('[data-unread="true"]').count()) === 0, 'still unread items');
    await page.getByTestId('filter-unread').click();
    await page.getByText('You are all caught up.').waitFor();
    const { unread } = await api('GET', '/api/notifications?unread=true', auth);
    assert(unread === 0, `${unread} unread`);
  });

  await check('webhook: a URL without http(s) is refused by the form', async () => {
    await page.getByTestId('webhook-off').waitFor();
    await page.getByTestId('webhook-url').fill('ftp://hooks.example.com/in');
    await page.getByTestId('webhook-save').click();
    await page.getByText('The URL must start with https:// or http://.').waitFor();
  });
  await check('webhook: saved, its secret shown once', async () => {
    await page.getByTestId('webhook-url').fill('https://hooks.example.com/crowdelic');
    await page.getByTestId('webhook-save').click();
    const secret = await page.getByTestId('webhook-secret-field-value').inputValue();
    assert(/^whsec_[0-9a-f]{16,}$/.test(secret), `secret "${secret}"`);
    await page.getByTestId('webhook-on').waitFor();
    const hook = await api('GET', '/api/workspace/webhook', auth);
    assert(hook.url === 'https://hooks.example.com/crowdelic', hook.url);
    assert(!('secret' in hook), 'the API shows the secret again');
  });
  await pageCheck(page, w, 'webhook-secret', 'Notifications');
  await check(
    'webhook: after a reload the secret is masked; a delivery shows its status',
    async () => {
      await api('POST', '/api/billing/extra-personas', {
        ...auth,
        body: { quantity: 1 },
      });
      await page.reload();
      await page.getByTestId('webhook-secret-masked').waitFor();
      assert((await page.getByTestId('webhook-secret').count()) === 0, 'secret shown again');
      for (let i = 0; i < 10; i++) {
        if ((await page.getByTestId('deliveries').count()) > 0) break;
        await page.waitForTimeout(500);
        await page.getByRole('button', { name: 'Refresh' }).click();
      }
      const row = page.getByTestId('deliveries').locator('tbody tr').first();
      await row.getByText('Extra charge').waitFor();
      await row.getByText(/Pending|Failed|Delivered/).waitFor();
    },
  );
  await pageCheck(page, w, 'webhook-deliveries', 'Notifications');
  await check('webhook: removed after a confirmation', async () => {
    await page.getByTestId('webhook-remove').click();
    await page
      .getByTestId('webhook-remove-dialog')
      .getByRole('button', { name: 'Remove the webhook' })
      .click();
    await page.getByTestId('webhook-off').waitFor();
    await page.getByText('The webhook is removed.').waitFor();
    const hook = await api('GET', '/api/workspace/webhook', auth);
    assert(hook.url === null, `still ${hook.url}`);
  });
  await page.context().close();

  // ---------------------------------------------------------------- a phone
  const phone = await t.signedInPage(token, '/billing', {
    viewport: { width: 390, height: 844 },
    isMobile: true,
    hasTouch: true,
  });
  await check('phone: billing fits 390 px, the plans stacked', async () => {
    await phone.page.getByTestId('current-plan-name').getByText('Business').waitFor();
    await phone.page.getByTestId('plan-card-agency').waitFor();
    const wide = await phone.page.evaluate(() => document.documentElement.scrollWidth);
    assert(wide <= 390, `the page scrolls sideways: ${wide}px`);
  });
  await pageCheck(phone.page, phone.w, 'billing-phone', 'Billing');
  await check('phone: the upgrade dialog shows its amount', async () => {
    await phone.page.getByTestId('upgrade-agency').click();
    await phone.page.getByTestId('plan-change-dialog').getByTestId('quote-amount').waitFor();
  });
  await t.screenshot(phone.page, 'upgrade-confirm-phone');
  await phone.ctx.close();

  // ---------------------------------------------------------------- Portuguese
  const pt = await t.newPage();
  await pt.page.goto(`${BASE}/sign-in`);
  await pt.page.evaluate((tk) => {
    localStorage.setItem('crowdelic.token', tk);
    localStorage.setItem('crowdelic.lang', 'pt-BR');
  }, token);
  await check('Portuguese: the billing page is translated', async () => {
    await pt.page.goto(`${BASE}/billing`);
    await pt.page.getByRole('heading', { name: 'Seu plano' }).waitFor();
    await pt.page.getByTestId('plan-card-agency').getByText('Fazer upgrade para Agência').waitFor();
    await pt.page.getByText('Faturas').first().waitFor();
    await pt.page.getByTestId('invoice-row').first().getByText('Personas extras').waitFor();
  });
  await pageCheck(pt.page, pt.w, 'billing-pt-BR', 'Cobrança');
  await check('Portuguese: the notifications are translated', async () => {
    await pt.page.goto(`${BASE}/notifications`);
    await pt.page
      .getByText(/Upgrade do plano Gratuito para o plano Business; US\$\s\d+,\d\d cobrados/)
      .waitFor();
  });
  await pageCheck(pt.page, pt.w, 'notifications-pt-BR', 'Notificações');
  await pt.ctx.close();

  // ---------------------------------------------------------------- a member
  const invite = await api('POST', '/api/workspace/invites', {
    ...auth,
    body: { email: `billing-member-${stamp}@example.com` },
  });
  const member = await api('POST', '/api/auth/register', {
    body: {
      email: `billing-member-${stamp}@example.com`,
      password: PASSWORD,
      invite_token: invite.token,
    },
  });
  const m = await t.signedInPage(member.token, '/billing');
  await check('member: billing is read-only, with a note', async () => {
    await m.page.getByTestId('billing-read-only').waitFor();
    await m.page.getByTestId('current-plan-name').getByText('Business').waitFor();
    await m.page.getByTestId('invoice-row').first().waitFor();
    assert((await m.page.getByTestId('upgrade-agency').count()) === 0, 'upgrade offered');
    assert((await m.page.getByTestId('extra-review').count()) === 0, 'purchase offered');
  });
  await pageCheck(m.page, m.w, 'billing-member', 'Billing');
  await check('member: the webhook is for admins (nothing asked of the API)', async () => {
    await m.page.goto(`${BASE}/notifications`);
    await m.page.getByTestId('webhook-admins-only').waitFor();
  });
  await pageCheck(m.page, m.w, 'notifications-member', 'Notifications');
  await m.ctx.close();
} catch (e) {
  t.notOk('the browser test ran to its end', e);
}
await t.finish();

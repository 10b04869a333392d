// tests/browser/core.test.mjs - the signed-out pages, sign-up and sign-in,
// the dashboard, personas and the template gallery, Portuguese, an invite
// accepted on a phone, the drawer, keyboard use, limit warnings, not-found
// and an ended session, in headless Chromium against a real `crowdelic
// serve` (tests/browser/run). See lib.mjs for the checks every page gets.
import { api, assert, BASE, PASSWORD, stamp, suite, tokenOf, watch } from './lib.mjs';

const owner = { email: `owner-${stamp}@example.com`, company: 'Acme Research' };
const invitee = { email: `invitee-${stamp}@example.com` };
const nearLimit = { email: `near-limit-${stamp}@example.com` };

const t = suite('core');
const { check, pageCheck } = t;
const browser = await t.launch();

try {
  // ---------------------------------------------------------------- desktop, the owner
  const desktop = await browser.newContext({
    viewport: { width: 1280, height: 800 },
    locale: 'en-US',
  });
  const page = await desktop.newPage();
  page.setDefaultTimeout(10_000);
  const w = watch(page);
  t.current = page;

  await check('/ sends a visitor to the sign-in page', async () => {
    await page.goto(`${BASE}/`);
    await page.waitForURL(/\/sign-in$/);
  });
  await pageCheck(page, w, 'sign-in', 'Welcome back');

  await check("sign-up: the API's password policy error is shown by its field", async () => {
    await page.getByRole('link', { name: 'Sign up' }).click();
    await page.waitForURL(/\/sign-up$/);
    // the router keeps the old page on screen while the new one's chunk loads
    await page.locator('h1', { hasText: 'Create your workspace' }).waitFor();
    await page.locator('input[name=email]').fill(owner.email);
    await page.locator('input[name=password]').fill('password123');
    await page.locator('input[name=company]').fill(owner.company);
    w.allowed.push({ path: '/api/auth/register', status: 400 });
    await page.getByRole('button', { name: 'Sign up' }).click();
    await page.getByText('This password is too common').waitFor();
    const invalid = await page.locator('input[name=password]').getAttribute('aria-invalid');
    assert(invalid === 'true', `password field aria-invalid=${invalid}`);
  });
  await check('sign-up: the form keeps its input after the failed request', async () => {
    assert((await page.locator('input[name=email]').inputValue()) === owner.email, 'email lost');
    assert(
      (await page.locator('input[name=company]').inputValue()) === owner.company,
      'company lost',
    );
  });
  await pageCheck(page, w, 'sign-up-password-error', 'Create your workspace');

  await check('sign-up with a good password lands on the dashboard', async () => {
    await page.locator('input[name=password]').fill(PASSWORD);
    await page.getByRole('button', { name: 'Sign up' }).click();
    await page.waitForURL(/\/dashboard$/);
    await page.locator('h1', { hasText: 'Dashboard' }).waitFor();
  });
  await check("dashboard: usage meters against the free plan's limits", async () => {
    const card = page.getByTestId('usage-card');
    await card.getByText('0 of 20').waitFor();
    await card.getByText('0 of 1').waitFor();
    await card.getByText('1 of 1').waitFor();
  });
  await check('dashboard: the offline model is labelled', async () => {
    await page.getByTestId('offline-model-badge').first().waitFor();
    assert(
      (await page.getByTestId('offline-model-badge').first().innerText()).includes('Offline model'),
      'badge text',
    );
  });
  await check('dashboard: recent tests shows its empty state', async () => {
    await page.getByText('No tests yet').waitFor();
  });
  await check('dashboard: the cost of this period and the activity chart', async () => {
    await page.getByTestId('stat-cost').getByText('$0.00').waitFor();
    await page.locator('.recharts-surface').first().waitFor();
  });
  await pageCheck(page, w, 'dashboard', 'Dashboard');
  await check('keyboard: the skip link comes first and focus is visible', async () => {
    await page.keyboard.press('Tab');
    const focused = await page.evaluate(() => ({
      text: document.activeElement?.textContent ?? '',
      outline: getComputedStyle(document.activeElement).outlineStyle,
    }));
    assert(focused.text.includes('Skip to content'), `first tab stop: ${focused.text}`);
    assert(focused.outline !== 'none', 'no visible focus outline');
  });

  await check('the sidebar leads to the personas page, empty at first', async () => {
    await page
      .getByRole('navigation', { name: 'Main navigation' })
      .getByRole('link', { name: 'Personas' })
      .click();
    await page.waitForURL(/\/personas$/);
    await page.getByText('No personas yet').waitFor();
  });
  await pageCheck(page, w, 'personas-empty', 'Personas');

  const added = [];
  await check('template gallery: three templates added with their "Add" buttons', async () => {
    await page.getByRole('button', { name: 'Browse the template gallery' }).click();
    await page.waitForURL(/\/personas\/templates$/);
    const cards = page.getByTestId('template-card');
    await cards.first().waitFor();
    const n = await cards.count();
    assert(n >= 50, `only ${n} templates`);
    for (let i = 0; i < 3; i++) {
      const card = cards.nth(i);
      added.push((await card.locator('h3').innerText()).trim());
      await card.getByTestId('add-template').click();
      await card.getByText('Added', { exact: true }).waitFor();
    }
    await page.getByTestId('gallery-meter').getByText('3 of 20').waitFor();
  });
  await check('template gallery: its search narrows the templates', async () => {
    await page.getByTestId('template-search').fill(added[0]);
    await page.waitForFunction(
      () => document.querySelectorAll('[data-testid="template-card"]').length <= 3,
    );
    await page.getByTestId('template-card').first().getByText(added[0]).waitFor();
    await page.getByTestId('template-search').fill('');
  });
  await pageCheck(page, w, 'template-gallery', 'Template gallery');

  await check('the personas list shows the added personas', async () => {
    await page.getByRole('button', { name: 'Back to your personas' }).click();
    await page.waitForURL(/\/personas$/);
    await page.getByText('3 personas in this workspace').waitFor();
    assert((await page.getByTestId('persona-card').count()) === 3, 'not 3 cards');
  });
  await pageCheck(page, w, 'personas-list', 'Personas');

  await check('personas: a search (q) finds one persona by name', async () => {
    await page.getByTestId('persona-search').fill(added[1]);
    await page.waitForURL(/[?&]q=/);
    await page.getByText('1 persona in this workspace').waitFor();
    await page.getByTestId('persona-card').getByText(added[1]).waitFor();
  });
  await check('personas: a search with no match offers to clear the filters', async () => {
    await page.getByTestId('persona-search').fill('zzzz-nobody');
    await page.getByText('No persona matches').waitFor();
    await page.getByRole('button', { name: 'Clear filters' }).first().click();
    await page.getByText('3 personas in this workspace').waitFor();
  });
  await pageCheck(page, w, 'personas-search', 'Personas');

  await check('switching to Portuguese translates the page and sets <html lang>', async () => {
    await page.getByTestId('language-switch').click();
    await page.getByRole('menuitem', { name: 'Português (Brasil)' }).click();
    await page.locator('h1', { hasText: 'Personas' }).waitFor();
    await page.getByText('3 personas neste espaço de trabalho').waitFor();
    await page
      .getByRole('navigation', { name: 'Navegação principal' })
      .getByText('Painel')
      .waitFor();
    assert((await page.locator('html').getAttribute('lang')) === 'pt-BR', 'html lang');
  });
  await check('the language is remembered across a reload', async () => {
    await page
      .getByRole('navigation', { name: 'Navegação principal' })
      .getByRole('link', { name: 'Painel' })
      .click();
    await page.waitForURL(/\/dashboard$/);
    await page.reload();
    await page.locator('h1', { hasText: 'Painel' }).waitFor();
    await page.getByText('Modelo offline').first().waitFor();
    assert((await page.locator('html').getAttribute('lang')) === 'pt-BR', 'html lang after reload');
  });
  await pageCheck(page, w, 'dashboard-pt-BR', 'Painel');

  await check('the sidebar leads to the tests page, in Portuguese', async () => {
    await page
      .getByRole('navigation', { name: 'Navegação principal' })
      .getByRole('link', { name: 'Testes' })
      .click();
    await page.waitForURL(/\/tests$/);
  });
  await pageCheck(page, w, 'tests-pt-BR', 'Testes');

  await check('sign out from the user menu (POST /api/auth/logout)', async () => {
    const token = await tokenOf(page);
    await page.getByTestId('user-menu').click();
    await page.getByRole('menuitem', { name: 'Sair' }).click();
    await page.waitForURL(/\/sign-in$/);
    await page.getByText('Você saiu da sua conta.').waitFor();
    assert((await tokenOf(page)) === null, 'token still stored');
    const res = await fetch(`${BASE}/api/auth/me`, {
      headers: { Authorization: `Bearer ${token}` },
    });
    assert(res.status === 401, `the old token still works: ${res.status}`);
  });
  await pageCheck(page, w, 'signed-out-pt-BR', 'Que bom ver você de novo');

  await check('a wrong password is refused and the email is kept', async () => {
    await page.getByTestId('language-switch').click();
    await page.getByRole('menuitem', { name: 'English' }).click();
    await page.locator('input[name=email]').fill(owner.email);
    await page.locator('input[name=password]').fill('not the password at all');
    w.allowed.push({ path: '/api/auth/login', status: 401 });
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByText('The email or the password is not right.').waitFor();
    assert((await page.locator('input[name=email]').inputValue()) === owner.email, 'email lost');
  });
  await check('sign in again lands on the dashboard', async () => {
    await page.locator('input[name=password]').fill(PASSWORD);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.waitForURL(/\/dashboard$/);
    await page.getByTestId('usage-card').getByText('3 of 20').waitFor();
  });
  await pageCheck(page, w, 'dashboard-signed-in-again', 'Dashboard');

  // ---------------------------------------------------------------- an invite, on a phone
  const ownerToken = await tokenOf(page);
  let inviteToken = '';
  await check('set-up: the owner upgrades to business and invites a member (API)', async () => {
    await api('POST', '/api/billing/upgrade', { token: ownerToken, body: { plan: 'business' } });
    const inv = await api('POST', '/api/workspace/invites', {
      token: ownerToken,
      body: { email: invitee.email },
    });
    inviteToken = inv.token;
    assert(inviteToken, 'no invite token');
  });

  const phone = await browser.newContext({
    viewport: { width: 390, height: 844 },
    deviceScaleFactor: 2,
    isMobile: true,
    hasTouch: true,
    locale: 'en-US',
  });
  const mpage = await phone.newPage();
  mpage.setDefaultTimeout(10_000);
  const mw = watch(mpage);
  t.current = mpage;

  await check('an unknown invite is explained, with a way forward', async () => {
    await mpage.goto(`${BASE}/invite/not-a-real-token`);
    await mpage.locator('h1', { hasText: 'Join your team' }).waitFor();
    await mpage.locator('input[name=email]').fill(invitee.email);
    await mpage.locator('input[name=password]').fill(PASSWORD);
    mw.allowed.push({ path: '/api/auth/register', status: 400 });
    await mpage.getByRole('button', { name: 'Accept the invitation' }).click();
    await mpage.getByText('This invitation does not exist.').waitFor();
    await mpage.getByRole('link', { name: 'create a workspace of your own.' }).waitFor();
  });
  await pageCheck(mpage, mw, 'invite-unknown-phone', 'Join your team');

  await check('accepting the invite (/invite/:token) joins the workspace', async () => {
    await mpage.goto(`${BASE}/invite/${inviteToken}`);
    await mpage.locator('h1', { hasText: 'Join your team' }).waitFor();
    await mpage.locator('input[name=email]').fill(invitee.email);
    await mpage.locator('input[name=password]').fill(PASSWORD);
    await mpage.getByRole('button', { name: 'Accept the invitation' }).click();
    await mpage.waitForURL(/\/dashboard$/);
    await mpage.getByTestId('usage-card').getByText('2 of 3').waitFor();
    await mpage.getByTestId('usage-card').getByText('3 of 300').waitFor();
  });
  await pageCheck(mpage, mw, 'dashboard-phone', 'Dashboard');

  await check('phone: the sidebar is a drawer opened from the menu button', async () => {
    assert(
      !(await mpage.getByRole('navigation', { name: 'Main navigation' }).first().isVisible()),
      'sidebar visible on a phone',
    );
    await mpage.getByTestId('open-menu').click();
    await mpage.getByRole('dialog').getByRole('link', { name: 'Personas' }).waitFor();
  });
  // the drawer slides in: photograph it once it is in place
  await mpage
    .waitForFunction(() => {
      const d = document.querySelector('[role=dialog]');
      return d && Math.abs(d.getBoundingClientRect().left) < 1;
    })
    .catch(() => {});
  await t.screenshot(mpage, 'drawer-phone');
  await check('phone: the drawer navigates and closes', async () => {
    await mpage.getByRole('dialog').getByRole('link', { name: 'Personas' }).click();
    await mpage.waitForURL(/\/personas$/);
    await mpage.getByRole('dialog').waitFor({ state: 'hidden' });
    await mpage.getByTestId('persona-card').first().waitFor();
  });
  await pageCheck(mpage, mw, 'personas-phone', 'Personas');

  await check(
    'keyboard: the user menu opens with Enter and signs out with the arrows',
    async () => {
      await mpage.getByTestId('user-menu').focus();
      await mpage.keyboard.press('Enter');
      const item = mpage.getByRole('menuitem', { name: 'Sign out' });
      await item.waitFor();
      for (let i = 0; i < 4 && (await item.getAttribute('data-highlighted')) === null; i++)
        await mpage.keyboard.press('ArrowDown');
      assert((await item.getAttribute('data-highlighted')) !== null, 'Sign out never highlighted');
      await mpage.keyboard.press('Enter');
      await mpage.waitForURL(/\/sign-in$/);
      await mpage.getByText('You have signed out.').waitFor();
    },
  );

  await check('set-up: another workspace with 16 of its 20 personas (API)', async () => {
    const s = await api('POST', '/api/auth/register', {
      body: { email: nearLimit.email, password: PASSWORD },
    });
    const tpls = (await api('GET', '/api/personas/templates', { token: s.token })).templates;
    for (let i = 0; i < 16; i++)
      await api('POST', '/api/personas', { token: s.token, body: { template_id: tpls[i].id } });
  });
  await check('near a limit: the dashboard warns, with an upgrade button', async () => {
    await mpage.locator('input[name=email]').fill(nearLimit.email);
    await mpage.locator('input[name=password]').fill(PASSWORD);
    await mpage.getByRole('button', { name: 'Sign in' }).click();
    await mpage.waitForURL(/\/dashboard$/);
    const warn = mpage.getByTestId('limit-warnings');
    await warn.getByText('Personas: 16 of 20 used', { exact: false }).waitFor();
    await warn.getByRole('button', { name: 'Upgrade plan' }).first().waitFor();
  });
  await check('near a limit: the bell counts the unread notification', async () => {
    await mpage.getByTestId('unread-count').waitFor();
    assert((await mpage.getByTestId('unread-count').innerText()).trim() === '1', 'unread count');
  });
  await pageCheck(mpage, mw, 'dashboard-limit-warning-phone', 'Dashboard');
  await check('the bell lists the notification, translated', async () => {
    await mpage.getByTestId('notifications-bell').click();
    await mpage.getByText(/Personas: 16 of the 20 your Free plan allows/).waitFor();
  });
  await t.screenshot(mpage, 'notifications-phone');
  await mpage.keyboard.press('Escape');

  await check('an unknown path shows the not-found page', async () => {
    await mpage.goto(`${BASE}/no/such/page`);
  });
  await pageCheck(mpage, mw, 'not-found-phone', 'Page not found');

  await check('a refused token (401) sends the user to sign in, saying why', async () => {
    await mpage.evaluate(() => localStorage.setItem('crowdelic.token', 'not-a-valid-token'));
    mw.allowed.push({ path: '/api/', status: 401 });
    await mpage.goto(`${BASE}/dashboard`);
    await mpage.waitForURL(/\/sign-in$/);
    await mpage.getByText('Your session ended. Please sign in again.').waitFor();
  });
  await pageCheck(mpage, mw, 'session-ended-phone', 'Welcome back');

  // a session may make 600 requests a minute (API keys: the user's api_quota)
  console.log(`# API requests from the UI: desktop ${w.apiRequests}, phone ${mw.apiRequests}`);
  await phone.close();
  await desktop.close();
} catch (e) {
  t.notOk('the browser test ran to its end', e);
}
await t.finish();

// tests/browser/account.test.mjs - the account pages: /projects (create,
// rename, tests count and link, delete refused while it has tests, the plan's
// limit), /team (the free plan's upgrade prompt, invite with a copyable link,
// the invite accepted through the API, a member's read-only view, roles with
// the API's "only admin" refusal in words, an invitation withdrawn, a member
// removed) and /settings (workspace renamed, an API key shown once that
// works until revoked, the offline model labelled), one page at phone width
// and one in Portuguese - in headless Chromium against a real `crowdelic
// serve` (tests/browser/run). See lib.mjs for the checks every page gets.
import { api, assert, BASE, PASSWORD, registerOwner, stamp, suite } from './lib.mjs';

const t = suite('account');
const { check, pageCheck } = t;
await t.launch();

/** The product test the projects page counts (created by the API, filed in projectId). */
const testBody = (projectId) => ({
  name: 'Pricing page check',
  type: 'product',
  project_id: projectId,
  config: {
    panel: { templates: 'all' },
    scenarios: [
      {
        id: 's1',
        stimulus: 'A meal kit at $9.90 a week.',
        questions: [{ id: 'buy', kind: 'yes_no', prompt: 'Would you buy it?' }],
      },
    ],
  },
});

const memberEmail = `acct-member-${stamp}@example.com`;
const otherEmail = `acct-other-${stamp}@example.com`;

try {
  const owner = await registerOwner('acct-owner', { company: 'Acme Labs' });
  const { page, w } = await t.signedInPage(owner.token, '/projects', {
    permissions: ['clipboard-read', 'clipboard-write'],
  });

  // ---------------------------------------------------------------- projects, free plan
  await check('projects: the empty list and the free plan meter (0 of 1)', async () => {
    await page.getByText('No projects yet').waitFor();
    await page.getByTestId('projects-meter').getByText('0 of 1').waitFor();
  });
  await pageCheck(page, w, 'projects-empty', 'Projects');

  let firstId = '';
  await check('projects: "New project" creates one with a description', async () => {
    await page.getByTestId('new-project').click();
    const form = page.getByTestId('create-project');
    await form.locator('input[name=name]').fill('Launch study');
    await form.locator('textarea[name=description]').fill('Landing page and pricing tests');
    await form.getByRole('button', { name: 'Create project' }).click();
    const card = page.getByTestId('project-card').filter({ hasText: 'Launch study' });
    await card.waitFor();
    await card.getByText('Landing page and pricing tests').waitFor();
    await card.getByText('No tests yet').waitFor();
    const r = await api('GET', '/api/projects', { token: owner.token });
    assert(r.total === 1, `projects: ${r.total}`);
    firstId = r.projects[0].id;
  });
  await check('projects: at the free limit an upgrade prompt replaces "New project"', async () => {
    await page.getByTestId('projects-meter').getByText('1 of 1').waitFor();
    const prompt = page.getByTestId('projects-upgrade');
    await prompt.getByText('Your Free plan includes 1 project').waitFor();
    const href = await prompt.getByRole('link', { name: 'Upgrade plan' }).getAttribute('href');
    assert(href === '/billing', `upgrade link ${href}`);
    assert((await page.getByTestId('new-project').count()) === 0, '"New project" still shown');
  });
  await pageCheck(page, w, 'projects-free-limit', 'Projects');

  await check('team (free plan): an upgrade prompt in place of the invite form', async () => {
    await page.goto(`${BASE}/team`);
    await page.getByTestId('members-table').getByText(owner.email).waitFor();
    const prompt = page.getByTestId('team-upgrade');
    await prompt.getByText('The Free plan is for one person').waitFor();
    assert((await page.getByTestId('invite-form').count()) === 0, 'invite form shown');
    await page.getByTestId('seats-card').getByText('1 of 1').waitFor();
  });
  await pageCheck(page, w, 'team-free', 'Team');

  // ---------------------------------------------------------------- business plan
  await check('set-up: the owner moves to the business plan (API)', async () => {
    await api('POST', '/api/billing/upgrade', {
      token: owner.token,
      body: { plan: 'business' },
    });
  });

  await check('projects: the business limit (1 of 3) and "New project" back', async () => {
    await page.goto(`${BASE}/projects`);
    await page.getByTestId('projects-meter').getByText('1 of 3').waitFor();
    await page.getByTestId('new-project').waitFor();
    assert((await page.getByTestId('projects-upgrade').count()) === 0, 'upgrade prompt left');
  });
  await check('projects: rename a project and change its description in place', async () => {
    const card = page.getByTestId('project-card').filter({ hasText: 'Launch study' });
    await card.getByRole('button', { name: 'Edit the project Launch study' }).click();
    await card.locator('input[name=name]').fill('Launch study 2027');
    await card.locator('textarea[name=description]').fill('Pricing, onboarding and ads');
    await card.getByRole('button', { name: 'Save changes' }).click();
    const renamed = page.getByTestId('project-card').filter({ hasText: 'Launch study 2027' });
    await renamed.getByText('Pricing, onboarding and ads').waitFor();
    const p = await api('GET', `/api/projects/${firstId}`, {
      token: owner.token,
    });
    assert(p.name === 'Launch study 2027', `name ${p.name}`);
  });
  await check('projects: an empty name is refused by the form, which keeps the input', async () => {
    const card = page.getByTestId('project-card').filter({ hasText: 'Launch study 2027' });
    await card.getByRole('button', { name: /^Edit the project/ }).click();
    await card.locator('input[name=name]').fill('   ');
    await card.getByRole('button', { name: 'Save changes' }).click();
    await card.getByText('Enter a name for the project.').waitFor();
    assert(
      (await card.locator('textarea[name=description]').inputValue()) ===
        'Pricing, onboarding and ads',
      'description lost',
    );
    await card.getByRole('button', { name: 'Cancel' }).click();
  });
  await check("projects: a project's tests count links to its tests", async () => {
    await api('POST', '/api/tests', {
      token: owner.token,
      body: testBody(firstId),
    });
    await page.reload();
    const card = page.getByTestId('project-card').filter({ hasText: 'Launch study 2027' });
    const link = card.getByTestId('project-tests-link');
    await link.getByText('1 test').waitFor();
    const href = await link.getAttribute('href');
    assert(href === `/tests?project=${firstId}`, `tests link ${href}`);
    // the link opens the tests list filtered by the project
    await link.click();
    await page.waitForURL(/\/tests\?project=/);
    await page.getByText('Pricing page check').first().waitFor();
    await page.goBack();
    await page.waitForURL(/\/projects$/);
  });
  await check('projects: deleting a project with tests is explained and not offered', async () => {
    const card = page.getByTestId('project-card').filter({ hasText: 'Launch study 2027' });
    await card.getByRole('button', { name: /^Delete the project/ }).click();
    const dialog = page.getByTestId('delete-project-dialog');
    await dialog.getByText('It has 1 test. Crowdelic does not delete tests').waitFor();
    assert(
      await dialog.getByRole('button', { name: 'Delete project' }).isDisabled(),
      'delete enabled',
    );
    await dialog.getByRole('button', { name: 'Cancel' }).click();
    await dialog.waitFor({ state: 'hidden' });
  });
  await check('projects: a second project is created, then deleted after a confirm', async () => {
    await page.getByTestId('new-project').click();
    const form = page.getByTestId('create-project');
    await form.locator('input[name=name]').fill('Throwaway');
    await form.getByRole('button', { name: 'Create project' }).click();
    const card = page.getByTestId('project-card').filter({ hasText: 'Throwaway' });
    await card.getByText('No tests yet').waitFor();
    await page.getByTestId('projects-meter').getByText('2 of 3').waitFor();
    await card.getByRole('button', { name: 'Delete the project Throwaway' }).click();
    const dialog = page.getByTestId('delete-project-dialog');
    await dialog.getByText('It has no tests.').waitFor();
    await dialog.getByRole('button', { name: 'Delete project' }).click();
    await card.waitFor({ state: 'detached' });
    await page.getByTestId('projects-meter').getByText('1 of 3').waitFor();
  });
  await pageCheck(page, w, 'projects', 'Projects');

  // ---------------------------------------------------------------- team
  let memberLink = '';
  await check('team: invite a member; the link is shown and copied', async () => {
    await page.goto(`${BASE}/team`);
    const form = page.getByTestId('invite-form');
    await form.locator('input[name=email]').fill(memberEmail);
    await form.locator('select[name=role]').selectOption('user');
    await form.getByRole('button', { name: 'Create invitation' }).click();
    const created = page.getByTestId('invite-created');
    await created.getByText(`Invitation for ${memberEmail} created`).waitFor();
    memberLink = await page.getByTestId('invite-link-value').inputValue();
    assert(
      new RegExp(`^${BASE}/invite/[0-9a-f]{16,}$`).test(memberLink),
      `invite link ${memberLink}`,
    );
    await page.getByTestId('invite-link-copy').click();
    await page.getByTestId('invite-link-copy').getByText('Copied').waitFor();
    const clip = await page.evaluate(() => navigator.clipboard.readText());
    assert(clip === memberLink, `clipboard: ${clip}`);
    await page
      .getByTestId('invite-row')
      .filter({ hasText: memberEmail })
      .getByText('Open')
      .waitFor();
  });
  await check(
    'team: a second invitation (as admin) - a repeat is flagged - then the seats are full (3 of 3)',
    async () => {
      const form = page.getByTestId('invite-form');
      // the same email again would replace its open invitation: said before sending
      await form.locator('input[name=email]').fill(memberEmail);
      await page
        .getByTestId('invite-replaces')
        .getByText('already has an open invitation')
        .waitFor();
      await form.locator('input[name=email]').fill(otherEmail);
      await form.locator('select[name=role]').selectOption('admin');
      await form.getByRole('button', { name: 'Create invitation' }).click();
      await page
        .getByTestId('invite-created')
        .getByText(`Invitation for ${otherEmail} created`)
        .waitFor();
      await page.getByTestId('seats-card').getByText('3 of 3').waitFor();
      await page.getByTestId('team-upgrade').getByText('All 3 seats are taken').waitFor();
    },
  );
  await page.evaluate(() => window.scrollTo(0, 0));
  await pageCheck(page, w, 'team-invited', 'Team');

  let member = null;
  await check('team: the invite is accepted through the API and the member appears', async () => {
    const token = memberLink.split('/invite/')[1];
    member = await api('POST', '/api/auth/register', {
      body: { email: memberEmail, password: PASSWORD, invite_token: token },
    });
    assert(member.user.role === 'user', `role ${member.user.role}`);
    await page.reload();
    const row = page.getByTestId('member-row').filter({ hasText: memberEmail });
    await row.waitFor();
    assert((await row.getByTestId('member-role').inputValue()) === 'user', 'not a member');
    await page
      .getByTestId('invite-row')
      .filter({ hasText: memberEmail })
      .getByText('Accepted')
      .waitFor();
  });

  await check('team: a member sees the list read-only, with the admins named', async () => {
    const m = await t.signedInPage(member.token, '/team');
    await m.page.getByTestId('team-readonly').getByText(owner.email).waitFor();
    await m.page.getByTestId('members-table').getByText(memberEmail).waitFor();
    assert((await m.page.getByTestId('member-role').count()) === 0, 'role selects shown');
    assert((await m.page.getByTestId('invite-form').count()) === 0, 'invite form shown');
    assert((await m.page.getByTestId('invites-card').count()) === 0, 'invites shown');
    await pageCheck(m.page, m.w, 'team-member-view', 'Team');
    await m.ctx.close();
    t.current = page;
  });

  await check(
    "team: the only admin cannot become a member - the API's refusal in words",
    async () => {
      const row = page.getByTestId('member-row').filter({ hasText: owner.email });
      w.allowed.push({ path: '/api/workspace/members/', status: 409 });
      await row.getByTestId('member-role').selectOption('user');
      await page
        .getByTestId('role-error')
        .getByText(`${owner.email} is the workspace's only admin`)
        .waitFor();
      await page.waitForFunction(
        (email) =>
          document.querySelector(`[data-testid="member-row"][data-email="${email}"] select`)
            ?.value === 'admin',
        owner.email,
      );
    },
  );
  await check('team: change the member to an admin', async () => {
    const row = page.getByTestId('member-row').filter({ hasText: memberEmail });
    await row.getByTestId('member-role').selectOption('admin');
    for (let i = 0; i < 40; i++) {
      const r = await api('GET', '/api/workspace/members', {
        token: owner.token,
      });
      if (r.members.find((x) => x.email === memberEmail)?.role === 'admin') return;
      await new Promise((res) => setTimeout(res, 100));
    }
    throw new Error('the role did not change');
  });
  await check('team: withdraw the other invitation after a confirm', async () => {
    await page
      .getByRole('button', {
        name: `Withdraw the invitation to ${otherEmail}`,
      })
      .click();
    const dialog = page.getByTestId('revoke-invite-dialog');
    await dialog.getByText('The link stops working at once').waitFor();
    await dialog.getByRole('button', { name: 'Withdraw invitation' }).click();
    await page
      .getByTestId('invite-row')
      .filter({ hasText: otherEmail })
      .waitFor({ state: 'detached' });
    await page.getByTestId('seats-card').getByText('2 of 3').waitFor();
    const r = await api('GET', '/api/workspace/invites', {
      token: owner.token,
    });
    assert(!r.invites.some((i) => i.email === otherEmail && i.status === 'open'), 'still open');
  });
  await check(
    'team: an email that already has an account cannot be invited (said in words)',
    async () => {
      const form = page.getByTestId('invite-form');
      await form.locator('input[name=email]').fill(owner.email);
      w.allowed.push({ path: '/api/workspace/invites', status: 409 });
      await form.getByRole('button', { name: 'Create invitation' }).click();
      await form.getByText(`${owner.email} already has a Crowdelic account`).waitFor();
      assert((await form.locator('input[name=email]').inputValue()) === owner.email, 'input lost');
      await form.locator('input[name=email]').fill('');
    },
  );
  await check('team: remove the member after a confirm; their session ends', async () => {
    await page.getByRole('button', { name: `Remove ${memberEmail}` }).click();
    const dialog = page.getByTestId('remove-member-dialog');
    await dialog.getByText('They lose access at once').waitFor();
    await dialog.getByRole('button', { name: 'Remove member' }).click();
    await page
      .getByTestId('member-row')
      .filter({ hasText: memberEmail })
      .waitFor({ state: 'detached' });
    const res = await fetch(`${BASE}/api/auth/me`, {
      headers: { Authorization: `Bearer ${member.token}` },
    });
    assert(res.status === 401, `the removed member's token answers ${res.status}`);
  });
  await pageCheck(page, w, 'team', 'Team');

  // ---------------------------------------------------------------- settings
  await check('settings: rename the workspace', async () => {
    await page.goto(`${BASE}/settings`);
    const card = page.getByTestId('workspace-card');
    const input = card.locator('input[name=workspace-name]');
    await input.waitFor();
    assert((await input.inputValue()) === 'Acme Labs', `name ${await input.inputValue()}`);
    await input.fill('Acme Research Lab');
    await card.getByRole('button', { name: 'Save' }).click();
    await page.getByTestId('workspace-saved').waitFor();
    const ws = await api('GET', '/api/workspace', { token: owner.token });
    assert(ws.workspace.name === 'Acme Research Lab', `workspace ${ws.workspace.name}`);
  });
  let secret = '';
  await check('settings: create an API key; its secret is shown once with a warning', async () => {
    const card = page.getByTestId('api-keys-card');
    await card.locator('input[name=key-name]').fill('Nightly export');
    await card.getByRole('button', { name: 'Create key' }).click();
    const panel = page.getByTestId('api-key-secret');
    await panel.getByText('It is shown only this once').waitFor();
    secret = await page.getByTestId('api-key-value-value').inputValue();
    await t.screenshot(page, 'settings-secret', { fullPage: true });
    assert(/^ck_/.test(secret), `key ${secret.slice(0, 6)}`);
    await page.getByTestId('api-key-value-copy').click();
    await page.getByTestId('api-key-value-copy').getByText('Copied').waitFor();
  });
  await check('settings: the key works (GET /api/auth/me with it)', async () => {
    const res = await fetch(`${BASE}/api/auth/me`, {
      headers: { Authorization: `Bearer ${secret}` },
    });
    assert(res.status === 200, `me with the key: ${res.status}`);
    const body = await res.json();
    assert(body.via_api_key === true, 'not via the key');
  });
  await check(
    'settings: once dismissed the secret is gone; the list shows its prefix',
    async () => {
      await page.getByRole('button', { name: 'I have copied it' }).click();
      await page.getByTestId('api-key-secret').waitFor({ state: 'detached' });
      assert(!(await page.content()).includes(secret), 'the secret is still in the page');
      const row = page.getByTestId('api-key-row').filter({ hasText: 'Nightly export' });
      await row.getByText('Active').waitFor();
      await row.getByText(`${secret.slice(0, 8)}`).waitFor();
    },
  );
  await pageCheck(page, w, 'settings-key', 'Settings');
  await check('settings: revoke the key after a confirm; it then answers 401', async () => {
    await page.getByRole('button', { name: 'Revoke the key Nightly export' }).click();
    const dialog = page.getByTestId('revoke-key-dialog');
    await dialog.getByText('Programs that use it are refused at once').waitFor();
    await dialog.getByRole('button', { name: 'Revoke key' }).click();
    await page
      .getByTestId('api-key-row')
      .filter({ hasText: 'Nightly export' })
      .getByText(/^Revoked/)
      .waitFor();
    const res = await fetch(`${BASE}/api/auth/me`, {
      headers: { Authorization: `Bearer ${secret}` },
    });
    assert(res.status === 401, `the revoked key answers ${res.status}`);
  });
  await check('settings: the model status names the offline model', async () => {
    const card = page.getByTestId('model-card');
    await card.getByTestId('model-provider').getByText('Offline model (built in)').waitFor();
    await card.getByTestId('offline-model-badge').waitFor();
    await card.getByTestId('model-offline-note').waitFor();
    await card.getByTestId('model-health').getByText('Working').waitFor();
    const model = await card.getByTestId('model-name').innerText();
    assert(model.length > 0, 'no model name');
  });
  await pageCheck(page, w, 'settings', 'Settings');

  // ---------------------------------------------------------------- phone, Portuguese
  await check('phone (390 px): the team page fits the screen', async () => {
    const p = await t.signedInPage(owner.token, '/team', {
      viewport: { width: 390, height: 844 },
      deviceScaleFactor: 2,
      isMobile: true,
      hasTouch: true,
    });
    await p.page.getByTestId('members-table').getByText(owner.email).waitFor();
    const overflow = await p.page.evaluate(
      () => document.documentElement.scrollWidth - document.documentElement.clientWidth,
    );
    assert(overflow <= 0, `the page scrolls sideways by ${overflow}px`);
    await pageCheck(p.page, p.w, 'team-phone', 'Team');
    await p.ctx.close();
    t.current = page;
  });
  await check('Portuguese: the settings page in pt-BR', async () => {
    const p = await t.newPage({ locale: 'pt-BR' });
    await p.page.goto(`${BASE}/sign-in`);
    await p.page.evaluate((tk) => {
      localStorage.setItem('crowdelic.token', tk);
      localStorage.setItem('crowdelic.lang', 'pt-BR');
    }, owner.token);
    await p.page.goto(`${BASE}/settings`);
    await p.page.getByText('Chaves de API', { exact: true }).waitFor();
    await p.page.getByTestId('model-provider').getByText('Modelo offline (embutido)').waitFor();
    await p.page.getByText('Revogada em', { exact: false }).first().waitFor();
    assert((await p.page.locator('html').getAttribute('lang')) === 'pt-BR', 'html lang');
    await pageCheck(p.page, p.w, 'settings-pt-BR', 'Configurações');
    await p.page.goto(`${BASE}/team`);
    await p.page.getByText('Convidar alguém da equipe').waitFor();
    await pageCheck(p.page, p.w, 'team-pt-BR', 'Equipe');
    await p.ctx.close();
    t.current = page;
  });
} catch (e) {
  t.notOk('the account test ran to its end', e);
}
await t.finish();

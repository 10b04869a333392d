// tests/browser/personas.test.mjs - the personas area: a persona's page
// (the whole profile, validation, an interview kept across a reload, its
// history), the editor (an invalid field shown inline with the input kept,
// create, edit), generating a panel with the server's dry run of its
// sampling plan shown before confirming and the same people made after,
// deleting, a persona on a phone, Portuguese, and the plan
// gates of a free workspace - in headless Chromium against a real
// `crowdelic serve` (tests/browser/run). See lib.mjs for pageCheck.
import { api, assert, BASE, registerOwner, suite } from './lib.mjs';

const t = suite('personas');
const { check } = t;
/** pageCheck from the top of the page (the full-page screenshot then shows the layout as it is). */
async function pageCheck(page, w, label, heading) {
  await page.evaluate(() => window.scrollTo(0, 0)).catch(() => {});
  await t.pageCheck(page, w, label, heading);
}
await t.launch();

try {
  // ---------------------------------------------------------------- set-up by the API
  let owner;
  const added = [];
  await check(
    'set-up: an owner on the business plan with three template personas (API)',
    async () => {
      owner = await registerOwner('personas', { company: 'Persona Labs' });
      // custom and generated personas need custom_personas (business has it; also lifts the rate limit)
      await api('POST', '/api/billing/upgrade', {
        token: owner.token,
        body: { plan: 'business' },
      });
      const tpls = (await api('GET', '/api/personas/templates', { token: owner.token })).templates;
      for (const tpl of tpls.slice(0, 3))
        added.push(
          await api('POST', '/api/personas', {
            token: owner.token,
            body: { template_id: tpl.id },
          }),
        );
      assert(added.length === 3, 'not 3 personas');
    },
  );
  const first = added[0];
  let run;
  await check('set-up: a test run with the first persona (API)', async () => {
    const test = await api('POST', '/api/tests', {
      token: owner.token,
      body: {
        name: 'Meal kit concept',
        type: 'product',
        config: {
          personas: [first.id],
          scenarios: [
            {
              id: 'concept',
              title: 'First look',
              stimulus: 'FreshBox: 3 chef-designed dinners a week, delivered, $49/month.',
              questions: [{ id: 'buy', kind: 'yes_no', prompt: 'Would you subscribe?' }],
            },
          ],
        },
      },
    });
    run = await api('POST', `/api/tests/${test.id}/run`, { token: owner.token });
    for (let i = 0; i < 50 && run.status !== 'completed'; i++) {
      await new Promise((r) => setTimeout(r, 200));
      run = await api('GET', `/api/tests/${test.id}/runs/${run.id}`, { token: owner.token });
    }
    assert(run.status === 'completed', `run ${run.status}`);
  });

  // ---------------------------------------------------------------- the persona's page
  const { page, w } = await t.signedInPage(owner.token, '/personas');
  await check('the list links each card to its persona page', async () => {
    await page.getByTestId('persona-card').first().waitFor();
    await page.getByRole('link', { name: first.name }).click();
    await page.waitForURL(new RegExp(`/personas/${first.id}$`));
    await page.getByTestId('persona-name').getByText(first.name).waitFor();
  });
  await check(
    'the profile: demographics, personality with the Big Five, beliefs, habits',
    async () => {
      const profile = page.getByTestId('persona-profile');
      await profile.getByText('Who they are').waitFor();
      await profile.getByText(first.demographics.location).first().waitFor();
      await profile.getByText('Big Five').waitFor();
      await profile.getByTestId('big-five-openness').waitFor();
      await profile.getByText('Beliefs and goals').waitFor();
      await profile.getByText('Habits and routines').waitFor();
      await profile.getByText(first.profile.beliefs[0]).waitFor();
      // the breadcrumb leads back to the list
      await page.getByRole('link', { name: 'Personas' }).first().waitFor();
    },
  );
  await pageCheck(page, w, 'persona-detail', 'Persona');

  await check('validate: the verdict, its score and reasons, the interview it took', async () => {
    await page.getByTestId('validation-card').getByText('Not validated yet').waitFor();
    await page.getByTestId('validate-persona').click();
    const verdict = page.getByTestId('validation-verdict');
    await verdict.waitFor({ timeout: 20_000 });
    const score = await verdict.locator('p').first().innerText();
    assert(/^\d{1,3}%$/.test(score.trim()), `score "${score}"`);
    assert((await page.getByTestId('validation-reasons').innerText()).length > 20, 'no reasons');
    await page.getByTestId('header-validation').waitFor();
    await page.getByRole('button', { name: /Show the interview/ }).click();
    await page.getByTestId('validation-card').getByText('Interviewer').first().waitFor();
    await page.getByTestId('validation-usage').waitFor();
  });
  await pageCheck(page, w, 'persona-validated', 'Persona');

  // ---------------------------------------------------------------- the interview
  await check('interview: a first message sent with Enter gets an in-character reply', async () => {
    await page.getByTestId('tab-interview').click();
    await page.waitForURL(/tab=interview/);
    const input = page.getByTestId('chat-input');
    await input.fill('What do you think about online banking?');
    await input.press('Enter');
    await page.getByTestId('chat-answer').first().waitFor({ timeout: 15_000 });
    await page.waitForURL(/[?&]c=[0-9a-f-]{36}/);
    assert((await input.inputValue()) === '', 'the composer was not emptied');
    await page.getByTestId('reply-usage').first().waitFor();
    await page.getByTestId('interview').getByText('Offline model').first().waitFor();
  });
  await check(
    'interview: Shift+Enter is a new line; the second message is answered too',
    async () => {
      const input = page.getByTestId('chat-input');
      await input.click();
      await input.type('Would you pay for it?');
      await input.press('Shift+Enter');
      await input.type('And how much?');
      assert((await input.inputValue()).includes('\n'), 'Shift+Enter did not make a new line');
      assert((await page.getByTestId('chat-question').count()) === 1, 'Shift+Enter sent');
      await input.press('Enter');
      await page.waitForFunction(
        () => document.querySelectorAll('[data-testid="chat-answer"]').length === 2,
      );
      assert((await page.getByTestId('chat-question').count()) === 2, 'not 2 questions');
    },
  );
  await check('interview: after a reload the conversation is still there', async () => {
    const url = page.url();
    await page.reload();
    await page.getByTestId('chat-answer').nth(1).waitFor();
    assert(page.url() === url, 'the URL changed');
    assert((await page.getByTestId('chat-question').count()) === 2, 'questions lost');
    await page
      .getByTestId('conversation-item')
      .first()
      .getByText('What do you think about online banking?')
      .waitFor();
    await page.getByTestId('conversation-item').first().getByText('4 messages').waitFor();
    await page.getByTestId('chat-question').nth(1).getByText('And how much?').waitFor();
  });
  await pageCheck(page, w, 'persona-interview', 'Persona');

  await check('interview: a new conversation starts empty, with suggested questions', async () => {
    await page.getByTestId('new-conversation').click();
    await page.waitForURL(/c=new/);
    await page.getByText(/Start an interview with/).waitFor();
    await page.getByRole('button', { name: 'What worries you most these days?' }).click();
    assert(
      (await page.getByTestId('chat-input').inputValue()) === 'What worries you most these days?',
      'the starter did not fill the composer',
    );
  });

  await check('history: the run it answered in, linked to the run', async () => {
    await page.getByTestId('tab-history').click();
    const row = page.getByTestId('persona-run');
    await row.first().waitFor();
    assert((await row.count()) === 1, 'not one run');
    await row.getByText('Completed').waitFor();
    const link = row.getByRole('link', { name: 'Meal kit concept' });
    assert(
      (await link.getAttribute('href')) === `/tests/${run.test_id}/runs/${run.id}`,
      `link ${await link.getAttribute('href')}`,
    );
  });
  await pageCheck(page, w, 'persona-history', 'Persona');

  // ---------------------------------------------------------------- the editor
  let createdId = '';
  await check('new persona: from the list to the editor', async () => {
    await page.goto(`${BASE}/personas`);
    await page.getByTestId('new-persona').click();
    await page.waitForURL(/\/personas\/new$/);
    await page.getByText('Basics').waitFor();
  });
  await check(
    'editor: an out-of-range age is shown at its field and nothing typed is lost',
    async () => {
      await page.locator('#pf-name').fill('Marta Quintino');
      await page.locator('#pf-age').fill('12');
      await page.locator('#pf-location').fill('Porto, Portugal');
      await page.locator('#pf-occupation').fill('Bakery owner');
      await page.locator('#pf-traits').fill('warm\nstubborn\nearly riser');
      await page.locator('#pf-big_five-openness').selectOption('high');
      await page.locator('#pf-beliefs').fill('Good bread takes time');
      await page.getByTestId('save-persona').click();
      await page.getByTestId('error-age').getByText('The age must be from 18 to 100.').waitFor();
      assert(
        (await page.locator('#pf-age').getAttribute('aria-invalid')) === 'true',
        'age not marked invalid',
      );
      await page.getByTestId('editor-errors').waitFor();
      assert((await page.locator('#pf-name').inputValue()) === 'Marta Quintino', 'name lost');
      assert((await page.locator('#pf-traits').inputValue()).includes('stubborn'), 'traits lost');
      assert(page.url().endsWith('/personas/new'), 'left the editor');
    },
  );
  await pageCheck(page, w, 'editor-invalid', 'New persona');
  await check('editor: with the age fixed, the persona is created and shown', async () => {
    await page.locator('#pf-age').fill('47');
    await page.getByRole('button', { name: 'Add a routine' }).click();
    await page.locator('#pf-routines-0-when').fill('morning');
    await page.locator('#pf-routines-0-what').fill('Opens the bakery at six');
    await page.locator('#pf-tags').fill('porto, food');
    await page.getByTestId('save-persona').click();
    await page.waitForURL(/\/personas\/[0-9a-f-]{36}$/);
    createdId = page.url().split('/').pop();
    await page.getByTestId('persona-name').getByText('Marta Quintino').waitFor();
    await page.getByText('Opens the bakery at six').waitFor();
    await page.getByTestId('big-five-openness').getByText('High').waitFor();
    const p = await api('GET', `/api/personas/${createdId}`, {
      token: owner.token,
    });
    assert(p.demographics.age === 47 && p.type === 'custom', 'not stored as sent');
    assert(p.tags.includes('porto'), 'tags not stored');
  });
  await pageCheck(page, w, 'persona-created', 'Persona');

  await check('edit: the editor opens filled in; a change is saved', async () => {
    await page.getByTestId('edit-persona').click();
    await page.waitForURL(/\/edit$/);
    await page.locator('h1', { hasText: 'Edit persona' }).waitFor();
    assert((await page.locator('#pf-name').inputValue()) === 'Marta Quintino', 'name not loaded');
    assert((await page.locator('#pf-age').inputValue()) === '47', 'age not loaded');
    await page.locator('#pf-occupation').fill('Master baker');
    await page.locator('#pf-tags').fill('porto, food, owner');
    await page.getByTestId('save-persona').click();
    await page.waitForURL(new RegExp(`/personas/${createdId}$`));
    await page
      .getByTestId('persona-header')
      .getByText(/Master baker/)
      .waitFor();
    await page.getByTestId('persona-header').getByText('owner', { exact: true }).waitFor();
  });
  await pageCheck(page, w, 'persona-edited', 'Persona');

  // ---------------------------------------------------------------- generating a panel
  /** The next answer of POST /api/personas/generate (a dry run or a generation). */
  const nextGenerate = () =>
    page.waitForResponse(
      (r) => r.url() === `${BASE}/api/personas/generate` && r.request().method() === 'POST',
      { timeout: 30_000 },
    );
  /** People per value of a pick in a dry run's (or generation's) samples. */
  const countBy = (samples, name) => {
    const out = {};
    for (const s of samples) out[s.picks[name]] = (out[s.picks[name]] ?? 0) + 1;
    return out;
  };
  const same = (a, b) => JSON.stringify(a) === JSON.stringify(b);
  /** An object with its keys in order (to compare counts). */
  const sorted = (o) => Object.fromEntries(Object.entries(o).sort());
  /** The plan on screen matches a dry run: groups with their quantities, countries drawn. */
  async function planShows(dialog, dry) {
    const plan = dialog.getByTestId('sampling-plan');
    await plan
      .getByTestId('plan-summary')
      .getByText(`6 personas in ${dry.plan.groups.length} groups.`)
      .waitFor();
    const quantities = (await plan.getByTestId('plan-group-quantity').allInnerTexts()).map(Number);
    const planned = dry.plan.groups.map((g) => g.quantity).slice(0, 8);
    assert(same(quantities, planned), `groups shown ${quantities}, dry run ${planned}`);
    const shown = {};
    for (const v of await plan
      .getByTestId('plan-dimension-country')
      .getByTestId('plan-value')
      .all())
      shown[await v.getAttribute('data-value')] = Number(await v.getAttribute('data-count'));
    const drawn = countBy(dry.samples, 'country');
    assert(
      same(sorted(shown), sorted(drawn)),
      `countries shown ${JSON.stringify(shown)}, drawn ${JSON.stringify(drawn)}`,
    );
  }
  let dry; // the dry run the dialog showed last
  let dryBody;
  await check("generate: the plan shown is the server's dry run of the targets", async () => {
    await page.goto(`${BASE}/personas`);
    await page.getByTestId('open-generate').click();
    const dialog = page.getByTestId('generate-dialog');
    await dialog.waitFor();
    await dialog.getByTestId('generate-count').fill('6');
    await dialog.getByTestId('generate-age-min').fill('25');
    await dialog.getByTestId('generate-age-max').fill('54');
    await dialog.getByRole('button', { name: 'Brazil' }).click();
    await dialog.getByRole('button', { name: 'Portugal' }).click();
    const description = await dialog.getByTestId('generate-description').innerText();
    assert(
      description.includes('People aged 25-54') && description.includes('Brazil and Portugal'),
      `description: ${description}`,
    );
    await dialog.getByTestId('plan-empty').waitFor();
    assert(await dialog.getByTestId('generate-confirm').isDisabled(), 'generate before a preview');
    const answer = nextGenerate();
    await dialog.getByTestId('generate-preview').click();
    const res = await answer;
    dryBody = res.request().postDataJSON();
    assert(res.status() === 200, `dry run ${res.status()}`);
    assert(
      same(dryBody, { description, count: 6, language: 'en', dry_run: true }),
      `dry run asked ${JSON.stringify(dryBody)}`,
    );
    dry = await res.json();
    assert(dry.dry_run === true && dry.personas.length === 0, 'not a dry run');
    await planShows(dialog, dry);
    await dialog.getByTestId('sampling-plan').getByText(`Seed ${dry.seed}`).waitFor();
    // the same request with its seed plans the same groups (the API, again)
    const again = await api('POST', '/api/personas/generate', {
      token: owner.token,
      body: { ...dryBody, seed: dry.seed },
    });
    assert(same(again.plan, dry.plan), 'the same request and seed planned otherwise');
    assert((await page.getByTestId('generate-result').count()) === 0, 'generated already');
    assert(
      (
        await api('GET', '/api/personas?type=generated', {
          token: owner.token,
        })
      ).total === 0,
      'the dry run added personas',
    );
  });
  await check('generate: changing the targets asks for a new preview', async () => {
    const dialog = page.getByTestId('generate-dialog');
    await dialog.getByTestId('generate-gender').selectOption('women');
    await dialog.getByTestId('plan-stale').waitFor();
    assert((await dialog.getByTestId('sampling-plan').count()) === 0, 'the old plan still shown');
    assert(await dialog.getByTestId('generate-confirm').isDisabled(), 'generate with an old plan');
    const answer = nextGenerate();
    await dialog.getByTestId('generate-preview').click();
    const res = await answer;
    dryBody = res.request().postDataJSON();
    assert(dryBody.description.includes('Women only.'), `asked ${dryBody.description}`);
    dry = await res.json();
    await planShows(dialog, dry);
    await dialog.getByTestId('generate-confirm').getByText('Generate 6 personas').waitFor();
  });
  await pageCheck(page, w, 'generate-plan', 'Personas');
  await check('generate: confirming makes the people the preview showed', async () => {
    const dialog = page.getByTestId('generate-dialog');
    const answer = nextGenerate();
    await dialog.getByTestId('generate-confirm').click();
    const res = await answer;
    const body = res.request().postDataJSON();
    const { dry_run: _, ...request } = dryBody;
    assert(same(body, { ...request, seed: dry.seed }), `generated with ${JSON.stringify(body)}`);
    assert(res.status() === 201, `generate ${res.status()}`);
    const made = await res.json();
    assert(same(made.plan, dry.plan), 'the plan made is not the plan shown');
    await dialog.getByTestId('generate-result').waitFor({ timeout: 30_000 });
    await dialog.getByText('6 personas made (of 6 asked).').waitFor();
    await dialog.getByTestId('generated-card').nth(5).waitFor();
    await dialog.getByTestId('planned-vs-made').getByText('Brazil').first().waitFor();
    // the personas' own countries are the ones the plan drew
    const list = await api('GET', '/api/personas?type=generated&limit=50', {
      token: owner.token,
    });
    const names = { Brasil: 'Brazil' };
    const countries = {};
    for (const p of list.personas) {
      const c = (p.demographics.location ?? '').split(',').pop().trim();
      countries[names[c] ?? c] = (countries[names[c] ?? c] ?? 0) + 1;
    }
    const planned = countBy(dry.samples, 'country');
    assert(
      same(sorted(countries), sorted(planned)),
      `made ${JSON.stringify(countries)}, planned ${JSON.stringify(planned)}`,
    );
  });
  await pageCheck(page, w, 'generate-result', 'Personas');
  await check('generate: the new personas are in the list', async () => {
    await page.getByTestId('generate-show-list').click();
    await page.waitForURL(/type=generated/);
    await page.getByText('6 personas in this workspace').waitFor();
    assert((await page.getByTestId('persona-card').count()) === 6, 'not 6 generated cards');
  });
  await pageCheck(page, w, 'personas-generated', 'Personas');

  // ---------------------------------------------------------------- delete
  await check('delete: asks first, then the persona is gone from the list', async () => {
    await page.goto(`${BASE}/personas/${createdId}`);
    await page.getByTestId('delete-persona').click();
    const dialog = page.getByTestId('delete-persona-dialog');
    await dialog.getByText('Delete Marta Quintino?').waitFor();
    await dialog.getByRole('button', { name: 'Delete persona' }).click();
    await page.waitForURL(/\/personas$/);
    await page.getByTestId('persona-deleted').getByText('Marta Quintino was deleted.').waitFor();
    await page.getByText('9 personas in this workspace').waitFor();
  });
  await pageCheck(page, w, 'persona-deleted', 'Personas');

  // ---------------------------------------------------------------- a phone, Portuguese
  {
    const { page: m, w: mw } = await t.signedInPage(owner.token, `/personas/${first.id}`, {
      viewport: { width: 390, height: 844 },
      deviceScaleFactor: 2,
      isMobile: true,
      hasTouch: true,
    });
    await check('phone: the persona page fits 390 px', async () => {
      await m.getByTestId('persona-name').waitFor();
      await m.getByTestId('persona-profile').waitFor();
      const over = await m.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
      assert(over <= 1, `the page is ${over}px wider than the screen`);
    });
    await pageCheck(m, mw, 'persona-phone', 'Persona');
    await check('phone: the interview works at 390 px', async () => {
      await m.getByTestId('tab-interview').click();
      await m.getByTestId('chat-answer').first().waitFor();
      const over = await m.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
      assert(over <= 1, `the interview is ${over}px wider than the screen`);
    });
    await pageCheck(m, mw, 'persona-interview-phone', 'Persona');
    await m.context().close();
  }
  {
    const { page: pt, w: pw } = await t.signedInPage(owner.token, '/dashboard');
    await check('Portuguese: the persona page is translated', async () => {
      await pt.evaluate(() => localStorage.setItem('crowdelic.lang', 'pt-BR'));
      await pt.goto(`${BASE}/personas/${first.id}`);
      await pt.getByText('Quem é').waitFor();
      await pt.getByTestId('tab-interview').getByText('Entrevista').waitFor();
      await pt.getByTestId('validation-card').getByText('Validação', { exact: true }).waitFor();
      await pt.getByText('Validada em', { exact: false }).first().waitFor();
      assert((await pt.locator('html').getAttribute('lang')) === 'pt-BR', 'html lang');
    });
    await pageCheck(pt, pw, 'persona-pt-BR', 'Persona');
    await pt.context().close();
  }

  // ---------------------------------------------------------------- plan gates (free plan)
  {
    const free = await registerOwner('personas-free');
    const { page: f, w: fw } = await t.signedInPage(free.token, '/personas/new');
    await check(
      'free plan: a new persona is an upgrade prompt, with the gallery as a way',
      async () => {
        await f.getByTestId('editor-gate').getByText('Custom personas need a paid plan').waitFor();
        await f.getByRole('link', { name: 'Upgrade plan' }).waitFor();
        await f.getByRole('link', { name: 'Browse the template gallery' }).waitFor();
      },
    );
    await pageCheck(f, fw, 'editor-gate-free', 'New persona');
    await f.context().close();
  }
} catch (e) {
  t.notOk('the test ran to its end', e);
}
await t.finish();

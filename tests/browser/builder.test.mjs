// tests/browser/builder.test.mjs - the tests area: the empty list, the test
// builder (a message test with two variants, a rating and an open question,
// a criterion made invalid and fixed, Portuguese on a step, the review's
// cost estimate), the list with its filters, one test's page, a run started
// from it, editing and deleting; and the wizard on a 390 px phone.
import { api, assert, BASE, registerOwner, suite } from './lib.mjs';

const t = suite('builder');
const { check, pageCheck } = t;
await t.launch();

const NAME = 'Ad copy: hype or plain';

/** Picks a language from the navbar's menu (again if the first click came while it opened). */
async function switchLanguage(page, label, lang) {
  await page.evaluate(() => window.scrollTo(0, 0));
  for (let attempt = 0; attempt < 3; attempt++) {
    await page.getByTestId('language-switch').click();
    const item = page.getByRole('menuitem', { name: label });
    await item.waitFor();
    await item.click();
    const ok = await page
      .waitForFunction((l) => document.documentElement.lang === l, lang, { timeout: 3000 })
      .then(() => true)
      .catch(() => false);
    if (ok) return;
    await page.keyboard.press('Escape');
  }
  throw new Error(`the language did not switch to ${lang}`);
}

try {
  const owner = await registerOwner('builder');
  const token = owner.token;
  const { templates } = await api('GET', '/api/personas/templates', { token });
  const personas = [];
  for (const tpl of templates.slice(0, 3))
    personas.push(
      await api('POST', '/api/personas', {
        token,
        body: { template_id: tpl.id },
      }),
    );

  // ---------------------------------------------------------------- the empty list
  const { page, w } = await t.signedInPage(token, '/tests');
  await check('/tests: the empty state offers a new test', async () => {
    await page.getByText('No tests yet').waitFor();
    await page.getByTestId('new-test').first().waitFor();
  });
  await pageCheck(page, w, 'tests-empty', 'Tests');

  // ---------------------------------------------------------------- step 1: the type
  await check('"New test" opens the builder at its first step', async () => {
    await page.getByTestId('new-test').first().click();
    await page.waitForURL(/\/tests\/new$/);
    await page.locator('h1', { hasText: 'New test' }).waitFor();
    await page.getByTestId('step-title').getByText('Type').waitFor();
  });
  await check('the type step: Next shows the missing name and type at their fields', async () => {
    // Next is disabled until a type is chosen; the name's check shows once it is left
    assert(await page.getByTestId('wizard-next').isDisabled(), 'Next enabled without a type');
    await page.getByTestId('test-name').focus();
    await page.getByTestId('test-name').blur();
    await page.getByText('Required.').first().waitFor();
  });
  await check('a message test is named and chosen', async () => {
    await page.getByTestId('test-name').fill(NAME);
    await page.getByTestId('type-message').click();
    assert(
      (await page.getByTestId('type-message').getAttribute('aria-checked')) === 'true',
      'message not checked',
    );
  });
  await pageCheck(page, w, 'builder-type', 'New test');

  // ---------------------------------------------------------------- step 2: stimuli and variants
  await check('the stimuli step starts a message test with variants A and B', async () => {
    await page.getByTestId('wizard-next').click();
    await page.getByTestId('step-title').getByText('Stimuli').waitFor();
    assert((await page.getByTestId('variant').count()) === 2, 'not two variants');
  });
  await check('Next with empty stimuli marks each empty field', async () => {
    await page.getByTestId('wizard-next').click();
    await page.getByTestId('step-title').getByText('Stimuli').waitFor();
    assert((await page.getByText('Required.').count()) >= 3, 'the empty fields are not marked');
  });
  await check('a variant is added and removed again', async () => {
    await page.getByTestId('add-variant').click();
    assert((await page.getByTestId('variant').count()) === 3, 'no third variant');
    assert((await page.getByTestId('variant-id').nth(2).inputValue()) === 'C', 'third id not C');
    await page.getByRole('button', { name: 'Remove variant C' }).click();
    assert((await page.getByTestId('variant').count()) === 2, 'the third variant stayed');
  });
  await check('the context and both variants are written', async () => {
    await page.getByTestId('scenario-title').fill('Instagram ad');
    await page
      .getByTestId('scenario-stimulus')
      .fill('An ad in your feed for Stride, a running app with weekly group runs.');
    await page
      .getByTestId('variant-stimulus')
      .nth(0)
      .fill('REVOLUTIONARY! The best running app in the world. Act now! $29.99/month.');
    await page
      .getByTestId('variant-stimulus')
      .nth(1)
      .fill('Plans from 5 km to marathon. A free group run every Saturday. $6/month.');
    assert((await page.getByText('Required.').count()) === 0, 'errors left after filling in');
  });
  await pageCheck(page, w, 'builder-stimuli', 'New test');

  // ---------------------------------------------------------------- step 3: questions
  await check('questions: a rating with its scale and an open question', async () => {
    await page.getByTestId('wizard-next').click();
    await page.getByTestId('step-title').getByText('Questions').waitFor();
    await page.getByTestId('add-question-rating').click();
    await page.getByTestId('add-question-text').click();
    const prompts = page.getByTestId('question-prompt');
    await prompts.nth(0).fill('How appealing is this ad?');
    await page.getByTestId('question-id').nth(0).fill('appeal');
    await page.getByTestId('scale-min').fill('1');
    await page.getByTestId('scale-max').fill('7');
    await prompts.nth(1).fill('What was your first reaction?');
    await page.getByTestId('question-id').nth(1).fill('feeling');
  });
  await check('a scale that ends below its start is refused at its field', async () => {
    await page.getByTestId('scale-max').fill('0');
    await page.getByTestId('scale-max').blur();
    await page.getByText("Must be above the scale's start (1).").waitFor();
    await page.getByTestId('scale-max').fill('7');
    await page.getByText("Must be above the scale's start (1).").waitFor({ state: 'detached' });
  });
  await pageCheck(page, w, 'builder-questions', 'New test');

  // ---------------------------------------------------------------- step 4: the panel
  await check('panel: the three personas are picked', async () => {
    await page.getByTestId('wizard-next').click();
    await page.getByTestId('step-title').getByText('Panel').waitFor();
    await page.getByTestId('persona-option').first().waitFor();
    assert((await page.getByTestId('persona-option').count()) === 3, 'not 3 personas offered');
    await page.getByTestId('select-shown').click();
    await page.getByTestId('selected-count').getByText('3 personas selected').waitFor();
  });
  await check('panel: a generated panel is an upgrade prompt on the free plan', async () => {
    await page.getByTestId('panel-generate').click();
    await page.getByTestId('generate-gate').getByRole('button', { name: 'Upgrade plan' }).waitFor();
    await page.getByTestId('panel-personas').click();
    await page.getByTestId('selected-count').getByText('3 personas selected').waitFor();
  });
  await pageCheck(page, w, 'builder-panel', 'New test');

  // ---------------------------------------------------------------- step 5: parameters
  await check('parameters: a seed and a temperature out of range is flagged', async () => {
    await page.getByTestId('wizard-next').click();
    await page.getByTestId('step-title').getByText('Parameters').waitFor();
    await page.getByTestId('param-seed').fill('7');
    await page.getByTestId('param-temperature').fill('3');
    await page.getByTestId('wizard-next').click();
    await page.getByText('From 0 to 2.').waitFor();
    await page.getByTestId('param-temperature').fill('0.8');
  });
  await pageCheck(page, w, 'builder-parameters', 'New test');

  // ---------------------------------------------------------------- step 6: success criteria
  await check('criteria: a threshold outside the scale is refused inline', async () => {
    await page.getByTestId('wizard-next').click();
    await page.getByTestId('step-title').getByText('Success criteria').waitFor();
    await page.getByTestId('add-criterion').click();
    const c = page.getByTestId('criterion').first();
    assert((await c.getByTestId('criterion-text').innerText()) === 'mean(appeal) >= 5', 'default');
    await c.getByTestId('criterion-value').fill('9');
    await c
      .getByTestId('criterion-error')
      .getByText('9 is outside the scale of “appeal” (1 to 7)')
      .waitFor();
    assert((await c.getAttribute('data-invalid')) === 'true', 'not marked invalid');
  });
  await check('criteria: fixing the threshold clears the error', async () => {
    const c = page.getByTestId('criterion').first();
    await c.getByTestId('criterion-value').fill('4');
    await c.getByTestId('criterion-error').waitFor({ state: 'detached' });
    assert((await c.getByTestId('criterion-text').innerText()) === 'mean(appeal) >= 4', 'text');
  });
  await check('criteria: an expression naming no question is refused at its column', async () => {
    await page.getByTestId('add-criterion').click();
    const c = page.getByTestId('criterion').nth(1);
    await c.getByText('Expression').click();
    await c.getByTestId('criterion-expression').fill('mean(apeal) >= 4');
    await c
      .getByText('Column 6: there is no question “apeal” (questions: appeal, feeling)')
      .waitFor();
    await c.getByTestId('criterion-expression').fill('winner == "B"');
    await c.getByTestId('criterion-error').waitFor({ state: 'detached' });
  });
  await check('Portuguese on a builder step: its labels are translated', async () => {
    await switchLanguage(page, 'Português (Brasil)', 'pt-BR');
    await page.locator('h1', { hasText: 'Novo teste' }).waitFor();
    await page.getByTestId('step-title').getByText('Critérios de sucesso').waitFor();
    await page.getByTestId('add-criterion').getByText('Adicionar critério').waitFor();
  });
  await pageCheck(page, w, 'builder-criteria-pt-BR', 'Novo teste');
  await check('back to English, nothing typed was lost', async () => {
    await switchLanguage(page, 'English', 'en');
    await page.getByTestId('step-title').getByText('Success criteria').waitFor();
    assert((await page.getByTestId('criterion').count()) === 2, 'criteria lost');
    await page.getByTestId('step-stimuli').click();
    assert(
      (await page.getByTestId('variant-stimulus').nth(1).inputValue()).startsWith(
        'Plans from 5 km',
      ),
      'variant B lost going back',
    );
  });

  await check('leaving with unsaved changes asks first; staying keeps them', async () => {
    await page
      .getByRole('navigation', { name: 'Main navigation' })
      .getByRole('link', { name: 'Dashboard' })
      .click();
    await page.getByTestId('leave-dialog').getByText('Leave without saving?').waitFor();
    await page.getByRole('button', { name: 'Stay and keep editing' }).click();
    await page.getByTestId('leave-dialog').waitFor({ state: 'detached' });
    assert(page.url().endsWith('/tests/new'), `left the builder: ${page.url()}`);
    assert((await page.getByTestId('variant').count()) === 2, 'the form was reset');
  });

  // ---------------------------------------------------------------- step 7: review, save, estimate
  let testId = '';
  await check('review: saving the test shows its cost estimate', async () => {
    await page.getByTestId('step-review').click();
    await page.getByTestId('step-title').getByText('Review').waitFor();
    await page.getByTestId('review-name').getByText(NAME).waitFor();
    const saved = page.waitForResponse(
      (r) => r.url().endsWith('/api/tests') && r.request().method() === 'POST',
    );
    await page.getByTestId('save-test').click();
    const res = await saved;
    assert(res.status() === 201, `POST /api/tests answered ${res.status()}`);
    testId = (await res.json()).id;
    await page.getByTestId('estimate').waitFor();
    // 3 personas x 2 variants x 1 sample
    assert((await page.getByTestId('estimate-calls').innerText()).includes('6'), 'calls not 6');
    assert((await page.getByTestId('estimate-personas').innerText()).includes('3'), 'personas');
    await page
      .getByTestId('plan-runs')
      .getByText('Runs are not limited on your Free plan')
      .waitFor();
    await page.getByTestId('run-test').waitFor();
  });
  await check('the saved test is the one built (API)', async () => {
    const test = await api('GET', `/api/tests/${testId}`, { token });
    const s = test.config.scenarios[0];
    assert(test.type === 'message' && s.variants.length === 2, 'type or variants');
    assert(s.questions.map((q) => q.kind).join() === 'rating,text', 'questions');
    assert(s.questions[0].scale.max === 7, 'scale');
    assert(test.config.personas.length === 3 && test.config.seed === 7, 'panel or seed');
    assert(
      test.config.success_criteria.join('|') === 'mean(appeal) >= 4|winner == "B"',
      `criteria ${test.config.success_criteria}`,
    );
  });
  await pageCheck(page, w, 'builder-review', 'New test');

  // ---------------------------------------------------------------- the list
  await check('the list shows the new test, not run yet', async () => {
    await page
      .getByRole('navigation', { name: 'Main navigation' })
      .getByRole('link', { name: 'Tests' })
      .click();
    await page.waitForURL(/\/tests$/);
    const row = page.getByTestId('test-row').filter({ hasText: NAME });
    await row.getByText('Not run yet').waitFor();
    await row.getByText('1 scenario · 2 variants · 2 questions · 3 personas').waitFor();
  });
  await check('list: a type filter is kept in the URL and can be cleared', async () => {
    await page.getByTestId('filter-type').selectOption('journey');
    await page.waitForURL(/[?&]type=journey/);
    await page.getByText('No test matches').waitFor();
    await page.getByRole('button', { name: 'Clear filters' }).first().click();
    await page.getByTestId('test-row').first().waitFor();
    assert(!page.url().includes('type='), 'filter still in the URL');
  });
  await pageCheck(page, w, 'tests-list', 'Tests');

  // ---------------------------------------------------------------- one test, and a run
  await check("the test's page: its spec, its estimate, no run yet", async () => {
    await page.getByRole('link', { name: NAME }).click();
    await page.waitForURL(new RegExp(`/tests/${testId}$`));
    await page.getByTestId('test-name-heading').getByText(NAME).waitFor();
    assert((await page.getByTestId('spec-variant').count()) === 2, 'variants not shown');
    assert((await page.getByTestId('spec-criterion').count()) === 2, 'criteria not shown');
    await page.getByTestId('estimate').waitFor();
    await page.getByText('Not run yet').first().waitFor();
  });
  await pageCheck(page, w, 'test-detail', 'Test');

  await check('Run starts a run and lands on its page', async () => {
    await page.getByTestId('run-test').click();
    await page.waitForURL(new RegExp(`/tests/${testId}/runs/[0-9a-f-]{36}$`));
    const rid = page.url().split('/').pop();
    const run = await api('GET', `/api/tests/${testId}/runs/${rid}`, { token });
    assert(run.id === rid && run.test_id === testId, 'the run is not the API one');
    await page.locator('h1').first().waitFor();
  });

  await check("after the run, the test's page lists it with its link", async () => {
    // the offline model finishes a 6-call run in well under a second
    for (let i = 0; i < 20; i++) {
      const { runs } = await api('GET', `/api/tests/${testId}/runs`, {
        token,
      });
      if (runs[0] && !['queued', 'running'].includes(runs[0].status)) break;
      await new Promise((r) => setTimeout(r, 250));
    }
    await page.goto(`${BASE}/tests/${testId}`);
    const row = page.getByTestId('run-row').first();
    await row.getByText('Completed').waitFor();
    const href = await row.getByRole('link').getAttribute('href');
    assert(new RegExp(`^/tests/${testId}/runs/`).test(href ?? ''), `run link ${href}`);
    await row.getByText('Offline model').waitFor();
  });
  await pageCheck(page, w, 'test-detail-run', 'Test');

  // ---------------------------------------------------------------- edit, then delete
  await check('Edit opens the builder on the saved test, at its review', async () => {
    await page.getByTestId('edit-test').click();
    await page.waitForURL(new RegExp(`/tests/${testId}/edit$`));
    await page.locator('h1', { hasText: 'Edit test' }).waitFor();
    await page.getByTestId('review-name').getByText(NAME).waitFor();
    await page.getByTestId('step-criteria').click();
    assert((await page.getByTestId('criterion').count()) === 2, 'criteria not loaded');
  });
  await check(
    "editing: the API's refusal (a persona deleted since) is shown on its step",
    async () => {
      // deleted behind the builder's back: only the API can tell
      await api('DELETE', `/api/personas/${personas[2].id}`, { token });
      w.allowed.push({ path: `/api/tests/${testId}`, status: 404 });
      await page.getByTestId('step-basics').click();
      await page.getByTestId('test-name').fill(`${NAME} v2`);
      await page.getByTestId('step-review').click();
      await page.getByTestId('save-test').getByText('Save the changes and estimate').click();
      await page.getByTestId('step-title').getByText('Panel').waitFor();
      await page.getByTestId('server-issue').getByText(`no persona '${personas[2].id}'`).waitFor();
    },
  );
  await check(
    'editing: the form kept everything; the deleted persona is taken out, saved',
    async () => {
      assert(
        (await page.getByTestId('selected-count').innerText()) === '3 personas selected',
        'selection changed by the failure',
      );
      await page.getByTestId('drop-missing-persona').click();
      await page.getByTestId('server-issue').waitFor({ state: 'detached' });
      await page.getByTestId('selected-count').getByText('2 personas selected').waitFor();
      await page.getByTestId('step-review').click();
      await page.getByTestId('review-name').getByText(`${NAME} v2`).waitFor();
      await page.getByTestId('save-test').click();
      await page.getByTestId('estimate').waitFor();
      const test = await api('GET', `/api/tests/${testId}`, { token });
      assert(test.name === `${NAME} v2` && test.config.personas.length === 2, 'PUT not applied');
    },
  );
  await pageCheck(page, w, 'builder-edit', 'Edit test');

  const other = await api('POST', '/api/tests', {
    token,
    body: {
      name: 'To be deleted',
      type: 'product',
      config: {
        panel: { templates: 'all' },
        scenarios: [
          {
            id: 'c',
            stimulus: 'A concept',
            questions: [{ id: 'ok', kind: 'yes_no', prompt: 'Would you buy it?' }],
          },
        ],
      },
    },
  });
  await check('Delete asks first, then deletes the test', async () => {
    await page.goto(`${BASE}/tests/${other.id}`);
    await page.getByTestId('delete-test').click();
    await page.getByRole('alertdialog').getByText('“To be deleted” and all its runs').waitFor();
    await page.getByRole('button', { name: 'Keep it' }).click();
    await page.getByRole('alertdialog').waitFor({ state: 'detached' });
    await page.getByTestId('delete-test').click();
    await page.getByTestId('confirm-delete').click();
    await page.waitForURL(/\/tests$/);
    await page
      .getByTestId('test-row')
      .filter({ hasText: `${NAME} v2` })
      .waitFor();
    assert(
      (await page.getByTestId('test-row').filter({ hasText: 'To be deleted' }).count()) === 0,
      'deleted test still listed',
    );
    const res = await fetch(`${BASE}/api/tests/${other.id}`, {
      headers: { Authorization: `Bearer ${token}` },
    });
    assert(res.status === 404, `deleted test answers ${res.status}`);
  });
  await pageCheck(page, w, 'tests-after-delete', 'Tests');

  await check('an unknown test says so and offers a way back', async () => {
    w.allowed.push({ path: '/api/tests/', status: 404 });
    await page.goto(`${BASE}/tests/00000000-0000-4000-8000-000000000000`);
    await page.getByText('Not found').first().waitFor();
    await page.getByRole('button', { name: 'Go back' }).waitFor();
  });
  await pageCheck(page, w, 'test-not-found', 'Test');

  // ---------------------------------------------------------------- the wizard on a phone
  const phone = await t.signedInPage(token, '/tests/new', {
    viewport: { width: 390, height: 844 },
    isMobile: true,
    hasTouch: true,
  });
  const m = phone.page;
  const noOverflow = async (label) => {
    const wide = await m.evaluate(() => document.documentElement.scrollWidth);
    assert(wide <= 390, `${label}: the page is ${wide}px wide`);
  };
  /** Next, then wait for the step it leads to. */
  const nextTo = async (title) => {
    await m.getByTestId('wizard-next').click();
    await m.getByTestId('step-title').getByText(title, { exact: true }).waitFor();
  };
  await check('phone: the builder starts from the product example', async () => {
    await m.locator('h1', { hasText: 'New test' }).waitFor();
    await m.getByText('Step 1 of 7').first().waitFor();
    await m.getByTestId('type-product').click();
    await m.getByTestId('use-example').click();
    assert((await m.getByTestId('test-name').inputValue()) === 'Meal kit concept', 'example name');
    await noOverflow('type step');
  });
  await pageCheck(m, phone.w, 'builder-type-phone', 'New test');
  await check('phone: the questions step fits the screen', async () => {
    await nextTo('Stimuli');
    await nextTo('Questions');
    assert((await m.getByTestId('question').count()) === 4, 'example questions');
    await noOverflow('questions step');
  });
  await pageCheck(m, phone.w, 'builder-questions-phone', 'New test');
  await check('phone: the criteria step keeps the example criteria, valid', async () => {
    await nextTo('Panel');
    await m.getByTestId('panel-templates').click();
    await m.getByText(/template personas take part/).waitFor();
    await nextTo('Parameters');
    await nextTo('Success criteria');
    assert((await m.getByTestId('criterion').count()) === 2, 'example criteria');
    assert((await m.getByTestId('criterion-error').count()) === 0, 'example criteria invalid');
    await noOverflow('criteria step');
  });
  await pageCheck(m, phone.w, 'builder-criteria-phone', 'New test');
  await check('phone: the review saves the test and shows the estimate', async () => {
    await nextTo('Review');
    await m.getByTestId('save-test').click();
    await m.getByTestId('estimate').waitFor();
    await noOverflow('review step');
  });
  await pageCheck(m, phone.w, 'builder-review-phone', 'New test');
  await check('phone: the list and a test page fit the screen', async () => {
    await m.getByTestId('open-test').click();
    await m.getByTestId('test-name-heading').getByText('Meal kit concept').waitFor();
    await noOverflow('test page');
    await m.goto(`${BASE}/tests`);
    await m.getByTestId('test-row').first().waitFor();
    await noOverflow('tests list');
  });
  await pageCheck(m, phone.w, 'tests-phone', 'Tests');
} catch (e) {
  t.notOk('the test ran to its end', e);
}
await t.finish();

// tests/browser/results.test.mjs - one run's page (/tests/:id/runs/:rid): a
// message test's run watched live (paused by the API right after it starts,
// resumed from the page), turning into its results without a reload; the
// distributions, the variants compared, the themes, a persona's answers; the
// CSV export checked against the API's results; Portuguese; a journey's
// funnel; a cancelled run and "Run again"; the results on a phone; and a
// free workspace's upgrade prompts for segments and exports.
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { api, assert, BASE, OUT, registerOwner, suite } from './lib.mjs';

const t = suite('results');
const { check, pageCheck } = t;
await t.launch();

const message = JSON.parse(
  await readFile(new URL('../../examples/message-ab-ad-copy.json', import.meta.url), 'utf8'),
);
const journeyExample = JSON.parse(
  await readFile(new URL('../../examples/journey-bank-onboarding.json', import.meta.url), 'utf8'),
);

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/** Polls the run until `ok(run)` holds (10 s at most). */
async function waitRun(token, testId, runId, ok, what) {
  for (let i = 0; i < 100; i++) {
    const run = await api('GET', `/api/tests/${testId}/runs/${runId}`, {
      token,
    });
    if (ok(run)) return run;
    await sleep(100);
  }
  throw new Error(`run ${runId} never became ${what}`);
}

/**
 * Starts a run of the test and pauses it at once, so the page can watch it:
 * asks again while the worker is still taking it (a pause asked in that
 * moment can be lost - it is noted in the report), and starts over if it
 * finished first.
 */
async function startPaused(token, testId) {
  for (let attempt = 0; attempt < 4; attempt++) {
    const run = await api('POST', `/api/tests/${testId}/run`, { token });
    for (let i = 0; i < 200; i++) {
      const r = await api('GET', `/api/tests/${testId}/runs/${run.id}`, {
        token,
      });
      if (r.status === 'paused') return r;
      if (r.status !== 'queued' && r.status !== 'running') break;
      if (!r.requested)
        await api('POST', `/api/tests/${testId}/runs/${run.id}/pause`, {
          token,
        }).catch(() => {});
      await sleep(50);
    }
  }
  throw new Error('could not pause a run of the test');
}

/** RFC 4180 records of a CSV text (quoted fields may hold commas, quotes and newlines). */
function csvRecords(text) {
  const records = [];
  let field = '';
  let record = [];
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        field += '"';
        i++;
      } else if (c === '"') quoted = false;
      else field += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') {
      record.push(field);
      field = '';
    } else if (c === '\n' || c === '\r') {
      if (c === '\r' && text[i + 1] === '\n') i++;
      record.push(field);
      records.push(record);
      record = [];
      field = '';
    } else field += c;
  }
  if (field !== '' || record.length) {
    record.push(field);
    records.push(record);
  }
  return records;
}

try {
  // ------------------------------------------------------------ set-up by the API
  const owner = await registerOwner('results-owner', {
    company: 'Stride Labs',
  });
  const token = owner.token;
  // exports and segments need advanced_analytics (and the business plan lifts the rate limit)
  await api('POST', '/api/billing/upgrade', {
    token,
    body: { plan: 'business' },
  });
  const { templates } = await api('GET', '/api/personas/templates', { token });
  const personaIds = [];
  for (const tpl of templates.slice(0, 12)) {
    const p = await api('POST', '/api/personas', {
      token,
      body: { template_id: tpl.id },
    });
    personaIds.push(p.id);
  }
  // every template (55 personas x 2 variants, 2 samples each): several steps, a moment to watch
  const msgTest = await api('POST', '/api/tests', {
    token,
    body: { ...message, config: { ...message.config, samples: 2 } },
  });
  const paused = await startPaused(token, msgTest.id);
  const started = paused;
  const runPath = `/tests/${msgTest.id}/runs/${started.id}`;

  // ------------------------------------------------------------ the monitor, paused
  const { page, w } = await t.signedInPage(token, runPath);
  await check('a paused run shows its progress, its status and Resume', async () => {
    await page.getByTestId('run-monitor').waitFor();
    await page.getByTestId('run-progress').waitFor();
    await page
      .getByTestId('progress-count')
      .getByText(`of ${paused.progress.total} answers`)
      .waitFor();
    await page.getByTestId('run-status-line').getByText('Paused').waitFor();
    await page.getByTestId('resume-run').waitFor();
    await page.getByTestId('stream-state').getByText('Live').waitFor();
    assert(
      (await page.getByTestId('run-test-name').innerText()).includes('Running club ad'),
      'the test name is not in the header',
    );
  });
  await check('the breadcrumb leads back to the tests and the test', async () => {
    const crumbs = page.getByRole('navigation', { name: /breadcrumb/i });
    await crumbs.getByRole('link', { name: 'Tests' }).waitFor();
    const href = await crumbs.getByRole('link', { name: 'Test', exact: true }).getAttribute('href');
    assert(href === `/tests/${msgTest.id}`, `test crumb href ${href}`);
  });
  await pageCheck(page, w, 'run-paused', 'Test run');

  // ------------------------------------------------------------ resumed from the page, watched
  let sawProgress = false;
  await check(
    'Resume: the run goes on live and the page turns into the results, no reload',
    async () => {
      await page.evaluate(() => {
        window.__sameDocument = true;
      });
      await page.getByTestId('resume-run').click();
      // progress moves on screen (answers counted, then the results)
      for (let i = 0; i < 120; i++) {
        const text = await page
          .getByTestId('progress-count')
          .innerText({ timeout: 200 })
          .catch(() => '');
        const m = /^([\d,]+) of/.exec(text);
        if (m && Number(m[1].replace(/,/g, '')) > paused.progress.done) sawProgress = true;
        if (await page.getByTestId('run-results').isVisible()) break;
        await sleep(50);
      }
      await page.getByTestId('run-results').waitFor({ timeout: 15_000 });
      assert(await page.evaluate(() => window.__sameDocument === true), 'the page was reloaded');
      assert(page.url().endsWith(runPath), `moved to ${page.url()}`);
      await page
        .getByTestId('run-announce')
        .getByText('The run has completed')
        .waitFor({ state: 'attached' });
    },
  );
  await check('the progress was seen moving (or the run finished within one refresh)', async () => {
    // a very fast worker may finish between two looks; the live feed then still holds answers
    if (!sawProgress) console.log('#   note: the run completed before a partial count was seen');
  });

  await check('results: figures, model and the offline label', async () => {
    await page.getByTestId('stat-respondents').getByText('55').waitFor();
    await page.getByTestId('results-model').getByText('crowdelic-offline').waitFor();
    await page.getByTestId('results-offline-badge').waitFor();
  });
  await check('results: a distribution chart is drawn for every closed question', async () => {
    const charts = page.getByTestId('distribution-chart');
    await charts.first().locator('.recharts-surface').waitFor();
    assert((await charts.count()) === 3, `${await charts.count()} distribution charts`);
    await page.getByTestId('question').first().getByTestId('question-mean').waitFor();
  });
  await check(
    'results: the variants compared, with a winner only when the report names one',
    async () => {
      const report = await api('GET', `/api/tests/${msgTest.id}/runs/${started.id}/report`, {
        token,
      });
      const cards = page.getByTestId('comparison');
      await cards.first().waitFor();
      assert((await cards.count()) === report.comparisons.length, 'comparison count');
      if (report.winner)
        await page.getByTestId('winner').getByText(`Variant ${report.winner} wins`).waitFor();
      else await page.getByTestId('no-winner').getByText('No clear winner').waitFor();
      await cards
        .first()
        .getByText(/come up by chance/)
        .waitFor();
      await cards
        .first()
        .getByText(/Size of the effect/)
        .waitFor();
    },
  );
  await check('results: insights, success criteria, segments and themes', async () => {
    await page.getByTestId('insights-summary').waitFor();
    assert((await page.getByTestId('criterion').count()) === 3, 'not 3 criteria');
    await page.getByTestId('segment-chart').locator('.recharts-surface').waitFor();
    await page.getByTestId('segment-dimensions').getByText('Gender').click();
    await page.getByTestId('segment-chart').getByText('Female').waitFor();
    const themes = page.getByTestId('theme');
    await themes.first().waitFor();
    assert(
      /\d+ mentions?/.test(await themes.first().getByTestId('theme-count').innerText()),
      'count',
    );
  });
  await check("transcripts: choosing a persona shows that persona's answers", async () => {
    const select = page.getByTestId('persona-select');
    await select.waitFor();
    const first = await page.getByTestId('transcript-name').innerText();
    const options = await select.locator('option').allInnerTexts();
    assert(options.length === 55, `${options.length} personas to choose from`);
    await select.selectOption({ index: 3 });
    await page.getByTestId('transcript-name').getByText(options[3]).waitFor();
    assert((await page.getByTestId('transcript-name').innerText()) !== first, 'persona unchanged');
    // both variants of the one scenario, each sample, with the question and the answer
    assert((await page.getByTestId('transcript-unit').count()) === 2, 'not 2 variants');
    await page
      .getByTestId('transcript-answer')
      .first()
      .getByText('How appealing is this ad?')
      .waitFor();
    await page.getByTestId('transcript-talk').first().waitFor();
  });
  await pageCheck(page, w, 'results', 'Test run');

  await check(
    'export CSV: the download has the header and one row per persona x question',
    async () => {
      const [download] = await Promise.all([
        page.waitForEvent('download'),
        page.getByTestId('export-csv').click(),
      ]);
      const file = path.join(OUT, 'results-export.csv');
      await download.saveAs(file);
      assert(/\.csv$/.test(download.suggestedFilename()), `name ${download.suggestedFilename()}`);
      const records = csvRecords(await readFile(file, 'utf8'));
      assert(
        records[0].join(',') ===
          'run_id,persona_id,persona_name,scenario,variant,sample,question_id,question_kind,answer,abandoned,reason,error',
        `header ${records[0].join(',')}`,
      );
      const { results, total } = await api(
        'GET',
        `/api/tests/${msgTest.id}/runs/${started.id}/results?limit=1000`,
        { token },
      );
      assert(results.length === total, 'results not all on one page');
      const expected = results.reduce((n, r) => n + Math.max(1, Object.keys(r.answers).length), 0);
      assert(records.length - 1 === expected, `${records.length - 1} rows, expected ${expected}`);
      assert(
        records.slice(1).every((r) => r[0] === started.id),
        'a row of another run',
      );
      await page.getByTestId('export-saved').waitFor();
    },
  );

  await check('Portuguese: the results page in Brazilian Portuguese', async () => {
    await page.getByTestId('language-switch').click();
    await page.getByRole('menuitem', { name: 'Português (Brasil)' }).click();
    await page.locator('h1', { hasText: 'Execução do teste' }).waitFor();
    await page.getByRole('heading', { name: 'Respostas por pergunta' }).waitFor();
    await page.getByRole('heading', { name: 'Comparação de variantes' }).waitFor();
    await page.getByTestId('export-html').getByText('Relatório HTML').waitFor();
  });
  await pageCheck(page, w, 'results-pt', 'Execução do teste');
  await page.getByTestId('language-switch').click();
  await page.getByRole('menuitem', { name: 'English' }).click();
  await page.context().close();

  // ------------------------------------------------------------ the results on a phone
  const phone = await t.signedInPage(token, runPath, {
    viewport: { width: 390, height: 844 },
  });
  await check('phone: the results fit a 390 px screen', async () => {
    await phone.page.getByTestId('run-results').waitFor({ timeout: 15_000 });
    await phone.page
      .getByTestId('distribution-chart')
      .first()
      .locator('.recharts-surface')
      .waitFor();
    const width = await phone.page.evaluate(() => document.documentElement.scrollWidth);
    assert(width <= 391, `the page is ${width} px wide`);
  });
  await pageCheck(phone.page, phone.w, 'results-phone', 'Test run');
  await phone.ctx.close();

  // ------------------------------------------------------------ a journey's funnel
  const journey = await api('POST', '/api/tests', {
    token,
    body: {
      ...journeyExample,
      config: { ...journeyExample.config, personas: personaIds },
    },
  });
  const jrun = await api('POST', `/api/tests/${journey.id}/run`, { token });
  await waitRun(token, journey.id, jrun.id, (r) => r.status === 'completed', 'completed');
  const j = await t.signedInPage(token, `/tests/${journey.id}/runs/${jrun.id}`);
  await check("journey: the funnel's steps, drop-off and reasons", async () => {
    const steps = j.page.getByTestId('funnel-step');
    await steps.first().waitFor({ timeout: 15_000 });
    assert((await steps.count()) === 4, `${await steps.count()} steps`);
    await steps.first().getByText('Step 1: Download and open').waitFor();
    const report = await api('GET', `/api/tests/${journey.id}/runs/${jrun.id}/report`, { token });
    if (report.funnel.steps.some((s) => s.abandoned > 0)) {
      await j.page
        .getByTestId('funnel-worst')
        .getByText(/The biggest drop-off is at step/)
        .waitFor();
      await j.page.getByText('Why they gave up').first().waitFor();
    }
    assert((await j.page.getByTestId('comparison').count()) === 0, 'a journey has no variants');
  });
  await pageCheck(j.page, j.w, 'journey-results', 'Test run');

  // ------------------------------------------------------------ cancelled, then run again
  await check('a cancelled run says so and "Run again" starts a new run', async () => {
    const again = await startPaused(token, msgTest.id);
    await j.page.goto(`${BASE}/tests/${msgTest.id}/runs/${again.id}`);
    await j.page.getByTestId('cancel-run').click();
    const dialog = j.page.getByTestId('cancel-dialog');
    await dialog.getByText('cannot be resumed').waitFor();
    await dialog.getByRole('button', { name: 'Cancel run' }).click();
    const ended = j.page.getByTestId('run-ended');
    await ended.getByText('This run was cancelled').waitFor();
    await ended.getByText(/It had collected|It had not collected/).waitFor();
    await pageCheck(j.page, j.w, 'run-cancelled', 'Test run');
    if ((await j.page.getByTestId('show-partial').count()) > 0) {
      await j.page.getByTestId('show-partial').click();
      await j.page
        .getByText('Answers collected before the run stopped')
        .waitFor({ timeout: 15_000 });
    }
    await ended.getByTestId('run-again-ended').click();
    await j.page.waitForURL((u) => /\/runs\//.test(u.pathname) && !u.pathname.endsWith(again.id));
    await j.page.getByTestId('run-results').waitFor({ timeout: 15_000 });
  });
  await pageCheck(j.page, j.w, 'run-again', 'Test run');
  await j.ctx.close();

  // ------------------------------------------------------------ a free workspace
  const free = await registerOwner('results-free');
  const freeIds = [];
  for (const tpl of templates.slice(0, 3)) {
    const p = await api('POST', '/api/personas', {
      token: free.token,
      body: { template_id: tpl.id },
    });
    freeIds.push(p.id);
  }
  const freeTest = await api('POST', '/api/tests', {
    token: free.token,
    body: {
      ...message,
      config: { ...message.config, panel: undefined, personas: freeIds },
    },
  });
  const frun = await api('POST', `/api/tests/${freeTest.id}/run`, {
    token: free.token,
  });
  await waitRun(free.token, freeTest.id, frun.id, (r) => r.status === 'completed', 'completed');
  const f = await t.signedInPage(free.token, `/tests/${freeTest.id}/runs/${frun.id}`);
  await check(
    'free plan: segments and exports are upgrade prompts leading to /billing',
    async () => {
      const seg = f.page.getByTestId('segments-upgrade');
      await seg.waitFor({ timeout: 15_000 });
      await seg.getByText('Segment breakdowns need a higher plan').waitFor();
      const exp = f.page.getByTestId('export-upgrade');
      await exp.getByText('Exports need a higher plan').waitFor();
      assert(
        (await f.page.getByTestId('export-csv').count()) === 0,
        'an export button on the free plan',
      );
      assert(
        (await seg.getByRole('link', { name: 'Upgrade plan' }).getAttribute('href')) === '/billing',
        'the upgrade link',
      );
      // the distributions are there all the same
      await f.page.getByTestId('distribution-chart').first().locator('.recharts-surface').waitFor();
    },
  );
  await pageCheck(f.page, f.w, 'results-free', 'Test run');
  await check('free plan: the upgrade prompt opens the billing page', async () => {
    await f.page
      .getByTestId('segments-upgrade')
      .getByRole('link', { name: 'Upgrade plan' })
      .click();
    await f.page.waitForURL(/\/billing$/);
  });
  await f.ctx.close();
} catch (e) {
  t.notOk('the results suite stopped', e);
}
await t.finish();

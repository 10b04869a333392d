import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { Report, Run } from '../../../api/runs';
import { jsonResponse, renderPage } from '../../../test/render';
import journeyJson from './fixtures/journey-report.json';
import messageJson from './fixtures/message-report.json';
import RunPage from './RunPage';

const message = messageJson as unknown as Report;
const journey = journeyJson as unknown as Report;

const run: Run = {
  id: 'r1',
  test_id: 't1',
  status: 'running',
  requested: null,
  seed: 7,
  progress: { done: 0, total: 40 },
  calls: 0,
  cache_hits: 0,
  tokens_in: 0,
  tokens_out: 0,
  cost_usd: 0,
  model: null,
  error: null,
  attempts: 1,
  created_at: '2026-11-26T06:38:40.080Z',
  started_at: '2026-11-26T06:38:40.100Z',
  finished_at: null,
  updated_at: '2026-11-26T06:38:40.100Z',
};

const test = {
  id: 't1',
  name: 'Running club ad: hype or plain',
  type: 'message',
  status: 'running',
  workspace_id: 'w1',
  created_at: run.created_at,
  updated_at: run.created_at,
  config: {
    personas: ['p1'],
    scenarios: [
      {
        id: 'ad',
        title: 'Instagram ad for the Stride running app',
        stimulus: 'An ad',
        variants: [
          { id: 'A', stimulus: 'REVOLUTIONARY!' },
          { id: 'B', stimulus: 'Plans from 5 km' },
        ],
        questions: [
          {
            id: 'appeal',
            kind: 'rating',
            prompt: 'How appealing is this ad?',
            scale: { min: 1, max: 7 },
          },
        ],
      },
    ],
  },
};

function me(plan: 'free' | 'business') {
  return {
    user: {
      id: 'u1',
      email: 'a@b.c',
      company: '',
      role: 'user',
      workspace_id: 'w1',
      api_quota: 60,
      created_at: '',
    },
    workspace: { id: 'w1', name: 'W', plan_type: plan },
    plan: { name: plan, advanced_analytics: plan === 'business' },
    usage: {},
    via_api_key: false,
  };
}

const persona = {
  id: 'p1',
  name: 'Agnieszka Wójcik',
  type: 'template',
  demographics: { age: 30, occupation: 'nurse', location: 'Kraków, Poland' },
};

const result = {
  persona_id: 'p1',
  scenario: 'ad/A',
  sample: 0,
  answers: { appeal: 5, trust: 'yes' },
  thought: 'Let me see.',
  talk: 'It is a reasonable idea.',
  abandoned: false,
  reason: null,
  error: null,
  model: 'crowdelic-offline',
  theme: 'Positive views on social media',
  sentiment: 'positive',
  tokens_in: 1,
  tokens_out: 1,
  cost_usd: 0,
};

function sse(text: string): Response {
  const enc = new TextEncoder();
  const body = new ReadableStream<Uint8Array>({
    start(c) {
      c.enqueue(enc.encode(text));
      c.close();
    },
  });
  return new Response(body, { status: 200, headers: { 'Content-Type': 'text/event-stream' } });
}

interface Opts {
  plan?: 'free' | 'business';
  report?: Report;
  events?: string;
  status?: Run['status'];
  /** the run completes once its stream is read */
  completeOnEvents?: boolean;
}

function server({
  plan = 'business',
  report = message,
  events = '',
  status = 'running',
  completeOnEvents = false,
}: Opts) {
  let current: Run = { ...run, status };
  const calls: string[] = [];
  const fetchMock = vi.fn(async (input: string | URL | Request, init?: RequestInit) => {
    const url = String(input);
    const method = init?.method ?? 'GET';
    calls.push(`${method} ${url}`);
    if (url.endsWith('/events')) {
      if (completeOnEvents)
        current = { ...current, status: 'completed', progress: { done: 40, total: 40 } };
      return sse(events);
    }
    if (url.includes('/report')) return jsonResponse(200, report);
    if (url.includes('/results'))
      return jsonResponse(200, { results: [result], total: 1, limit: 500, offset: 0 });
    if (url.includes('/pause') && method === 'POST') {
      current = { ...current, status: 'paused' };
      return jsonResponse(200, current);
    }
    if (url.includes('/runs/r1')) return jsonResponse(200, current);
    if (url.startsWith('/api/tests/t1')) return jsonResponse(200, test);
    if (url.startsWith('/api/auth/me')) return jsonResponse(200, me(plan));
    if (url.startsWith('/api/personas'))
      return jsonResponse(200, { personas: [persona], total: 1, limit: 200, offset: 0 });
    if (url.startsWith('/api/llm/status'))
      return jsonResponse(200, { provider: 'offline', model: 'crowdelic-offline' });
    return jsonResponse(404, { error: { code: 'not_found', message: url } });
  });
  vi.stubGlobal('fetch', fetchMock);
  return { calls };
}

/** the results are a lazy chunk of many sections: slow in jsdom on a busy machine */
const slow = { timeout: 10_000 };

const route = { route: '/tests/t1/runs/r1', path: '/tests/:testId/runs/:runId' };

// a page of many sections and charts renders slowly in jsdom on a busy machine
vi.setConfig({ testTimeout: 20_000 });

describe('the run page', () => {
  beforeEach(() => {
    localStorage.setItem('crowdelic.token', 'tok');
  });
  afterEach(() => {
    vi.unstubAllGlobals();
  });

  it('shows live progress from the stream', async () => {
    const s = server({
      events:
        'retry: 2000\n\nid: 1\nevent: run_started\ndata: {"personas":20,"total":40}\n\n' +
        'id: 2\nevent: persona_answered\ndata: {"persona_id":"p1","scenario":"ad/A","sample":0,"answers":{"appeal":5},"talk":"It is a reasonable idea.","abandoned":false,"error":null}\n\n' +
        'id: 3\nevent: step_done\ndata: {"done":20,"total":40,"calls":20,"tokens_in":1000,"tokens_out":200,"cost_usd":0.5}\n\n',
    });
    renderPage(<RunPage />, route);
    await screen.findByTestId('run-monitor', {}, slow);
    await waitFor(
      () => expect(screen.getByTestId('progress-count')).toHaveTextContent('20 of 40 answers'),
      slow,
    );
    expect(screen.getByTestId('stat-progress')).toHaveTextContent('50%');
    expect(screen.getByTestId('stat-cost')).toHaveTextContent('$0.50');
    expect(screen.getByTestId('stat-tokens')).toHaveTextContent('1,200');
    const feed = await screen.findByTestId('live-feed', {}, slow);
    expect(within(feed).getByText('It is a reasonable idea.')).toBeInTheDocument();
    await waitFor(
      () => expect(within(feed).getByText('Agnieszka Wójcik')).toBeInTheDocument(),
      slow,
    );
    expect(
      within(feed).getByText('Instagram ad for the Stride running app · variant A'),
    ).toBeInTheDocument();
    // the stream's header carried the token
    const eventsCall = (fetch as unknown as ReturnType<typeof vi.fn>).mock.calls.find((c) =>
      String(c[0]).endsWith('/events'),
    );
    expect((eventsCall?.[1] as RequestInit).headers).toMatchObject({ Authorization: 'Bearer tok' });
    expect(s.calls.some((c) => c.includes('/report'))).toBe(false);
  });

  it('turns into the results when the run completes', async () => {
    const s = server({
      events:
        'id: 1\nevent: run_started\ndata: {"personas":20,"total":40}\n\n' +
        'id: 2\nevent: step_done\ndata: {"done":40,"total":40,"calls":40,"tokens_in":1000,"tokens_out":200,"cost_usd":0}\n\n' +
        'id: 3\nevent: run_completed\ndata: {"status":"completed","error":null}\n\n',
      completeOnEvents: true,
    });
    renderPage(<RunPage />, route);
    expect(await screen.findByTestId('run-monitor', {}, slow)).toBeInTheDocument();
    expect(await screen.findByTestId('run-results', {}, slow)).toBeInTheDocument();
    expect(screen.queryByTestId('run-monitor')).toBeNull();
    expect(s.calls.filter((c) => c.endsWith('/events'))).toHaveLength(1);
    expect(screen.getByTestId('run-announce')).toHaveTextContent('The run has completed');
    expect(screen.getByTestId('results-offline-badge')).toHaveTextContent('Offline model');
    expect(screen.getByTestId('no-winner')).toHaveTextContent('No clear winner');
    expect(screen.getAllByTestId('comparison')).toHaveLength(3);
    expect(screen.getByTestId('insights-summary')).toHaveTextContent(
      'We heard from 20 respondents',
    );
    expect(screen.getAllByTestId('criterion').map((c) => c.getAttribute('data-state'))).toEqual([
      'undecided',
      'passed',
      'failed',
    ]);
    expect(screen.getAllByTestId('theme')).toHaveLength(2);
    expect(screen.getByTestId('export-csv')).toBeInTheDocument();
    await waitFor(
      () => expect(screen.getByTestId('transcript-name')).toHaveTextContent('Agnieszka Wójcik'),
      slow,
    );
    expect(screen.getAllByTestId('transcript-answer')[0]).toHaveTextContent(
      'How appealing is this ad?',
    );
  });

  it('pauses from the page', async () => {
    server({ events: 'id: 1\nevent: run_started\ndata: {"personas":20,"total":40}\n\n' });
    renderPage(<RunPage />, route);
    fireEvent.click(await screen.findByTestId('pause-run', {}, slow));
    expect(await screen.findByTestId('resume-run', {}, slow)).toBeInTheDocument();
    expect(screen.getByTestId('run-status-line')).toHaveTextContent('Paused');
  });

  it('asks before cancelling', async () => {
    server({ events: '' });
    renderPage(<RunPage />, route);
    fireEvent.click(await screen.findByTestId('cancel-run', {}, slow));
    const dialog = await screen.findByTestId('cancel-dialog', {}, slow);
    expect(dialog).toHaveTextContent('cannot be resumed');
    fireEvent.click(within(dialog).getByRole('button', { name: 'Keep running' }));
    await waitFor(() => expect(screen.queryByTestId('cancel-dialog')).toBeNull(), slow);
  });

  it('on a plan without advanced analytics shows upgrade prompts, not broken sections', async () => {
    server({ plan: 'free', status: 'completed', report: journey });
    renderPage(<RunPage />, route);
    expect(await screen.findByTestId('segments-upgrade', {}, slow)).toHaveTextContent(
      'Segment breakdowns need a higher plan',
    );
    expect(await screen.findByTestId('export-upgrade', {}, slow)).toHaveTextContent('Free plan');
    expect(screen.getByTestId('funnel-worst')).toHaveTextContent(
      'The biggest drop-off is at step 3: Identity check',
    );
    expect(screen.getAllByTestId('funnel-step')).toHaveLength(4);
    expect(screen.queryByTestId('variants')).toBeNull();
  });

  it('says what happened to a failed run and offers to run it again', async () => {
    server({ status: 'failed' });
    const failed = {
      ...run,
      status: 'failed',
      error: "the test's timeout passed",
      progress: { done: 10, total: 40 },
    };
    vi.mocked(fetch).mockImplementation(async (input) =>
      String(input).includes('/runs/r1')
        ? jsonResponse(200, failed)
        : String(input).startsWith('/api/tests/t1')
          ? jsonResponse(200, test)
          : jsonResponse(200, {}),
    );
    renderPage(<RunPage />, route);
    const ended = await screen.findByTestId('run-ended', {}, slow);
    expect(ended).toHaveTextContent('This run failed');
    expect(ended).toHaveTextContent("The test's time limit passed");
    expect(ended).toHaveTextContent('It had collected 10 of 40 answers.');
    expect(within(ended).getByTestId('run-again-ended')).toBeInTheDocument();
    expect(within(ended).getByTestId('show-partial')).toBeInTheDocument();
  });
});

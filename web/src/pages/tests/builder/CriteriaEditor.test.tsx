import { fireEvent, screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { useState } from 'react';
import { describe, expect, it } from 'vitest';
import { renderPage } from '../../../test/render';
import { CriteriaEditor } from './CriteriaEditor';
import {
  criteriaEnv,
  criterionForm,
  emptyForm,
  newQuestion,
  newVariant,
  withType,
  type BuilderForm,
} from './form';
import { issuesOf, validateForm } from './validate';

/** Types a whole value at once (as a paste would): keystroke by keystroke is slow in jsdom. */
const type = (el: HTMLElement, value: string) => fireEvent.change(el, { target: { value } });

/** A message test (appeal rated 1 to 7, click yes/no, variants A and B) with the given criteria. */
function form(criteria: string[]): BuilderForm {
  const f = withType({ ...emptyForm(), name: 'Ad', personaIds: ['p'] }, 'message');
  const s = f.scenarios[0]!;
  f.scenarios = [
    {
      ...s,
      stimulus: 'An ad',
      variants: [newVariant('A', 'a'), newVariant('B', 'b')],
      questions: [
        { ...newQuestion('rating', 'appeal', 'How appealing?'), scaleMax: '7' },
        newQuestion('yes_no', 'click', 'Would you tap?'),
      ],
    },
  ];
  const env = criteriaEnv(f);
  f.criteria = criteria.map((c) => criterionForm(c, env));
  return f;
}

function Harness({
  initial,
  server,
}: {
  initial: BuilderForm;
  server?: { path: string; message: string };
}) {
  const [f, setF] = useState(initial);
  return (
    <>
      <CriteriaEditor
        criteria={f.criteria}
        env={criteriaEnv(f)}
        issues={issuesOf(validateForm(f), 'criteria')}
        serverIssue={server ?? null}
        onChange={(criteria) => setF((x) => ({ ...x, criteria }))}
      />
      <output data-testid="texts">{JSON.stringify(f.criteria.map((c) => c.mode))}</output>
    </>
  );
}

describe('CriteriaEditor', () => {
  it('a guided threshold outside the scale is refused inline, and fixing it clears the error', async () => {
    renderPage(<Harness initial={form(['mean(appeal) >= 5'])} />);
    const row = screen.getByTestId('criterion');
    expect(within(row).getByTestId('criterion-text')).toHaveTextContent('mean(appeal) >= 5');
    expect(within(row).queryByRole('alert')).toBeNull();

    const value = within(row).getByTestId('criterion-value');
    type(value, '9');
    expect(within(row).getByRole('alert')).toHaveTextContent(
      '9 is outside the scale of “appeal” (1 to 7): mean(appeal) can never reach it.',
    );
    expect(row).toHaveAttribute('data-invalid', 'true');
    expect(value.closest('[data-invalid]')).not.toBeNull();

    type(value, '4.5');
    expect(within(row).queryByRole('alert')).toBeNull();
    expect(within(row).getByTestId('criterion-text')).toHaveTextContent('mean(appeal) >= 4.5');
  });

  it('an expression is checked as it is typed, at its column', async () => {
    const user = userEvent.setup();
    renderPage(<Harness initial={form(['mean(appeal) >= 4 or winner == "A"'])} />);
    const row = screen.getByTestId('criterion');
    // not a guided shape: it opens as an expression, and guided is offered only when it fits
    const input = within(row).getByTestId('criterion-expression');
    expect(input).toHaveValue('mean(appeal) >= 4 or winner == "A"');
    type(input, 'winner == "C"');
    expect(within(row).getByRole('alert')).toHaveTextContent(
      'Column 11: unknown variant "C" (variants: "A", "B").',
    );
    type(input, 'mean(apeal) >= 4');
    expect(within(row).getByRole('alert')).toHaveTextContent(
      'Column 6: there is no question “apeal” (questions: appeal, click).',
    );
    type(input, 'share(click == "yes") >= 0.5');
    expect(within(row).queryByRole('alert')).toBeNull();
    // now a guided shape: switching shows its fields
    await user.click(within(row).getByText('Guided'));
    expect(within(row).getByTestId('criterion-text')).toHaveTextContent(
      'share(click == "yes") >= 0.5',
    );
    expect(within(row).getByTestId('criterion-percent')).toHaveValue('50');
  });

  it('guided to expression keeps the criterion; criteria are added and removed', async () => {
    const user = userEvent.setup();
    renderPage(<Harness initial={form([])} />);
    expect(screen.getByText(/No success criteria/)).toBeInTheDocument();
    await user.click(screen.getByTestId('add-criterion'));
    const row = screen.getByTestId('criterion');
    expect(within(row).getByTestId('criterion-text')).toHaveTextContent('mean(appeal) >= 5');
    await user.click(within(row).getByText('Expression'));
    expect(within(row).getByTestId('criterion-expression')).toHaveValue('mean(appeal) >= 5');
    await user.click(screen.getByTestId('add-criterion'));
    expect(screen.getAllByTestId('criterion')).toHaveLength(2);
    await user.click(screen.getByRole('button', { name: 'Remove criterion 1' }));
    expect(screen.getAllByTestId('criterion')).toHaveLength(1);
    expect(screen.getByTestId('texts')).toHaveTextContent('["guided"]');
  });

  it('a share of a choice offers its options; winner its variants', async () => {
    const user = userEvent.setup();
    renderPage(<Harness initial={form(['share(click == "yes") >= 0.4'])} />);
    const row = screen.getByTestId('criterion');
    const answer = within(row).getByTestId('criterion-answer');
    expect(
      within(answer)
        .getAllByRole('option')
        .map((o) => o.textContent),
    ).toEqual(['Choose…', 'yes', 'no']);
    await user.selectOptions(within(row).getByTestId('criterion-kind'), 'winner');
    expect(within(row).getByTestId('criterion-text')).toHaveTextContent('winner == "A"');
    await user.selectOptions(within(row).getByTestId('criterion-variant'), 'B');
    expect(within(row).getByTestId('criterion-text')).toHaveTextContent('winner == "B"');
  });

  it("shows the API's refusal of a criterion on it", () => {
    renderPage(
      <Harness
        initial={form(['mean(appeal) >= 4'])}
        server={{ path: 'config.success_criteria[0]', message: 'Column 1: refused by the API' }}
      />,
    );
    expect(screen.getByRole('alert')).toHaveTextContent('Column 1: refused by the API');
  });

  it('speaks Portuguese', () => {
    renderPage(<Harness initial={form(['mean(appeal) >= 9'])} />, { lng: 'pt-BR' });
    expect(screen.getByRole('alert')).toHaveTextContent(
      '9 está fora da escala de “appeal” (de 1 a 7)',
    );
    expect(screen.getByText('Adicionar critério')).toBeInTheDocument();
  });
});

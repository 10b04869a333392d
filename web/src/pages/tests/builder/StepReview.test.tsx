import { screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it, vi } from 'vitest';
import { ApiError } from '../../../api/client';
import { renderPage } from '../../../test/render';
import { EstimateError, EstimateView } from './StepReview';

const estimate = {
  personas: 1200,
  calls: 2402,
  generate_calls: 2,
  tokens_in: 1234567,
  tokens_out: 89000,
  cost_usd: 0.0042,
  model: 'gpt-4o-mini',
  priced: true,
  scenarios: [
    { id: 'a', calls: 1200, tokens_in: 600000, tokens_out: 40000, cost_usd: 0.002 },
    { id: 'b', calls: 1200, tokens_in: 634567, tokens_out: 49000, cost_usd: 0.0022 },
  ],
};

describe('the cost estimate', () => {
  it('shows calls, tokens and cost, each scenario, in the user language', () => {
    renderPage(<EstimateView estimate={estimate} />, { lng: 'pt-BR' });
    expect(screen.getByTestId('estimate-calls')).toHaveTextContent('2.402');
    expect(screen.getByTestId('estimate-calls')).toHaveTextContent(
      'incluindo 2 para gerar personas',
    );
    expect(screen.getByTestId('estimate-tokensIn')).toHaveTextContent('1.234.567');
    expect(screen.getByTestId('estimate-cost')).toHaveTextContent('US$ 0,0042');
    expect(screen.getByText('Com o modelo gpt-4o-mini')).toBeInTheDocument();
    expect(screen.getAllByRole('row')).toHaveLength(3);
  });

  it('a panel that holds nobody is said plainly, with the way to change it', async () => {
    const onPanel = vi.fn();
    const user = userEvent.setup();
    renderPage(
      <EstimateError
        error={
          new ApiError({
            status: 409,
            code: 'conflict',
            field: 'config.panel',
            message: "the test's panel holds no persona: nothing to estimate",
          })
        }
        onRetry={() => {}}
        onPanel={onPanel}
      />,
    );
    expect(screen.getByText('The panel holds nobody right now')).toBeInTheDocument();
    await user.click(screen.getByRole('button', { name: 'Change the panel' }));
    expect(onPanel).toHaveBeenCalled();
  });

  it('any other failure offers to try again', async () => {
    const onRetry = vi.fn();
    const user = userEvent.setup();
    renderPage(
      <EstimateError
        error={new ApiError({ status: 503, code: 'unavailable', message: 'no model' })}
        onRetry={onRetry}
      />,
    );
    expect(screen.getByText('The cost could not be estimated')).toBeInTheDocument();
    await user.click(screen.getByRole('button', { name: 'Try again' }));
    expect(onRetry).toHaveBeenCalled();
  });
});

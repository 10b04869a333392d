import { screen } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { renderPage } from '../test/render';
import { UsageMeter } from './UsageMeter';

describe('UsageMeter', () => {
  it('shows used against the limit, with an accessible progress bar', () => {
    renderPage(
      <UsageMeter label="Personas" meter={{ used: 16, limit: 20, approaching_limit: true }} />,
    );
    expect(screen.getByText('16 of 20')).toBeInTheDocument();
    const bar = screen.getByRole('progressbar');
    expect(bar).toHaveAttribute('aria-valuenow', '80');
    expect(bar).toHaveAccessibleName('Personas: 16 of 20');
  });

  it('an unlimited meter says so, in Portuguese too', () => {
    renderPage(
      <UsageMeter label="Personas" meter={{ used: 1500, limit: null, approaching_limit: false }} />,
      {
        lng: 'pt-BR',
      },
    );
    expect(screen.getByText('1.500 (sem limite)')).toBeInTheDocument();
  });
});

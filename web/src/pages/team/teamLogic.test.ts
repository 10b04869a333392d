import { describe, expect, it } from 'vitest';
import { ApiError } from '../../api/client';
import type { Invite } from '../../api/team';
import type { Plan } from '../../api/types';
import { setupI18n } from '../../i18n';
import {
  firstTeamPlan,
  inviteLink,
  looksLikeEmail,
  openInviteFor,
  seats,
  sortInvites,
  teamErrorMessage,
} from './teamLogic';

const err = (status: number, code: ApiError['code'], message: string, field?: string) =>
  new ApiError({ status, code, message, field });
const i18n = setupI18n('en');
const en = i18n.getFixedT('en');
const pt = i18n.getFixedT('pt-BR');

const invite = (over: Partial<Invite>): Invite => ({
  id: 'i',
  email: 'a@x.com',
  role: 'user',
  status: 'open',
  invited_by: 'u',
  created_at: '2026-11-01T00:00:00Z',
  expires_at: '2026-11-08T00:00:00Z',
  accepted_at: null,
  ...over,
});

describe("the team API's refusals in words (src/domain/members.c)", () => {
  it('the last admin, by role and by removal', () => {
    expect(
      teamErrorMessage(
        err(
          409,
          'conflict',
          "'ana@x.com' is the workspace's last admin: make another member an admin first",
          'role',
        ),
        en,
      ),
    ).toBe("ana@x.com is the workspace's only admin. Make another member an admin first.");
    expect(
      teamErrorMessage(
        err(
          409,
          'conflict',
          "'ana@x.com' is the workspace's last admin and cannot be removed",
          'id',
        ),
        pt,
      ),
    ).toBe('ana@x.com é o único administrador do espaço de trabalho e não pode ser removido.');
  });

  it('an invite to an email with an account, yourself, an accepted invite, an admin-only action', () => {
    expect(
      teamErrorMessage(
        err(409, 'conflict', "email: an account with 'bo@x.com' exists", 'email'),
        en,
      ),
    ).toMatch(/^bo@x.com already has a Crowdelic account/);
    expect(teamErrorMessage(err(409, 'conflict', 'you cannot remove yourself', 'id'), en)).toMatch(
      /cannot remove yourself/,
    );
    expect(
      teamErrorMessage(
        err(409, 'conflict', 'the invite was accepted: remove the member instead', 'id'),
        en,
      ),
    ).toMatch(/already accepted/);
    expect(
      teamErrorMessage(err(403, 'forbidden', 'only a workspace admin may do this', 'role'), en),
    ).toBe('Only an admin of the workspace can do this.');
  });

  it('the seats of the plan, with its name and number', () => {
    expect(
      teamErrorMessage(
        err(
          422,
          'plan_limit',
          'team_members: the business plan allows 3 and the workspace has 3',
          'team_members',
        ),
        en,
      ),
    ).toBe(
      'Your Business plan includes 3 seats, and all are taken (open invitations count). Upgrade or withdraw an invitation.',
    );
    expect(
      teamErrorMessage(
        err(
          422,
          'plan_limit',
          'team_members: the free plan allows 1 and the workspace has 1',
          'team_members',
        ),
        pt,
      ),
    ).toMatch(/^O seu plano Gratuito inclui 1 vaga/);
  });

  it('a bad email, and nothing for what it does not know', () => {
    expect(
      teamErrorMessage(
        err(400, 'invalid_request', "email: 'zz' is not an email address", 'email'),
        en,
      ),
    ).toBe('That is not an email address.');
    expect(teamErrorMessage(err(500, 'internal', 'boom'), en)).toBeNull();
    expect(teamErrorMessage(new Error('x'), en)).toBeNull();
  });
});

describe('the team helpers', () => {
  it('seats: full at the limit, none when unlimited', () => {
    expect(seats({ used: 3, limit: 3, approaching_limit: true })).toEqual({ full: true, free: 0 });
    expect(seats({ used: 1, limit: 3, approaching_limit: false })).toEqual({
      full: false,
      free: 2,
    });
    expect(seats({ used: 9, limit: null, approaching_limit: false })).toEqual({
      full: false,
      free: null,
    });
    expect(seats(undefined).full).toBe(false);
  });

  it('the invite link is the UI page /invite/<token> on this origin', () => {
    expect(inviteLink('https://app.example.com/', 'ab12')).toBe(
      'https://app.example.com/invite/ab12',
    );
  });

  it('invites: open first, newest first; an open invite of an email found in any case', () => {
    const list = [
      invite({ id: 'acc', status: 'accepted', created_at: '2026-11-05T00:00:00Z' }),
      invite({ id: 'old', created_at: '2026-11-01T00:00:00Z' }),
      invite({ id: 'exp', status: 'expired', created_at: '2026-11-06T00:00:00Z' }),
      invite({ id: 'new', email: 'Bo@X.com', created_at: '2026-11-03T00:00:00Z' }),
    ];
    expect(sortInvites(list).map((i) => i.id)).toEqual(['new', 'old', 'exp', 'acc']);
    expect(openInviteFor(list, ' bo@x.com ')?.id).toBe('new');
    expect(openInviteFor(list, '')).toBeUndefined();
    expect(openInviteFor([invite({ status: 'expired' })], 'a@x.com')).toBeUndefined();
  });

  it('the first plan with room for a team names the upgrade', () => {
    const plans = [
      { name: 'free', team_members: 1 },
      { name: 'individual', team_members: 1 },
      { name: 'business', team_members: 3 },
    ] as Plan[];
    expect(firstTeamPlan(plans)).toBe('business');
    expect(firstTeamPlan([{ name: 'enterprise', team_members: null }] as Plan[])).toBe(
      'enterprise',
    );
    expect(firstTeamPlan(undefined)).toBeNull();
  });

  it('looksLikeEmail: a quick check before the API', () => {
    expect(looksLikeEmail(' ana@acme.com ')).toBe(true);
    expect(looksLikeEmail('ana@acme')).toBe(false);
    expect(looksLikeEmail('ana acme.com')).toBe(false);
  });
});

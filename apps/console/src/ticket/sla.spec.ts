import { describe, expect, it } from '@jest/globals';
import { slaState } from './sla';

const created = '2026-12-07T09:00:00.000Z';
const base = {
  status: 'in_progress' as const,
  createdAt: created,
  sla: {
    firstResponseDueAt: '2026-12-07T10:00:00.000Z',
    resolutionDueAt: '2026-12-07T17:00:00.000Z',
    firstRespondedAt: null,
    pausedSince: null,
    breached: { firstResponse: false, resolution: false },
  },
};
const at = (iso: string) => Date.parse(iso);

describe('slaState', () => {
  it('counts down to the first response until there is one', () => {
    const state = slaState(base, at('2026-12-07T09:30:00.000Z'));
    expect(state).toEqual({ level: 'ok', target: 'firstResponse', dueAt: '2026-12-07T10:00:00.000Z', remainingMs: 30 * 60_000 });
  });

  it('is at risk from 75 % of the time to the target, not before', () => {
    expect(slaState(base, at('2026-12-07T09:44:59.000Z')).level).toBe('ok');
    expect(slaState(base, at('2026-12-07T09:45:00.000Z')).level).toBe('warning');
  });

  it('is breached once the due time passes or the API says so', () => {
    expect(slaState(base, at('2026-12-07T10:00:00.000Z')).level).toBe('breached');
    const flagged = { ...base, sla: { ...base.sla, breached: { firstResponse: true, resolution: false } } };
    expect(slaState(flagged, at('2026-12-07T09:10:00.000Z')).level).toBe('breached');
  });

  it('moves to the resolution target after the first response', () => {
    const responded = { ...base, sla: { ...base.sla, firstRespondedAt: '2026-12-07T09:20:00.000Z' } };
    const state = slaState(responded, at('2026-12-07T11:00:00.000Z'));
    expect(state.target).toBe('resolution');
    expect(state.remainingMs).toBe(6 * 3_600_000);
  });

  it('shows a paused clock while the ticket waits on the customer', () => {
    const paused = { ...base, status: 'waiting_on_customer' as const, sla: { ...base.sla, pausedSince: '2026-12-07T09:40:00.000Z' } };
    expect(slaState(paused, at('2026-12-07T09:50:00.000Z')).level).toBe('paused');
  });

  it('has nothing to count for a closed ticket or one not yet triaged', () => {
    expect(slaState({ ...base, status: 'resolved' }, at('2026-12-07T12:00:00.000Z')).level).toBe('done');
    const untriaged = { ...base, status: 'new' as const, sla: { ...base.sla, firstResponseDueAt: null, resolutionDueAt: null } };
    expect(slaState(untriaged, at('2026-12-07T09:01:00.000Z')).level).toBe('none');
  });
});

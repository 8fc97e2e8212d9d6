import { DomainError } from '@helpdesk/http';
import { checkPlanConsistency } from './support-plan.rules';

type Plan = Parameters<typeof checkPlanConsistency>[0];

const plan = { businessHours: [], targets: {}, contactMethods: ['email', 'phone'] as Array<'email' | 'phone' | 'portal' | 'chat'>, contactPoints: [] };

/** The checks read only what they are given: a partial plan, as the service passes the merged one. */
const errorsOf = (input: object) => {
  try {
    checkPlanConsistency(input as Plan);
  } catch (error) {
    expect(error).toBeInstanceOf(DomainError);
    return (error as DomainError).extensions.errors;
  }
  throw new Error('accepted');
};

describe('support plan rules across fields', () => {
  it('give each refusal a code and the params a screen needs to say it in its own words', () => {
    const errors = errorsOf({
      ...plan,
      businessHours: [{ day: 1, start: '10:00', end: '09:00' }],
      targets: { P2: { firstResponseMinutes: 120, resolutionMinutes: 60 } },
      contactPoints: [
        { channel: 'email', address: 'not-an-address', hours: [] },
        { channel: 'chat', address: 'https://chat.example', hours: [] },
      ],
    });
    expect(errors).toEqual([
      { field: 'businessHours.0.end', message: 'end (09:00) must be after start (10:00)', code: 'windowOrder', params: { start: '10:00', end: '09:00' } },
      { field: 'targets.P2.firstResponseMinutes', message: 'must not exceed resolutionMinutes', code: 'targetOrder' },
      { field: 'contactPoints.0.address', message: 'must be an e-mail address for a email contact point', code: 'contactAddress', params: { channel: 'email' } },
      { field: 'contactPoints.1.channel', message: "chat is not one of the plan's contactMethods (email, phone)", code: 'contactChannel', params: { channel: 'chat', methods: ['email', 'phone'] } },
    ]);
  });

  it('names the earlier window an overlapping one meets', () => {
    const errors = errorsOf({ ...plan, businessHours: [{ day: 1, start: '09:00', end: '12:00' }, { day: 1, start: '11:00', end: '13:00' }] });
    expect(errors).toEqual([expect.objectContaining({ field: 'businessHours.1', code: 'windowOverlap', params: { other: 'businessHours.0' } })]);
  });
});

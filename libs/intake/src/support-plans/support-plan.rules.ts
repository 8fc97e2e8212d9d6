import { isEmail, isURL } from 'class-validator';
import { DomainError, DomainErrorCode, FieldError, FieldErrorCode } from '@helpdesk/http';
import { BusinessWindow, ContactMethod, ContactPoint, PlanTargets, PRIORITIES } from './support-plan.entity';

const minutesOf = (hhmm: string): number => {
  const [h, m] = hhmm.split(':').map(Number);
  return h * 60 + m;
};

/** Weekly windows in order and not overlapping (`field` names the list in the errors). */
function windowErrors(windows: BusinessWindow[], field: string): FieldError[] {
  const errors: FieldError[] = [];
  windows.forEach((w, i) => {
    if (minutesOf(w.end) <= minutesOf(w.start)) {
      errors.push({ field: `${field}.${i}.end`, message: `end (${w.end}) must be after start (${w.start})`, code: FieldErrorCode.WindowOrder, params: { start: w.start, end: w.end } });
    }
  });
  for (let i = 0; i < windows.length; i++) {
    for (let j = i + 1; j < windows.length; j++) {
      const a = windows[i];
      const b = windows[j];
      if (a.day === b.day && minutesOf(a.start) < minutesOf(b.end) && minutesOf(b.start) < minutesOf(a.end)) {
        errors.push({
          field: `${field}.${j}`,
          message: `overlaps ${field}.${i} (day ${a.day}: ${a.start}–${a.end} and ${b.start}–${b.end})`,
          code: FieldErrorCode.WindowOverlap,
          params: { other: `${field}.${i}` },
        });
      }
    }
  }
  return errors;
}

/** E.164: a plus, then up to 15 digits (no spaces), the first not 0. */
const E164 = /^\+[1-9]\d{6,14}$/;

/** A contact point's address must suit its channel, and the plan must offer the channel. */
function contactPointErrors(points: ContactPoint[], methods: ContactMethod[]): FieldError[] {
  const errors: FieldError[] = [];
  points.forEach((p, i) => {
    if (!methods.includes(p.channel)) {
      errors.push({
        field: `contactPoints.${i}.channel`,
        message: `${p.channel} is not one of the plan's contactMethods (${methods.join(', ')})`,
        code: FieldErrorCode.ContactChannel,
        params: { channel: p.channel, methods },
      });
    }
    const valid =
      p.channel === 'email' ? isEmail(p.address) : p.channel === 'phone' ? E164.test(p.address) : isURL(p.address, { protocols: ['https'], require_protocol: true });
    if (!valid) {
      const expected = p.channel === 'email' ? 'an e-mail address' : p.channel === 'phone' ? 'a phone number in E.164 form such as +34911234567' : 'an https URL';
      errors.push({ field: `contactPoints.${i}.address`, message: `must be ${expected} for a ${p.channel} contact point`, code: FieldErrorCode.ContactAddress, params: { channel: p.channel } });
    }
    errors.push(...windowErrors(p.hours, `contactPoints.${i}.hours`));
  });
  return errors;
}

/** Rules across fields that DTO decorators cannot see: window order and overlaps, target order, contact points. */
export function checkPlanConsistency(plan: {
  businessHours: BusinessWindow[];
  targets: PlanTargets;
  contactMethods: ContactMethod[];
  contactPoints: ContactPoint[];
}): void {
  const errors: FieldError[] = [...windowErrors(plan.businessHours, 'businessHours')];
  for (const p of PRIORITIES) {
    const t = plan.targets[p];
    if (t && t.firstResponseMinutes > t.resolutionMinutes) {
      errors.push({ field: `targets.${p}.firstResponseMinutes`, message: 'must not exceed resolutionMinutes', code: FieldErrorCode.TargetOrder });
    }
  }
  errors.push(...contactPointErrors(plan.contactPoints, plan.contactMethods));
  if (errors.length) {
    throw new DomainError(DomainErrorCode.Invalid, errors.map((e) => `${e.field}: ${e.message}`).join('; '), { errors });
  }
}

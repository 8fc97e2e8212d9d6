import { DomainError, DomainErrorCode, FieldError } from '@helpdesk/http';
import { BusinessWindow, PlanTargets, PRIORITIES } from './support-plan.entity';

const minutesOf = (hhmm: string): number => {
  const [h, m] = hhmm.split(':').map(Number);
  return h * 60 + m;
};

/** Rules across fields that DTO decorators cannot see: window order and overlaps, target order. */
export function checkPlanConsistency(plan: { businessHours: BusinessWindow[]; targets: PlanTargets }): void {
  const errors: FieldError[] = [];
  plan.businessHours.forEach((w, i) => {
    if (minutesOf(w.end) <= minutesOf(w.start)) {
      errors.push({ field: `businessHours.${i}.end`, message: `end (${w.end}) must be after start (${w.start})` });
    }
  });
  for (let i = 0; i < plan.businessHours.length; i++) {
    for (let j = i + 1; j < plan.businessHours.length; j++) {
      const a = plan.businessHours[i];
      const b = plan.businessHours[j];
      if (a.day === b.day && minutesOf(a.start) < minutesOf(b.end) && minutesOf(b.start) < minutesOf(a.end)) {
        errors.push({
          field: `businessHours.${j}`,
          message: `overlaps businessHours.${i} (day ${a.day}: ${a.start}–${a.end} and ${b.start}–${b.end})`,
        });
      }
    }
  }
  for (const p of PRIORITIES) {
    const t = plan.targets[p];
    if (t && t.firstResponseMinutes > t.resolutionMinutes) {
      errors.push({ field: `targets.${p}.firstResponseMinutes`, message: 'must not exceed resolutionMinutes' });
    }
  }
  if (errors.length) {
    throw new DomainError(DomainErrorCode.Invalid, errors.map((e) => `${e.field}: ${e.message}`).join('; '), { errors });
  }
}

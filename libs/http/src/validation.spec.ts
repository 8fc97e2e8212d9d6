import { ValidationError } from 'class-validator';
import { flattenValidationErrors } from './validation';

const error = (property: string, constraints?: Record<string, string>, children: ValidationError[] = []): ValidationError =>
  Object.assign(new ValidationError(), { property, constraints, children });

describe('flattenValidationErrors', () => {
  it('gives nested fields dotted paths, message prefixed with the path', () => {
    const errors = [
      error('subject', { isLength: 'subject must be shorter than or equal to 200 characters' }),
      error('requester', undefined, [error('email', { isEmail: 'email must be an email' })]),
      error('businessHours', undefined, [error('0', undefined, [error('end', { matches: 'end must be HH:MM' })])]),
    ];
    expect(flattenValidationErrors(errors)).toEqual([
      { field: 'subject', message: 'subject must be shorter than or equal to 200 characters' },
      { field: 'requester.email', message: 'requester.email must be an email' },
      { field: 'businessHours.0.end', message: 'businessHours.0.end must be HH:MM' },
    ]);
  });
});

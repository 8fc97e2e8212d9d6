import { ArgumentMetadata } from '@nestjs/common';
import { Type } from 'class-transformer';
import { ArrayMaxSize, IsEmail, IsEnum, IsIn, IsInt, IsOptional, IsString, Length, Matches, Max, MaxLength, Min, ValidateBy, ValidateNested, ValidationError } from 'class-validator';
import { constraintParams, createValidationPipe, flattenValidationErrors, RequestValidationException } from './validation';

const error = (property: string, constraints?: Record<string, string>, children: ValidationError[] = []): ValidationError =>
  Object.assign(new ValidationError(), { property, constraints, children });

enum Colour {
  Red = 'red',
  Blue = 'blue',
}

const IsEven = () => ValidateBy({ name: 'isEven', validator: { validate: (v: unknown) => typeof v === 'number' && v % 2 === 0, defaultMessage: (a) => `${a?.property} must be even` } });

class HoursDto {
  @Matches(/^\d\d:\d\d$/, { message: 'end must be HH:MM' })
  end: string;
}

class AgentDto {
  @IsString()
  @Length(1, 200)
  name: string;

  @IsEmail()
  email: string;

  @IsOptional()
  @MaxLength(40, { each: true })
  @ArrayMaxSize(3)
  tags?: string[];

  @IsOptional()
  @IsIn(['es', 'en'], { message: 'locale must be one of: es, en' })
  locale?: string;

  @IsOptional()
  @IsEnum(Colour, { each: true })
  colours?: Colour[];

  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(1000)
  cap?: number;

  @IsOptional()
  @IsEven()
  even?: number;

  @IsOptional()
  @ValidateNested({ each: true })
  @Type(() => HoursDto)
  hours?: HoursDto[];
}

const BODY: ArgumentMetadata = { type: 'body', metatype: AgentDto };

/** The field errors the global pipe answers for a body. */
async function refused(body: object) {
  try {
    await createValidationPipe().transform(body, BODY);
  } catch (e) {
    if (e instanceof RequestValidationException) return e.fieldErrors;
    throw e;
  }
  throw new Error('the body was accepted');
}

describe('flattenValidationErrors', () => {
  it('gives nested fields dotted paths, message prefixed with the path', () => {
    const errors = [
      error('subject', { isLength: 'subject must be shorter than or equal to 200 characters' }),
      error('requester', undefined, [error('email', { isEmail: 'email must be an email' })]),
      error('businessHours', undefined, [error('0', undefined, [error('end', { matches: 'end must be HH:MM' })])]),
    ];
    expect(flattenValidationErrors(errors)).toEqual([
      // Without the failing object at hand, the constraint's arguments are unknown: no params.
      { field: 'subject', message: 'subject must be shorter than or equal to 200 characters', code: 'isLength', params: {} },
      { field: 'requester.email', message: 'requester.email must be an email', code: 'isEmail', params: {} },
      { field: 'businessHours.0.end', message: 'businessHours.0.end must be HH:MM', code: 'matches', params: {} },
    ]);
  });
});

describe('the validation pipe’s field errors', () => {
  it('name the constraint and its arguments next to the English message', async () => {
    const errors = await refused({ name: '', email: 'nope', tags: ['a', 'x'.repeat(41), 'b', 'c'], locale: 'fr', colours: ['green'], cap: 1001, even: 3 });
    expect(errors).toEqual(
      expect.arrayContaining([
        { field: 'name', message: 'name must be longer than or equal to 1 characters', code: 'isLength', params: { min: 1, max: 200 } },
        { field: 'email', message: 'email must be an email', code: 'isEmail', params: {} },
        { field: 'tags', message: 'each value in tags must be shorter than or equal to 40 characters', code: 'maxLength', params: { max: 40, each: true } },
        { field: 'tags', message: 'tags must contain no more than 3 elements', code: 'arrayMaxSize', params: { max: 3 } },
        { field: 'locale', message: 'locale must be one of: es, en', code: 'isIn', params: { values: ['es', 'en'] } },
        { field: 'colours', message: 'each value in colours must be one of the following values: red, blue', code: 'isEnum', params: { values: ['red', 'blue'], each: true } },
        { field: 'cap', message: 'cap must not be greater than 1000', code: 'max', params: { max: 1000 } },
        { field: 'even', message: 'even must be even', code: 'isEven', params: {} },
      ]),
    );
    expect(errors).toHaveLength(8);
  });

  it('names a minimum, a nested field’s constraint and a field the DTO does not have', async () => {
    const errors = await refused({ name: 'Ana', email: 'ana@example.com', cap: -1, hours: [{ end: '9' }], extra: 1 });
    expect(errors).toEqual(
      expect.arrayContaining([
        { field: 'cap', message: 'cap must not be less than 0', code: 'min', params: { min: 0 } },
        { field: 'hours.0.end', message: 'hours.0.end must be HH:MM', code: 'matches', params: {} },
        { field: 'extra', message: 'property extra should not exist', code: 'whitelistValidation', params: {} },
      ]),
    );
    expect(errors).toHaveLength(3);
  });

  it('lets a valid body through', async () => {
    await expect(createValidationPipe().transform({ name: 'Ana', email: 'ana@example.com', locale: 'es', cap: 3 }, BODY)).resolves.toBeInstanceOf(AgentDto);
  });
});

describe('constraintParams', () => {
  it('names the arguments a message needs and leaves out those not given', () => {
    expect(constraintParams('isLength', [3, undefined])).toEqual({ min: 3 });
    expect(constraintParams('arrayMinSize', [1])).toEqual({ min: 1 });
    expect(constraintParams('isIn', [['a', 'b']], true)).toEqual({ values: ['a', 'b'], each: true });
    expect(constraintParams('matches', [/x/])).toEqual({});
  });
});

import { ValidateIf } from 'class-validator';

/**
 * `@IsOptional()` for a field that may be left out but is never null. class-validator's
 * IsOptional skips null too, so `{"position": null}` or `{"anyKeywords": null}` went through
 * unchecked: to a NOT NULL column (a 500) or into a stored rule the engine then tripped over.
 * A null here is validated, and refused, like any other wrong value.
 */
export const IsOmittable = (): PropertyDecorator => ValidateIf((_object, value) => value !== undefined);

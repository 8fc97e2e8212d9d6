import { ArgumentMetadata, BadRequestException, ValidationError, ValidationPipe } from '@nestjs/common';
import { getMetadataStorage } from 'class-validator';
import { FieldError } from './problem';
import { cacheValidationMetadata } from './validation-metadata-cache';

/** Thrown by the global ValidationPipe; carries one entry per failing field (dotted paths). */
export class RequestValidationException extends BadRequestException {
  constructor(readonly fieldErrors: FieldError[]) {
    super(fieldErrors.map((e) => `${e.field}: ${e.message}`).join('; '));
  }
}

/** The arguments of a constraint, by position, under the names a message uses. */
const PARAM_NAMES: Record<string, readonly string[]> = {
  isLength: ['min', 'max'],
  minLength: ['min'],
  maxLength: ['max'],
  min: ['min'],
  max: ['max'],
  arrayMinSize: ['min'],
  arrayMaxSize: ['max'],
  isIn: ['values'],
};

/** The arguments a decorator gave the failing constraint (`@Length(1, 200)`: [1, 200]) and whether it applies to each item. */
function constraintOf(error: ValidationError, code: string): { constraints: unknown[]; each: boolean } | null {
  const target = error.target as object | undefined;
  if (!target || typeof target !== 'object' || Array.isArray(target)) return null;
  const metadata = getMetadataStorage()
    .getTargetValidationMetadatas(target.constructor, '', true, false)
    .find((m) => m.propertyName === error.property && (m.name === code || m.type === code));
  return metadata ? { constraints: (metadata.constraints ?? []) as unknown[], each: metadata.each === true } : null;
}

/** What a message about the constraint needs to say: `{min, max}`, `{values}`, `each`. */
export function constraintParams(code: string, constraints: unknown[], each = false): Record<string, unknown> {
  const params: Record<string, unknown> = {};
  if (code === 'isEnum') {
    // @IsEnum(entity) keeps the entity and its valid values.
    const values = Array.isArray(constraints[1]) ? constraints[1] : constraints[0] && typeof constraints[0] === 'object' ? Object.values(constraints[0]) : undefined;
    if (values) params.values = values;
  } else {
    (PARAM_NAMES[code] ?? []).forEach((name, index) => {
      if (constraints[index] !== undefined && constraints[index] !== null) params[name] = constraints[index];
    });
  }
  if (each) params.each = true;
  return params;
}

export function flattenValidationErrors(errors: ValidationError[], parent = ''): FieldError[] {
  const out: FieldError[] = [];
  for (const error of errors) {
    const field = parent ? `${parent}.${error.property}` : error.property;
    for (const [code, message] of Object.entries(error.constraints ?? {})) {
      const constraint = constraintOf(error, code);
      out.push({
        field,
        // class-validator prefixes nested messages with the property name; use the full path instead.
        message: message.startsWith(`${error.property} `) ? `${field}${message.slice(error.property.length)}` : message,
        code,
        params: constraintParams(code, constraint?.constraints ?? [], constraint?.each),
      });
    }
    if (error.children?.length) out.push(...flattenValidationErrors(error.children, field));
  }
  return out;
}

/**
 * A DTO's compiled check: for a value it is sure passes, the DTO the ValidationPipe would make of it
 * (the same class, the same properties and values); otherwise null, and the pipe (class-transformer,
 * class-validator) decides, so every error is still the pipe's. A check may answer null for values
 * that pass: it is a shortcut for the common shapes of a hot route's query, not a second set of rules.
 */
export type CompiledCheck<T> = (value: Record<string, unknown>) => T | null;

const COMPILED_CHECKS = new WeakMap<object, CompiledCheck<unknown>>();

/** On a DTO class: the ValidationPipe tries `check` first (see CompiledCheck). */
export function CompiledCheck<T>(check: CompiledCheck<T>): ClassDecorator {
  return (target) => void COMPILED_CHECKS.set(target, check);
}

/**
 * A plain object (a JSON body, a query string's parse): what a compiled check may read. Fastify's query
 * parser (fast-querystring) gives objects whose prototype is an empty object without a prototype.
 */
function isPlainRecord(value: unknown): value is Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  const proto = Object.getPrototypeOf(value) as object | null;
  if (proto === Object.prototype || proto === null) return true;
  return Object.getPrototypeOf(proto) === null && Reflect.ownKeys(proto).length === 0;
}

/** The global pipe: a DTO's compiled check when it has one and is sure, else class-transformer and class-validator. */
class CheckedValidationPipe extends ValidationPipe {
  override async transform(value: unknown, metadata: ArgumentMetadata): Promise<unknown> {
    const check = metadata.metatype ? COMPILED_CHECKS.get(metadata.metatype) : undefined;
    if (check && isPlainRecord(value)) {
      const dto = check(value);
      if (dto !== null) return dto;
    }
    return super.transform(value, metadata);
  }
}

/** whitelist + forbidNonWhitelisted + transform, with problem+json field errors. `compiledChecks: false`: the pipe alone (tests compare the two). */
export function createValidationPipe(options: { compiledChecks?: boolean } = {}): ValidationPipe {
  cacheValidationMetadata();
  return new (options.compiledChecks === false ? ValidationPipe : CheckedValidationPipe)({
    whitelist: true,
    forbidNonWhitelisted: true,
    transform: true,
    stopAtFirstError: false,
    // The failing object goes with each error, so that a field error can name its constraint's arguments.
    validationError: { target: true },
    exceptionFactory: (errors) => new RequestValidationException(flattenValidationErrors(errors)),
  });
}

import { ArgumentMetadata, ValidationError, ValidationPipe } from '@nestjs/common';
import { plainToInstance } from 'class-transformer';
import { validate, type ValidatorOptions } from 'class-validator';
import { ApiError, ProblemFieldError } from './problem-details.filter';

/** What a body must be to pass: its DTO's fields, nothing unknown, nothing of the wrong type. */
const BODY_RULES: ValidatorOptions = {
  whitelist: true,
  forbidNonWhitelisted: true,
  forbidUnknownValues: true,
  validationError: { target: false, value: false },
};

/**
 * Checks one item of a batch body against its DTO as the pipe checks a whole body (so each item
 * of a batch fails on its own): the item as its DTO, or its errors by field.
 */
export async function validateItem<T extends object>(
  dto: new () => T,
  value: unknown,
): Promise<{ item: T; errors: [] } | { item: null; errors: ProblemFieldError[] }> {
  if (typeof value !== 'object' || value === null || Array.isArray(value))
    return { item: null, errors: [{ field: 'body', message: 'must be a JSON object' }] };
  const item = plainToInstance(dto, value);
  const errors = flattenValidationErrors(await validate(item, BODY_RULES));
  return errors.length ? { item: null, errors } : { item, errors: [] };
}

/** `bankAccounts[0].iban` from class-validator's nested errors. */
export function flattenValidationErrors(
  errors: readonly ValidationError[],
  parent = '',
): ProblemFieldError[] {
  return errors.flatMap((error) => {
    const field = /^\d+$/.test(error.property)
      ? `${parent}[${error.property}]`
      : parent
        ? `${parent}.${error.property}`
        : error.property;
    const own = Object.values(error.constraints ?? {}).map((message) => ({
      field,
      message: message.replace(/^property \S+ should not exist$/, 'unknown field'),
    }));
    return [...own, ...flattenValidationErrors(error.children ?? [], field)];
  });
}

/** A DTO-validated body must be there (`{}` is a body; none at all is not). */
class ApiValidationPipe extends ValidationPipe {
  override async transform(value: unknown, metadata: ArgumentMetadata): Promise<unknown> {
    if (
      metadata.type === 'body' &&
      value === undefined &&
      typeof metadata.metatype === 'function' &&
      metadata.metatype !== Object
    )
      throw new ApiError('validation_failed', 'the request needs a JSON body (application/json)', [
        { field: 'body', message: 'required' },
      ]);
    return super.transform(value, metadata);
  }
}

/** Validates bodies and queries against their DTOs: unknown fields and wrong types answer 400. */
export function apiValidationPipe(): ValidationPipe {
  return new ApiValidationPipe({
    ...BODY_RULES,
    transform: true,
    exceptionFactory: (errors) => {
      const fields = flattenValidationErrors(errors);
      return new ApiError(
        'validation_failed',
        fields.map((f) => `${f.field}: ${f.message}`).join('; '),
        fields,
      );
    },
  });
}

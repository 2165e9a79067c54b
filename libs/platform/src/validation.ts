import { ArgumentMetadata, ValidationError, ValidationPipe } from '@nestjs/common';
import { ApiError, ProblemFieldError } from './problem-details.filter';

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
    whitelist: true,
    forbidNonWhitelisted: true,
    transform: true,
    forbidUnknownValues: true,
    validationError: { target: false, value: false },
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

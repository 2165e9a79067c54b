export * from './validation-result';
export * from './company-code';
export * from './personal-code';
export * from './vat-code';
export * from './iban';
export * from './country';
export * from './name';

export * from './amount-in-words';
export * from './invoice';
export * from './invoice-error';
export * from './invoice-totals';
export * from './money';
export * from './party';
export * from './vat-rates';

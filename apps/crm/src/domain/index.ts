export * from './crm-error';
export * from './definitions';
export * from './relationship';
export * from './activities';
export * from './field-rules';
export * from './reviews';
export * from './tasks';
export * from './relationship-record';

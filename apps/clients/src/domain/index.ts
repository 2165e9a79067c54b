export * from './client-commands';
export * from './client-error';
export * from './client-rules';
export * from './client-state';
export * from './decide';
export * from './merge';
export * from './client-snapshot';

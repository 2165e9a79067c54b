export * from './event-envelope';
export * from './topics';
export * from './client-events';
export * from './operations';
export * from './client-event-schemas';
export * from './import-events';
export * from './event-registry';
export * from './type-checks';

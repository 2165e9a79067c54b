export * from './event-envelope';
export * from './topics';
export * from './client-events';
export * from './operations';

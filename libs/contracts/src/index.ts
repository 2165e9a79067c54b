export * from './event-envelope';
export * from './topics';

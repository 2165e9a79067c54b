export * from './errors';
export * from './event-store';
export * from './outbox-relay';
export * from './projection-runner';
export * from './versioned-documents';
export * from './kafka-topics';
export * from './retries';
export * from './bulk-writes';

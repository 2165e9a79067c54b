export * from './crm-error';
export * from './definitions';
export * from './relationship';
export * from './activities';

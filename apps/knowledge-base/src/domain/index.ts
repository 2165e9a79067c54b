export * from './article';
export * from './kb-error';
export * from './lithuanian';

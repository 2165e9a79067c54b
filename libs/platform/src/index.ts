export * from './bootstrap';
export * from './correlation';
export * from './infrastructure-health';
export * from './infrastructure.module';
export * from './internal-health.controller';
export * from './logging';
export * from './service-config';
export * from './service-core.module';

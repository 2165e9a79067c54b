import { DynamicModule, Module } from '@nestjs/common';
import { InfrastructureHealth } from './infrastructure-health';
import { InfrastructureModule } from './infrastructure.module';
import { InternalHealthController } from './internal-health.controller';
import { loggingModule } from './logging';
import { ServiceConfig } from './service-config';

/**
 * What every service has: structured logs, MongoDB, Kafka and `GET /internal/health`. The gateway
 * has all but the last: nothing under `/internal` is served to the outside.
 */
@Module({})
export class ServiceCoreModule {
  static forService(config: ServiceConfig, options: { internalHealth?: boolean } = {}): DynamicModule {
    return {
      module: ServiceCoreModule,
      imports: [loggingModule(config.serviceName), InfrastructureModule.forService(config)],
      controllers: options.internalHealth === false ? [] : [InternalHealthController],
      providers: [InfrastructureHealth],
      exports: [InfrastructureHealth],
    };
  }
}

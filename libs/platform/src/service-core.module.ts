import { DynamicModule, Module } from '@nestjs/common';
import { InfrastructureHealth } from './infrastructure-health';
import { InfrastructureModule } from './infrastructure.module';
import { InternalHealthController } from './internal-health.controller';
import { loggingModule } from './logging';
import { ServiceConfig } from './service-config';

/** What every service has: structured logs, MongoDB, Kafka and `GET /internal/health`. */
@Module({})
export class ServiceCoreModule {
  static forService(config: ServiceConfig): DynamicModule {
    return {
      module: ServiceCoreModule,
      imports: [loggingModule(config.serviceName), InfrastructureModule.forService(config)],
      controllers: [InternalHealthController],
      providers: [InfrastructureHealth],
      exports: [InfrastructureHealth],
    };
  }
}

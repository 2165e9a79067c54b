import { DynamicModule, Module } from '@nestjs/common';
import { InfrastructureHealth } from './infrastructure-health';
import { InfrastructureModule } from './infrastructure.module';
import { InternalHealthController } from './internal-health.controller';
import { loggingModule } from './logging';
import { PROBLEM_CODES, ProblemCodes } from './problem-details.filter';
import { ServiceConfig } from './service-config';

/**
 * What every service has: structured logs, MongoDB, Kafka and `GET /internal/health`. The gateway
 * has all but the last: nothing under `/internal` is served to the outside. `problemCodes` are the
 * service's own error codes and their statuses, besides the common ones.
 */
@Module({})
export class ServiceCoreModule {
  static forService(
    config: ServiceConfig,
    options: { internalHealth?: boolean; problemCodes?: ProblemCodes } = {},
  ): DynamicModule {
    return {
      module: ServiceCoreModule,
      imports: [loggingModule(config), InfrastructureModule.forService(config)],
      controllers: options.internalHealth === false ? [] : [InternalHealthController],
      providers: [InfrastructureHealth, { provide: PROBLEM_CODES, useValue: options.problemCodes ?? {} }],
      exports: [InfrastructureHealth, PROBLEM_CODES],
    };
  }
}

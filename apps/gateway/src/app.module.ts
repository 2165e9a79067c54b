import { DynamicModule, Module } from '@nestjs/common';
import { ServiceCoreModule } from '@clientbook/platform';
import { GATEWAY_CONFIG, GatewayConfig } from './gateway-config';
import { HealthController } from './health/health.controller';

@Module({})
export class GatewayModule {
  static forConfig(config: GatewayConfig): DynamicModule {
    return {
      module: GatewayModule,
      imports: [ServiceCoreModule.forService(config)],
      controllers: [HealthController],
      providers: [{ provide: GATEWAY_CONFIG, useValue: config }],
    };
  }
}

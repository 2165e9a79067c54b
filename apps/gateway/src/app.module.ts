import { DynamicModule, Module } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { ThrottlerModule } from '@nestjs/throttler';
import { ServiceCoreModule } from '@clientbook/platform';
import { ApiKeysController } from './api-keys/api-keys.controller';
import { ApiKeys } from './api-keys/api-keys.repository';
import { AuthGuard } from './auth/auth.guard';
import { RateLimitGuard } from './auth/rate-limit.guard';
import { GATEWAY_CONFIG, GatewayConfig, OPERATOR_KEY_DIGEST } from './gateway-config';
import { HealthController } from './health/health.controller';
import { ServiceClient } from './proxy/service-client';
import { ServiceProxyController } from './proxy/service-proxy.controller';
import { TenantsController } from './tenants/tenants.controller';

@Module({})
export class GatewayModule {
  static forConfig(config: GatewayConfig, operatorKeyDigest: Buffer): DynamicModule {
    return {
      module: GatewayModule,
      imports: [
        ServiceCoreModule.forService(config),
        ThrottlerModule.forRoot([{ name: 'default', ttl: 60_000, limit: config.rateLimitPerMinute }]),
      ],
      controllers: [HealthController, TenantsController, ApiKeysController, ServiceProxyController],
      providers: [
        { provide: GATEWAY_CONFIG, useValue: config },
        { provide: OPERATOR_KEY_DIGEST, useValue: operatorKeyDigest },
        ApiKeys,
        ServiceClient,
        // Authentication first: the rate limit counts per key.
        { provide: APP_GUARD, useClass: AuthGuard },
        { provide: APP_GUARD, useClass: RateLimitGuard },
      ],
    };
  }
}

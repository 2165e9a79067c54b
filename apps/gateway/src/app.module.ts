import { DynamicModule, Module } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { ThrottlerModule } from '@nestjs/throttler';
import { ServiceCoreModule } from '@clientbook/platform';
import { ApiKeysController } from './api-keys/api-keys.controller';
import { ApiKeys } from './api-keys/api-keys.repository';
import { AuthGuard } from './auth/auth.guard';
import { AuthFailures } from './auth/auth-failures';
import { RateLimitGuard, THROTTLERS } from './auth/rate-limit.guard';
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
        ServiceCoreModule.forService(config, { internalHealth: false }),
        ThrottlerModule.forRoot([
          { name: THROTTLERS.key, ttl: 60_000, limit: config.rateLimitPerMinute },
          { name: THROTTLERS.tenant, ttl: 60_000, limit: config.tenantRateLimitPerMinute },
        ]),
      ],
      controllers: [HealthController, TenantsController, ApiKeysController, ServiceProxyController],
      providers: [
        { provide: GATEWAY_CONFIG, useValue: config },
        { provide: OPERATOR_KEY_DIGEST, useValue: operatorKeyDigest },
        ApiKeys,
        AuthFailures,
        ServiceClient,
        // Authentication first: the rate limit counts per key.
        { provide: APP_GUARD, useClass: AuthGuard },
        { provide: APP_GUARD, useClass: RateLimitGuard },
      ],
    };
  }
}

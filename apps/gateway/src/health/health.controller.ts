import { Controller, Get, HttpStatus, Inject, Res } from '@nestjs/common';
import { SkipThrottle } from '@nestjs/throttler';
import { ApiOkResponse, ApiOperation, ApiServiceUnavailableResponse, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { InfrastructureHealth, PartStatus } from '@clientbook/platform';
import { Access } from '../auth/access';
import { GATEWAY_CONFIG, GatewayConfig } from '../gateway-config';

async function serviceAnswers(baseUrl: string, timeoutMs: number): Promise<PartStatus> {
  try {
    const response = await fetch(`${baseUrl}/internal/health`, { signal: AbortSignal.timeout(timeoutMs) });
    return response.ok ? 'up' : 'down';
  } catch {
    return 'down';
  }
}

@ApiTags('health')
@Access('public')
@SkipThrottle()
@Controller('health')
export class HealthController {
  constructor(
    private readonly infrastructure: InfrastructureHealth,
    @Inject(GATEWAY_CONFIG) private readonly config: GatewayConfig,
  ) {}

  @Get()
  @ApiOperation({ summary: 'Whether the gateway, every service, Kafka and MongoDB answer (no auth)' })
  @ApiOkResponse({ description: 'Every part answers: `{ "status": "up", "parts": { "<part>": "up" } }`' })
  @ApiServiceUnavailableResponse({ description: 'Some part does not answer; `parts` names it `down`' })
  async check(@Res() response: Response): Promise<void> {
    const services = Object.entries(this.config.services);
    const [infrastructure, ...serviceStatus] = await Promise.all([
      this.infrastructure.check(),
      ...services.map(([, url]) => serviceAnswers(url, 2000)),
    ]);
    const parts: Record<string, PartStatus> = {
      gateway: 'up',
      ...Object.fromEntries(services.map(([name], i) => [name, serviceStatus[i]])),
      ...infrastructure,
    };
    const down = Object.entries(parts)
      .filter(([, status]) => status === 'down')
      .map(([name]) => name);
    response
      .status(down.length ? HttpStatus.SERVICE_UNAVAILABLE : HttpStatus.OK)
      .json(
        down.length
          ? { status: 'down', parts, detail: `not answering: ${down.join(', ')}` }
          : { status: 'up', parts },
      );
  }
}

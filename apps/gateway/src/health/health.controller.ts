import { Controller, Get, HttpStatus, Inject, Res } from '@nestjs/common';
import {
  ApiOkResponse,
  ApiOperation,
  ApiServiceUnavailableResponse,
  ApiTags,
  ApiTooManyRequestsResponse,
} from '@nestjs/swagger';
import type { Response } from 'express';
import { InfrastructureHealth, PartStatus } from '@clientbook/platform';
import { Access } from '../auth/access';
import { GATEWAY_CONFIG, GatewayConfig } from '../gateway-config';

/** How long one look at every part answers `/health`: a flood of calls costs the parts one call a second. */
const HEALTH_CACHE_MS = 1_000;

type HealthReport = {
  status: 'up' | 'down';
  parts: Record<string, PartStatus>;
  checkedAt: string;
  detail?: string;
};

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
@Controller('health')
export class HealthController {
  private latest: { at: number; report: Promise<HealthReport> } | null = null;

  constructor(
    private readonly infrastructure: InfrastructureHealth,
    @Inject(GATEWAY_CONFIG) private readonly config: GatewayConfig,
  ) {}

  @Get()
  @ApiOperation({
    summary: 'Whether the gateway, every service, Kafka and MongoDB answer (no auth)',
    description: 'Looked at most once a second; `checkedAt` says when. Rate-limited per client address.',
  })
  @ApiOkResponse({
    description: 'Every part answers: `{ "status": "up", "parts": { "<part>": "up" }, "checkedAt" }`',
  })
  @ApiServiceUnavailableResponse({ description: 'Some part does not answer; `parts` names it `down`' })
  @ApiTooManyRequestsResponse({ description: 'rate_limited' })
  async check(@Res() response: Response): Promise<void> {
    const now = Date.now();
    // Concurrent and close calls share one look (and one promise while it runs).
    if (!this.latest || now - this.latest.at >= HEALTH_CACHE_MS)
      this.latest = { at: now, report: this.look() };
    const report = await this.latest.report;
    response.status(report.status === 'up' ? HttpStatus.OK : HttpStatus.SERVICE_UNAVAILABLE).json(report);
  }

  private async look(): Promise<HealthReport> {
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
    const checkedAt = new Date().toISOString();
    return down.length
      ? { status: 'down', parts, checkedAt, detail: `not answering: ${down.join(', ')}` }
      : { status: 'up', parts, checkedAt };
  }
}

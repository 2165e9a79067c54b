import { Controller, Get, HttpStatus, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Response } from 'express';
import { CallableBy } from './caller';
import { InfrastructureHealth } from './infrastructure-health';

/** What the gateway's `/health` asks each service: does it, and do its MongoDB and Kafka, answer. */
@ApiExcludeController()
@CallableBy('anyone')
@Controller('internal/health')
export class InternalHealthController {
  constructor(private readonly health: InfrastructureHealth) {}

  @Get()
  async check(@Res() response: Response): Promise<void> {
    const parts = await this.health.check();
    const up = parts.mongodb === 'up' && parts.kafka === 'up';
    response
      .status(up ? HttpStatus.OK : HttpStatus.SERVICE_UNAVAILABLE)
      .json({ status: up ? 'up' : 'down', parts });
  }
}

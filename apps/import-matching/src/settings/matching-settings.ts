import { Body, Controller, Get, Inject, Injectable, Patch } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiPropertyOptional, ApiResponse, ApiTags } from '@nestjs/swagger';
import { IsBoolean, ValidateIf } from 'class-validator';
import type { Collection, Db } from 'mongodb';
import { ApiProblems, CallableBy, Caller, CurrentCaller, MONGO_DB } from '@clientbook/platform';
import type { MatchingSettings } from '../eshop-orders/match-eshop-order';

const DEFAULTS: MatchingSettings = { prioritySearchByName: false };

type SettingsDocument = MatchingSettings & { _id: string; tenantId: string };

/** A tenant's matching settings, one document by tenant id. */
@Injectable()
export class MatchingSettingsStore {
  private readonly collection: Collection<SettingsDocument>;

  constructor(@Inject(MONGO_DB) db: Db) {
    this.collection = db.collection<SettingsDocument>('settings');
  }

  async get(tenantId: string): Promise<MatchingSettings> {
    const stored = await this.collection.findOne({ _id: tenantId });
    return { prioritySearchByName: stored?.prioritySearchByName ?? DEFAULTS.prioritySearchByName };
  }

  async change(tenantId: string, changes: Partial<MatchingSettings>): Promise<MatchingSettings> {
    const next = { ...(await this.get(tenantId)), ...changes };
    await this.collection.replaceOne({ _id: tenantId }, { tenantId, ...next }, { upsert: true });
    return next;
  }
}

export class ChangeSettingsDto {
  // Left out: unchanged. Not null: a setting is on or off.
  @ValidateIf((_dto, value) => value !== undefined)
  @IsBoolean()
  @ApiPropertyOptional({
    description: 'e-shop orders match persons by first and last name alone, before name + e-mail',
  })
  prioritySearchByName?: boolean;
}

@ApiTags('settings')
@ApiBearerAuth()
@Controller('v1/settings')
export class MatchingSettingsController {
  constructor(private readonly settings: MatchingSettingsStore) {}

  @Get()
  @ApiOperation({ summary: 'The tenant’s matching settings' })
  get(@CurrentCaller() caller: Caller): Promise<MatchingSettings> {
    return this.settings.get(caller.tenantId);
  }

  @Patch()
  @CallableBy('admin')
  @ApiProblems([413])
  @ApiResponse({ status: 200, description: 'the settings after the change' })
  @ApiOperation({ summary: 'Change matching settings (admin)' })
  change(@CurrentCaller() caller: Caller, @Body() body: ChangeSettingsDto): Promise<MatchingSettings> {
    const changes =
      body.prioritySearchByName === undefined ? {} : { prioritySearchByName: body.prioritySearchByName };
    return this.settings.change(caller.tenantId, changes);
  }
}

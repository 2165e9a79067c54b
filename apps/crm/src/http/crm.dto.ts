import { applyDecorators } from '@nestjs/common';
import { ApiProperty, ApiPropertyOptional, PartialType } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { PageQueryDto } from '@clientbook/platform';
import {
  Allow,
  ArrayMaxSize,
  ArrayMinSize,
  IsArray,
  IsObject,
  ValidateNested,
  IsBoolean,
  IsInt,
  IsIn,
  IsISO8601,
  IsOptional,
  IsString,
  Matches,
  MaxLength,
  Max,
  Min,
  ValidateIf,
} from 'class-validator';

const COLOR = /^#[0-9a-fA-F]{6}$/;

export class StatusDto {
  @IsString()
  @MaxLength(100)
  @ApiProperty({ description: 'the status’s name (unique in the tenant, case ignored)', maxLength: 100 })
  name!: string;

  @IsOptional()
  @ValidateIf((_, value) => value !== null)
  @Matches(COLOR)
  @ApiPropertyOptional({ type: String, nullable: true, pattern: COLOR.source, example: '#1f8a70' })
  color?: string | null;

  @IsOptional()
  @IsInt()
  @Min(-1_000_000)
  @Max(1_000_000)
  @ApiPropertyOptional({ description: 'where it stands in the list (default: last)' })
  order?: number;

  @IsOptional()
  @IsBoolean()
  @ApiPropertyOptional({ description: 'a closed status ends the relationship (default false)' })
  closed?: boolean;
}

/** A status's change: any of its fields, each checked as when it is added. */
export class StatusPatchDto extends PartialType(StatusDto) {}

export class AttributeDto {
  @IsString()
  @MaxLength(100)
  @ApiProperty({ description: 'the attribute’s name (unique in the tenant, case ignored)', maxLength: 100 })
  name!: string;

  @IsOptional()
  @ValidateIf((_, value) => value !== null)
  @Matches(COLOR)
  @ApiPropertyOptional({ type: String, nullable: true, pattern: COLOR.source })
  color?: string | null;
}

/** An attribute's change: any of its fields, each checked as when it is added. */
export class AttributePatchDto extends PartialType(AttributeDto) {}

export class CallOutcomeDto {
  @IsString()
  @MaxLength(100)
  @ApiProperty({ maxLength: 100 })
  name!: string;
}

export class SetStatusDto {
  @ValidateIf((_, value) => value !== null)
  @IsString()
  @MaxLength(100)
  @ApiProperty({
    type: String,
    nullable: true,
    description: 'one of the tenant’s statuses, or null to clear it',
  })
  statusId!: string | null;

  @IsOptional()
  @IsString()
  @MaxLength(1000)
  @ApiPropertyOptional({
    type: String,
    nullable: true,
    maxLength: 1000,
    description: 'why (shown in the timeline); null or absent: no comment',
  })
  comment?: string | null;
}

export class TimelineQueryDto extends PageQueryDto {
  @IsOptional()
  @IsString()
  @Matches(
    /^(status|attribute|call|meeting|email|note|review|task|merge)(,(status|attribute|call|meeting|email|note|review|task|merge))*$/,
  )
  @ApiPropertyOptional({
    description:
      'only entries of these kinds, comma-separated: status, attribute, call, meeting, email, note, review, task, merge',
    pattern:
      '^(status|attribute|call|meeting|email|note|review|task|merge)(,(status|attribute|call|meeting|email|note|review|task|merge))*$',
  })
  type?: string;

  @IsOptional()
  @IsISO8601({ strict: true })
  @ApiPropertyOptional({ format: 'date-time', description: 'entries at or after this moment' })
  from?: string;

  @IsOptional()
  @IsISO8601({ strict: true })
  @ApiPropertyOptional({ format: 'date-time', description: 'entries before this moment' })
  to?: string;
}

const activityField = (description: string, type: 'string' | 'integer' = 'string', extra: object = {}) =>
  ApiPropertyOptional({ type, description, nullable: true, ...extra });

/**
 * An activity's body: `type` and its fields (API.md "Activities"). Every field is checked by the
 * CRM's rules, which name each one that is wrong, or that the type does not have.
 */
export class ActivityDto {
  @Allow()
  @ApiPropertyOptional({ enum: ['call', 'meeting', 'email', 'note'], description: 'required when logging' })
  type?: unknown;
  @Allow()
  @activityField('when it happened (default: now)', 'string', { format: 'date-time' })
  occurredAt?: unknown;
  @Allow()
  @activityField('call, email: in or out', 'string', { enum: ['in', 'out'] })
  direction?: unknown;
  @Allow()
  @activityField('call: planned or held (default held)', 'string', { enum: ['planned', 'held'] })
  status?: unknown;
  @Allow()
  @activityField('call: 0–86400', 'integer', { minimum: 0, maximum: 86400 })
  durationSeconds?: unknown;
  @Allow()
  @activityField('call: one of the tenant’s call outcomes')
  outcome?: unknown;
  @Allow()
  @activityField('meeting: when it starts', 'string', { format: 'date-time' })
  startsAt?: unknown;
  @Allow()
  @activityField('meeting: 0–1440', 'integer', { minimum: 0, maximum: 1440 })
  durationMinutes?: unknown;
  @Allow()
  @activityField('meeting: where', 'string', { maxLength: 200 })
  location?: unknown;
  @Allow()
  @activityField('email: its subject', 'string', { maxLength: 300 })
  subject?: unknown;
  @Allow()
  @activityField('call, meeting, email: what was said', 'string', { maxLength: 2000 })
  summary?: unknown;
  @Allow()
  @activityField('note: Markdown, up to 10,000 characters', 'string', { maxLength: 10000 })
  body?: unknown;
}

/** Up to 100 attribute ids, or absent: null is not a list (schemathesis found it taken). */
const AttributeIds = () =>
  applyDecorators(
    ValidateIf((_, value) => value !== undefined),
    IsArray(),
    ArrayMaxSize(100),
    IsString({ each: true }),
    MaxLength(100, { each: true }),
    ApiPropertyOptional({ type: [String], maxItems: 100 }),
  );

export class BulkSetDto {
  @IsOptional()
  @ValidateIf((_, value) => value !== null)
  @IsString()
  @MaxLength(100)
  @ApiPropertyOptional({
    type: String,
    nullable: true,
    description: 'the status every client gets (null clears it)',
  })
  statusId?: string | null;

  @AttributeIds()
  addAttributes?: string[];

  @AttributeIds()
  removeAttributes?: string[];
}

export class CrmBulkUpdateDto {
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(1000)
  @IsString({ each: true })
  @MaxLength(100, { each: true })
  @ApiProperty({ type: [String], minItems: 1, maxItems: 1000 })
  ids!: string[];

  @IsObject()
  @ValidateNested()
  @Type(() => BulkSetDto)
  @ApiProperty({ type: BulkSetDto })
  set!: BulkSetDto;
}

const NOT_BLANK = /\S/;

/** A review as written (API.md "Reviews"). */
export class ReviewDto {
  @IsString()
  @Matches(NOT_BLANK, { message: 'text must not be blank' })
  @MaxLength(5000)
  @ApiProperty({ minLength: 1, maxLength: 5000 })
  text!: string;

  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(5)
  @ApiPropertyOptional({ type: 'integer', minimum: 1, maximum: 5, description: 'how the client rates, 1–5' })
  rating?: number;
}

/** A review's change: its text, or its rating (null clears it). */
export class ReviewPatchDto {
  @IsOptional()
  @IsString()
  @Matches(NOT_BLANK, { message: 'text must not be blank' })
  @MaxLength(5000)
  @ApiPropertyOptional({ minLength: 1, maxLength: 5000 })
  text?: string;

  @IsOptional()
  @ValidateIf((_, value) => value !== null)
  @IsInt()
  @Min(1)
  @Max(5)
  @ApiPropertyOptional({
    type: 'integer',
    minimum: 1,
    maximum: 5,
    nullable: true,
    description: 'null clears it',
  })
  rating?: number | null;
}

const PRIORITIES = ['low', 'normal', 'high'];

/** A follow-up task as created (API.md "Tasks"). */
export class TaskDto {
  @IsString()
  @Matches(NOT_BLANK, { message: 'title must not be blank' })
  @MaxLength(200)
  @ApiProperty({ minLength: 1, maxLength: 200 })
  title!: string;

  @IsISO8601({ strict: true })
  @ApiProperty({ format: 'date-time', description: 'when it is due (kept in UTC)' })
  dueAt!: string;

  @IsOptional()
  @IsString()
  @Matches(NOT_BLANK, { message: 'assignee must not be blank' })
  @MaxLength(200)
  @ApiPropertyOptional({ maxLength: 200, description: 'who follows it up' })
  assignee?: string;

  @IsOptional()
  @IsIn(PRIORITIES)
  @ApiPropertyOptional({ enum: PRIORITIES, default: 'normal' })
  priority?: string;

  @IsOptional()
  @IsString()
  @Matches(NOT_BLANK, { message: 'notes must not be blank' })
  @MaxLength(10000)
  @ApiPropertyOptional({ maxLength: 10000 })
  notes?: string;
}

/** A task's change: any of its fields (null clears assignee or notes), and its status. */
export class TaskPatchDto {
  @IsOptional()
  @IsString()
  @Matches(NOT_BLANK, { message: 'title must not be blank' })
  @MaxLength(200)
  @ApiPropertyOptional({ minLength: 1, maxLength: 200 })
  title?: string;

  @IsOptional()
  @IsISO8601({ strict: true })
  @ApiPropertyOptional({ format: 'date-time' })
  dueAt?: string;

  @IsOptional()
  @ValidateIf((_, value) => value !== null)
  @IsString()
  @Matches(NOT_BLANK, { message: 'assignee must not be blank' })
  @MaxLength(200)
  @ApiPropertyOptional({ type: String, maxLength: 200, nullable: true })
  assignee?: string | null;

  @IsOptional()
  @IsIn(PRIORITIES)
  @ApiPropertyOptional({ enum: PRIORITIES })
  priority?: string;

  @IsOptional()
  @ValidateIf((_, value) => value !== null)
  @IsString()
  @Matches(NOT_BLANK, { message: 'notes must not be blank' })
  @MaxLength(10000)
  @ApiPropertyOptional({ type: String, maxLength: 10000, nullable: true })
  notes?: string | null;

  @IsOptional()
  @IsIn(['open', 'done', 'cancelled'])
  @ApiPropertyOptional({
    enum: ['open', 'done', 'cancelled'],
    description: 'done or cancelled sets completedAt; open clears it',
  })
  status?: string;
}

export class TaskQueryDto extends PageQueryDto {
  @IsOptional()
  @IsIn(['open', 'done', 'cancelled'])
  @ApiPropertyOptional({ enum: ['open', 'done', 'cancelled'] })
  status?: 'open' | 'done' | 'cancelled';

  @IsOptional()
  @IsString()
  @MaxLength(200)
  @ApiPropertyOptional({ maxLength: 200, description: 'tasks assigned to exactly this' })
  assignee?: string;

  @IsOptional()
  @IsString()
  @MaxLength(100)
  @ApiPropertyOptional({ maxLength: 100, description: 'the tasks of one client' })
  clientId?: string;

  @IsOptional()
  @IsISO8601({ strict: true })
  @ApiPropertyOptional({ format: 'date-time', description: 'due before this moment' })
  dueBefore?: string;

  @IsOptional()
  @IsIn(['true', 'false'])
  @ApiPropertyOptional({ enum: ['true', 'false'], description: 'true: only open tasks already due' })
  overdue?: 'true' | 'false';
}

import type { ActivityRecord } from '@clientbook/contracts';
import { CrmError, FieldError } from './crm-error';

export type ActivityType = ActivityRecord['type'];
export type FieldValue = string | number | null;

/** An activity as the relationship holds it: its record and its version (1 when logged). */
export type Activity = ActivityRecord & { version: number };

/** Who writes: the key, and whether it is an admin's (who may change anyone's activity). */
export type Writer = Readonly<{ actor: ActivityRecord['author']; isAdmin: boolean }>;

const ISO = /^\d{4}-\d\d-\d\dT\d\d:\d\d(:\d\d(\.\d{1,9})?)?(Z|[+-]\d\d:\d\d)$/;
const MAX_SUMMARY = 2_000;
export const MAX_NOTE = 10_000;

type Rule = (value: unknown, context: { callOutcomes: readonly string[] }) => string | null;

const oneOf =
  (...allowed: string[]): Rule =>
  (value) =>
    typeof value === 'string' && allowed.includes(value) ? null : `must be one of ${allowed.join(', ')}`;
const text =
  (max: number): Rule =>
  (value) =>
    typeof value === 'string' && value.trim() !== '' && value.length <= max
      ? null
      : `must be a text of 1 to ${max} characters`;
const whole =
  (min: number, max: number): Rule =>
  (value) =>
    typeof value === 'number' && Number.isInteger(value) && value >= min && value <= max
      ? null
      : `must be a whole number from ${min} to ${max}`;
/** A real moment: `2026-02-30T10:00Z` is refused, not read as 2 March. */
const realMoment = (value: string): boolean => {
  if (!ISO.test(value) || Number.isNaN(Date.parse(value))) return false;
  const [date] = value.split('T');
  const [year, month, day] = date.split('-').map(Number);
  const calendar = new Date(Date.UTC(year, month - 1, day));
  return calendar.getUTCMonth() === month - 1 && calendar.getUTCDate() === day;
};
const moment: Rule = (value) =>
  typeof value === 'string' && realMoment(value)
    ? null
    : 'must be a date and time (ISO 8601, with its offset)';
/** Times are kept and shown in UTC (API.md "Conventions"). */
const utc = (value: string): string => new Date(value).toISOString();
const outcome: Rule = (value, { callOutcomes }) =>
  typeof value === 'string' && callOutcomes.includes(value)
    ? null
    : `must be one of the tenant’s call outcomes (GET /v1/crm/call-outcomes): ${callOutcomes.join(', ')}`;

/** Each type's fields, their rules, and which are required (API.md "Activities"). */
const FIELDS: Readonly<Record<ActivityType, Readonly<Record<string, { rule: Rule; required?: boolean }>>>> = {
  call: {
    direction: { rule: oneOf('in', 'out'), required: true },
    status: { rule: oneOf('planned', 'held') },
    durationSeconds: { rule: whole(0, 86_400) },
    outcome: { rule: outcome },
    summary: { rule: text(MAX_SUMMARY) },
  },
  meeting: {
    startsAt: { rule: moment, required: true },
    durationMinutes: { rule: whole(0, 1_440) },
    location: { rule: text(200) },
    summary: { rule: text(MAX_SUMMARY) },
  },
  email: {
    direction: { rule: oneOf('in', 'out'), required: true },
    subject: { rule: text(300), required: true },
    summary: { rule: text(MAX_SUMMARY) },
  },
  note: { body: { rule: text(MAX_NOTE), required: true } },
};
/** Fields every activity takes besides its type's. */
const COMMON = new Set(['type', 'occurredAt']);

/**
 * The type's fields of a body, checked: every error named by its field; a field another type has
 * (or no type has) is refused too. `partial` for a change, where nothing is required and `null`
 * clears an optional field.
 */
export function checkActivityFields(
  type: ActivityType,
  body: Readonly<Record<string, unknown>>,
  context: { callOutcomes: readonly string[] },
  partial: boolean,
): { fields: Record<string, FieldValue>; occurredAt: string | undefined } {
  const spec = FIELDS[type];
  const errors: FieldError[] = [];
  const fields: Record<string, FieldValue> = {};
  for (const [field, value] of Object.entries(body)) {
    if (value === undefined || COMMON.has(field)) continue;
    const known = spec[field];
    if (!known) {
      errors.push({ field, message: `a ${type} has no such field` });
      continue;
    }
    if (value === null && partial && !known.required) {
      fields[field] = null;
      continue;
    }
    const problem = known.rule(value, context);
    if (problem) errors.push({ field, message: problem });
    else
      fields[field] =
        typeof value === 'string' ? (known.rule === moment ? utc(value) : value.trim()) : (value as number);
  }
  if (!partial)
    for (const [field, { required }] of Object.entries(spec))
      if (required && body[field] === undefined) errors.push({ field, message: 'is required' });
  const occurredAt = body.occurredAt;
  if (occurredAt !== undefined) {
    const problem = moment(occurredAt, context);
    if (problem) errors.push({ field: 'occurredAt', message: problem });
  }
  if (errors.length) throw CrmError.validation(errors);
  return { fields, occurredAt: occurredAt === undefined ? undefined : utc(occurredAt as string) };
}

export function isActivityType(value: unknown): value is ActivityType {
  return typeof value === 'string' && Object.hasOwn(FIELDS, value);
}

/** Whether a writer may change or delete an activity: its author, or an admin. */
export function mayChange(activity: Activity, writer: Writer): boolean {
  return (
    writer.isAdmin || (activity.author.kind === writer.actor.kind && activity.author.id === writer.actor.id)
  );
}

/**
 * When the client was last in touch, as of `now`: the newest held call or e-mail, or meeting (by
 * when it starts); what lies in the future is no contact yet.
 */
export function lastContactAt(activities: readonly Activity[], now: string): string | null {
  const at = (a: Activity) =>
    a.type === 'meeting' && typeof a.fields.startsAt === 'string' ? a.fields.startsAt : a.occurredAt;
  const contacts = activities
    .filter(
      (a) =>
        a.type === 'meeting' ||
        a.type === 'email' ||
        (a.type === 'call' && (a.fields.status ?? 'held') === 'held'),
    )
    .map(at)
    .filter((moment) => Date.parse(moment) <= Date.parse(now));
  return contacts.reduce<string | null>(
    (newest, moment) => (newest === null || Date.parse(moment) > Date.parse(newest) ? moment : newest),
    null,
  );
}

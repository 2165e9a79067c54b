import type { ActivityRecord } from '@clientbook/contracts';
import {
  checkFields,
  FieldSpec,
  FieldValue,
  moment,
  oneOf,
  refuseIfAny,
  Rule,
  RuleContext,
  text,
  utc,
  whole,
} from './field-rules';

export type ActivityType = ActivityRecord['type'];

/**
 * An activity as the relationship holds it: its record and its version (1 when logged); one
 * moved here by a merge also says where it came from and when it was recorded and last changed.
 */
export type Activity = ActivityRecord & {
  version: number;
  originalClientId?: string;
  createdAt?: string;
  updatedAt?: string;
};

/** Who writes: the key, and whether it is an admin's (who may change anyone's activity). */
export type Writer = Readonly<{ actor: ActivityRecord['author']; isAdmin: boolean }>;

const MAX_SUMMARY = 2_000;
export const MAX_NOTE = 10_000;

const outcome: Rule = (value, { callOutcomes }) =>
  typeof value === 'string' && callOutcomes.includes(value)
    ? null
    : `must be one of the tenant’s call outcomes (GET /v1/crm/call-outcomes): ${callOutcomes.join(', ')}`;

/** Each type's fields, their rules, and which are required (API.md "Activities"). */
const FIELDS: Readonly<Record<ActivityType, FieldSpec>> = {
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
  context: RuleContext,
  partial: boolean,
): { fields: Record<string, FieldValue>; occurredAt: string | undefined } {
  const { fields, errors } = checkFields(FIELDS[type], body, {
    partial,
    context,
    ignore: COMMON,
    unknown: `a ${type} has no such field`,
  });
  const occurredAt = body.occurredAt;
  if (occurredAt !== undefined) {
    const problem = moment(occurredAt, context);
    if (problem) errors.push({ field: 'occurredAt', message: problem });
  }
  refuseIfAny(errors);
  return { fields, occurredAt: occurredAt === undefined ? undefined : utc(occurredAt as string) };
}

export function isActivityType(value: unknown): value is ActivityType {
  return typeof value === 'string' && Object.hasOwn(FIELDS, value);
}

/** Whether a writer may change or delete an activity: its author, or an admin. */
export function mayChange(item: Readonly<{ author: Writer['actor'] }>, writer: Writer): boolean {
  return writer.isAdmin || (item.author.kind === writer.actor.kind && item.author.id === writer.actor.id);
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

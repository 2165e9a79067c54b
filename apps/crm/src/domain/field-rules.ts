import { CrmError, FieldError } from './crm-error';

export type FieldValue = string | number | null;
export type RuleContext = { callOutcomes: readonly string[] };
/** A field's rule: null when the value is right, else what is wrong with it. */
export type Rule = (value: unknown, context: RuleContext) => string | null;
export type FieldSpec = Readonly<Record<string, { rule: Rule; required?: boolean }>>;

const ISO = /^\d{4}-\d\d-\d\dT\d\d:\d\d(:\d\d(\.\d{1,9})?)?(Z|[+-]\d\d:\d\d)$/;

export const oneOf =
  (...allowed: readonly string[]): Rule =>
  (value) =>
    typeof value === 'string' && allowed.includes(value) ? null : `must be one of ${allowed.join(', ')}`;
export const text =
  (max: number): Rule =>
  (value) =>
    typeof value === 'string' && value.trim() !== '' && value.length <= max
      ? null
      : `must be a text of 1 to ${max} characters`;
export const whole =
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
export const moment: Rule = (value) =>
  typeof value === 'string' && realMoment(value)
    ? null
    : 'must be a date and time (ISO 8601, with its offset)';
/** Times are kept and shown in UTC (API.md "Conventions"). */
export const utc = (value: string): string => new Date(value).toISOString();

/**
 * A body's fields checked against a spec: every error named by its field, a field the spec does
 * not have refused too (except those in `ignore`). `partial` for a change, where nothing is
 * required and `null` clears an optional field. Texts come back trimmed, moments in UTC.
 */
export function checkFields(
  spec: FieldSpec,
  body: Readonly<Record<string, unknown>>,
  options: { partial: boolean; context?: RuleContext; ignore?: ReadonlySet<string>; unknown?: string },
): { fields: Record<string, FieldValue>; errors: FieldError[] } {
  const context = options.context ?? { callOutcomes: [] };
  const errors: FieldError[] = [];
  const fields: Record<string, FieldValue> = {};
  for (const [field, value] of Object.entries(body)) {
    if (value === undefined || options.ignore?.has(field)) continue;
    const known = Object.hasOwn(spec, field) ? spec[field] : undefined;
    if (!known) {
      errors.push({ field, message: options.unknown ?? 'no such field' });
      continue;
    }
    if (value === null && options.partial && !known.required) {
      fields[field] = null;
      continue;
    }
    const problem = known.rule(value, context);
    if (problem) errors.push({ field, message: problem });
    else
      fields[field] =
        typeof value === 'string' ? (known.rule === moment ? utc(value) : value.trim()) : (value as number);
  }
  if (!options.partial)
    for (const [field, { required }] of Object.entries(spec))
      if (required && body[field] === undefined) errors.push({ field, message: 'is required' });
  return { fields, errors };
}

/** Throws the errors found, all at once (400 naming each field). */
export function refuseIfAny(errors: readonly FieldError[]): void {
  if (errors.length) throw CrmError.validation(errors);
}

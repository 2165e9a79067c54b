import { TASK_PRIORITIES, TASK_STATUSES, TaskRecord, TaskStatus } from '@clientbook/contracts';
import { checkFields, FieldSpec, FieldValue, moment, oneOf, refuseIfAny, text } from './field-rules';

/** A task as the relationship holds it: its record, where it stands, and its version. */
export type Task = TaskRecord & {
  status: TaskStatus;
  completedAt: string | null;
  updatedAt: string;
  version: number;
  /** How many merges it has moved through (orders its copies in the task list). */
  moves: number;
  originalClientId?: string;
};

const TASK_FIELDS: FieldSpec = {
  title: { rule: text(200), required: true },
  dueAt: { rule: moment, required: true },
  assignee: { rule: text(200) },
  priority: { rule: oneOf(...TASK_PRIORITIES) },
  notes: { rule: text(10_000) },
};
const TASK_CHANGE_FIELDS: FieldSpec = { ...TASK_FIELDS, status: { rule: oneOf(...TASK_STATUSES) } };
const KEPT = ['title', 'dueAt', 'priority', 'status'];

/** A task's fields checked (every wrong one named); for a change, its status too (null clears optional ones). */
export function checkTaskFields(
  body: Readonly<Record<string, unknown>>,
  partial: boolean,
): Record<string, FieldValue> {
  const { fields, errors } = checkFields(partial ? TASK_CHANGE_FIELDS : TASK_FIELDS, body, {
    partial,
    unknown: 'a task has no such field',
  });
  if (partial)
    for (const field of KEPT)
      if (body[field] === null) errors.push({ field, message: 'a task keeps its ' + field });
  refuseIfAny(errors);
  return fields;
}

/** An open task whose due moment has passed, as of `now`: computed when read, never stored. */
export const isOverdue = (task: Pick<Task, 'status' | 'dueAt'>, now: string): boolean =>
  task.status === 'open' && Date.parse(task.dueAt) < Date.parse(now);

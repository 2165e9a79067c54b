import type { CallOutcome, CrmAttribute, CrmEvent, CrmStatus } from '@clientbook/contracts';
import { CrmError, FieldError } from './crm-error';

/** A tenant's CRM vocabulary. A new tenant has the defaults (API.md "CRM"); its stream changes them. */
export type Definitions = Readonly<{
  statuses: readonly CrmStatus[];
  attributes: readonly CrmAttribute[];
  callOutcomes: readonly CallOutcome[];
  /** Ids of removed statuses and attributes: never given again, so an old reference stays dead. */
  retired: readonly string[];
}>;

export const DEFAULT_DEFINITIONS: Definitions = {
  statuses: [
    { id: 'prospect', name: 'Potencialus klientas', color: null, order: 1, closed: false },
    { id: 'customer', name: 'Klientas', color: null, order: 2, closed: false },
    { id: 'partner', name: 'Partneris', color: null, order: 3, closed: false },
    { id: 'inactive', name: 'Neaktyvus', color: null, order: 4, closed: true },
    { id: 'lost', name: 'Prarastas', color: null, order: 5, closed: true },
  ],
  attributes: [
    { id: 'supplier-partner', name: 'Tiekėjas/Partneris', color: null },
    { id: 'customer', name: 'Klientas', color: null },
    { id: 'potential-customer', name: 'Potencialus klientas', color: null },
    { id: 'group-member', name: 'Mano įmonių grupės narys', color: null },
  ],
  callOutcomes: [
    { id: 'answered', name: 'Atsiliepė' },
    { id: 'no_answer', name: 'Neatsiliepė' },
    { id: 'busy', name: 'Užimta' },
    { id: 'voicemail', name: 'Balso paštas' },
    { id: 'wrong_number', name: 'Neteisingas numeris' },
  ],
  retired: [],
};

type StatusFields = { name?: unknown; color?: unknown; order?: unknown; closed?: unknown };
type AttributeFields = { name?: unknown; color?: unknown };

export type DefinitionsCommand =
  | { type: 'DefineStatus'; data: StatusFields }
  | { type: 'UpdateStatus'; data: { statusId: string; patch: StatusFields } }
  | { type: 'RemoveStatus'; data: { statusId: string; clientsHoldingIt: number } }
  | { type: 'DefineAttribute'; data: AttributeFields }
  | { type: 'UpdateAttribute'; data: { attributeId: string; patch: AttributeFields } }
  | { type: 'RemoveAttribute'; data: { attributeId: string } }
  | { type: 'DefineCallOutcome'; data: { name?: unknown } };

/** Folds one event onto the definitions. */
export function evolveDefinitions(state: Definitions, event: CrmEvent): Definitions {
  switch (event.type) {
    case 'StatusDefined':
      return { ...state, statuses: [...state.statuses, event.data.status] };
    case 'StatusUpdated':
      return {
        ...state,
        statuses: state.statuses.map((s) =>
          s.id === event.data.statusId ? { ...s, ...event.data.changes } : s,
        ),
      };
    case 'StatusRemoved':
      return {
        ...state,
        statuses: state.statuses.filter((s) => s.id !== event.data.statusId),
        retired: [...state.retired, `status:${event.data.statusId}`],
      };
    case 'AttributeDefined':
      return { ...state, attributes: [...state.attributes, event.data.attribute] };
    case 'AttributeUpdated':
      return {
        ...state,
        attributes: state.attributes.map((a) =>
          a.id === event.data.attributeId ? { ...a, ...event.data.changes } : a,
        ),
      };
    case 'AttributeRemoved':
      return {
        ...state,
        attributes: state.attributes.filter((a) => a.id !== event.data.attributeId),
        retired: [...state.retired, `attribute:${event.data.attributeId}`],
      };
    case 'CallOutcomeDefined':
      return { ...state, callOutcomes: [...state.callOutcomes, event.data.outcome] };
    default:
      return state;
  }
}

/** The statuses in their order (then by name), as `GET /v1/crm/statuses` lists them. */
export const orderedStatuses = (state: Definitions): CrmStatus[] =>
  [...state.statuses].sort((a, b) => a.order - b.order || a.name.localeCompare(b.name));

/** An id made of a name: `Karštas klientas` → `karstas-klientas`, unique among `taken`. */
export function idOf(name: string, taken: readonly string[]): string {
  const base =
    name
      .normalize('NFD')
      .replace(/\p{M}/gu, '')
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, '-')
      .replace(/^-+|-+$/g, '')
      .slice(0, 60) || 'item';
  if (!taken.includes(base)) return base;
  for (let n = 2; ; n += 1) if (!taken.includes(`${base}-${n}`)) return `${base}-${n}`;
}

const retiredIds = (state: Definitions, kind: 'status' | 'attribute'): string[] =>
  state.retired.filter((r) => r.startsWith(`${kind}:`)).map((r) => r.slice(kind.length + 1));

const COLOR = /^#[0-9a-fA-F]{6}$/;
/** How many statuses, attributes or call outcomes a tenant may define: lists people choose from. */
export const MAX_DEFINED = 200;

function room(items: readonly unknown[], what: string): void {
  if (items.length >= MAX_DEFINED)
    throw CrmError.validation([{ field: 'name', message: `a tenant has at most ${MAX_DEFINED} ${what}` }]);
}

function checkName(value: unknown, errors: FieldError[], required: boolean): string | undefined {
  if (value === undefined && !required) return undefined;
  if (typeof value !== 'string' || value.trim() === '' || value.trim().length > 100) {
    errors.push({ field: 'name', message: 'must be a text of 1 to 100 characters' });
    return undefined;
  }
  return value.trim();
}

function checkColor(value: unknown, errors: FieldError[]): string | null | undefined {
  if (value === undefined || value === null) return value;
  if (typeof value !== 'string' || !COLOR.test(value)) {
    errors.push({ field: 'color', message: 'must be a colour like #1f8a70, or null' });
    return undefined;
  }
  return value.toLowerCase();
}

function checkStatusFields(fields: StatusFields, required: boolean) {
  const errors: FieldError[] = [];
  const name = checkName(fields.name, errors, required);
  const color = checkColor(fields.color, errors);
  let order: number | undefined;
  if (fields.order !== undefined) {
    if (
      typeof fields.order !== 'number' ||
      !Number.isInteger(fields.order) ||
      Math.abs(fields.order) > 1_000_000
    )
      errors.push({ field: 'order', message: 'must be a whole number' });
    else order = fields.order;
  }
  let closed: boolean | undefined;
  if (fields.closed !== undefined) {
    if (typeof fields.closed !== 'boolean')
      errors.push({ field: 'closed', message: 'must be true or false' });
    else closed = fields.closed;
  }
  if (errors.length) throw CrmError.validation(errors);
  return { name, color, order, closed };
}

function checkAttributeFields(fields: AttributeFields, required: boolean) {
  const errors: FieldError[] = [];
  const name = checkName(fields.name, errors, required);
  const color = checkColor(fields.color, errors);
  if (errors.length) throw CrmError.validation(errors);
  return { name, color };
}

const defined = <T extends object>(value: T): Partial<T> =>
  Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as Partial<T>;

function sameName(taken: readonly { id: string; name: string }[], name: string, except?: string): void {
  const key = name.toLocaleLowerCase('lt');
  if (taken.some((t) => t.id !== except && t.name.toLocaleLowerCase('lt') === key))
    throw CrmError.validation([{ field: 'name', message: `"${name}" is already defined` }]);
}

function statusOf(state: Definitions, statusId: string): CrmStatus {
  const status = state.statuses.find((s) => s.id === statusId);
  if (!status) throw new CrmError('not_found', `no status ${statusId}`);
  return status;
}

function attributeOf(state: Definitions, attributeId: string): CrmAttribute {
  const attribute = state.attributes.find((a) => a.id === attributeId);
  if (!attribute) throw new CrmError('not_found', `no attribute ${attributeId}`);
  return attribute;
}

/** decide: a change of the definitions → its events, or a CrmError. Pure. */
export function decideDefinitions(command: DefinitionsCommand, state: Definitions): CrmEvent[] {
  switch (command.type) {
    case 'DefineStatus': {
      const fields = checkStatusFields(command.data, true);
      const name = fields.name as string;
      room(state.statuses, 'statuses');
      sameName(state.statuses, name);
      const status: CrmStatus = {
        id: idOf(name, [...state.statuses.map((s) => s.id), ...retiredIds(state, 'status')]),
        name,
        color: fields.color ?? null,
        order: fields.order ?? Math.max(0, ...state.statuses.map((s) => s.order)) + 1,
        closed: fields.closed ?? false,
      };
      return [{ type: 'StatusDefined', data: { status } }];
    }
    case 'UpdateStatus': {
      const current = statusOf(state, command.data.statusId);
      const changes = defined(checkStatusFields(command.data.patch, false));
      if (changes.name !== undefined) sameName(state.statuses, changes.name, current.id);
      const changed = Object.fromEntries(
        Object.entries(changes).filter(([key, value]) => current[key as keyof CrmStatus] !== value),
      );
      return Object.keys(changed).length
        ? [{ type: 'StatusUpdated', data: { statusId: current.id, changes: changed } }]
        : [];
    }
    case 'RemoveStatus': {
      const current = statusOf(state, command.data.statusId);
      const { clientsHoldingIt } = command.data;
      if (clientsHoldingIt > 0)
        throw new CrmError(
          'status_in_use',
          `${clientsHoldingIt} client${clientsHoldingIt === 1 ? ' has' : 's have'} status ${current.id}; give them another first`,
        );
      return [{ type: 'StatusRemoved', data: { statusId: current.id } }];
    }
    case 'DefineAttribute': {
      const fields = checkAttributeFields(command.data, true);
      const name = fields.name as string;
      room(state.attributes, 'attributes');
      sameName(state.attributes, name);
      const attribute: CrmAttribute = {
        id: idOf(name, [...state.attributes.map((a) => a.id), ...retiredIds(state, 'attribute')]),
        name,
        color: fields.color ?? null,
      };
      return [{ type: 'AttributeDefined', data: { attribute } }];
    }
    case 'UpdateAttribute': {
      const current = attributeOf(state, command.data.attributeId);
      const changes = defined(checkAttributeFields(command.data.patch, false));
      if (changes.name !== undefined) sameName(state.attributes, changes.name, current.id);
      const changed = Object.fromEntries(
        Object.entries(changes).filter(([key, value]) => current[key as keyof CrmAttribute] !== value),
      );
      return Object.keys(changed).length
        ? [{ type: 'AttributeUpdated', data: { attributeId: current.id, changes: changed } }]
        : [];
    }
    case 'RemoveAttribute': {
      const current = attributeOf(state, command.data.attributeId);
      return [{ type: 'AttributeRemoved', data: { attributeId: current.id } }];
    }
    case 'DefineCallOutcome': {
      const errors: FieldError[] = [];
      const name = checkName(command.data.name, errors, true);
      if (errors.length) throw CrmError.validation(errors);
      room(state.callOutcomes, 'call outcomes');
      sameName(state.callOutcomes, name as string);
      // Call outcome ids are snake_case (no_answer): made so before they are checked for being taken.
      const taken = state.callOutcomes.map((o) => o.id);
      let outcomeId = idOf(name as string, []).replace(/-/g, '_');
      for (let n = 2; taken.includes(outcomeId); n += 1)
        outcomeId = `${idOf(name as string, []).replace(/-/g, '_')}_${n}`;
      const outcome = { id: outcomeId, name: name as string };
      return [{ type: 'CallOutcomeDefined', data: { outcome } }];
    }
    default: {
      const unknown: never = command;
      throw new Error(`unknown command ${JSON.stringify(unknown)}`);
    }
  }
}

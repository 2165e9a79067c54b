import type { ClientDetails, ClientEvent } from '@clientbook/contracts';
import type { ClientCommand } from './client-commands';
import { ClientError, FieldError } from './client-error';
import {
  checkAddress,
  checkBankAccount,
  checkDetails,
  checkDistinctIbans,
  checkSingleFlags,
  ClientDetailsDraft,
} from './client-rules';
import type { Client, ClientState } from './client-state';

/** JSON merge patch: a key that is absent (or undefined) keeps its value, `null` clears it. */
function applyPatch<T extends object>(base: T, patch: object): T {
  const present = Object.entries(patch).filter(([, value]) => value !== undefined);
  return { ...base, ...Object.fromEntries(present) };
}

function fail(errors: FieldError[]): void {
  if (errors.length) throw ClientError.validation(errors);
}

/** The client the command is about, or the rejection a consumer expects for it. */
function activeClient(state: ClientState): Client {
  if (!state) throw new ClientError('not_found', 'no such client');
  if (state.status === 'deleted') throw new ClientError('client_deleted', 'the client was deleted');
  if (state.status === 'merged')
    throw new ClientError('client_not_active', `the client was merged into ${state.mergedInto}`);
  return state;
}

const DETAIL_KEYS: readonly (keyof ClientDetails)[] = [
  'kind',
  'name',
  'firstName',
  'lastName',
  'code',
  'vatCode',
  'roles',
  'residency',
  'email',
  'phone',
  'website',
  'notes',
];

/** The fields whose value differs, so an event records what changed and nothing else. */
function changedDetails(before: ClientDetails, after: ClientDetails): Partial<ClientDetails> {
  const changes: Record<string, unknown> = {};
  for (const key of DETAIL_KEYS) {
    if (JSON.stringify(before[key]) !== JSON.stringify(after[key])) changes[key] = after[key];
  }
  return changes as Partial<ClientDetails>;
}

function detailsChanged(client: Client, draft: ClientDetailsDraft): ClientEvent[] {
  const checked = checkDetails(draft);
  fail(checked.errors);
  const changes = changedDetails(client, checked.value);
  return Object.keys(changes).length ? [{ type: 'ClientDetailsChanged', data: { changes } }] : [];
}

/** decide: command + state → events, or a ClientError. Pure: ids and time come with the command. */
export function decide(command: ClientCommand, state: ClientState): ClientEvent[] {
  switch (command.type) {
    case 'RegisterClient': {
      if (state) throw new ClientError('non_unique_entry', 'a client with this id exists');
      const { details, addresses, bankAccounts, isOwnCompany } = command.data;
      const checkedDetails = checkDetails(details);
      const checkedAddresses = addresses.map((a, i) => checkAddress(a, `addresses[${i}].`));
      const checkedAccounts = bankAccounts.map((b, i) => checkBankAccount(b, `bankAccounts[${i}].`));
      const accounts = checkedAccounts.map((c) => c.value);
      const errors = [
        ...checkedDetails.errors,
        ...checkedAddresses.flatMap((c) => c.errors),
        ...checkedAccounts.flatMap((c) => c.errors),
        ...checkSingleFlags(
          checkedAddresses.map((c) => c.value),
          ['registration', 'correspondence'],
          'addresses',
        ),
        ...checkSingleFlags(accounts, ['main'], 'bankAccounts'),
        ...checkDistinctIbans(accounts, 'bankAccounts'),
      ];
      if (isOwnCompany && details.kind !== 'company')
        errors.push({ field: 'kind', message: 'the own company is a company' });
      fail(errors);
      return [
        {
          type: 'ClientRegistered',
          data: {
            ...checkedDetails.value,
            addresses: checkedAddresses.map((c) => c.value),
            bankAccounts: accounts,
            isOwnCompany,
          },
        },
      ];
    }
    case 'ChangeClientDetails': {
      const client = activeClient(state);
      const { patch } = command.data;
      if (client.isOwnCompany && patch.kind && patch.kind !== 'company') {
        fail([{ field: 'kind', message: 'the own company is a company' }]);
      }
      const draft: ClientDetailsDraft = { ...applyPatch(client, patch), kind: patch.kind ?? client.kind };
      return detailsChanged(client, draft);
    }
    case 'ChangeResidencyAndRoles': {
      const client = activeClient(state);
      const { residency, addRoles, removeRoles } = command.data;
      const roles = [...client.roles, ...(addRoles ?? [])].filter(
        (role) => !(removeRoles ?? []).includes(role),
      );
      return detailsChanged(client, { ...client, residency: residency ?? client.residency, roles });
    }
    case 'AddAddress': {
      activeClient(state);
      const checked = checkAddress(command.data.address, '');
      fail(checked.errors);
      return [{ type: 'AddressAdded', data: { address: checked.value } }];
    }
    case 'ChangeAddress': {
      const client = activeClient(state);
      const current = client.addresses.find((a) => a.id === command.data.addressId);
      if (!current) throw new ClientError('not_found', 'no such address on this client');
      const checked = checkAddress({ ...applyPatch(current, command.data.patch), id: current.id }, '');
      fail(checked.errors);
      return JSON.stringify(checked.value) === JSON.stringify(current)
        ? []
        : [{ type: 'AddressChanged', data: { address: checked.value } }];
    }
    case 'RemoveAddress': {
      const client = activeClient(state);
      if (!client.addresses.some((a) => a.id === command.data.addressId)) {
        throw new ClientError('not_found', 'no such address on this client');
      }
      return [{ type: 'AddressRemoved', data: { addressId: command.data.addressId } }];
    }
    case 'AddBankAccount': {
      const client = activeClient(state);
      const checked = checkBankAccount(command.data.bankAccount, '');
      const errors = [...checked.errors];
      if (client.bankAccounts.some((b) => b.iban === checked.value.iban)) {
        errors.push({ field: 'iban', message: 'this IBAN is already on the client' });
      }
      fail(errors);
      return [{ type: 'BankAccountAdded', data: { bankAccount: checked.value } }];
    }
    case 'ChangeBankAccount': {
      const client = activeClient(state);
      const current = client.bankAccounts.find((b) => b.id === command.data.bankAccountId);
      if (!current) throw new ClientError('not_found', 'no such bank account on this client');
      const checked = checkBankAccount({ ...applyPatch(current, command.data.patch), id: current.id }, '');
      const errors = [...checked.errors];
      if (client.bankAccounts.some((b) => b.id !== current.id && b.iban === checked.value.iban)) {
        errors.push({ field: 'iban', message: 'this IBAN is already on the client' });
      }
      fail(errors);
      return JSON.stringify(checked.value) === JSON.stringify(current)
        ? []
        : [{ type: 'BankAccountChanged', data: { bankAccount: checked.value } }];
    }
    case 'RemoveBankAccount': {
      const client = activeClient(state);
      if (!client.bankAccounts.some((b) => b.id === command.data.bankAccountId)) {
        throw new ClientError('not_found', 'no such bank account on this client');
      }
      return [{ type: 'BankAccountRemoved', data: { bankAccountId: command.data.bankAccountId } }];
    }
    case 'DeleteClient': {
      const client = activeClient(state);
      if (client.isOwnCompany) throw new ClientError('own_company', 'the own company cannot be deleted');
      if (client.hasOperations) {
        throw new ClientError(
          'client_has_operations',
          'the client has operations: merge it into another client instead',
        );
      }
      return [{ type: 'ClientDeleted', data: { reason: command.data.reason } }];
    }
    case 'RecordOperations': {
      const client = activeClient(state);
      const seen = new Set(client.operationIds ?? []);
      const events: ClientEvent[] = [];
      for (const operation of command.data.operations) {
        if (seen.has(operation.operationId)) continue;
        seen.add(operation.operationId);
        const { operationId, kind, ref } = operation;
        events.push({ type: 'OperationRecorded', data: { operationId, kind, ref } });
      }
      return events;
    }
    default: {
      const unknownCommand: never = command;
      throw new Error(`unknown client command ${JSON.stringify(unknownCommand)}`);
    }
  }
}

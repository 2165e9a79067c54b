import { normalizeIban, normalizeName } from '@clientbook/identifiers';
import {
  Address,
  BankAccount,
  CLIENT_ROLES,
  ClientDetails,
  ClientMergedInto,
  ClientsMerged,
} from '@clientbook/contracts';
import { Client, evolve } from './client-state';

export type MergeObstacleCode =
  | 'client_not_found'
  | 'client_not_active'
  | 'keep_in_merge_list'
  | 'own_company_merged'
  | 'kind_mismatch'
  | 'code_conflict';

/** Why a merge cannot happen, per client: `field` is the client's id (API.md "Merging duplicates"). */
export type MergeObstacle = Readonly<{ field: string; code: MergeObstacleCode; message: string }>;

export type MergeCandidate = Readonly<{ id: string; client: Client | null }>;

export type MergePlan = Readonly<{
  obstacles: readonly MergeObstacle[];
  /** The survivor as it will be (null when the survivor itself is an obstacle). */
  after: Client | null;
  survivorEvent: ClientsMerged | null;
  mergedEvents: ReadonlyMap<string, ClientMergedInto>;
  operations: number;
}>;

// Fields the survivor keeps when it has them, and fills from the merged clients when it has not.
const FILLABLE: readonly (keyof ClientDetails)[] = [
  'code',
  'vatCode',
  'email',
  'phone',
  'website',
  'notes',
  'firstName',
  'lastName',
];

const addressKey = (a: Address): string =>
  [a.line1, a.line2 ?? '', a.city, a.postalCode ?? '', a.country]
    .map((part) => normalizeName(part))
    .join('|');

function checkCandidates(keep: MergeCandidate, merged: readonly MergeCandidate[]): MergeObstacle[] {
  const obstacles: MergeObstacle[] = [];
  const notActive = (c: MergeCandidate) =>
    `client ${c.id} is ${c.client?.status === 'merged' ? `merged into ${c.client.mergedInto}` : c.client?.status}`;
  if (!keep.client)
    obstacles.push({ field: keep.id, code: 'client_not_found', message: `no client ${keep.id}` });
  else if (keep.client.status !== 'active')
    obstacles.push({ field: keep.id, code: 'client_not_active', message: notActive(keep) });

  const codes = new Set<string>(keep.client?.code ? [keep.client.code] : []);
  for (const candidate of merged) {
    const { id, client } = candidate;
    if (id === keep.id) {
      obstacles.push({
        field: id,
        code: 'keep_in_merge_list',
        message: 'the client kept cannot also be merged away',
      });
      continue;
    }
    if (!client) {
      obstacles.push({ field: id, code: 'client_not_found', message: `no client ${id}` });
      continue;
    }
    if (client.status !== 'active')
      obstacles.push({ field: id, code: 'client_not_active', message: notActive(candidate) });
    if (client.isOwnCompany) {
      obstacles.push({
        field: id,
        code: 'own_company_merged',
        message: 'the own company can be kept, never merged away',
      });
    }
    if (keep.client && client.kind !== keep.client.kind) {
      obstacles.push({
        field: id,
        code: 'kind_mismatch',
        message: `a ${client.kind} cannot be merged into a ${keep.client.kind}`,
      });
    }
    if (client.code) {
      if (codes.size > 0 && !codes.has(client.code)) {
        obstacles.push({
          field: id,
          code: 'code_conflict',
          message: `its code ${client.code} differs from ${[...codes][0]}`,
        });
      }
      codes.add(client.code);
    }
  }
  return obstacles;
}

/**
 * Plans a merge: every obstacle at once, or the events that carry it out. The survivor keeps
 * its values; an empty field takes the first non-empty value among the merged clients in the
 * order given; addresses and bank accounts are united (the same address or IBAN once, flags
 * staying with the survivor's own); roles are united; operations move to the survivor.
 */
export function planMerge(
  mergeId: string,
  keep: MergeCandidate,
  merged: readonly MergeCandidate[],
): MergePlan {
  const obstacles = checkCandidates(keep, merged);
  if (obstacles.length > 0 || !keep.client) {
    return { obstacles, after: null, survivorEvent: null, mergedEvents: new Map(), operations: 0 };
  }
  const survivor = keep.client;
  const others = merged.map((m) => m.client).filter((c): c is Client => c !== null);

  const changes: Record<string, unknown> = {};
  for (const field of FILLABLE) {
    if (survivor[field]) continue;
    const donor = others.find((c) => c[field]);
    if (donor) changes[field] = donor[field];
  }
  const held = new Set([...survivor.roles, ...others.flatMap((c) => c.roles)]);
  const roles = CLIENT_ROLES.filter((role) => held.has(role));
  if (roles.length !== survivor.roles.length) changes.roles = roles;

  const addressKeys = new Set(survivor.addresses.map(addressKey));
  let hasRegistration = survivor.addresses.some((a) => a.registration);
  let hasCorrespondence = survivor.addresses.some((a) => a.correspondence);
  const addresses: Address[] = [];
  for (const address of others.flatMap((c) => c.addresses)) {
    const key = addressKey(address);
    if (addressKeys.has(key)) continue;
    addressKeys.add(key);
    const registration = address.registration && !hasRegistration;
    const correspondence = address.correspondence && !hasCorrespondence;
    hasRegistration ||= registration;
    hasCorrespondence ||= correspondence;
    addresses.push({ ...address, registration, correspondence });
  }

  const ibans = new Set(survivor.bankAccounts.map((b) => normalizeIban(b.iban)));
  let hasMain = survivor.bankAccounts.some((b) => b.main);
  const bankAccounts: BankAccount[] = [];
  for (const account of others.flatMap((c) => c.bankAccounts)) {
    const iban = normalizeIban(account.iban);
    if (ibans.has(iban)) continue;
    ibans.add(iban);
    const main = account.main && !hasMain;
    hasMain ||= main;
    bankAccounts.push({ ...account, main });
  }

  const operations = others.reduce((sum, c) => sum + (c.operations ?? (c.hasOperations ? 1 : 0)), 0);
  const survivorEvent: ClientsMerged = {
    type: 'ClientsMerged',
    data: { mergeId, mergedIds: merged.map((m) => m.id), changes, addresses, bankAccounts, operations },
  };
  const mergedEvents = new Map<string, ClientMergedInto>(
    merged.map((m) => [m.id, { type: 'ClientMergedInto', data: { mergeId, survivorId: keep.id } }]),
  );
  return { obstacles, after: evolve(survivor, survivorEvent), survivorEvent, mergedEvents, operations };
}

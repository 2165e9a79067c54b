import type { Client, ClientSnapshot } from '../domain';

/** The client as API.md shows it. */
export function toApiClient(snapshot: ClientSnapshot & { client: Client }) {
  const { client } = snapshot;
  return {
    id: snapshot.id,
    version: snapshot.version,
    kind: client.kind,
    name: client.name,
    firstName: client.firstName,
    lastName: client.lastName,
    code: client.code,
    vatCode: client.vatCode,
    roles: client.roles,
    residency: client.residency,
    email: client.email,
    phone: client.phone,
    website: client.website,
    notes: client.notes,
    addresses: client.addresses,
    bankAccounts: client.bankAccounts,
    isOwnCompany: client.isOwnCompany,
    status: client.status,
    mergedInto: client.mergedInto,
    hasOperations: client.hasOperations,
    createdAt: snapshot.createdAt,
    updatedAt: snapshot.updatedAt,
  };
}

export type ApiClient = ReturnType<typeof toApiClient>;

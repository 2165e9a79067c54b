import type { Residency } from '@clientbook/identifiers';
import type { MatchableClient } from './matching-index';

export type MatchedBy = 'code' | 'iban' | 'name' | 'name_email';

/** A line that is an existing client: the oldest found, with all listed when several. */
export type MatchedDecision = Readonly<{
  outcome: 'matched';
  clientId: string;
  matchedBy: MatchedBy;
  candidates: readonly string[];
  warnings: readonly string[];
}>;

/** The card an import creates when nothing matched. */
export type NewClientDraft = Readonly<{
  kind: 'company' | 'person';
  name: string | null;
  firstName: string | null;
  lastName: string | null;
  code: string | null;
  roles: readonly ('buyer' | 'supplier')[];
  residency: Residency;
  bankAccounts: readonly { iban: string; main: boolean }[];
  addresses: readonly { line1: string; city: string; postalCode: string | null; country: string }[];
  notes?: string | null;
}>;

/** What matching decided for a counterparty: a client, the card to create, or nothing to import. */
export type CounterpartyDecision =
  | MatchedDecision
  | Readonly<{ outcome: 'create'; draft: NewClientDraft; warnings: readonly string[] }>
  | Readonly<{
      outcome: 'skipped';
      error: { code: 'no_counterparty'; message: string };
      warnings: readonly string[];
    }>;

/** The decision for what a lookup found: the oldest, with all listed when several; null when none. */
export function matched(
  found: readonly MatchableClient[],
  matchedBy: MatchedBy,
  warnings: readonly string[] = [],
): MatchedDecision | null {
  if (found.length === 0) return null;
  // Several: the oldest wins, and every one is listed for a person to review.
  return {
    outcome: 'matched',
    clientId: found[0].id,
    matchedBy,
    candidates: found.length > 1 ? found.map((c) => c.id) : [],
    warnings,
  };
}

/**
 * The client a draft becomes, as matching sees it: an import puts it in the index at once, so a
 * later line of the same file finds it (API.md "Matching", rule 5).
 */
export function matchableFromDraft(
  id: string,
  createdAt: string,
  draft: NewClientDraft & { email?: string | null },
): MatchableClient {
  return {
    id,
    createdAt,
    kind: draft.kind,
    name: draft.name ?? `${draft.firstName} ${draft.lastName}`,
    code: draft.code,
    ibans: draft.bankAccounts.map((b) => b.iban),
    email: draft.email ?? null,
  };
}

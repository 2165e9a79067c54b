import {
  isCountryCode,
  residencyOf,
  Residency,
  validateCompanyCode,
  validateIban,
  validatePersonalCode,
} from '@clientbook/identifiers';
import type { BankStatementLine } from './camt053.parser';
import { looksLikeOrganisation, splitPersonName } from '../matching/counterparty-names';
import { CounterpartyDecision, matched } from '../matching/decisions';
import type { MatchingIndex } from '../matching/matching-index';

/**
 * Matches one bank statement line against the tenant's clients (API.md "Matching"): the
 * counterparty's code, then its valid IBAN, then its name (persons in either order, companies
 * with the legal form anywhere); nothing found → the card to create.
 */
export function matchBankLine(index: MatchingIndex, line: BankStatementLine): CounterpartyDecision {
  const warnings: string[] = [...line.warnings];
  const party = line.counterparty;
  if (!party) {
    return {
      outcome: 'skipped',
      error: { code: 'no_counterparty', message: 'the line names no counterparty (a bank fee?)' },
      warnings,
    };
  }

  let iban: string | null = null;
  if (party.iban) {
    const checked = validateIban(party.iban);
    if (checked.ok) iban = checked.value;
    else warnings.push(`IBAN ${party.iban} is not valid (${checked.message}); it is neither used nor stored`);
  }
  let country = party.address?.country?.trim().toUpperCase() ?? null;
  if (country && !isCountryCode(country)) {
    warnings.push(`country ${party.address?.country} is not an ISO 3166-1 code; it is not stored`);
    country = null;
  }

  const code = party.organisationId ?? party.privateId;
  const byCode = code ? matched(index.withCode(code), 'code', warnings) : null;
  if (byCode) return byCode;
  const byIban = iban ? matched(index.withIban(iban), 'iban', warnings) : null;
  if (byIban) return byIban;
  const byName = party.name ? matched(index.withName(party.name), 'name', warnings) : null;
  if (byName) return byName;

  // No name on the line: the card is named after what is there, and says so.
  const what = party.organisationId
    ? `org. id ${party.organisationId}`
    : party.privateId
      ? `personal id ${party.privateId}`
      : iban
        ? `IBAN ${iban}`
        : null;
  const name = party.name ?? `Unnamed counterparty${what ? ` (${what})` : ''}`;
  if (!party.name)
    warnings.push(`the line gives no counterparty name; the client is named "${name}": rename it`);
  const isCompany = !party.name || Boolean(party.organisationId) || looksLikeOrganisation(name);
  const residency = residencyFromEvidence(party, iban, country, name, warnings);
  const person = isCompany ? null : splitPersonName(name);

  let draftCode: string | null = isCompany ? party.organisationId : party.privateId;
  if (draftCode && residency === 'resident') {
    const checked = isCompany ? validateCompanyCode(draftCode) : validatePersonalCode(draftCode);
    if (!checked.ok) {
      warnings.push(`code ${draftCode} is not valid (${checked.message}); it is not stored`);
      draftCode = null;
    } else draftCode = checked.value;
  }

  const address = party.address;
  const line1 = address?.street
    ? [address.street, address.buildingNumber].filter(Boolean).join(' ')
    : (address?.lines[0] ?? null);
  const city = address?.town ?? (address?.street ? (address.lines[0] ?? null) : (address?.lines[1] ?? null));
  const addresses =
    line1 && city && country ? [{ line1, city, postalCode: address?.postalCode ?? null, country }] : [];
  // An address a card cannot hold (no town or no country) is kept in the notes, not dropped.
  // (A country alone is no address: it went into the residency.)
  const place = address && (address.street || address.lines.length > 0 || address.town || address.postalCode);
  const addressText = place
    ? [
        address.street,
        address.buildingNumber,
        ...address.lines,
        address.postalCode,
        address.town,
        address.country,
      ]
        .filter(Boolean)
        .join(', ')
    : '';
  const notes =
    addressText && addresses.length === 0 ? `Address on the bank statement: ${addressText}` : null;
  if (notes) warnings.push('the address lacks a town or a country; it is kept in the notes');

  return {
    outcome: 'create',
    draft: {
      kind: isCompany ? 'company' : 'person',
      name: isCompany ? name : null,
      firstName: person?.firstName ?? null,
      lastName: person?.lastName ?? null,
      code: draftCode,
      roles: [line.direction === 'in' ? 'buyer' : 'supplier'],
      residency,
      bankAccounts: iban ? [{ iban, main: true }] : [],
      addresses,
      notes,
    },
    warnings,
  };
}

// Lithuanian legal forms and letters: a name that carries them points to Lithuania.
const LITHUANIAN_FORM = /(^|[\s,.])(uab|ab|mb|vši|všį|iį|ii|kūb|tūb|žūb)($|[\s,.])/i;
const LITHUANIAN_LETTERS = /[ąčęėįšųūžĄČĘĖĮŠŲŪŽ]/;

/**
 * Where the counterparty is, from what the line says, strongest first: the IBAN's country, the
 * address's, a valid Lithuanian company or personal code, a Lithuanian legal form or letters in
 * the name. Nothing of these: `foreign`, with a warning (a card must say something).
 */
function residencyFromEvidence(
  party: NonNullable<BankStatementLine['counterparty']>,
  iban: string | null,
  country: string | null,
  name: string,
  warnings: string[],
): Residency {
  if (iban) return residencyOf(iban.slice(0, 2));
  if (country) return residencyOf(country);
  const lithuanianCode =
    (party.organisationId && validateCompanyCode(party.organisationId).ok) ||
    (party.privateId && validatePersonalCode(party.privateId).ok);
  if (lithuanianCode || LITHUANIAN_FORM.test(name) || LITHUANIAN_LETTERS.test(name)) return 'resident';
  warnings.push(
    'nothing on the line says where the counterparty is; its residency is set to foreign: check it',
  );
  return 'foreign';
}

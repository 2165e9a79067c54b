import { isCountryCode, residencyOf, validateCompanyCode, validateVatCode } from '@clientbook/identifiers';
import type { CounterpartyDecision } from '../matching/decisions';
import type { MatchingIndex } from '../matching/matching-index';
import { matched, NewClientDraft } from '../matching/decisions';

/** An e-shop order as API.md "Imports" gives it. */
export type EshopOrder = Readonly<{
  orderId: string;
  date?: string;
  total?: number;
  currency?: string;
  customer: Readonly<{
    firstName: string;
    lastName: string;
    email: string;
    phone?: string | null;
    company?: string | null;
    companyCode?: string | null;
    vatCode?: string | null;
    address?: Readonly<{ line1: string; city: string; postalCode?: string | null; country: string }> | null;
  }>;
}>;

export type MatchingSettings = Readonly<{ prioritySearchByName: boolean }>;

/** The e-shop's draft adds what orders carry beyond bank lines. */
export type EshopClientDraft = NewClientDraft &
  Readonly<{ email: string | null; phone: string | null; vatCode: string | null }>;

export type OrderDecision =
  | Exclude<CounterpartyDecision, { outcome: 'create' }>
  | Readonly<{ outcome: 'create'; draft: EshopClientDraft; warnings: readonly string[] }>;

/**
 * Matches an e-shop order's customer (API.md "Matching", rule 3): an order with a company is
 * about that company (its code, else its name); otherwise the person by first name + last name +
 * e-mail, or by name alone when the tenant prefers it (`prioritySearchByName`).
 */
export function matchEshopOrder(
  index: MatchingIndex,
  order: EshopOrder,
  settings: MatchingSettings,
): OrderDecision {
  const customer = order.customer;
  const warnings: string[] = [];
  const company = customer.company?.trim() || null;

  if (company) {
    const byCode = customer.companyCode ? matched(index.withCode(customer.companyCode), 'code') : null;
    if (byCode) return byCode;
    const byName = matched(index.withCompanyName(company), 'name');
    if (byName) return byName;
  } else {
    const found = settings.prioritySearchByName
      ? matched(index.withPersonName(customer.firstName, customer.lastName), 'name')
      : matched(
          index.withPersonNameAndEmail(customer.firstName, customer.lastName, customer.email),
          'name_email',
        );
    if (found) return found;
  }

  let country = customer.address?.country?.trim().toUpperCase() ?? null;
  if (country && !isCountryCode(country)) {
    warnings.push(
      `country ${customer.address?.country} is not an ISO 3166-1 code; the address is not stored`,
    );
    country = null;
  }
  const residency = country ? residencyOf(country) : 'resident';
  let code = company ? customer.companyCode?.trim() || null : null;
  if (code && residency === 'resident') {
    const checked = validateCompanyCode(code);
    if (checked.ok) code = checked.value;
    else {
      warnings.push(`company code ${code} is not valid (${checked.message}); it is not stored`);
      code = null;
    }
  }
  let vatCode = company ? customer.vatCode?.trim() || null : null;
  if (vatCode) {
    const checked = validateVatCode(vatCode);
    if (checked.ok) vatCode = checked.value;
    else {
      warnings.push(`VAT code ${vatCode} is not valid (${checked.message}); it is not stored`);
      vatCode = null;
    }
  }
  const address =
    customer.address && country
      ? [
          {
            line1: customer.address.line1,
            city: customer.address.city,
            postalCode: customer.address.postalCode ?? null,
            country,
          },
        ]
      : [];
  return {
    outcome: 'create',
    draft: {
      kind: company ? 'company' : 'person',
      name: company,
      firstName: company ? null : customer.firstName.trim(),
      lastName: company ? null : customer.lastName.trim(),
      code,
      vatCode,
      email: customer.email?.trim() || null,
      phone: customer.phone?.trim() || null,
      roles: ['buyer'],
      residency,
      bankAccounts: [],
      addresses: address,
    },
    warnings,
  };
}

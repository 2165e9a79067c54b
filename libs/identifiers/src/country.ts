import { isValid } from 'i18n-iso-countries';

/** ISO 3166-1 alpha-2, upper case (the form the API accepts). */
export function isCountryCode(value: string): boolean {
  return /^[A-Z]{2}$/.test(value) && isValid(value);
}

// The European Union and the rest of the European Economic Area.
const euEea = new Set(
  'AT BE BG HR CY CZ DK EE FI FR DE GR HU IE IT LV LT LU MT NL PL PT RO SK SI ES SE IS LI NO'.split(' '),
);

export type Residency = 'resident' | 'eu' | 'foreign';

/** Residency of a counterparty from its country, seen from a Lithuanian company. */
export function residencyOf(country: string): Residency {
  if (country === 'LT') return 'resident';
  return euEea.has(country) ? 'eu' : 'foreign';
}

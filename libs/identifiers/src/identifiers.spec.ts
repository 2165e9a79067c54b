import {
  isCountryCode,
  normalizeIban,
  normalizeName,
  residencyOf,
  validateCompanyCode,
  validateIban,
  validatePersonalCode,
  validateVatCode,
  ValidationResult,
} from './index';

const ok = (value: string): ValidationResult => ({ ok: true, value });
const fails = (message: string | RegExp) => ({ ok: false, message: expect.stringMatching(message) });

describe('Lithuanian company code', () => {
  it.each([
    ['302345678', ok('302345678')],
    [' 188 659 752 ', ok('188659752')],
    ['12345', fails('9 digits')],
    ['1234567890', fails('9 digits')],
    ['30234567A', fails('9 digits')],
    ['', fails('9 digits')],
  ])('%j → %j', (input, expected) => expect(validateCompanyCode(input)).toEqual(expected));
});

describe('Lithuanian personal code', () => {
  it.each([
    ['38703181745', ok('38703181745')],
    ['49002150127', ok('49002150127')],
    ['490 0215 0127', ok('49002150127')],
    ['38001010010', fails('check digit')],
    ['38703181746', fails('check digit')],
    ['3870318174', fails('11 digits')],
    ['3870318174X', fails('11 digits')],
  ])('%j → %j', (input, expected) => expect(validatePersonalCode(input)).toEqual(expected));
});

describe('VAT code', () => {
  it.each([
    ['LT123456715', ok('LT123456715')],
    ['lt 1234 567 15', ok('LT123456715')],
    ['LT302345610', ok('LT302345610')],
    ['LT100001919017', ok('LT100001919017')],
    ['LT123456716', fails('check digit')],
    ['LT12345671', fails('9 or 12 digits')],
    ['LT1234567150', fails('9 or 12 digits')],
    ['DE123456789', ok('DE123456789')],
    ['EL123456789', ok('EL123456789')],
    ['FRAB123456789', ok('FRAB123456789')],
    ['DE1', fails('2–13')],
    ['DE12345678901234', fails('2–13')],
    ['QQ123456', fails('country prefix')],
    ['123456789', fails('country prefix')],
  ])('%j → %j', (input, expected) => expect(validateVatCode(input)).toEqual(expected));
});

describe('IBAN', () => {
  it.each([
    ['LT121000011101001000', ok('LT121000011101001000')],
    ['lt12 1000 0111 0100 1000', ok('LT121000011101001000')],
    ['DE89 3704 0044 0532 0130 00', ok('DE89370400440532013000')],
    ['GB82WEST12345698765432', ok('GB82WEST12345698765432')],
    ['LT121000011101001001', fails('check digits')],
    ['LT12100001110100100', fails('length')],
    ['XX121000011101001000', fails('country')],
    ['', fails('empty')],
  ])('%j → %j', (input, expected) => expect(validateIban(input)).toEqual(expected));

  it('compares IBANs ignoring spaces and case', () => {
    expect(normalizeIban(' lt12 1000 0111 0100 1000 ')).toBe(normalizeIban('LT121000011101001000'));
  });
});

describe('country and residency', () => {
  it.each([
    ['LT', true],
    ['SE', true],
    ['lt', false],
    ['CH1', false],
    ['XX', false],
  ])('%j is a country code: %j', (input, expected) => expect(isCountryCode(input)).toBe(expected));

  it.each([
    ['LT', 'resident'],
    ['LV', 'eu'],
    ['NO', 'eu'],
    ['CH', 'foreign'],
    ['US', 'foreign'],
  ])('%s → %s', (country, residency) => expect(residencyOf(country)).toBe(residency));
});

describe('name normalization', () => {
  it.each([
    ['  ŠARŪNAS  Jonaitis', 'sarunas jonaitis'],
    ['UAB Medžio\tDarbai', 'uab medzio darbai'],
    ['Ąžuolas Čėsnauskas', 'azuolas cesnauskas'],
    ['Łukasz Żółć', 'lukasz zolc'],
    ['Straße Ørsted', 'strasse orsted'],
    ['', ''],
  ])('%j → %j', (input, expected) => expect(normalizeName(input)).toBe(expected));

  it('makes a name and its shouted, re-spaced copy equal', () => {
    expect(normalizeName('Ona Kazlauskienė')).toBe(normalizeName(' ONA   KAZLAUSKIENE '));
  });
});

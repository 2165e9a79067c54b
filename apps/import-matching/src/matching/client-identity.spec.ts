import { derivedClientId, identityOf, matchedByIdentity } from './client-identity';

describe('the identity a new client is created under', () => {
  it('is the code first, then the IBAN, then the name', () => {
    const iban = [{ iban: 'lt12 1000 0111 0100 1000' }];
    expect(identityOf({ kind: 'company', name: 'UAB Alfa', code: '304-567-891', bankAccounts: iban })).toBe(
      'code:304567891',
    );
    expect(identityOf({ kind: 'company', name: 'UAB Alfa', bankAccounts: iban })).toBe(
      'iban:LT121000011101001000',
    );
    expect(identityOf({ kind: 'company', name: 'UAB „Alfa“' })).toBe(
      identityOf({ kind: 'company', name: 'alfa, UAB' }),
    );
  });

  it('tells persons apart by e-mail, in either name order and any case', () => {
    const jonas = identityOf({ kind: 'person', firstName: 'Jonas', lastName: 'Jonaitis', email: 'J@x.lt' });
    expect(identityOf({ kind: 'person', firstName: 'JONAITIS', lastName: 'jonas', email: 'j@x.lt ' })).toBe(
      jonas,
    );
    expect(
      identityOf({ kind: 'person', firstName: 'Jonas', lastName: 'Jonaitis', email: 'k@x.lt' }),
    ).not.toBe(jonas);
  });

  it('derives one uuid-shaped id per tenant and identity', () => {
    const id = derivedClientId('t1', 'code:304567891');
    expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-8[0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(derivedClientId('t1', 'code:304567891')).toBe(id);
    expect(derivedClientId('t2', 'code:304567891')).not.toBe(id);
  });

  it('says what a line about an existing identity matched by', () => {
    expect(matchedByIdentity(identityOf({ kind: 'company', code: '304567891' }))).toBe('code');
    expect(
      matchedByIdentity(identityOf({ kind: 'company', bankAccounts: [{ iban: 'LT121000011101001000' }] })),
    ).toBe('iban');
    expect(matchedByIdentity(identityOf({ kind: 'company', name: 'UAB Alfa' }))).toBe('name');
    expect(
      matchedByIdentity(
        identityOf({ kind: 'person', firstName: 'Jonas', lastName: 'Jonaitis', email: 'j@x.lt' }),
      ),
    ).toBe('name_email');
  });
});

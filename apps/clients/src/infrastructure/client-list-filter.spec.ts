import { encodeCursor, listFilter, nextCursor, sortOf } from './client-list-filter';
import type { ClientCardDocument } from './client-cards';

describe('client list filter', () => {
  it('always scopes by tenant and shows active clients unless asked otherwise', () => {
    expect(listFilter('t1', {})).toEqual({ $and: [{ tenantId: 't1' }, { status: 'active' }] });
    expect(listFilter('t1', { status: 'deleted' })).toEqual({
      $and: [{ tenantId: 't1' }, { status: 'deleted' }],
    });
  });

  it('normalizes each filter the way the card stores it', () => {
    const filter = listFilter('t1', {
      city: ' KLAIPĖDA ',
      email: 'Ona.K@Example.LT',
      iban: 'lt12 1000 0111 0100 1000',
      country: 'lt',
      vatCode: 'lt 123456715',
    });
    expect(filter.$and).toEqual(
      expect.arrayContaining([
        { cityKeys: 'klaipeda' },
        { emailKey: 'ona.k@example.lt' },
        { ibans: 'LT121000011101001000' },
        { countries: 'LT' },
        { vatKey: 'LT123456715' },
      ]),
    );
  });

  it('matches q as literal text in the name and as a prefix of the codes', () => {
    const filter = listFilter('t1', { q: 'Šarūnas (.*' });
    expect(filter.$and?.[2]).toEqual({
      $or: [
        { nameKey: { $regex: 'sarunas \\(\\.\\*' } },
        { codeKey: { $regex: '^ŠARŪNAS\\(\\.\\*' } },
        { vatKey: { $regex: '^ŠARŪNAS\\(\\.\\*' } },
      ],
    });
  });

  it('continues after the cursor in the sort order, with the id as tie-breaker', () => {
    const last = {
      nameKey: 'jonas',
      createdAt: '2026-01-01T00:00:00.000Z',
      _id: 't1:c9',
    } as ClientCardDocument;
    const cursor = nextCursor(last, '-name');
    expect(listFilter('t1', { sort: '-name', cursor }).$and?.[2]).toEqual({
      $or: [{ nameKey: { $lt: 'jonas' } }, { nameKey: 'jonas', _id: { $lt: 't1:c9' } }],
    });
    expect(sortOf('createdAt').mongo).toEqual({ createdAt: 1, _id: 1 });
  });

  it('refuses a cursor it did not give out', () => {
    expect(() => listFilter('t1', { cursor: 'garbage' })).toThrow(
      expect.objectContaining({ code: 'validation_failed' }),
    );
    expect(() => listFilter('t1', { cursor: encodeCursor(['a', 'b']).slice(2) })).toThrow(
      expect.objectContaining({ code: 'validation_failed' }),
    );
  });
});

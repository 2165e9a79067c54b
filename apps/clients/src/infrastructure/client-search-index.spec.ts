import {
  ClientSearchIndex,
  encodeCursor,
  type ClientListSort,
  type ClientSearchFields,
} from './client-search-index';

const entry = (id: string, extra: Partial<ClientSearchFields> = {}): ClientSearchFields => ({
  tenantId: 't1',
  aggregateId: id,
  createdAt: `2026-01-01T00:00:0${id.slice(-1)}.000Z`,
  status: 'active',
  kind: 'company',
  roles: [],
  residency: 'resident',
  nameKey: id,
  codeKey: null,
  vatKey: null,
  emailKey: null,
  countries: [],
  cityKeys: [],
  ibans: [],
  ...extra,
});

describe('client search index', () => {
  const index = new ClientSearchIndex();
  index.put(
    entry('c1', {
      nameKey: 'sarunas petrauskas',
      kind: 'person',
      roles: ['buyer'],
      emailKey: 'sarunas@example.lt',
      cityKeys: ['klaipeda'],
      countries: ['LT'],
    }),
  );
  index.put(
    entry('c2', {
      nameKey: 'uab medzio darbai',
      codeKey: '302345678',
      vatKey: 'LT302345610',
      roles: ['supplier'],
      ibans: ['LT514010051000111222'],
    }),
  );
  index.put(
    entry('c3', {
      nameKey: 'nordic supplies ab',
      residency: 'foreign',
      codeKey: '5567890123',
      roles: ['supplier'],
      countries: ['SE'],
    }),
  );
  index.put(entry('c4', { nameKey: 'jonas jonaitis', status: 'deleted' }));
  index.put({ ...entry('c5', { nameKey: 'uab medzio darbai' }), tenantId: 't2' });

  const ids = (criteria: Parameters<ClientSearchIndex['query']>[1]) => index.query('t1', criteria).ids;

  it('lists a tenant’s active clients by name; other tenants never show', () => {
    expect(ids({})).toEqual(['c3', 'c1', 'c2']);
    expect(ids({ sort: '-name' })).toEqual(['c2', 'c1', 'c3']);
    expect(ids({ sort: 'createdAt' })).toEqual(['c1', 'c2', 'c3']);
    expect(ids({ status: 'deleted' })).toEqual(['c4']);
    expect(index.query('t2', {}).ids).toEqual(['c5']);
    expect(index.query('t3', {}).ids).toEqual([]);
  });

  it.each([
    [{ q: 'ŠARŪNAS' }, ['c1']],
    [{ q: 'medžio' }, ['c2']],
    [{ q: '3023' }, ['c2']],
    [{ q: 'lt 3023' }, ['c2']],
    [{ q: '.*' }, []],
    [{ code: '5567890123' }, ['c3']],
    [{ vatCode: 'lt302345610' }, ['c2']],
    [{ kind: 'person' }, ['c1']],
    [{ role: 'supplier' }, ['c3', 'c2']],
    [{ residency: 'foreign' }, ['c3']],
    [{ country: 'se' }, ['c3']],
    [{ city: ' KLAIPĖDA ' }, ['c1']],
    [{ email: 'Sarunas@Example.LT' }, ['c1']],
    [{ iban: 'lt51 4010 0510 0011 1222' }, ['c2']],
    [{ role: 'supplier', residency: 'resident' }, ['c2']],
  ])('filters %j', (criteria, expected) => {
    expect(ids(criteria)).toEqual(expected);
  });

  it('pages by cursor in the sort order, stable when entries are added before the cursor', () => {
    const first = index.query('t1', { limit: 2 });
    expect(first.ids).toEqual(['c3', 'c1']);
    index.put(entry('c0', { nameKey: 'aaa' }));
    const second = index.query('t1', { limit: 2, cursor: first.nextCursor ?? undefined });
    expect(second.ids).toEqual(['c2']);
    expect(second.entries.map((e) => e.aggregateId)).toEqual(['c2']);
    expect(second.nextCursor).toBeNull();
  });

  it('answers the page with the entries themselves, in the page order and as last put', () => {
    const cards = new ClientSearchIndex<ClientSearchFields & { state: string }>();
    cards.put({ ...entry('k1', { nameKey: 'b' }), state: 'old' });
    cards.put({ ...entry('k2', { nameKey: 'a' }), state: 'two' });
    cards.put({ ...entry('k1', { nameKey: 'b' }), state: 'new' });
    expect(cards.query('t1', {}).entries.map((e) => [e.aggregateId, e.state])).toEqual([
      ['k2', 'two'],
      ['k1', 'new'],
    ]);
  });

  it('refuses a cursor it did not give out', () => {
    expect(() => ids({ cursor: 'garbage' })).toThrow(expect.objectContaining({ code: 'validation_failed' }));
    expect(() => ids({ cursor: encodeCursor(['a', 'b']).slice(3) })).toThrow(
      expect.objectContaining({ code: 'validation_failed' }),
    );
  });

  it('keeps one entry per client: a later put replaces the earlier', () => {
    const local = new ClientSearchIndex();
    local.put(entry('x1', { nameKey: 'old' }));
    local.put(entry('x1', { nameKey: 'new', status: 'deleted' }));
    expect(local.size).toBe(1);
    expect(local.query('t1', { status: 'deleted' }).ids).toEqual(['x1']);
  });
});

describe('memory under changes only', () => {
  it('drops the replaced versions of cards even when nobody lists the clients', () => {
    const index = new ClientSearchIndex();
    for (let i = 0; i < 100; i += 1) index.put(entry(`c${i}`));
    // A day of changes to the same 100 clients and no query: each put replaces a card.
    for (let change = 0; change < 20_000; change += 1)
      index.put(entry(`c${change % 100}`, { emailKey: `change${change}@example.lt` }));
    // Two sort orders; each may hold back about a thousand changes before merging them.
    expect(index.held('t1')).toBeLessThanOrEqual(2 * (100 + 1_025));
    const page = index.query('t1', { limit: 200 });
    expect(page.ids).toHaveLength(100);
    expect(page.entries.find((e) => e.aggregateId === 'c99')?.emailKey).toBe('change19999@example.lt');
    expect(index.query('t1', { limit: 200, sort: 'createdAt' }).ids).toHaveLength(100);
    // Once both orders were asked, each holds exactly one entry per client.
    expect(index.held('t1')).toBe(200);
  });
});

describe('the list’s CRM filters', () => {
  const index = new ClientSearchIndex();
  for (const id of ['c1', 'c2', 'c3']) index.put(entry(id));
  index.label('t1', 'c1', { statusId: 'partner', attributes: ['customer', 'group-member'] });
  index.label('t1', 'c2', { statusId: 'customer', attributes: ['customer'] });
  index.label('t2', 'c3', { statusId: 'partner', attributes: ['customer'] });

  it('keeps the clients that hold the status, and every attribute asked', () => {
    expect(index.query('t1', { crmStatus: 'partner' }).ids).toEqual(['c1']);
    expect(index.query('t1', { attribute: ['customer'] }).ids).toEqual(['c1', 'c2']);
    expect(index.query('t1', { attribute: ['customer', 'group-member'] }).ids).toEqual(['c1']);
    expect(index.query('t1', { crmStatus: 'customer', attribute: ['group-member'] }).ids).toEqual([]);
  });

  it('reads labels of the tenant asked only (another tenant’s same id does not count)', () => {
    expect(index.query('t1', { crmStatus: 'partner' }).ids).not.toContain('c3');
  });
});

describe('the sorted walk against a plain filter-and-sort', () => {
  // A small deterministic generator: the same entries on every run.
  let seed = 7;
  const random = (n: number) => {
    seed = (seed * 1103515245 + 12345) % 2 ** 31;
    return seed % n;
  };
  const names = ['alfa', 'beta', 'gama', 'delta', 'uab alfa', 'uab beta'];

  // The walk (no `q` narrows), and the few clients a `q` can match sorted on the spot (every `q`
  // of three characters or more narrows).
  it.each(
    (['name', '-name', 'createdAt', '-createdAt'] as const).flatMap((sort) => [
      [sort, 'walking', 0],
      [sort, 'from the clients q can match', Infinity],
    ]) as [ClientListSort, string, number][],
  )(
    'pages through every match in order, sorted %s, %s, while entries are added and replaced',
    (sort, _path, candidateLimit) => {
      const index = new ClientSearchIndex(candidateLimit);
      const latest = new Map<string, ClientSearchFields>();
      const put = (e: ClientSearchFields) => {
        index.put(e);
        latest.set(e.aggregateId, e);
      };
      const made = (i: number) =>
        entry(`c${random(400)}`, {
          nameKey: names[random(names.length)],
          createdAt: `2026-01-${String(1 + random(28)).padStart(2, '0')}`,
          status: random(5) === 0 ? 'deleted' : 'active',
          codeKey: String(300 + (i % 50)),
        });
      for (let i = 0; i < 1500; i += 1) put(made(i));
      for (const q of [undefined, 'alfa', 'uab', '30', 'nothing', 'eta', '301', 'a a', 'ama']) {
        const key = sort.endsWith('name') ? 'nameKey' : 'createdAt';
        const direction = sort.startsWith('-') ? -1 : 1;
        const expected = [...latest.values()]
          .filter((e) => e.status === 'active')
          .filter((e) => !q || e.nameKey.includes(q) || !!e.codeKey?.startsWith(q))
          .sort(
            (a, b) =>
              direction *
              (a[key] < b[key] ? -1 : a[key] > b[key] ? 1 : a.aggregateId < b.aggregateId ? -1 : 1),
          )
          .map((e) => e.aggregateId);
        const seen: string[] = [];
        let cursor: string | undefined;
        for (let pages = 0; pages < 100; pages += 1) {
          const page = index.query('t1', { q, sort, limit: 7, cursor });
          seen.push(...page.ids);
          if (!page.nextCursor) break;
          cursor = page.nextCursor;
        }
        expect(seen).toEqual(expected);
        // More puts between queries: replaced entries must leave their old place.
        for (let i = 0; i < 60; i += 1) put(made(i));
      }
    },
  );
});

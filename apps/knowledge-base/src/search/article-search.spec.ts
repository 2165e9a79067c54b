import { ArticleSearch, plainText, snippetOf } from './article-search';

const article = (
  slug: string,
  title: string,
  body: string,
  extra: Partial<{ locale: string; kind: string; module: string; summary: string; tags: string[] }> = {},
) => ({
  slug,
  title,
  body,
  locale: 'lt',
  kind: 'faq',
  module: 'clients',
  summary: '',
  tags: [],
  ...extra,
});

describe('searching the knowledge base (API.md "Search")', () => {
  const search = new ArticleSearch();
  search.put(article('imones-kodas', 'Įmonės kodas', 'Kiekviena įmonė turi devynių skaitmenų kodą.'));
  search.put(
    article(
      'sujungimas',
      'Kaip sujungti dublikatus',
      'Dublikatai sujungiami į vieną kortelę; sujungimo atšaukti negalima.',
      { module: 'merges' },
    ),
  );
  search.put(
    article('naujas-klientas', 'Naujo kliento kūrimas', 'Klientas sukuriamas nurodžius pavadinimą.'),
  );
  search.put(
    article('statusai', 'CRM statusai', 'Kiekvienas klientas turi vieną statusą, pavyzdžiui „Partneris“.', {
      module: 'crm',
    }),
  );
  search.put(
    article(
      'merging',
      'Merging duplicates',
      'Duplicates are merged into one card; a merge cannot be undone.',
      { locale: 'en', module: 'merges' },
    ),
  );

  const slugs = (q: string, filters: Partial<{ locale: string; kind: string; module: string }> = {}) =>
    search.search(q, { limit: 10, ...filters }).map((hit) => hit.slug);

  it('ignores case and diacritics: "imones kodas" finds "Įmonės kodas"', () => {
    expect(slugs('imones kodas')[0]).toBe('imones-kodas');
    expect(slugs('ĮMONĖS')[0]).toBe('imones-kodas');
  });

  it('takes every word as a prefix: "sujung" finds "sujungti"', () => {
    expect(slugs('sujung')).toContain('sujungimas');
  });

  it('forgives one typo in words of five letters or more, not in shorter ones', () => {
    expect(slugs('dublikatsi')).toContain('sujungimas');
    expect(slugs('klientsa')).toContain('naujas-klientas');
    expect(slugs('kpdas')).toContain('imones-kodas');
    expect(slugs('kods')).toEqual([]);
  });

  it('folds common Lithuanian endings: "klientą" and "klientų" find "klientas"', () => {
    expect(slugs('klientą')).toContain('naujas-klientas');
    expect(slugs('klientų')).toContain('naujas-klientas');
  });

  it('ranks a title hit above a body hit', () => {
    // "klientas" is in the body of "statusai" and in the title of "naujas-klientas".
    expect(slugs('kliento').slice(0, 2)).toEqual(['naujas-klientas', 'statusai']);
  });

  it('searches both locales unless one is asked, and filters by kind and module', () => {
    expect(slugs('merge')).toEqual(['merging']);
    expect(slugs('dublikat', { locale: 'en' })).toEqual([]);
    expect(slugs('klient', { module: 'crm' })).toEqual(['statusai']);
    expect(slugs('klient', { kind: 'lesson' })).toEqual([]);
  });

  it('answers nothing for a query without words, and forgets a removed article', () => {
    expect(slugs(' ,.; ')).toEqual([]);
    const own = new ArticleSearch();
    own.put(article('a', 'Sąskaitos', 'tekstas'));
    own.remove('lt', 'a');
    expect(own.search('saskaita', { limit: 5 })).toEqual([]);
  });

  it('gives a snippet around the first word that matched, in the article’s own letters', () => {
    const [hit] = search.search('atšaukti', { limit: 1 });
    expect(hit.snippet).toContain('atšaukti');
    expect(snippetOf('x'.repeat(300) + ' Įmonės kodas', ['imon'])).toMatch(/^….*Įmonės kodas$/);
    expect(plainText('# Antraštė\n\nTai **svarbu**: [nuoroda](/v1/kb).')).toBe(
      'Antraštė Tai svarbu: nuoroda.',
    );
  });
});

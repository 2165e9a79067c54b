import * as path from 'node:path';
import { parseContentFile, readContentFiles } from './content-files';

const CONTENT = path.resolve(__dirname, '..', '..', '..', '..', 'content', 'kb');

// API.md "Error codes": every one has its help article.
const ERROR_CODES = [
  'unauthorized',
  'forbidden',
  'not_found',
  'validation_failed',
  'non_unique_entry',
  'version_conflict',
  'client_deleted',
  'client_has_operations',
  'own_company',
  'merge_blocked',
  'already_imported',
  'no_counterparty',
  'unparseable_file',
  'payload_too_large',
  'rate_limited',
  'unsupported_media_type',
  'status_in_use',
  'client_not_active',
  'unavailable',
  'internal',
];

describe('the product’s own help, as the repository holds it', () => {
  it('parses every file, each slug once per locale, each article with its translation', async () => {
    const files = await readContentFiles(CONTENT);
    const ids = files.map((f) => `${f.content.locale}:${f.content.slug}`);
    expect(new Set(ids).size).toBe(ids.length);
    const locales = new Map<string, Set<string>>();
    for (const { content } of files)
      locales.set(
        content.translationKey,
        (locales.get(content.translationKey) ?? new Set()).add(content.locale),
      );
    const untranslated = [...locales].filter(([, found]) => found.size < 2).map(([key]) => key);
    expect(untranslated).toEqual([]);
  });

  it('has an error article in Lithuanian and English for every error code of the API', async () => {
    const files = await readContentFiles(CONTENT);
    for (const locale of ['lt', 'en']) {
      const slugs = new Set(files.filter((f) => f.content.locale === locale).map((f) => f.content.slug));
      const missing = ERROR_CODES.map((code) => `error-${code.replace(/_/g, '-')}`).filter(
        (s) => !slugs.has(s),
      );
      expect([locale, missing]).toEqual([locale, []]);
    }
  });

  it('names the file and the field of front matter that is wrong', () => {
    expect(() => parseContentFile('lt/bad.md', '---\nslug: Ne Slug\nkind: faq\n---\ntekstas')).toThrow(
      /^lt\/bad\.md: slug: /,
    );
  });

  it('reads the front matter and the body, and its hash changes with the file', () => {
    const text = [
      '---',
      'slug: kas-yra-klientas',
      'kind: faq',
      'locale: lt',
      'translationKey: what-is-a-client',
      'title: Kas yra klientas',
      'summary: Trumpai.',
      'module: clients',
      '---',
      '',
      'Klientas – **bet kuris** kontrahentas.',
    ].join('\n');
    const parsed = parseContentFile('lt/a.md', text);
    expect(parsed.content).toMatchObject({
      slug: 'kas-yra-klientas',
      tags: [],
      order: 0,
      body: 'Klientas – **bet kuris** kontrahentas.',
    });
    expect(parseContentFile('lt/a.md', `${text}!`).hash).not.toBe(parsed.hash);
  });
});

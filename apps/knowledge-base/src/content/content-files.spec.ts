import * as path from 'node:path';
import { API_ERROR_CODES, helpFor } from '@clientbook/platform';
import { parseContentFile, readContentFiles } from './content-files';

const CONTENT = path.resolve(__dirname, '..', '..', '..', '..', 'content', 'kb');

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
      // The slug every problem answer's help link names.
      const missing = API_ERROR_CODES.map((code) => helpFor(code).replace('/v1/kb/articles/', '')).filter(
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

import { eventually, tinyPng } from '@clientbook/testing';
import { startSystem, System } from './system';

// API.md "Knowledge base": the help centre through the gateway — read without a key, written by
// the operator, searched in Lithuanian, an article for every error.
describe('the knowledge base through the gateway', () => {
  let system: System;

  beforeAll(async () => {
    system = await startSystem();
  }, 60_000);

  afterAll(async () => {
    await system?.close();
  });

  const article = (slug: string, extra: Record<string, unknown> = {}) => ({
    slug,
    kind: 'faq',
    locale: 'lt',
    translationKey: slug,
    title: 'Kaip pakeisti kliento adresą',
    summary: 'Adresas keičiamas kortelėje.',
    body: 'Adresą pakeisite kliento kortelėje: **registracijos** ir korespondencijos požymiai.',
    module: 'clients',
    tags: ['adresu-keitimas'],
    order: 5,
    ...extra,
  });

  it('serves the error article every problem answer links to, in Lithuanian and English, without a key', async () => {
    const refused = await system.anonymous.get('/v1/clients');
    expect(refused.body.help).toBe('/v1/kb/articles/error-unauthorized');
    const lt = await system.anonymous.get(refused.body.help);
    expect(lt.status).toBe(200);
    expect(lt.body).toMatchObject({
      slug: 'error-unauthorized',
      kind: 'error',
      locale: 'lt',
      status: 'published',
      translations: { lt: 'error-unauthorized', en: 'error-unauthorized' },
    });
    const en = await system.anonymous.get(`${refused.body.help}?locale=en`);
    expect(en.body.title).toBe('Not signed in: no API key');
    const errors = await system.anonymous.get('/v1/kb/articles?kind=error&locale=en');
    expect(errors.body.items).toHaveLength(20);
  });

  it('lets only the operator write; a draft is seen by nobody else until it is published', async () => {
    const tenant = await system.createTenant();
    expect((await tenant.admin.post('/v1/kb/articles', article('adresu-keitimas'))).status).toBe(403);
    expect((await system.anonymous.post('/v1/kb/articles', article('adresu-keitimas'))).status).toBe(401);
    const created = await system.operator.post('/v1/kb/articles', article('adresu-keitimas'));
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ slug: 'adresu-keitimas', status: 'draft', version: 1 });
    expect((await system.anonymous.get('/v1/kb/articles/adresu-keitimas')).status).toBe(404);
    expect((await system.operator.get('/v1/kb/articles/adresu-keitimas')).body.status).toBe('draft');
    expect((await system.operator.post('/v1/kb/articles', article('adresu-keitimas'))).body.code).toBe(
      'non_unique_entry',
    );

    const published = await system.operator.post('/v1/kb/articles/adresu-keitimas/publish', undefined, {
      'if-match': '"1"',
    });
    expect(published.status).toBe(200);
    expect((await system.anonymous.get('/v1/kb/articles/adresu-keitimas')).body.title).toBe(
      'Kaip pakeisti kliento adresą',
    );

    // A change is live once published again; the history keeps every published version.
    const edited = await system.operator.patch('/v1/kb/articles/adresu-keitimas?locale=lt', {
      title: 'Kliento adresai',
    });
    expect(edited.body.title).toBe('Kliento adresai');
    expect((await system.anonymous.get('/v1/kb/articles/adresu-keitimas')).body.title).toBe(
      'Kaip pakeisti kliento adresą',
    );
    expect(
      (await system.operator.patch('/v1/kb/articles/adresu-keitimas', { order: 1 }, { 'if-match': '"1"' }))
        .status,
    ).toBe(412);
    await system.operator.post('/v1/kb/articles/adresu-keitimas/publish');
    expect((await system.anonymous.get('/v1/kb/articles/adresu-keitimas')).body.title).toBe(
      'Kliento adresai',
    );
    const history = await system.anonymous.get('/v1/kb/articles/adresu-keitimas/history');
    expect(history.body.items.map((v: any) => [v.version, v.title])).toEqual([
      [1, 'Kaip pakeisti kliento adresą'],
      [2, 'Kliento adresai'],
    ]);

    await system.operator.post('/v1/kb/articles/adresu-keitimas/unpublish');
    expect((await system.anonymous.get('/v1/kb/articles/adresu-keitimas')).status).toBe(404);
    expect((await system.operator.delete('/v1/kb/articles/adresu-keitimas')).status).toBe(204);
    expect((await system.operator.get('/v1/kb/articles/adresu-keitimas')).status).toBe(404);
  });

  it('answers a slug of another locale with its translation in the locale asked', async () => {
    await system.operator.post(
      '/v1/kb/articles',
      article('banko-saskaitos', { translationKey: 'bank-accounts' }),
    );
    await system.operator.post(
      '/v1/kb/articles',
      article('bank-accounts', {
        locale: 'en',
        translationKey: 'bank-accounts',
        title: 'Bank accounts',
        tags: [],
      }),
    );
    await system.operator.post('/v1/kb/articles/banko-saskaitos/publish?locale=lt');
    await system.operator.post('/v1/kb/articles/bank-accounts/publish?locale=en');
    const english = await system.anonymous.get('/v1/kb/articles/banko-saskaitos?locale=en');
    expect(english.body).toMatchObject({
      slug: 'bank-accounts',
      locale: 'en',
      translations: { lt: 'banko-saskaitos', en: 'bank-accounts' },
    });
    expect((await system.anonymous.get('/v1/kb/articles/no-such-article')).status).toBe(404);
  });

  it('finds published help whatever the case, diacritics or ending, within a moment of publishing', async () => {
    await system.operator.post(
      '/v1/kb/articles',
      article('kodo-paieska', {
        title: 'Įmonės kodas kortelėje',
        body: 'Kodas tikrinamas pagal kontrolinį skaitmenį.',
      }),
    );
    await system.operator.post('/v1/kb/articles/kodo-paieska/publish');
    await eventually(async () => {
      const found = await system.anonymous.get('/v1/kb/search?q=imones%20kodas&locale=lt');
      expect(found.body.items[0]).toMatchObject({
        slug: 'kodo-paieska',
        kind: 'faq',
        locale: 'lt',
        title: 'Įmonės kodas kortelėje',
      });
    });
    const byEnding = await system.anonymous.get(`/v1/kb/search?q=${encodeURIComponent('kortelių')}`);
    expect(byEnding.body.items.map((i: any) => i.slug)).toContain('kodo-paieska');
    expect((await system.anonymous.get('/v1/kb/search')).status).toBe(400);
  });

  it('gives an article without tags or order their defaults (the fault suite found one that stopped the service)', async () => {
    const { tags: _tags, order: _order, ...bare } = article('be-zymiu', { title: 'Straipsnis be žymių' });
    const created = await system.operator.post('/v1/kb/articles', bare);
    expect(created.body).toMatchObject({ tags: [], order: 0 });
    await system.operator.post('/v1/kb/articles/be-zymiu/publish');
    await eventually(async () =>
      expect(
        (await system.anonymous.get('/v1/kb/search?q=zymiu')).body.items.map((i: any) => i.slug),
      ).toContain('be-zymiu'),
    );
  });

  it('refuses an article with wrong fields, naming them', async () => {
    const bad = await system.operator.post(
      '/v1/kb/articles',
      article('Blogas Slug', { translationKey: 'blogas', kind: 'novel', steps: 'x' }),
    );
    expect(bad.status).toBe(400);
    expect([...new Set(bad.body.errors.map((e: any) => e.field))].sort()).toEqual(['kind', 'slug', 'steps']);
    const lesson = await system.operator.post('/v1/kb/articles', article('pamoka', { kind: 'lesson' }));
    expect(lesson.body.errors).toEqual([{ field: 'steps', message: 'a lesson has at least one step' }]);
  });

  it('counts one vote per key and article, the second replacing the first; comments are the operator’s', async () => {
    const tenant = await system.createTenant();
    const auditor = await tenant.as('auditor');
    const path = '/v1/kb/articles/error-non-unique-entry/feedback';
    expect((await tenant.admin.post(path, { helpful: true })).status).toBe(204);
    expect((await auditor.post(path, { helpful: false, comment: 'Neaišku, ką daryti' })).status).toBe(204);
    expect((await auditor.post(path, { helpful: true, comment: 'Dabar aišku' })).status).toBe(204);
    const article = await system.anonymous.get('/v1/kb/articles/error-non-unique-entry');
    expect(article.body.helpful).toEqual({ yes: 2, no: 0 });
    expect((await system.anonymous.post(path, { helpful: true })).status).toBe(401);
    expect((await system.operator.post(path, { helpful: true })).status).toBe(403);
    expect((await tenant.admin.post(path, { helpful: 'taip' })).status).toBe(400);
    expect(
      (await tenant.admin.post('/v1/kb/articles/no-such-article/feedback', { helpful: true })).status,
    ).toBe(404);

    const comments = await system.operator.get('/v1/kb/feedback?slug=error-non-unique-entry');
    expect(comments.body.items).toEqual([
      expect.objectContaining({
        locale: 'lt',
        helpful: true,
        comment: 'Dabar aišku',
        tenantId: tenant.tenantId,
      }),
    ]);
    expect((await tenant.admin.get('/v1/kb/feedback?slug=error-non-unique-entry')).status).toBe(403);
  });

  it('stores images for lesson steps, typed by their bytes, and serves them with ETag and long caching', async () => {
    const upload = (body: Buffer, contentType = 'image/png') =>
      system.operator.request('POST', '/v1/kb/media', {
        raw: body,
        headers: { 'content-type': contentType },
      });
    const png = tinyPng();
    const stored = await upload(png, 'image/jpeg');
    expect(stored.status).toBe(201);
    expect(stored.body).toEqual({
      mediaId: expect.stringMatching(/^[0-9a-f]{64}$/),
      url: `/v1/kb/media/${stored.body.mediaId}`,
    });
    expect((await upload(png)).body.mediaId).toBe(stored.body.mediaId);
    // The same new image from two requests at once (as two instances loading the help): one image.
    const fresh = await Promise.all([upload(tinyPng(2)), upload(tinyPng(2))]);
    expect(fresh.map((r) => r.status)).toEqual([201, 201]);
    expect(fresh[0].body.mediaId).toBe(fresh[1].body.mediaId);

    const served = await fetch(`${system.baseUrl}${stored.body.url}`);
    expect(served.status).toBe(200);
    expect(served.headers.get('content-type')).toBe('image/png');
    expect(served.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
    const etag = served.headers.get('etag');
    expect(etag).toBe(`"${stored.body.mediaId}"`);
    expect(Buffer.from(await served.arrayBuffer()).equals(png)).toBe(true);
    const again = await fetch(`${system.baseUrl}${stored.body.url}`, {
      headers: { 'if-none-match': etag ?? '' },
    });
    expect(again.status).toBe(304);

    const gif = await upload(Buffer.from('GIF89a\u0001\u0000\u0001\u0000\u0000\u0000\u0000;'), 'image/png');
    expect([gif.status, gif.body.code]).toEqual([415, 'unsupported_media_type']);
    const big = await upload(Buffer.concat([png, Buffer.alloc(5 * 1024 * 1024)]));
    expect([big.status, big.body.code]).toEqual([413, 'payload_too_large']);
    const tenant = await system.createTenant();
    expect(
      (
        await tenant.admin.request('POST', '/v1/kb/media', {
          raw: png,
          headers: { 'content-type': 'image/png' },
        })
      ).status,
    ).toBe(403);
    expect((await system.anonymous.get(`/v1/kb/media/${'0'.repeat(64)}`)).status).toBe(404);
  });

  it('ships a visual lesson for creating a client, merging duplicates and importing a statement, each step with its picture', async () => {
    const lessons = await system.anonymous.get('/v1/kb/articles?kind=lesson&locale=lt');
    expect(lessons.body.items.map((l: any) => l.translationKey)).toEqual([
      'lesson-creating-a-client',
      'lesson-merging-duplicates',
      'lesson-importing-a-bank-statement',
    ]);
    for (const lesson of lessons.body.items) {
      expect(lesson.steps.length).toBeGreaterThanOrEqual(3);
      for (const step of lesson.steps) {
        expect(step.media).toEqual({
          mediaId: expect.stringMatching(/^[0-9a-f]{64}$/),
          alt: expect.any(String),
        });
        const picture = await fetch(`${system.baseUrl}/v1/kb/media/${step.media.mediaId}`);
        expect([picture.status, picture.headers.get('content-type')]).toEqual([200, 'image/png']);
      }
    }
    const english = await system.anonymous.get('/v1/kb/articles/pamoka-dublikatu-sujungimas?locale=en');
    expect(english.body).toMatchObject({ slug: 'lesson-merging-duplicates', kind: 'lesson', locale: 'en' });
  });
});

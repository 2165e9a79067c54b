import { KB_ARTICLE_AGGREGATE, type ArticleContent, type KbEvent } from '@clientbook/contracts';
import { deciderSpec } from '@clientbook/testing';
import { type Article, type ArticleCommand, decideArticle, evolveArticle, NO_ARTICLE } from './article';

const spec = deciderSpec<ArticleCommand, KbEvent, Article>({
  decide: decideArticle,
  evolve: evolveArticle,
  initialState: () => NO_ARTICLE,
  aggregateType: KB_ARTICLE_AGGREGATE,
});

const faq: ArticleContent = {
  slug: 'kaip-sukurti-klienta',
  kind: 'faq',
  locale: 'lt',
  translationKey: 'creating-a-client',
  title: 'Kaip sukurti klientą',
  summary: 'Naujas klientas per minutę.',
  body: 'Įveskite pavadinimą ir kodą.',
  module: 'clients',
  tags: ['klientai'],
  order: 1,
};
const created: KbEvent = { type: 'ArticleCreated', data: { content: faq, sourceHash: null } };
const published: KbEvent = { type: 'ArticlePublished', data: { publishedVersion: 1, content: faq } };

describe('knowledge-base articles', () => {
  it('starts as a draft, and a slug is used once per locale', () => {
    spec
      .given([])
      .when({ type: 'CreateArticle', data: { content: faq } })
      .then([created]);
    spec
      .given([created])
      .when({ type: 'CreateArticle', data: { content: faq } })
      .thenThrows('non_unique_entry');
    const again = spec
      .given([created, { type: 'ArticleDeleted', data: {} }])
      .when({ type: 'CreateArticle', data: { content: faq } })
      .thenState();
    expect(again.exists).toBe(true);
  });

  it('publishes its working copy as the next version; a change is live once published again', () => {
    spec.given([created]).when({ type: 'PublishArticle' }).then([published]);
    const edited: KbEvent = {
      type: 'ArticleEdited',
      data: { changes: { title: 'Naujas klientas' }, sourceHash: null },
    };
    const state = spec.given([created, published, edited]).when({ type: 'UnpublishArticle' }).thenState();
    expect(state.published).toBeNull();
    spec
      .given([created, published, edited])
      .when({ type: 'PublishArticle' })
      .then([
        {
          type: 'ArticlePublished',
          data: { publishedVersion: 2, content: { ...faq, title: 'Naujas klientas' } },
        },
      ]);
    spec.given([created, published]).when({ type: 'PublishArticle' }).then([]);
  });

  it('records only what a change changes, and keeps slug and locale', () => {
    spec
      .given([created])
      .when({ type: 'EditArticle', data: { changes: { title: faq.title, order: 2 } } })
      .then([{ type: 'ArticleEdited', data: { changes: { order: 2 }, sourceHash: null } }]);
    spec
      .given([created])
      .when({ type: 'EditArticle', data: { changes: { slug: 'kitas' } } })
      .thenThrows('validation_failed');
    spec
      .given([])
      .when({ type: 'EditArticle', data: { changes: { order: 2 } } })
      .thenThrows('not_found');
  });

  it('wants steps in a lesson and none elsewhere', () => {
    spec
      .given([])
      .when({ type: 'CreateArticle', data: { content: { ...faq, kind: 'lesson' } } })
      .thenThrows('validation_failed');
    spec
      .given([])
      .when({ type: 'CreateArticle', data: { content: { ...faq, steps: [{ title: 'a', body: 'b' }] } } })
      .thenThrows('validation_failed');
  });

  it('loads the product’s own help from its file, again when the file changes, never over an edit through the API', () => {
    const loaded = spec.given([]).when({ type: 'LoadArticle', data: { content: faq, hash: 'h1' } });
    loaded.then([
      { type: 'ArticleCreated', data: { content: faq, sourceHash: 'h1' } },
      { type: 'ArticlePublished', data: { publishedVersion: 1, content: faq } },
    ]);
    const fromFile: KbEvent[] = [
      { type: 'ArticleCreated', data: { content: faq, sourceHash: 'h1' } },
      { type: 'ArticlePublished', data: { publishedVersion: 1, content: faq } },
    ];
    spec
      .given(fromFile)
      .when({ type: 'LoadArticle', data: { content: faq, hash: 'h1' } })
      .then([]);
    const newer = { ...faq, body: 'Įveskite pavadinimą.' };
    spec
      .given(fromFile)
      .when({ type: 'LoadArticle', data: { content: newer, hash: 'h2' } })
      .then([
        { type: 'ArticleEdited', data: { changes: newer, sourceHash: 'h2' } },
        { type: 'ArticlePublished', data: { publishedVersion: 2, content: newer } },
      ]);
    const editedByOperator: KbEvent = {
      type: 'ArticleEdited',
      data: { changes: { order: 5 }, sourceHash: null },
    };
    spec
      .given([...fromFile, editedByOperator])
      .when({ type: 'LoadArticle', data: { content: newer, hash: 'h2' } })
      .then([]);
  });
});

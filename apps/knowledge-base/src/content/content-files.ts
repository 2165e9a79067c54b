import { createHash } from 'node:crypto';
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import matter from 'gray-matter';
import { ArticleContentSchema, type ArticleContent } from '@clientbook/contracts';

/** One article of the product's own help, as its file holds it. */
export type ContentFile = Readonly<{ file: string; content: ArticleContent; hash: string }>;

/**
 * Reads the help's Markdown files (front matter: slug, kind, locale, translationKey, title,
 * summary, module, tags, order, steps; the rest is the body). A file that does not parse is an
 * error naming it: the repository's help is ours, and a broken file must fail the build's tests.
 */
export async function readContentFiles(directory: string): Promise<ContentFile[]> {
  const files: string[] = [];
  const walk = async (dir: string) => {
    for (const entry of await fs.readdir(dir, { withFileTypes: true })) {
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) await walk(full);
      else if (entry.name.endsWith('.md')) files.push(full);
    }
  };
  await walk(directory);
  files.sort();
  return Promise.all(
    files.map(async (file) =>
      parseContentFile(path.relative(directory, file), await fs.readFile(file, 'utf8')),
    ),
  );
}

export function parseContentFile(file: string, text: string): ContentFile {
  const { data, content: body } = matter(text);
  const parsed = ArticleContentSchema.safeParse({ tags: [], order: 0, ...data, body: body.trim() });
  if (!parsed.success)
    throw new Error(
      `${file}: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`,
    );
  return { file, content: parsed.data, hash: createHash('sha256').update(text).digest('hex') };
}

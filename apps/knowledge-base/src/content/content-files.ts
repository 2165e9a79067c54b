import { createHash } from 'node:crypto';
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import matter from 'gray-matter';
import { z } from 'zod';
import { ArticleContentSchema, type ArticleContent, LessonStepSchema } from '@clientbook/contracts';
import { type StepImage, StepImageSchema } from './step-images';

/**
 * One article of the product's own help, as its file holds it; a lesson's steps may describe
 * their picture (`image`), drawn when the file is loaded.
 */
export type ContentFile = Readonly<{
  file: string;
  content: ArticleContent;
  hash: string;
  /** Each step's picture to draw, by the step's position. */
  images: readonly (StepImage | null)[];
}>;

const FileSchema = ArticleContentSchema.extend({
  steps: z
    .array(LessonStepSchema.extend({ image: StepImageSchema.optional() }))
    .max(30)
    .optional(),
});

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
  const parsed = FileSchema.safeParse({ tags: [], order: 0, ...data, body: body.trim() });
  if (!parsed.success)
    throw new Error(
      `${file}: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`,
    );
  const { steps, ...rest } = parsed.data;
  const content: ArticleContent = {
    ...rest,
    ...(steps ? { steps: steps.map(({ image: _image, ...step }) => step) } : {}),
  };
  return {
    file,
    content,
    hash: createHash('sha256').update(text).digest('hex'),
    images: (steps ?? []).map((step) => step.image ?? null),
  };
}

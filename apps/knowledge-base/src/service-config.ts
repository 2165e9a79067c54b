import * as path from 'node:path';
import { z } from 'zod';
import { readEnvironment, readServiceConfig } from '@clientbook/platform';

export const config = readServiceConfig('knowledge-base');

/** Where the product's own help lives (KB_CONTENT_DIR, else the repository's `content/kb`). */
export const contentDir = readEnvironment(
  z.object({
    KB_CONTENT_DIR: z.string().default(path.resolve(__dirname, '..', '..', '..', 'content', 'kb')),
  }),
  process.env,
).KB_CONTENT_DIR;

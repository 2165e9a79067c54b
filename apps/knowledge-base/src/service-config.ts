import * as path from 'node:path';
import { readServiceConfig } from '@clientbook/platform';

export const config = readServiceConfig('knowledge-base');
/** Where the product's own help lives (KB_CONTENT_DIR, else the repository's `content/kb`). */
export const contentDir =
  process.env.KB_CONTENT_DIR || path.resolve(__dirname, '..', '..', '..', 'content', 'kb');

import type { EshopOrder } from '../eshop-orders/match-eshop-order';
import { BankStatementLine, parseCamt053, parseCamt053Bytes } from '../bank-statements/camt053.parser';
import {
  Charset,
  ClientFile,
  parseClientCsv,
  parseClientXlsx,
  parseMapping,
} from '../client-files/client-file.parser';

/** A stored import file and how to read it: what the parsing process is sent. */
export type FileToParse =
  | Readonly<{ kind: 'bank-statement'; bytes: Uint8Array }>
  /** A statement stored as text, by versions before statements were kept as bytes. */
  | Readonly<{ kind: 'bank-statement-text'; text: string }>
  | Readonly<{ kind: 'eshop-orders'; text: string }>
  | Readonly<{
      kind: 'clients';
      bytes: Uint8Array;
      format: 'csv' | 'xlsx';
      charset: Charset;
      mappingJson: string | undefined;
    }>;

/** What a file holds, ready to be planned line by line. */
export type ParsedFile =
  | Readonly<{ kind: 'bank-statement'; lines: readonly BankStatementLine[] }>
  | Readonly<{ kind: 'eshop-orders'; orders: readonly EshopOrder[] }>
  | Readonly<{ kind: 'clients'; file: ClientFile }>;

/** Parses a file (in a process of its own: see isolated-parsing.ts). */
export async function parseFile(file: FileToParse): Promise<ParsedFile> {
  switch (file.kind) {
    case 'bank-statement':
      return { kind: 'bank-statement', lines: parseCamt053Bytes(Buffer.from(file.bytes)) };
    case 'bank-statement-text':
      return { kind: 'bank-statement', lines: parseCamt053(file.text) };
    case 'eshop-orders':
      // Validated at the door (EshopOrdersImportDto) before it was stored.
      return { kind: 'eshop-orders', orders: (JSON.parse(file.text) as { orders: EshopOrder[] }).orders };
    case 'clients': {
      const bytes = Buffer.from(file.bytes);
      const mapping = parseMapping(file.mappingJson);
      return {
        kind: 'clients',
        file:
          file.format === 'xlsx'
            ? await parseClientXlsx(bytes, mapping)
            : parseClientCsv(bytes, file.charset, mapping),
      };
    }
    default: {
      const unknown: never = file;
      throw new Error(`unknown file ${JSON.stringify(unknown)}`);
    }
  }
}

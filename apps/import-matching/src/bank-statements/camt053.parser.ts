import iconv from 'iconv-lite';
import { createHash } from 'node:crypto';
import { SaxesParser } from 'saxes';
import { decodeUtf8 } from '../parsing/text-decoding';
import { MAX_LINES, TooManyLinesError } from '../parsing/too-many-lines.error';
import { UnparseableFileError } from '../parsing/unparseable-file.error';

/** The longest text kept of a statement's fields: a name as a card holds it (ISO 20022 allows 140). */
export const MAX_TEXT = 200;
/** A ref longer than this (ISO 20022 allows 35) is kept as its start and a digest of the whole. */
const MAX_REF = 140;

export type PostalAddress = Readonly<{
  lines: readonly string[];
  street: string | null;
  buildingNumber: string | null;
  postalCode: string | null;
  town: string | null;
  country: string | null;
}>;

export type Counterparty = Readonly<{
  name: string | null;
  iban: string | null;
  organisationId: string | null;
  privateId: string | null;
  address: PostalAddress | null;
}>;

/** One transaction of a statement: the unit an import matches and records. */
export type BankStatementLine = Readonly<{
  ref: string;
  /** Money in (a credit: the counterparty is the debtor) or out (a debit: the creditor). */
  direction: 'in' | 'out';
  amount: string | null;
  currency: string | null;
  bookingDate: string | null;
  reversal: boolean;
  counterparty: Counterparty | null;
  /** The payer's reference: the unstructured text (`Ustrd`), else the structured creditor reference. */
  remittance: string | null;
  /** What the parser had to change: a text cut to MAX_TEXT characters. */
  warnings: readonly string[];
}>;

type PartyDraft = {
  name: string | null;
  iban: string | null;
  organisationId: string | null;
  privateId: string | null;
  address: {
    lines: string[];
    street: string | null;
    buildingNumber: string | null;
    postalCode: string | null;
    town: string | null;
    country: string | null;
  } | null;
};

type Money = { amount: string; currency: string | null };

type TransactionDraft = {
  debtor: PartyDraft;
  creditor: PartyDraft;
  /** The ultimate parties' names: the counterparty's name when the direct party has none. */
  ultimateDebtorName: string | null;
  ultimateCreditorName: string | null;
  /** TxDtls/Amt (newer versions), AmtDtls/TxAmt, AmtDtls/InstdAmt: the first found is the line's. */
  amounts: { own: Money | null; transaction: Money | null; instructed: Money | null };
  remittance: { unstructured: string[]; reference: string | null };
  warnings: string[];
};

type EntryDraft = {
  acctSvcrRef: string | null;
  ntryRef: string | null;
  indicator: string | null;
  amount: string | null;
  currency: string | null;
  bookingDate: string | null;
  reversal: boolean;
  additionalInfo: string | null;
  transactions: TransactionDraft[];
  warnings: string[];
};

const emptyParty = (): PartyDraft => ({
  name: null,
  iban: null,
  organisationId: null,
  privateId: null,
  address: null,
});

const hasAnything = (party: PartyDraft): boolean =>
  Boolean(party.name || party.iban || party.organisationId || party.privateId);

/** The line (1-based) of a character offset. */
const lineAt = (text: string, offset: number): number => {
  let line = 1;
  for (let at = text.indexOf('\n'); at !== -1 && at < offset; at = text.indexOf('\n', at + 1)) line += 1;
  return line;
};

/**
 * A statement's bytes as text, decoded as they say (API.md "Imports"): a byte-order mark, else the
 * XML declaration's `encoding` (UTF-8 when there is none). Bytes that do not decode fail the file,
 * naming the first line where they do not.
 */
export function decodeStatement(bytes: Buffer): string {
  if (bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) return decodeUtf8(bytes.subarray(3));
  const boms: [number, number, string][] = [
    [0xff, 0xfe, 'utf-16le'],
    [0xfe, 0xff, 'utf-16be'],
  ];
  let encoding: string | null = null;
  let body = bytes;
  for (const [a, b, name] of boms)
    if (bytes[0] === a && bytes[1] === b) [encoding, body] = [name, bytes.subarray(2)];
  // UTF-16 without a mark still starts with "<?" in its own byte order.
  if (!encoding && bytes[0] === 0x3c && bytes[1] === 0x00) encoding = 'utf-16le';
  if (!encoding && bytes[0] === 0x00 && bytes[1] === 0x3c) encoding = 'utf-16be';
  if (!encoding) {
    const declared = /^\s*<\?xml[^>]*?\sencoding\s*=\s*["']([A-Za-z0-9._-]{1,40})["']/.exec(
      bytes.subarray(0, 256).toString('latin1'),
    );
    encoding = declared ? declared[1].toLowerCase() : 'utf-8';
  }
  if (encoding === 'utf-8' || encoding === 'utf8')
    return decodeUtf8(body, 'decode it as its XML declaration says, or declare the encoding it is in');
  if (!iconv.encodingExists(encoding))
    throw new UnparseableFileError(
      `line 1: the statement is declared in ${encoding}, an encoding this service does not read`,
    );
  const text = iconv.decode(body, encoding);
  const bad = text.indexOf('\uFFFD');
  if (bad !== -1)
    throw new UnparseableFileError(`line ${lineAt(text, bad)}: bytes that are not ${encoding} text`);
  return text;
}

/**
 * Reads an ISO 20022 camt.053 statement (any camt.053.001.xx version) element by element and
 * returns one line per transaction (API.md "Imports"). Never resolves entities: a DOCTYPE is refused.
 * Stops at the first line over MAX_LINES. Texts are kept to MAX_TEXT characters, with a warning.
 */
export function parseCamt053Bytes(bytes: Buffer): BankStatementLine[] {
  return parseCamt053(decodeStatement(bytes));
}

export function parseCamt053(xml: string): BankStatementLine[] {
  if (xml.trim() === '') throw new UnparseableFileError('the file is empty (line 1)');
  const parser = new SaxesParser({ xmlns: true, position: true });
  const path: string[] = [];
  const lines: BankStatementLine[] = [];
  let text = '';
  let rootChecked = false;
  let statementId: string | null = null;
  let statements = 0;
  let entryPosition = 0;
  let entry: EntryDraft | null = null;
  let transaction: TransactionDraft | null = null;
  let amountCurrency: string | null = null;
  // Past this, a text node is not kept: no field is read longer than MAX_TEXT.
  let textTooLong = false;

  const where = () => `line ${parser.line}, column ${parser.column}`;
  const fail = (message: string): never => {
    throw new UnparseableFileError(`${message} (${where()})`);
  };
  // The path below the nearest element named `name`, e.g. under('TxDtls') → ['RltdPties', 'Dbtr', 'Nm'].
  const under = (name: string): string[] => path.slice(path.lastIndexOf(name) + 1);

  parser.on('doctype', () => fail('a DOCTYPE is not accepted in a bank statement'));
  // saxes names what it met; the message names only the place, never the file's own text.
  parser.on('error', () => {
    throw new UnparseableFileError(`not well-formed XML (${where()})`);
  });

  parser.on('opentag', (tag) => {
    const name = tag.local;
    if (!rootChecked) {
      rootChecked = true;
      if (name !== 'Document' || !/^urn:iso:std:iso:20022:tech:xsd:camt\.053\.001\.\d+$/.test(tag.uri)) {
        fail(`not a camt.053 statement: the root element is <${name}> in namespace "${tag.uri || 'none'}"`);
      }
    }
    path.push(name);
    text = '';
    textTooLong = false;
    if (name === 'Stmt') {
      statements += 1;
      entryPosition = 0;
      statementId = null;
    } else if (name === 'Ntry' && path.at(-2) === 'Stmt') {
      entryPosition += 1;
      entry = {
        acctSvcrRef: null,
        ntryRef: null,
        indicator: null,
        amount: null,
        currency: null,
        bookingDate: null,
        reversal: false,
        additionalInfo: null,
        transactions: [],
        warnings: [],
      };
    } else if (name === 'TxDtls' && entry) {
      transaction = {
        debtor: emptyParty(),
        creditor: emptyParty(),
        ultimateDebtorName: null,
        ultimateCreditorName: null,
        amounts: { own: null, transaction: null, instructed: null },
        remittance: { unstructured: [], reference: null },
        warnings: [],
      };
    } else if (name === 'Amt') {
      const ccy = tag.attributes['Ccy'];
      amountCurrency = typeof ccy === 'object' ? ccy.value : (ccy ?? null);
    }
  });

  parser.on('text', (chunk) => {
    if (text.length > MAX_TEXT * 4) textTooLong = true;
    else text += chunk;
  });

  parser.on('closetag', (tag) => {
    const name = tag.local;
    const full = text.trim();
    const cut = textTooLong || full.length > MAX_TEXT;
    let value = cut ? full.slice(0, MAX_TEXT).trim() : full;
    text = '';
    textTooLong = false;
    const parent = path.at(-2);
    if (cut) {
      const warnings = transaction?.warnings ?? entry?.warnings;
      const field = name === 'Nm' ? 'the counterparty name' : `<${name}>`;
      warnings?.push(`${field} was longer than ${MAX_TEXT} characters; its first ${MAX_TEXT} are used`);
      // A ref cut short could equal another's: it is kept as its start and a digest of all of it.
      if (name === 'AcctSvcrRef' || name === 'NtryRef')
        value = `${full.slice(0, MAX_REF - 17)}#${createHash('sha256').update(full).digest('hex').slice(0, 16)}`;
    }

    if (name === 'Id' && parent === 'Stmt') statementId = value;
    if (entry && !transaction) {
      // Entry-level fields are the Ntry element's own children (or BookgDt's).
      if (parent === 'Ntry') {
        if (name === 'AcctSvcrRef') entry.acctSvcrRef = value || null;
        if (name === 'NtryRef') entry.ntryRef = value || null;
        if (name === 'CdtDbtInd') entry.indicator = value;
        if (name === 'RvslInd') entry.reversal = value === 'true';
        if (name === 'Amt') {
          entry.amount = value || null;
          entry.currency = amountCurrency;
        }
        if (name === 'AddtlNtryInf') entry.additionalInfo = value || null;
      }
      if (parent === 'BookgDt' && (name === 'Dt' || name === 'DtTm')) entry.bookingDate = value || null;
    }
    if (transaction) {
      const inside = under('TxDtls');
      const money = value ? { amount: value, currency: amountCurrency } : null;
      const at = inside.join('/');
      if (at === 'Amt') transaction.amounts.own = money;
      else if (at === 'AmtDtls/TxAmt/Amt') transaction.amounts.transaction = money;
      else if (at === 'AmtDtls/InstdAmt/Amt') transaction.amounts.instructed = money;
      else if (at === 'RmtInf/Ustrd' && value) transaction.remittance.unstructured.push(value);
      else if (at === 'RmtInf/Strd/CdtrRefInf/Ref' && value) transaction.remittance.reference ??= value;
      // UltmtDbtr/Nm or UltmtDbtr/Pty/Nm.
      if ((at === 'RltdPties/UltmtDbtr/Nm' || at === 'RltdPties/UltmtDbtr/Pty/Nm') && value)
        transaction.ultimateDebtorName = value;
      if ((at === 'RltdPties/UltmtCdtr/Nm' || at === 'RltdPties/UltmtCdtr/Pty/Nm') && value)
        transaction.ultimateCreditorName = value;
      if (inside[0] === 'RltdPties' && inside.length >= 3) {
        const role = inside[1];
        const party = role === 'Dbtr' ? transaction.debtor : role === 'Cdtr' ? transaction.creditor : null;
        const account =
          role === 'DbtrAcct' ? transaction.debtor : role === 'CdtrAcct' ? transaction.creditor : null;
        // Newer versions wrap the party in <Pty>: Dbtr/Pty/Nm.
        const rest = inside.slice(2)[0] === 'Pty' ? inside.slice(3) : inside.slice(2);
        if (party) {
          const field = rest.join('/');
          if (field === 'Nm') party.name = value || null;
          else if (field === 'Id/OrgId/Othr/Id') party.organisationId = value || null;
          else if (field === 'Id/PrvtId/Othr/Id') party.privateId = value || null;
          else if (rest[0] === 'PstlAdr' && rest.length === 2 && value) {
            party.address ??= {
              lines: [],
              street: null,
              buildingNumber: null,
              postalCode: null,
              town: null,
              country: null,
            };
            const address = party.address;
            if (rest[1] === 'AdrLine') address.lines.push(value);
            else if (rest[1] === 'StrtNm') address.street = value;
            else if (rest[1] === 'BldgNb') address.buildingNumber = value;
            else if (rest[1] === 'PstCd') address.postalCode = value;
            else if (rest[1] === 'TwnNm') address.town = value;
            else if (rest[1] === 'Ctry') address.country = value;
          }
        }
        if (account && rest.join('/') === 'Id/IBAN') account.iban = value || null;
      }
    }

    if (name === 'TxDtls' && entry && transaction) {
      entry.transactions.push(transaction);
      transaction = null;
    }
    if (name === 'Ntry' && entry && parent === 'Stmt') {
      lines.push(...entryLines(entry, statementId ?? 'statement', entryPosition));
      if (lines.length > MAX_LINES) throw new TooManyLinesError('lines');
      entry = null;
    }
    path.pop();
  });

  try {
    parser.write(xml).close();
  } catch (error) {
    if (error instanceof UnparseableFileError || error instanceof TooManyLinesError) throw error;
    throw new UnparseableFileError(`not well-formed XML (${where()})`);
  }
  if (!rootChecked) throw new UnparseableFileError('no XML element in the file (line 1)');
  if (statements === 0)
    throw new UnparseableFileError('no <Stmt> element: a camt.053 document holds at least one statement');
  return lines;
}

function entryLines(entry: EntryDraft, statementId: string, position: number): BankStatementLine[] {
  if (entry.indicator !== 'CRDT' && entry.indicator !== 'DBIT') {
    throw new UnparseableFileError(
      `entry ${position} of statement ${statementId} has no CdtDbtInd of CRDT or DBIT`,
    );
  }
  const direction = entry.indicator === 'CRDT' ? 'in' : 'out';
  const base = entry.acctSvcrRef ?? entry.ntryRef ?? `${statementId}#${position}`;
  const transactions = entry.transactions.length > 0 ? entry.transactions : [null];
  return transactions.map((tx, index) => {
    const direct = tx ? (direction === 'in' ? tx.debtor : tx.creditor) : null;
    const ultimateName = tx ? (direction === 'in' ? tx.ultimateDebtorName : tx.ultimateCreditorName) : null;
    // No name on the direct party: the ultimate one's is the best there is.
    const party = direct ? { ...direct, name: direct.name ?? ultimateName } : null;
    const money = tx ? (tx.amounts.own ?? tx.amounts.transaction ?? tx.amounts.instructed) : null;
    const remittance = tx
      ? tx.remittance.unstructured.join(' ').slice(0, MAX_TEXT) || tx.remittance.reference
      : entry.additionalInfo;
    return {
      ref: transactions.length > 1 ? `${base}/${index + 1}` : base,
      direction,
      amount: money?.amount ?? entry.amount,
      currency: money ? money.currency : entry.currency,
      bookingDate: entry.bookingDate,
      reversal: entry.reversal,
      counterparty: party && hasAnything(party) ? { ...party, address: party.address } : null,
      remittance: remittance || null,
      warnings: [...entry.warnings, ...(tx?.warnings ?? [])],
    };
  });
}

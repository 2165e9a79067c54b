import { SaxesParser } from 'saxes';
import { MAX_LINES, TooManyLinesError } from './too-many-lines.error';
import { UnparseableFileError } from './unparseable-file.error';

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

type TransactionDraft = {
  debtor: PartyDraft;
  creditor: PartyDraft;
  amount: string | null;
  currency: string | null;
};

type EntryDraft = {
  acctSvcrRef: string | null;
  ntryRef: string | null;
  indicator: string | null;
  amount: string | null;
  currency: string | null;
  bookingDate: string | null;
  reversal: boolean;
  transactions: TransactionDraft[];
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

/**
 * Reads an ISO 20022 camt.053 statement (any camt.053.001.xx version) element by element and
 * returns one line per transaction (API.md "Imports"). Never resolves entities: a DOCTYPE is refused.
 * Stops at the first line over MAX_LINES.
 */
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

  const where = () => `line ${parser.line}, column ${parser.column}`;
  const fail = (message: string): never => {
    throw new UnparseableFileError(`${message} (${where()})`);
  };
  // The path below the nearest element named `name`, e.g. under('TxDtls') → ['RltdPties', 'Dbtr', 'Nm'].
  const under = (name: string): string[] => path.slice(path.lastIndexOf(name) + 1);

  parser.on('doctype', () => fail('a DOCTYPE is not accepted in a bank statement'));
  parser.on('error', (error) => {
    throw new UnparseableFileError(
      `not well-formed XML: ${error.message.replace(/^\S+:\d+:\d+: /, '')} (${where()})`,
    );
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
        transactions: [],
      };
    } else if (name === 'TxDtls' && entry) {
      transaction = { debtor: emptyParty(), creditor: emptyParty(), amount: null, currency: null };
    } else if (name === 'Amt') {
      const ccy = tag.attributes['Ccy'];
      amountCurrency = typeof ccy === 'object' ? ccy.value : (ccy ?? null);
    }
  });

  parser.on('text', (chunk) => {
    text += chunk;
  });

  parser.on('closetag', (tag) => {
    const name = tag.local;
    const value = text.trim();
    text = '';
    const parent = path.at(-2);

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
      }
      if (parent === 'BookgDt' && (name === 'Dt' || name === 'DtTm')) entry.bookingDate = value || null;
    }
    if (transaction) {
      const inside = under('TxDtls');
      if (inside[0] === 'AmtDtls' && name === 'Amt' && !transaction.amount) {
        transaction.amount = value || null;
        transaction.currency = amountCurrency;
      }
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
    throw new UnparseableFileError(`not well-formed XML: ${(error as Error).message} (${where()})`);
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
    const party = tx ? (direction === 'in' ? tx.debtor : tx.creditor) : null;
    return {
      ref: transactions.length > 1 ? `${base}/${index + 1}` : base,
      direction,
      amount: tx?.amount ?? entry.amount,
      currency: tx?.currency ?? entry.currency,
      bookingDate: entry.bookingDate,
      reversal: entry.reversal,
      counterparty: party && hasAnything(party) ? { ...party, address: party.address } : null,
    };
  });
}

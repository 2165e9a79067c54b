import { deflateSync } from 'node:zlib';
import iconv from 'iconv-lite';

// The project's own sample inputs, built in code: what ../shared/fixtures/README.md documents, with
// our own names, codes, IBANs, amounts and dates (the README's person and company names are kept,
// since its outcomes are stated by them). Pure functions, no file system.
//
// Every identifier carries valid check digits unless it is meant to fail (INVALID_IDS): IBANs were
// made with ibantools' composeIBAN, Lithuanian personal, company and VAT codes with the mod-11 rule
// (the README's own 302345678 is kept as it is: 9 digits, which is all the project checks).
// apps/import-matching/src/sample-files.spec.ts checks each one with @clientbook/identifiers and
// reads every file with the project's parsers; ./sample-files.spec.ts checks bytes and check digits.

// --- Identifiers -------------------------------------------------------------------------------

/** The tenant's own company: the owner of the statements' account. */
export const OWN_COMPANY = {
  name: 'UAB Bandomoji Apskaita',
  code: '305612082',
  iban: 'LT437044060012345678',
} as const;

/** Values meant to fail: a short code, and IBANs and a personal code with their check digits changed. */
export const INVALID_IDS = {
  /** The other application's row 5: a company code of 5 digits. */
  shortCompanyCode: '30418',
  /** The other application's row 5: LT567044060000111222 with its check digits changed. */
  lithuanianIbanBadCheck: 'LT657044060000111222',
  /** Petras Petraitis: 37809221533 with its last (check) digit changed. */
  personalCodeBadCheck: '37809221534',
  /** A Dutch creditor's IBAN: NL27RABO0318822467 with its check digits swapped. */
  dutchIbanBadCheck: 'NL72RABO0318822467',
  /** A Swiss debtor's two IBANs: CH1704835091377412000 and CH7008390031845600127, check digits swapped. */
  swissIbanBadCheck1: 'CH7104835091377412000',
  swissIbanBadCheck2: 'CH0708390031845600127',
} as const;

// --- camt.053 ----------------------------------------------------------------------------------

export type SampleAddress = Readonly<{
  street?: string;
  buildingNumber?: string;
  postalCode?: string;
  town?: string;
  country?: string;
  lines?: readonly string[];
}>;

export type SampleParty = Readonly<{
  name: string;
  iban?: string;
  organisationId?: string;
  address?: SampleAddress;
}>;

export type SampleTransaction = Readonly<{
  /** The counterparty: the debtor of money in, the creditor of money out. */
  counterparty: SampleParty;
  /** The transaction's own amount; `TxDtls/Amt` (camt.053.001.03+) or `AmtDtls/TxAmt/Amt`. */
  amount?: string;
  amountElement?: 'Amt' | 'TxAmt';
  endToEndId?: string;
  /** `Refs/AcctSvcrRef` of the transaction (banks repeat the entry's; the parser reads the entry's). */
  transactionRef?: string;
  /** Unstructured remittance (`Ustrd`) or a structured creditor reference (`Strd/CdtrRefInf/Ref`). */
  remittance?: string;
  creditorReference?: string;
}>;

export type SampleEntry = Readonly<{
  /** The line's ref: `AcctSvcrRef`, else `NtryRef`, else statement id + `#` + position. */
  acctSvcrRef?: string;
  ntryRef?: string;
  direction: 'in' | 'out';
  amount: string;
  currency: string;
  bookingDate: string;
  reversal?: boolean;
  /** More than one transaction: a batch (`Btch/NbOfTxs`), one line per transaction. */
  transactions: readonly SampleTransaction[];
}>;

type StatementShape = Readonly<{
  version: '02' | '04';
  messageId: string;
  statementId: string;
  createdAt: string;
  from: string;
  to: string;
  currency: string;
  openingBalance: string;
  entries: readonly SampleEntry[];
}>;

const escapeXml = (text: string): string =>
  text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

/** `<Tag>text</Tag>`, or nothing when there is no text. */
const el = (tag: string, text: string | undefined): string =>
  text === undefined ? '' : `<${tag}>${escapeXml(text)}</${tag}>`;

const amountXml = (amount: string, currency: string) => `<Amt Ccy="${currency}">${amount}</Amt>`;

function addressXml(address: SampleAddress | undefined): string {
  if (!address) return '';
  return (
    '<PstlAdr>' +
    el('StrtNm', address.street) +
    el('BldgNb', address.buildingNumber) +
    el('PstCd', address.postalCode) +
    el('TwnNm', address.town) +
    el('Ctry', address.country) +
    (address.lines ?? []).map((line) => el('AdrLine', line)).join('') +
    '</PstlAdr>'
  );
}

/** `<Dbtr>…</Dbtr><DbtrAcct>…</DbtrAcct>` (or Cdtr) of one party. */
function partyXml(role: 'Dbtr' | 'Cdtr', party: SampleParty): string {
  const id = party.organisationId
    ? `<Id><OrgId><Othr>${el('Id', party.organisationId)}</Othr></OrgId></Id>`
    : '';
  const account = party.iban ? `<${role}Acct><Id>${el('IBAN', party.iban)}</Id></${role}Acct>` : '';
  return `<${role}>${el('Nm', party.name)}${addressXml(party.address)}${id}</${role}>${account}`;
}

function transactionXml(
  tx: SampleTransaction,
  direction: SampleEntry['direction'],
  currency: string,
  ownParty: SampleParty | null,
): string {
  const refs =
    tx.transactionRef || tx.endToEndId
      ? `<Refs>${el('AcctSvcrRef', tx.transactionRef)}${el('EndToEndId', tx.endToEndId)}</Refs>`
      : '';
  const ownAmount = tx.amount && tx.amountElement === 'Amt' ? amountXml(tx.amount, currency) : '';
  const txAmount =
    tx.amount && tx.amountElement !== 'Amt'
      ? `<AmtDtls><TxAmt>${amountXml(tx.amount, currency)}</TxAmt></AmtDtls>`
      : '';
  // The counterparty is the debtor of money in; our own company, when named, is the other party.
  const debtor = direction === 'in' ? tx.counterparty : ownParty;
  const creditor = direction === 'in' ? ownParty : tx.counterparty;
  const parties = (debtor ? partyXml('Dbtr', debtor) : '') + (creditor ? partyXml('Cdtr', creditor) : '');
  const remittance =
    tx.remittance || tx.creditorReference
      ? '<RmtInf>' +
        el('Ustrd', tx.remittance) +
        (tx.creditorReference
          ? `<Strd><CdtrRefInf>${el('Ref', tx.creditorReference)}</CdtrRefInf></Strd>`
          : '') +
        '</RmtInf>'
      : '';
  return `<TxDtls>${refs}${ownAmount}${txAmount}<RltdPties>${parties}</RltdPties>${remittance}</TxDtls>`;
}

function entryXml(entry: SampleEntry, ownParty: SampleParty | null): string {
  const batch =
    entry.transactions.length > 1 ? `<Btch><NbOfTxs>${entry.transactions.length}</NbOfTxs></Btch>` : '';
  return (
    '<Ntry>' +
    el('NtryRef', entry.ntryRef) +
    amountXml(entry.amount, entry.currency) +
    el('CdtDbtInd', entry.direction === 'in' ? 'CRDT' : 'DBIT') +
    (entry.reversal ? el('RvslInd', 'true') : '') +
    '<Sts>BOOK</Sts>' +
    `<BookgDt>${el('Dt', entry.bookingDate)}</BookgDt>` +
    `<ValDt>${el('Dt', entry.bookingDate)}</ValDt>` +
    el('AcctSvcrRef', entry.acctSvcrRef) +
    `<NtryDtls>${batch}${entry.transactions
      .map((tx) => transactionXml(tx, entry.direction, entry.currency, ownParty))
      .join('')}</NtryDtls>` +
    '</Ntry>'
  );
}

const cents = (amount: string): number => Math.round(Number(amount) * 100);
const money = (value: number): string => (value / 100).toFixed(2);

/** A balance element: OPBD (opening booked) or CLBD (closing booked). */
function balanceXml(code: 'OPBD' | 'CLBD', amount: number, currency: string, date: string): string {
  return (
    `<Bal><Tp><CdOrPrtry><Cd>${code}</Cd></CdOrPrtry></Tp>${amountXml(money(Math.abs(amount)), currency)}` +
    `<CdtDbtInd>${amount < 0 ? 'DBIT' : 'CRDT'}</CdtDbtInd><Dt>${el('Dt', date)}</Dt></Bal>`
  );
}

/** A whole camt.053 document: one statement of our own account, one entry a line. */
function camt053(shape: StatementShape, ownParty: SampleParty | null): string {
  // The closing balance follows from the entries (a reversal is booked as its CdtDbtInd says).
  const closing = shape.entries.reduce(
    (sum, entry) => sum + (entry.direction === 'in' ? 1 : -1) * cents(entry.amount),
    cents(shape.openingBalance),
  );
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<Document xmlns="urn:iso:std:iso:20022:tech:xsd:camt.053.001.${shape.version}">`,
    '<BkToCstmrStmt>',
    `<GrpHdr>${el('MsgId', shape.messageId)}${el('CreDtTm', shape.createdAt)}</GrpHdr>`,
    '<Stmt>',
    el('Id', shape.statementId),
    el('CreDtTm', shape.createdAt),
    `<FrToDt>${el('FrDtTm', `${shape.from}T00:00:00`)}${el('ToDtTm', `${shape.to}T23:59:59`)}</FrToDt>`,
    `<Acct><Id>${el('IBAN', OWN_COMPANY.iban)}</Id>${el('Ccy', shape.currency)}` +
      `<Ownr>${el('Nm', OWN_COMPANY.name)}</Ownr></Acct>`,
    balanceXml('OPBD', cents(shape.openingBalance), shape.currency, shape.from),
    balanceXml('CLBD', closing, shape.currency, shape.to),
    ...shape.entries.map((entry) => entryXml(entry, ownParty)),
    '</Stmt>',
    '</BkToCstmrStmt>',
    '</Document>',
    '',
  ].join('\n');
}

/** One entry of the sample statement, with one transaction: most banks write payments so. */
const payment = (
  seq: number,
  refPrefix: string,
  direction: SampleEntry['direction'],
  amount: string,
  bookingDate: string,
  counterparty: SampleParty,
  remittance: string,
): SampleEntry => ({
  acctSvcrRef: `${refPrefix}${String(seq).padStart(4, '0')}`,
  ntryRef: String(seq),
  direction,
  amount,
  currency: 'EUR',
  bookingDate,
  transactions: [{ counterparty, endToEndId: `E2E-2603-${String(seq).padStart(4, '0')}`, remittance }],
});

/** The counterparties of the sample statement, in line order (line n is index n - 1). */
export const SAMPLE_STATEMENT_PARTIES = {
  jonas: { name: 'JONAS JONAITIS', iban: 'LT157300010087654321' },
  sarunas: { name: 'SARUNAS PETRAUSKAS', iban: 'LT922140000044455566' },
  medzioDarbai: { name: 'UAB MEDZIO DARBAI', organisationId: '302345678', iban: 'LT894010051000333444' },
  popieriausTiekimas: {
    name: 'UAB Popieriaus Tiekimas',
    organisationId: '304872159',
    iban: 'LT437044060009876543',
  },
  sarunasReversed: { name: 'Petrauskas Sarunas', iban: 'LT922140000044455566' },
  lina: { name: 'Lina Stankevičienė', iban: 'LT727300010055512345' },
  linaInCapitals: { name: 'LINA STANKEVICIENE', iban: 'LT773500010000765432' },
  taxAuthority: {
    name: 'Valstybinė mokesčių inspekcija',
    organisationId: '188659752',
    iban: 'LT837300010000200031',
  },
} as const satisfies Record<string, SampleParty>;

export type SampleStatementOptions = Readonly<{
  /** The statement's `Id` (default `CB-2026-03`). */
  statementId?: string;
  /** The start of each entry's `AcctSvcrRef`, which is the line's ref (default `CB-2603-`). */
  refPrefix?: string;
}>;

/**
 * The sample camt.053.001.02 statement of our own account, March 2026, 8 entries (README
 * "camt053"). Refs are `CB-2603-0001` … `CB-2603-0008`; give another `refPrefix` and `statementId`
 * for "the same counterparties in a second bank's statement".
 */
export function sampleStatementEntries(options: SampleStatementOptions = {}): SampleEntry[] {
  const prefix = options.refPrefix ?? 'CB-2603-';
  const p = SAMPLE_STATEMENT_PARTIES;
  return [
    // 1 money in → a new person Jonas Jonaitis, role buyer, with his IBAN.
    payment(1, prefix, 'in', '150.00', '2026-03-02', p.jonas, 'Apmokėjimas pagal sąskaitą BA-0311'),
    // 2 → a new person (or, when "Šarūnas Petrauskas" exists, matched to him by name).
    payment(2, prefix, 'in', '37.80', '2026-03-03', p.sarunas, 'BA-0312'),
    // 3 organisation id 302345678 → a new company (by the id; the legal form UAB too), role buyer.
    payment(3, prefix, 'in', '1250.00', '2026-03-04', p.medzioDarbai, 'BA-0313 avansas'),
    // 4 money out to UAB Popieriaus Tiekimas → a new company, role supplier.
    payment(4, prefix, 'out', '412.35', '2026-03-05', p.popieriausTiekimas, 'Sąskaita PT-2026-041'),
    // 5 the same IBAN as line 2, the name in the other order → matched to line 2's client by IBAN.
    payment(5, prefix, 'in', '22.00', '2026-03-06', p.sarunasReversed, 'BA-0314'),
    // 6 a new person (a Lithuanian IBAN: resident) …
    payment(6, prefix, 'in', '75.00', '2026-03-09', p.lina, 'BA-0315'),
    // 7 … written again in capitals without diacritics, from another account → matched by name.
    payment(7, prefix, 'in', '75.00', '2026-03-10', p.linaInCapitals, 'BA-0316'),
    // 8 money out to the tax authority (organisation id 188659752) → a new company, role supplier.
    payment(8, prefix, 'out', '640.00', '2026-03-16', p.taxAuthority, 'PVM už 2026-02'),
  ];
}

/** The sample statement as XML (README "camt053"): see `sampleStatementEntries`. */
export function sampleStatement(options: SampleStatementOptions = {}): string {
  const statementId = options.statementId ?? 'CB-2026-03';
  return camt053(
    {
      version: '02',
      messageId: `MSG-${statementId}`,
      statementId,
      createdAt: '2026-04-01T06:30:00',
      from: '2026-03-01',
      to: '2026-03-31',
      currency: 'EUR',
      openingBalance: '8420.15',
      entries: sampleStatementEntries(options),
    },
    // Our own company is named as the other party of each payment, as banks do: the parser must
    // take the counterparty by the direction.
    { name: OWN_COMPANY.name, iban: OWN_COMPANY.iban },
  );
}

const banqueAddress = { street: 'Rue du Lac', buildingNumber: '12', postalCode: '1007', town: 'Lausanne' };

/** The counterparties of the foreign statement (see `foreignCounterpartiesStatement`). */
export const FOREIGN_STATEMENT_PARTIES = {
  /** A bank (a company by its name): an IBAN with wrong check digits, the country `CHE` (alpha-3). */
  banque: {
    name: 'Banque du Léman',
    iban: INVALID_IDS.swissIbanBadCheck1,
    address: { ...banqueAddress, country: 'CHE' },
  },
  /** The same bank, written with another faulty IBAN and the country `Schweiz`. */
  banqueAgain: {
    name: 'Banque du Léman',
    iban: INVALID_IDS.swissIbanBadCheck2,
    address: { ...banqueAddress, country: 'Schweiz' },
  },
  /** A Dutch company (B.V.) with a full address and an IBAN with wrong check digits. */
  insurer: {
    name: 'Verzekeringen Noordzee B.V.',
    iban: INVALID_IDS.dutchIbanBadCheck,
    address: {
      street: 'Havenkade',
      buildingNumber: '7',
      postalCode: '3011 AB',
      town: 'Rotterdam',
      country: 'NL',
    },
  },
  /** A Dutch person: only a country for an address, the same faulty IBAN as the insurer. */
  anke: { name: 'Anke Visser', iban: INVALID_IDS.dutchIbanBadCheck, address: { country: 'NL' } },
  /** A Dutch company (an organisation word) with a valid IBAN and a full address. */
  media: {
    name: 'Lichtveld Media',
    iban: 'NL60INGB0006842193',
    address: {
      street: 'Kanaalweg',
      buildingNumber: '21',
      postalCode: '3526 KL',
      town: 'Utrecht',
      country: 'NL',
    },
  },
} as const satisfies Record<string, SampleParty>;

/** The foreign statement's id: the ref of an entry without `AcctSvcrRef` or `NtryRef` is `<id>#<position>`. */
export const FOREIGN_STATEMENT_ID = 'CB-FX-2026-04';

/**
 * A camt.053.001.04 statement of foreign counterparties with faulty data, as real banks write
 * them (replaces other projects' test statements). Lines and their refs:
 *
 * 0 `CB-FX-0420/1` money in from `Banque du Léman` (a bank: a company by its name), IBAN
 *   CH7104835091377412000 (check digits wrong), address Rue du Lac 12, 1007 Lausanne, country
 *   `CHE` (not an ISO 3166-1 alpha-2 code) → created: no bank account, no address, residency
 *   foreign (nothing valid says where it is), the address kept in the notes; four warnings.
 * 1 `CB-FX-0420/2` the same entry's second transaction (both share the entry's `AcctSvcrRef` and
 *   the transaction's): the same bank, IBAN CH0708390031845600127 (check digits wrong), country
 *   `Schweiz` → matched by name to line 0's client, warning of the IBAN and the country.
 * 2 `CB-FX-2026-04#2` (no refs at all) money out to `Verzekeringen Noordzee B.V.`, IBAN
 *   NL72RABO0318822467 (check digits wrong), address Havenkade 7, 3011 AB Rotterdam, NL →
 *   created: company, supplier, residency eu (from the address), the address stored, no account.
 * 3, 4 `CB-FX-2026-04#3/1`, `#3/2` a reversed batch (`RvslInd`) of two debits to the person
 *   `Anke Visser` (address: country NL only) with the same invalid IBAN as line 2 → line 3
 *   created (person, supplier, eu, no address), line 4 matched to it by name.
 * 5 `CB-FX-2026-04#4` money in from `Lichtveld Media` with the valid NL60INGB0006842193 and a full
 *   Utrecht address → created: company (an organisation word), buyer, eu, IBAN and address
 *   stored, no warnings.
 */
export function foreignCounterpartiesStatement(): string {
  const f = FOREIGN_STATEMENT_PARTIES;
  return camt053(
    {
      version: '04',
      messageId: `MSG-${FOREIGN_STATEMENT_ID}`,
      statementId: FOREIGN_STATEMENT_ID,
      createdAt: '2026-05-01T07:00:00',
      from: '2026-04-01',
      to: '2026-04-30',
      currency: 'EUR',
      openingBalance: '3100.00',
      entries: [
        // Two credits in one entry that share its ref, as some banks batch incoming transfers.
        {
          ntryRef: '0420',
          acctSvcrRef: 'CB-FX-0420',
          direction: 'in',
          amount: '1750.00',
          currency: 'EUR',
          bookingDate: '2026-04-07',
          transactions: [
            {
              counterparty: f.banque,
              amount: '1200.00',
              amountElement: 'Amt',
              transactionRef: 'CB-FX-0420-TX',
              creditorReference: 'RF17LEMAN2026041',
            },
            {
              counterparty: f.banqueAgain,
              amount: '550.00',
              amountElement: 'Amt',
              transactionRef: 'CB-FX-0420-TX',
              remittance: 'Facture 2026-042',
            },
          ],
        },
        // No AcctSvcrRef, no NtryRef: the ref is the statement id and the position.
        {
          direction: 'out',
          amount: '318.40',
          currency: 'EUR',
          bookingDate: '2026-04-09',
          transactions: [
            {
              counterparty: f.insurer,
              amount: '318.40',
              endToEndId: 'NOORDZEE-POLIS-88213',
              remittance: 'Polis 88213 premie 2026',
            },
          ],
        },
        // A reversed direct-debit batch of two transactions to one creditor.
        {
          direction: 'out',
          reversal: true,
          amount: '96.50',
          currency: 'EUR',
          bookingDate: '2026-04-14',
          transactions: [
            { counterparty: f.anke, amount: '61.50', remittance: 'Incasso 2026-04 A' },
            { counterparty: f.anke, amount: '35.00', remittance: 'Incasso 2026-04 B' },
          ],
        },
        {
          direction: 'in',
          amount: '2205.75',
          currency: 'EUR',
          bookingDate: '2026-04-21',
          transactions: [{ counterparty: f.media, amount: '2205.75', remittance: 'Factuur LM-2026-118' }],
        },
      ],
    },
    null,
  );
}

/** A camt.053.001.04 statement with no entries at all: an import of it completes with zero lines. */
export function statementWithoutEntries(): string {
  return camt053(
    {
      version: '04',
      messageId: 'MSG-CB-EMPTY-2026-05',
      statementId: 'CB-EMPTY-2026-05',
      createdAt: '2026-06-01T06:00:00',
      from: '2026-05-01',
      to: '2026-05-31',
      currency: 'EUR',
      openingBalance: '0.00',
      entries: [],
    },
    null,
  );
}

// --- E-shop orders -----------------------------------------------------------------------------

/** An order as `POST /v1/imports/eshop-orders` takes it (API.md "Imports"). */
export type SampleOrder = Readonly<{
  orderId: string;
  date: string;
  total: number;
  currency: string;
  customer: Readonly<{
    firstName: string;
    lastName: string;
    email: string;
    phone?: string;
    company?: string;
    companyCode?: string;
    vatCode?: string;
    address?: Readonly<{ line1: string; city: string; postalCode?: string; country: string }>;
  }>;
}>;

/** The company of order WC-5004. */
export const SAMPLE_ORDER_COMPANY = {
  name: 'MB Saulėta Diena',
  code: '305627344',
  vatCode: 'LT305612812',
} as const;

/** The e-shop import body (README "eshop"): orders WC-5001 … WC-5005, in that order. */
export function sampleOrders(): { source: string; orders: SampleOrder[] } {
  const jonas = { firstName: 'Jonas', lastName: 'Jonaitis' };
  return {
    source: 'woocommerce',
    orders: [
      // WC-5001 → a new person Jonas Jonaitis, with his phone and address.
      {
        orderId: 'WC-5001',
        date: '2026-03-03T09:20:00Z',
        total: 64.9,
        currency: 'EUR',
        customer: {
          ...jonas,
          email: 'jonas.jonaitis@example.com',
          phone: '+37061111222',
          address: { line1: 'Tilžės g. 60', city: 'Šiauliai', postalCode: '76290', country: 'LT' },
        },
      },
      // WC-5002 the same person, the e-mail differing only in case → matched to WC-5001's client.
      {
        orderId: 'WC-5002',
        date: '2026-03-05T17:45:00Z',
        total: 18.5,
        currency: 'EUR',
        customer: { ...jonas, email: 'Jonas.Jonaitis@Example.COM' },
      },
      // WC-5003 the same name, another e-mail → a second client (matched by name with
      // prioritySearchByName on).
      {
        orderId: 'WC-5003',
        date: '2026-03-08T11:05:00Z',
        total: 27.0,
        currency: 'EUR',
        customer: { ...jonas, email: 'jjonaitis@example.net' },
      },
      // WC-5004 carries a company code → the company MB Saulėta Diena (matched or created).
      {
        orderId: 'WC-5004',
        date: '2026-03-10T13:30:00Z',
        total: 342.0,
        currency: 'EUR',
        customer: {
          firstName: 'Giedrė',
          lastName: 'Vasiliauskaitė',
          email: 'giedre@sauletadiena.example',
          company: SAMPLE_ORDER_COMPANY.name,
          companyCode: SAMPLE_ORDER_COMPANY.code,
          vatCode: SAMPLE_ORDER_COMPANY.vatCode,
        },
      },
      // WC-5005 Šarūnas Petrauskas with an e-mail → matched only to a client with that name and
      // e-mail (the bank statement gives him none, so by default: created).
      {
        orderId: 'WC-5005',
        date: '2026-03-12T08:10:00Z',
        total: 9.99,
        currency: 'EUR',
        customer: { firstName: 'Šarūnas', lastName: 'Petrauskas', email: 'sarunas.petrauskas@example.com' },
      },
    ],
  };
}

// --- Client files ------------------------------------------------------------------------------

/** A client file's field, as API.md "Imports" names them. */
export type SampleClientField =
  | 'name'
  | 'firstName'
  | 'lastName'
  | 'kind'
  | 'code'
  | 'vatCode'
  | 'email'
  | 'phone'
  | 'roles'
  | 'residency'
  | 'address'
  | 'city'
  | 'postalCode'
  | 'country'
  | 'iban';

export type SampleClientRow = Readonly<Partial<Record<SampleClientField, string>>>;

/** The other application's columns, in order: their (Lithuanian) header → our field. */
export const OTHER_APP_COLUMNS: readonly (readonly [string, SampleClientField])[] = [
  ['Pavadinimas', 'name'],
  ['Įmonės kodas', 'code'],
  ['PVM mokėtojo kodas', 'vatCode'],
  ['El. paštas', 'email'],
  ['Telefonas', 'phone'],
  // A header with a comma in a semicolon file.
  ['Gatvė, namo nr.', 'address'],
  ['Miestas', 'city'],
  ['Pašto indeksas', 'postalCode'],
  ['Šalis', 'country'],
  ['Sąskaitos nr.', 'iban'],
  ['Kliento tipas', 'roles'],
];

/** The other application's rows, by our field names (README "clients/other-app-export"). */
export const OTHER_APP_ROWS: readonly SampleClientRow[] = [
  // Row 1 → created: a buyer.
  {
    name: 'UAB Ąžuolo Baldai',
    code: '302910465',
    vatCode: 'LT302910419',
    email: 'info@azuolobaldai.example',
    phone: '+370 5 210 3344',
    address: 'Kalvarijų g. 14',
    city: 'Vilnius',
    postalCode: '09310',
    country: 'LT',
    iban: 'LT544010042500112233',
    roles: 'buyer',
  },
  // Row 2 → created: a supplier.
  {
    name: 'UAB Šilko Kelias',
    code: '303774299',
    email: 'pardavimai@silkokelias.example',
    address: 'Pramonės pr. 8',
    city: 'Kaunas',
    postalCode: '51270',
    country: 'LT',
    iban: 'LT507300010099123456',
    roles: 'supplier',
  },
  // Row 3 → created: a bank.
  {
    name: 'AB Taupumo Bankas',
    code: '121543872',
    vatCode: 'LT121543819',
    address: 'Gedimino pr. 35',
    city: 'Vilnius',
    postalCode: '01109',
    country: 'LT',
    roles: 'bank',
  },
  // Row 4 → created: a government agency.
  {
    name: 'Valstybinė vandenų priežiūros tarnyba',
    code: '188621538',
    address: 'Žalgirio g. 92',
    city: 'Vilnius',
    postalCode: '09303',
    country: 'LT',
    roles: 'government',
  },
  // Row 5 → failed: the company code has 5 digits and the IBAN's check digits are wrong (errors
  // on `code` and `iban`).
  {
    name: 'UAB Trumpas Kodas',
    code: INVALID_IDS.shortCompanyCode,
    country: 'LT',
    iban: INVALID_IDS.lithuanianIbanBadCheck,
    roles: 'buyer',
  },
];

/** A CSV cell, quoted when it holds the delimiter, a quote or a line break. */
function csvCell(value: string, delimiter: string): string {
  return value.includes(delimiter) || /["\r\n]/.test(value) ? `"${value.replace(/"/g, '""')}"` : value;
}

/** CSV text with CRLF line ends (and one after the last row). */
function csvText(
  headers: readonly string[],
  rows: readonly (readonly string[])[],
  delimiter: ',' | ';',
): string {
  return [headers, ...rows]
    .map((cells) => cells.map((c) => csvCell(c, delimiter)).join(delimiter) + '\r\n')
    .join('');
}

function otherAppExportText(): string {
  return csvText(
    OTHER_APP_COLUMNS.map(([header]) => header),
    OTHER_APP_ROWS.map((row) => OTHER_APP_COLUMNS.map(([, field]) => row[field] ?? '')),
    ';',
  );
}

/** The other application's export: UTF-8 with a BOM, semicolons, Lithuanian headers, CRLF. */
export function otherAppExport(): Buffer {
  return Buffer.from(`\uFEFF${otherAppExportText()}`, 'utf8');
}

/** The same rows as older Lithuanian software writes them: windows-1257, no BOM. */
export function otherAppExportWindows1257(): Buffer {
  return iconv.encode(otherAppExportText(), 'windows-1257');
}

/** The `?mapping=` JSON of the other application's headers to our fields. */
export function otherAppMapping(): string {
  return JSON.stringify(Object.fromEntries(OTHER_APP_COLUMNS), null, 2);
}

/** Our own columns, in order. */
export const OUR_CLIENT_COLUMNS: readonly SampleClientField[] = [
  'kind',
  'firstName',
  'lastName',
  'name',
  'code',
  'vatCode',
  'email',
  'phone',
  'roles',
  'residency',
  'address',
  'city',
  'postalCode',
  'country',
];

/** Rows of a file with our own headers (README "clients/clients.csv"). */
export const OUR_CLIENT_ROWS: readonly SampleClientRow[] = [
  // → created: a resident person with a valid personal code.
  {
    kind: 'person',
    firstName: 'Ona',
    lastName: 'Kazlauskienė',
    code: '48605142711',
    email: 'ona.kazlauskiene@example.com',
    roles: 'buyer',
    residency: 'resident',
    address: 'Respublikos g. 19',
    city: 'Panevėžys',
    postalCode: '35185',
    country: 'LT',
  },
  // → created: a foreign supplier; its code (a Swedish organisation number) is free-form.
  {
    kind: 'company',
    name: 'Nordic Supplies AB',
    code: '559214-7309',
    vatCode: 'SE559214730901',
    email: 'orders@nordicsupplies.example',
    phone: '+46 31 123 45 67',
    roles: 'supplier',
    residency: 'foreign',
    // A comma inside a cell: the cell is quoted.
    address: 'Hamngatan 4, 2 tr.',
    city: 'Göteborg',
    postalCode: '411 06',
    country: 'SE',
  },
  // → failed: the personal code's check digit is wrong (one error, on `code`).
  {
    kind: 'person',
    firstName: 'Petras',
    lastName: 'Petraitis',
    code: INVALID_IDS.personalCodeBadCheck,
    roles: 'employee',
    residency: 'resident',
    city: 'Vilnius',
    country: 'LT',
  },
];

/** A client file with our own headers: UTF-8 without BOM, commas, CRLF, no mapping needed. */
export function ourClientsCsv(): Buffer {
  return Buffer.from(
    csvText(
      OUR_CLIENT_COLUMNS,
      OUR_CLIENT_ROWS.map((row) => OUR_CLIENT_COLUMNS.map((field) => row[field] ?? '')),
      ',',
    ),
    'utf8',
  );
}

/** A real 1×1 PNG (its green pixel's blue `shade` makes other bytes), made here (signature, IHDR, IDAT, IEND with their CRCs). */
export function tinyPng(shade = 0): Buffer {
  const crcTable = Array.from({ length: 256 }, (_, n) => {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    return c >>> 0;
  });
  const crc = (bytes: Buffer) => {
    let c = 0xffffffff;
    for (const b of bytes) c = crcTable[(c ^ b) & 0xff] ^ (c >>> 8);
    return (c ^ 0xffffffff) >>> 0;
  };
  const chunk = (type: string, data: Buffer) => {
    const body = Buffer.concat([Buffer.from(type), data]);
    const out = Buffer.alloc(12 + data.length);
    out.writeUInt32BE(data.length, 0);
    body.copy(out, 4);
    out.writeUInt32BE(crc(body), 8 + data.length);
    return out;
  };
  const ihdr = Buffer.from([0, 0, 0, 1, 0, 0, 0, 1, 8, 2, 0, 0, 0]);
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', ihdr),
    chunk('IDAT', deflateSync(Buffer.from([0, 255, shade, 0]))),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

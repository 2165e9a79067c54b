import {
  FOREIGN_STATEMENT_ID,
  foreignCounterpartiesStatement,
  INVALID_IDS,
  sampleStatement,
  statementWithoutEntries,
} from '@clientbook/testing';
import iconv from 'iconv-lite';
import { MAX_TEXT, parseCamt053, parseCamt053Bytes } from './camt053.parser';
import { MAX_LINES } from '../parsing/too-many-lines.error';

// The project's own sample statements (libs/testing); other projects' statements are checked by
// the opt-in peer suite (apps/system-tests/src/peer/oca-statements.peer-spec.ts).

const doc = (body: string, version = '02') =>
  `<?xml version="1.0"?><Document xmlns="urn:iso:std:iso:20022:tech:xsd:camt.053.001.${version}"><BkToCstmrStmt><Stmt><Id>S-1</Id>${body}</Stmt></BkToCstmrStmt></Document>`;

describe('camt.053 parser', () => {
  it('reads the sample statement: one line per transaction, the counterparty by direction', () => {
    // Our own company is the other party of every payment: the parser takes the counterparty by direction.
    const lines = parseCamt053(sampleStatement());
    expect(lines.map((l) => [l.ref, l.direction, l.counterparty?.name ?? null])).toEqual([
      ['CB-2603-0001', 'in', 'JONAS JONAITIS'],
      ['CB-2603-0002', 'in', 'SARUNAS PETRAUSKAS'],
      ['CB-2603-0003', 'in', 'UAB MEDZIO DARBAI'],
      ['CB-2603-0004', 'out', 'UAB Popieriaus Tiekimas'],
      ['CB-2603-0005', 'in', 'Petrauskas Sarunas'],
      ['CB-2603-0006', 'in', 'Lina Stankevičienė'],
      ['CB-2603-0007', 'in', 'LINA STANKEVICIENE'],
      ['CB-2603-0008', 'out', 'Valstybinė mokesčių inspekcija'],
    ]);
    expect(lines[0]).toMatchObject({
      amount: '150.00',
      currency: 'EUR',
      bookingDate: '2026-03-02',
      counterparty: { iban: 'LT157300010087654321' },
    });
    expect(lines[2].counterparty).toMatchObject({
      organisationId: '302345678',
      iban: 'LT894010051000333444',
    });
    expect(lines[7].counterparty).toMatchObject({ organisationId: '188659752' });
  });

  it('gives refs from the statement and position when entries have none, and splits batches', () => {
    // Entries 2-4 of the foreign statement have neither AcctSvcrRef nor NtryRef; entry 3 is a batch.
    const lines = parseCamt053(foreignCounterpartiesStatement()).slice(2);
    expect(lines.map((l) => l.ref)).toEqual([
      `${FOREIGN_STATEMENT_ID}#2`,
      `${FOREIGN_STATEMENT_ID}#3/1`,
      `${FOREIGN_STATEMENT_ID}#3/2`,
      `${FOREIGN_STATEMENT_ID}#4`,
    ]);
    expect(lines.map((l) => l.direction)).toEqual(['out', 'out', 'out', 'in']);
    expect(lines[0].counterparty).toEqual({
      name: 'Verzekeringen Noordzee B.V.',
      iban: INVALID_IDS.dutchIbanBadCheck,
      organisationId: null,
      privateId: null,
      address: {
        lines: [],
        street: 'Havenkade',
        buildingNumber: '7',
        postalCode: '3011 AB',
        town: 'Rotterdam',
        country: 'NL',
      },
    });
    expect(lines[1]).toMatchObject({
      reversal: true,
      amount: '61.50',
      counterparty: { name: 'Anke Visser' },
    });
    // Same refs on every read of the same statement.
    expect(parseCamt053(foreignCounterpartiesStatement()).map((l) => l.ref)).toEqual([
      'CB-FX-0420/1',
      'CB-FX-0420/2',
      ...lines.map((l) => l.ref),
    ]);
  });

  it('keeps refs unique when two transactions share a transaction reference (camt.053.001.04)', () => {
    // The foreign statement's first entry: two transactions under the entry's AcctSvcrRef, both with
    // the same transaction AcctSvcrRef.
    const lines = parseCamt053(foreignCounterpartiesStatement());
    expect(lines).toHaveLength(6);
    expect(new Set(lines.map((l) => l.ref)).size).toBe(6);
    expect(lines.slice(0, 2).map((l) => l.ref)).toEqual(['CB-FX-0420/1', 'CB-FX-0420/2']);
    // Invalid data is passed on as found; matching decides what to use (an IBAN, a country "CHE").
    expect(lines[0].counterparty).toMatchObject({
      name: 'Banque du Léman',
      iban: INVALID_IDS.swissIbanBadCheck1,
      address: { country: 'CHE' },
    });
  });

  it('refuses a statement of more than 100,000 lines as payload_too_large, stopping there', () => {
    const entry = '<Ntry><Amt Ccy="EUR">1</Amt><CdtDbtInd>CRDT</CdtDbtInd></Ntry>';
    const xml = (entries: number) =>
      `<Document xmlns="urn:iso:std:iso:20022:tech:xsd:camt.053.001.02"><BkToCstmrStmt><Stmt><Id>S</Id>${entry.repeat(entries)}</Stmt></BkToCstmrStmt></Document>`;
    expect(parseCamt053(xml(MAX_LINES))).toHaveLength(MAX_LINES);
    expect(() => parseCamt053(xml(MAX_LINES + 1))).toThrow(
      expect.objectContaining({
        code: 'payload_too_large',
        message: expect.stringContaining('100,000 lines'),
      }),
    );
  });

  it('reads a statement without entries as zero lines', () => {
    expect(parseCamt053(statementWithoutEntries())).toEqual([]);
  });

  it('reads newer versions: the party inside <Pty>, structured and line addresses, private ids', () => {
    const lines = parseCamt053(
      doc(
        `<Ntry><CdtDbtInd>CRDT</CdtDbtInd><NtryDtls><TxDtls><RltdPties><Dbtr><Pty><Nm>Jonas Jonaitis</Nm>` +
          `<PstlAdr><AdrLine>Gedimino pr. 1</AdrLine><AdrLine>01103 Vilnius</AdrLine><Ctry>LT</Ctry></PstlAdr>` +
          `<Id><PrvtId><Othr><Id>38703181745</Id></Othr></PrvtId></Id></Pty></Dbtr>` +
          `<DbtrAcct><Id><IBAN>LT897044060001234567</IBAN></Id></DbtrAcct></RltdPties></TxDtls></NtryDtls></Ntry>`,
        '08',
      ),
    );
    expect(lines).toEqual([
      expect.objectContaining({
        ref: 'S-1#1',
        counterparty: {
          name: 'Jonas Jonaitis',
          iban: 'LT897044060001234567',
          organisationId: null,
          privateId: '38703181745',
          address: {
            lines: ['Gedimino pr. 1', '01103 Vilnius'],
            street: null,
            buildingNumber: null,
            postalCode: null,
            town: null,
            country: 'LT',
          },
        },
      }),
    ]);
  });

  it('marks a line without any counterparty (bank fees), and an entry without details is one line', () => {
    const lines = parseCamt053(
      doc('<Ntry><NtryRef>FEE-1</NtryRef><Amt Ccy="EUR">1.50</Amt><CdtDbtInd>DBIT</CdtDbtInd></Ntry>'),
    );
    expect(lines).toEqual([
      {
        ref: 'FEE-1',
        direction: 'out',
        amount: '1.50',
        currency: 'EUR',
        bookingDate: null,
        reversal: false,
        counterparty: null,
        remittance: null,
        warnings: [],
      },
    ]);
  });

  it.each([
    ['not XML', 'hello', /not a camt\.053 statement|not well-formed/],
    ['broken XML', doc('<Ntry><CdtDbtInd>CRDT</Ntry>'), /^not well-formed XML \(line 1, column \d+\)$/],
    [
      'another document',
      '<?xml version="1.0"?><Document xmlns="urn:iso:std:iso:20022:tech:xsd:pain.001.001.03"/>',
      /root element is <Document> in namespace "urn:iso:std:iso:20022:tech:xsd:pain/,
    ],
    [
      'an entity declaration',
      '<?xml version="1.0"?><!DOCTYPE d [<!ENTITY x SYSTEM "file:///etc/passwd">]><Document/>',
      /DOCTYPE is not accepted/,
    ],
    [
      'an entry without direction',
      doc('<Ntry><NtryRef>1</NtryRef></Ntry>'),
      /entry 1 of statement S-1 has no CdtDbtInd/,
    ],
    [
      'no statement',
      '<Document xmlns="urn:iso:std:iso:20022:tech:xsd:camt.053.001.02"><BkToCstmrStmt/></Document>',
      /no <Stmt> element/,
    ],
    ['an empty file', '', /empty/],
  ])('refuses %s with unparseable_file naming the place', (_name, xml, message) => {
    expect(() => parseCamt053(xml)).toThrow(
      expect.objectContaining({ code: 'unparseable_file', message: expect.stringMatching(message) }),
    );
  });

  describe('encodings', () => {
    const statement = (declaration: string) =>
      doc(
        '<Ntry><AcctSvcrRef>E-1</AcctSvcrRef><Amt Ccy="EUR">1.00</Amt><CdtDbtInd>CRDT</CdtDbtInd>' +
          '<NtryDtls><TxDtls><RltdPties><Dbtr><Nm>UAB Šilumos Ūkis</Nm></Dbtr></RltdPties></TxDtls></NtryDtls></Ntry>',
      ).replace('<?xml version="1.0"?>', declaration);
    const nameIn = (bytes: Buffer) => parseCamt053Bytes(bytes)[0].counterparty?.name;

    it.each([
      ['UTF-8 without a declaration', Buffer.from(statement(''))],
      ['UTF-8 with a BOM', Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(statement(''))])],
      [
        'windows-1257 as declared',
        iconv.encode(statement('<?xml version="1.0" encoding="windows-1257"?>'), 'windows-1257'),
      ],
      [
        'ISO-8859-13 as declared',
        iconv.encode(statement("<?xml version='1.0' encoding='ISO-8859-13'?>"), 'iso-8859-13'),
      ],
      [
        'UTF-16 with its BOM',
        Buffer.concat([
          Buffer.from([0xff, 0xfe]),
          iconv.encode(statement('<?xml version="1.0" encoding="UTF-16"?>'), 'utf-16le'),
        ]),
      ],
      [
        'UTF-16BE without a BOM',
        iconv.encode(statement('<?xml version="1.0" encoding="UTF-16"?>'), 'utf-16be'),
      ],
    ])('reads %s', (_name, bytes) => {
      expect(nameIn(bytes)).toBe('UAB Šilumos Ūkis');
    });

    it.each([
      [
        'windows-1257 bytes with no declaration',
        iconv.encode(`\n${statement('')}`, 'windows-1257'),
        /^line 2: .*not valid UTF-8/,
      ],
      [
        'an encoding nobody reads',
        Buffer.from(statement('<?xml version="1.0" encoding="x-klingon"?>')),
        /^line 1: .*x-klingon/,
      ],
      ['a NUL byte', Buffer.from(statement('').replace('UAB', 'U\u0000AB')), /not well-formed XML/],
    ])('fails %s with unparseable_file', (_name, bytes, message) => {
      expect(() => parseCamt053Bytes(bytes)).toThrow(
        expect.objectContaining({ code: 'unparseable_file', message: expect.stringMatching(message) }),
      );
    });
  });

  describe('hostile lengths', () => {
    const entry = (ref: string, name: string) =>
      `<Ntry><AcctSvcrRef>${ref}</AcctSvcrRef><Amt Ccy="EUR">1.00</Amt><CdtDbtInd>CRDT</CdtDbtInd>` +
      `<NtryDtls><TxDtls><RltdPties><Dbtr><Nm>${name}</Nm></Dbtr></RltdPties></TxDtls></NtryDtls></Ntry>`;

    it('keeps a name to what a card holds, and says so', () => {
      const [line] = parseCamt053(doc(entry('L-1', 'UAB '.repeat(100_000))));
      expect(line.counterparty?.name).toHaveLength(MAX_TEXT - 1); // "UAB UAB … UAB" without the last space
      expect(line.warnings).toEqual([
        `the counterparty name was longer than ${MAX_TEXT} characters; its first ${MAX_TEXT} are used`,
      ]);
    });

    it('keeps long refs short and still apart', () => {
      const long = 'R'.repeat(5_000);
      const lines = parseCamt053(doc(entry(`${long}1`, 'UAB A') + entry(`${long}2`, 'UAB B')));
      expect(lines.map((l) => l.ref.length)).toEqual([140, 140]);
      expect(lines[0].ref).not.toBe(lines[1].ref);
      expect(parseCamt053(doc(entry(`${long}1`, 'UAB A')))[0].ref).toBe(lines[0].ref);
    });
  });

  it('reads the amount, remittance and ultimate party of newer versions', () => {
    const [line] = parseCamt053(
      doc(
        '<Ntry><AcctSvcrRef>N-1</AcctSvcrRef><Amt Ccy="EUR">99.00</Amt><CdtDbtInd>CRDT</CdtDbtInd>' +
          '<BookgDt><Dt>2026-11-03</Dt></BookgDt><NtryDtls><TxDtls>' +
          '<Amt Ccy="GBP">3500.00</Amt><AmtDtls><InstdAmt><Amt Ccy="USD">4400.00</Amt></InstdAmt></AmtDtls>' +
          '<RltdPties><DbtrAcct><Id><IBAN>GB25NWBK60053782218919</IBAN></Id></DbtrAcct>' +
          '<UltmtDbtr><Pty><Nm>KOPPES B V</Nm></Pty></UltmtDbtr></RltdPties>' +
          '<RmtInf><Ustrd>Invoice 2026-17</Ustrd><Ustrd>and 2026-18</Ustrd></RmtInf>' +
          '</TxDtls></NtryDtls></Ntry>',
        '08',
      ),
    );
    expect(line).toMatchObject({
      amount: '3500.00',
      currency: 'GBP',
      bookingDate: '2026-11-03',
      remittance: 'Invoice 2026-17 and 2026-18',
      counterparty: { name: 'KOPPES B V', iban: 'GB25NWBK60053782218919' },
    });
    const [structured] = parseCamt053(
      doc(
        '<Ntry><AcctSvcrRef>N-2</AcctSvcrRef><Amt Ccy="EUR">10.00</Amt><CdtDbtInd>CRDT</CdtDbtInd><NtryDtls><TxDtls>' +
          '<AmtDtls><TxAmt><Amt Ccy="EUR">10.00</Amt></TxAmt></AmtDtls><RltdPties><Dbtr><Nm>UAB A</Nm></Dbtr></RltdPties>' +
          '<RmtInf><Strd><CdtrRefInf><Ref>RF18539007547034</Ref></CdtrRefInf></Strd></RmtInf></TxDtls></NtryDtls></Ntry>',
      ),
    );
    expect(structured).toMatchObject({ amount: '10.00', remittance: 'RF18539007547034' });
  });
});

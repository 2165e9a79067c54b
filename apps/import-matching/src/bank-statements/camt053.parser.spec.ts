import * as fs from 'node:fs';
import * as path from 'node:path';
import iconv from 'iconv-lite';
import { MAX_TEXT, parseCamt053, parseCamt053Bytes } from './camt053.parser';
import { MAX_LINES } from '../parsing/too-many-lines.error';

// Sample inputs and other projects' statements are read from ../shared, never copied in.
const SHARED = path.resolve(__dirname, '..', '..', '..', '..', '..', 'shared');
const read = (file: string) => fs.readFileSync(path.join(SHARED, file), 'utf8');

const doc = (body: string, version = '02') =>
  `<?xml version="1.0"?><Document xmlns="urn:iso:std:iso:20022:tech:xsd:camt.053.001.${version}"><BkToCstmrStmt><Stmt><Id>S-1</Id>${body}</Stmt></BkToCstmrStmt></Document>`;

describe('camt.053 parser', () => {
  it('reads the sample statement: one line per transaction, the counterparty by direction', () => {
    const lines = parseCamt053(read('fixtures/camt053/statement-2026-11.xml'));
    expect(lines.map((l) => [l.ref, l.direction, l.counterparty?.name ?? null])).toEqual([
      ['2026110100001', 'in', 'JONAS JONAITIS'],
      ['2026110200002', 'in', 'SARUNAS PETRAUSKAS'],
      ['2026110300003', 'in', 'UAB MEDZIO DARBAI'],
      ['2026110400004', 'out', 'UAB Popieriaus Tiekimas'],
      ['2026110500005', 'in', 'Petrauskas Sarunas'],
      ['2026110600006', 'in', 'Ona Kazlauskiene'],
      ['2026110700007', 'in', 'ONA KAZLAUSKIENE'],
      ['2026110800008', 'out', 'Valstybine mokesciu inspekcija'],
    ]);
    expect(lines[0]).toMatchObject({
      amount: '120.00',
      currency: 'EUR',
      bookingDate: '2026-11-02',
      counterparty: { iban: 'LT897044060001234567' },
    });
    expect(lines[2].counterparty).toMatchObject({
      organisationId: '302345678',
      iban: 'LT514010051000111222',
    });
    expect(lines[7].counterparty).toMatchObject({ organisationId: '188659752' });
  });

  it('gives refs from the statement and position when entries have none, and splits batches', () => {
    const lines = parseCamt053(read('peer-data/camt053/oca-test-camt053.xml'));
    expect(lines.map((l) => l.ref)).toEqual([
      '1234Test/1#1',
      '1234Test/1#2/1',
      '1234Test/1#2/2',
      '1234Test/1#3',
    ]);
    expect(lines.map((l) => l.direction)).toEqual(['out', 'out', 'out', 'in']);
    expect(lines[0].counterparty).toEqual({
      name: 'INSURANCE COMPANY TESTX',
      iban: 'NL46ABNA0499998748',
      organisationId: null,
      privateId: null,
      address: {
        lines: [],
        street: 'TEST STREET 20',
        buildingNumber: null,
        postalCode: null,
        town: '1234 AB TESTCITY',
        country: 'NL',
      },
    });
    expect(lines[1]).toMatchObject({
      reversal: true,
      amount: '564.05',
      counterparty: { name: 'Test Customer' },
    });
    // Same refs on every read of the same statement.
    expect(parseCamt053(read('peer-data/camt053/oca-test-camt053.xml')).map((l) => l.ref)).toEqual(
      lines.map((l) => l.ref),
    );
  });

  it('keeps refs unique when two transactions share a transaction reference (camt.053.001.04)', () => {
    const lines = parseCamt053(read('peer-data/camt053/oca-test-camt053-txdtls.xml'));
    expect(lines).toHaveLength(2);
    expect(new Set(lines.map((l) => l.ref)).size).toBe(2);
    expect(lines.map((l) => l.ref)).toEqual([
      '20170323001234567891234567891234/1',
      '20170323001234567891234567891234/2',
    ]);
    // Invalid data is passed on as found; matching decides what to use (an IBAN, a country "CH1").
    expect(lines[0].counterparty).toMatchObject({
      name: 'Banque Cantonale Vaudoise',
      iban: 'CH2222000000123456789',
      address: { country: 'CH1' },
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
    expect(parseCamt053(read('peer-data/camt053/oca-test-camt053-no-ntry.xml'))).toEqual([]);
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

import { execFileSync } from 'node:child_process';
import { eventually } from '@clientbook/testing';
import { ApiCaller, startSystem, System, Tenant } from './system';

/** What a PDF says, as a reader extracts it (poppler's pdftotext). */
const pdfText = (pdf: Buffer) =>
  execFileSync('pdftotext', ['-layout', '-', '-'], { input: pdf }).toString('utf8');
const pdfPages = (pdf: Buffer) =>
  Number(/Pages:\s+(\d+)/.exec(execFileSync('pdfinfo', ['-'], { input: pdf }).toString())?.[1]);

const SHOWN_IBAN = 'LT121000011101001000';
const HIDDEN_IBAN = 'LT601010012345678901';

// API.md "Invoices on the client card": recorded as the sales module issues them, shown on the
// card, followed through merges and printed — through the gateway, on the real servers.
describe('invoices through the gateway', () => {
  let system: System;
  let tenant: Tenant;
  let user: ApiCaller;
  let auditor: ApiCaller;
  let codeSeq = 340_000_000;
  let numberSeq = 1;

  const newClient = async (fields: Record<string, unknown> = {}) => {
    const created = await user.post('/v1/clients', {
      kind: 'company',
      name: 'UAB Žalias Ąžuolas',
      code: String(codeSeq++),
      vatCode: 'LT305612812',
      addresses: [
        { line1: 'Šilo g. 7', city: 'Kaunas', postalCode: 'LT-44444', country: 'LT', registration: true },
        { line1: 'Pašto dėžutė 12', city: 'Klaipėda', country: 'LT', correspondence: true },
      ],
      ...fields,
    });
    expect(created.status).toBe(201);
    return created.body;
  };
  const invoice = (clientId: string, fields: Record<string, unknown> = {}) => ({
    series: 'AB',
    number: String(numberSeq++).padStart(6, '0'),
    issueDate: '2026-03-02',
    dueDate: '2026-03-16',
    clientId,
    currency: 'EUR',
    lines: [
      {
        description: 'Buhalterinės apskaitos paslaugos – kovas',
        quantity: 1,
        unit: 'mėn.',
        unitPrice: '100.00',
        vatRate: 21,
      },
    ],
    ...fields,
  });

  beforeAll(async () => {
    system = await startSystem();
    tenant = await system.createTenant({ name: 'UAB Mano Įmonė', code: '304567891' });
    user = await tenant.as('user');
    auditor = await tenant.as('auditor');
    // The seller: a VAT payer with one account shown on invoices and one not.
    const company = tenant.companyId;
    expect((await tenant.admin.patch(`/v1/clients/${company}`, { vatCode: 'LT123456715' })).status).toBe(200);
    await tenant.admin.post(`/v1/clients/${company}/addresses`, {
      line1: 'Gedimino pr. 1',
      city: 'Vilnius',
      postalCode: 'LT-01103',
      country: 'LT',
      registration: true,
    });
    await tenant.admin.post(`/v1/clients/${company}/bank-accounts`, {
      iban: SHOWN_IBAN,
      showOnInvoice: true,
    });
    await tenant.admin.post(`/v1/clients/${company}/bank-accounts`, {
      iban: HIDDEN_IBAN,
      showOnInvoice: false,
    });
  }, 60_000);

  afterAll(async () => {
    await system?.close();
  });

  it('records an invoice with its totals, its amount in words, and the seller and buyer as printed', async () => {
    const client = await newClient();
    const body = invoice(client.id, {
      lines: [
        { description: 'Konsultacija', quantity: '3', unit: 'val.', unitPrice: '0.10', vatRate: 21 },
        { description: 'Knyga „Apskaita“', quantity: 1, unit: 'vnt.', unitPrice: 1.5, vatRate: 5 },
        {
          description: 'Mokymai',
          quantity: 2,
          unit: 'val.',
          unitPrice: '50.00',
          discountPercent: 10,
          vatRate: 21,
        },
      ],
    });
    const recorded = await user.post('/v1/invoices', body);
    expect(recorded.status).toBe(201);
    expect(recorded.headers.get('location')).toBe(`/v1/invoices/${recorded.body.id}`);
    expect(recorded.body).toMatchObject({
      series: 'AB',
      number: body.number,
      clientId: client.id,
      status: 'issued',
      lines: [{ net: '0.30' }, { net: '1.50' }, { net: '90.00', discountPercent: '10' }],
      vatBreakdown: [
        { rate: 21, net: '90.30', vat: '18.96' },
        { rate: 5, net: '1.50', vat: '0.08' },
      ],
      totals: { net: '91.80', vat: '19.04', gross: '110.84' },
      amountInWords: 'Šimtas dešimt eurų 84 ct',
      seller: {
        clientId: tenant.companyId,
        name: 'UAB Mano Įmonė',
        vatCode: 'LT123456715',
        address: { line1: 'Gedimino pr. 1', city: 'Vilnius' },
        bankAccounts: [{ iban: SHOWN_IBAN }],
      },
      buyer: {
        clientId: client.id,
        name: 'UAB Žalias Ąžuolas',
        address: { line1: 'Šilo g. 7', city: 'Kaunas' },
        correspondenceAddress: { line1: 'Pašto dėžutė 12', city: 'Klaipėda' },
      },
    });
    expect(await auditor.get(`/v1/invoices/${recorded.body.id}`)).toMatchObject({
      status: 200,
      body: recorded.body,
    });
    // The client now has an operation: it cannot be deleted.
    expect((await user.get(`/v1/clients/${client.id}`)).body.hasOperations).toBe(true);
    expect(await user.delete(`/v1/clients/${client.id}`)).toMatchObject({
      status: 409,
      body: { code: 'client_has_operations' },
    });
  });

  it('records many invoices of one client at once, as a sales module issuing a batch does', async () => {
    const client = await newClient();
    const answers = await Promise.all(
      Array.from({ length: 12 }, () => user.post('/v1/invoices', invoice(client.id))),
    );
    expect(answers.map((a) => a.status)).toEqual(Array(12).fill(201));
    expect((await user.get(`/v1/clients/${client.id}/invoices`)).body.summary.count).toBe(12);
  });

  it('keeps what it printed when the cards change later', async () => {
    const client = await newClient();
    const recorded = (await user.post('/v1/invoices', invoice(client.id))).body;
    expect((await user.patch(`/v1/clients/${client.id}`, { name: 'UAB Kitas Vardas' })).status).toBe(200);
    expect(
      (await tenant.admin.patch(`/v1/clients/${tenant.companyId}`, { name: 'UAB Mano Įmonė' })).status,
    ).toBe(200);
    await new Promise((resolve) => setTimeout(resolve, 500));
    const later = (await user.get(`/v1/invoices/${recorded.id}`)).body;
    expect(later.buyer.name).toBe('UAB Žalias Ąžuolas');
    expect(later).toEqual(recorded);
  });

  it('answers the same series and number again with 409, changing nothing (a retry loses nothing)', async () => {
    const client = await newClient();
    const body = invoice(client.id);
    const first = await user.post('/v1/invoices', body);
    const again = await user.post('/v1/invoices', body);
    expect(again.status).toBe(409);
    expect(again.body).toMatchObject({
      code: 'non_unique_entry',
      help: '/v1/kb/articles/error-non-unique-entry',
    });
    const other = await newClient();
    const sameNumber = await user.post('/v1/invoices', { ...body, clientId: other.id });
    expect(sameNumber.status).toBe(409);
    // The other client got no operation from the refused one.
    expect((await user.get(`/v1/clients/${other.id}`)).body.hasOperations).toBe(false);
    expect((await user.get(`/v1/invoices/${first.body.id}`)).body.version).toBe(1);
  });

  it('gives one number to one client when two posts for two clients race: the other gets 409 and no operation', async () => {
    const [first, second] = [await newClient(), await newClient()];
    const body = invoice(first.id);
    const answers = await Promise.all([
      user.post('/v1/invoices', body),
      user.post('/v1/invoices', { ...body, clientId: second.id }),
    ]);
    expect(answers.map((a) => a.status).sort()).toEqual([201, 409]);
    const winner = answers[0].status === 201 ? first : second;
    const loser = winner === first ? second : first;
    expect((await user.get(`/v1/clients/${loser.id}`)).body.hasOperations).toBe(false);
    expect((await user.get(`/v1/clients/${winner.id}`)).body.hasOperations).toBe(true);
  });

  it('answers 404 for the invoices of a client the tenant does not have, and 400 for a forged cursor', async () => {
    expect((await user.get('/v1/clients/no-such-client/invoices')).body).toMatchObject({
      status: 404,
      code: 'not_found',
    });
    expect((await user.bytes('/v1/clients/no-such-client/invoices/pdf')).status).toBe(404);
    const client = await newClient();
    const forged = Buffer.from(JSON.stringify({ issueDate: '\u0000', id: 'x' })).toString('base64url');
    expect((await user.get(`/v1/clients/${client.id}/invoices?cursor=${forged}`)).body).toMatchObject({
      status: 400,
      code: 'validation_failed',
    });
  });

  it('refuses VAT rates not in force on the issue date, and a 0 % line without its exemption note', async () => {
    const client = await newClient();
    const rate = async (issueDate: string, vatRate: number) =>
      user.post(
        '/v1/invoices',
        invoice(client.id, { issueDate, dueDate: null, lines: [{ ...invoice('x').lines[0], vatRate }] }),
      );
    expect((await rate('2026-01-01', 9)).body).toMatchObject({
      status: 400,
      code: 'validation_failed',
      errors: [{ field: 'lines[0].vatRate' }],
    });
    expect((await rate('2025-12-31', 12)).body.errors).toEqual([
      { field: 'lines[0].vatRate', message: expect.stringContaining('21, 9, 5, 0') },
    ]);
    expect((await rate('2025-12-31', 9)).status).toBe(201);
    expect((await rate('2026-01-01', 12)).status).toBe(201);
    const zero = await rate('2026-03-02', 0);
    expect(zero.body.errors).toEqual([{ field: 'vatExemptionNote', message: expect.any(String) }]);
    const noted = await user.post(
      '/v1/invoices',
      invoice(client.id, {
        lines: [{ ...invoice('x').lines[0], vatRate: 0 }],
        vatExemptionNote: 'PVMĮ 43 str.',
      }),
    );
    expect(noted.body).toMatchObject({
      status: 'issued',
      totals: { vat: '0.00' },
      vatExemptionNote: 'PVMĮ 43 str.',
    });
  });

  it.each([
    ['no lines', { lines: [] }, 'lines'],
    [
      'a float-looking string',
      { lines: [{ description: 'x', quantity: '1e3', unit: 'vnt.', unitPrice: '1', vatRate: 21 }] },
      'lines[0].quantity',
    ],
    ['another currency', { currency: 'USD' }, 'currency'],
    ['a day that does not exist', { issueDate: '2026-02-30' }, 'issueDate'],
    ['an unknown field', { discount: 5 }, 'discount'],
  ])('refuses %s at the door', async (_name, fields, field) => {
    const client = await newClient();
    const refused = await user.post('/v1/invoices', invoice(client.id, fields));
    expect(refused.status).toBe(400);
    expect(refused.body.errors.map((e: { field: string }) => e.field)).toContain(field);
  });

  it('refuses an unknown client (404), a deleted or merged one (409), and keys that only read (403)', async () => {
    expect((await user.post('/v1/invoices', invoice('no-such-client'))).body).toMatchObject({
      status: 404,
      code: 'not_found',
    });
    const deleted = await newClient();
    expect((await user.delete(`/v1/clients/${deleted.id}`)).status).toBe(204);
    expect((await user.post('/v1/invoices', invoice(deleted.id))).body).toMatchObject({
      status: 409,
      code: 'client_not_active',
    });
    const keep = await newClient();
    const merged = await newClient({ code: null, vatCode: null });
    expect((await user.post('/v1/clients/merge', { keepId: keep.id, mergeIds: [merged.id] })).status).toBe(
      200,
    );
    expect((await user.post('/v1/invoices', invoice(merged.id))).body).toMatchObject({
      status: 409,
      code: 'client_not_active',
    });
    expect((await auditor.post('/v1/invoices', invoice(keep.id))).status).toBe(403);
  });

  it('cancels an invoice: kept, marked, and cancelling again changes nothing', async () => {
    const client = await newClient();
    const recorded = (await user.post('/v1/invoices', invoice(client.id))).body;
    const cancelled = await user.post(`/v1/invoices/${recorded.id}/cancel`, { reason: 'Klaidinga suma' });
    expect(cancelled.body).toMatchObject({ status: 'cancelled', cancelReason: 'Klaidinga suma', version: 2 });
    const again = await user.post(`/v1/invoices/${recorded.id}/cancel`, { reason: 'Kita' });
    expect(again.body).toMatchObject({ status: 'cancelled', cancelReason: 'Klaidinga suma', version: 2 });
    expect((await user.post('/v1/invoices/nope/cancel', { reason: 'x' })).status).toBe(404);
  });

  it('lists a client’s invoices newest first, filtered, in pages, with the summary of the whole set', async () => {
    const client = await newClient();
    const days = ['2026-01-05', '2026-02-10', '2026-03-15', '2026-04-20', '2026-05-25'];
    const ids: string[] = [];
    for (const issueDate of days)
      ids.push((await user.post('/v1/invoices', invoice(client.id, { issueDate, dueDate: null }))).body.id);
    await user.post(`/v1/invoices/${ids[1]}/cancel`, { reason: 'Dublikatas' });

    const first = await auditor.get(`/v1/clients/${client.id}/invoices?limit=2`);
    expect(first.status).toBe(200);
    expect(first.body.items.map((i: any) => i.issueDate)).toEqual(['2026-05-25', '2026-04-20']);
    expect(first.body.summary).toEqual({ count: 5, gross: '605.00' });
    const second = await auditor.get(
      `/v1/clients/${client.id}/invoices?limit=2&cursor=${first.body.nextCursor}`,
    );
    expect(second.body.items.map((i: any) => i.issueDate)).toEqual(['2026-03-15', '2026-02-10']);
    const third = await auditor.get(
      `/v1/clients/${client.id}/invoices?limit=2&cursor=${second.body.nextCursor}`,
    );
    expect(third.body).toMatchObject({ items: [{ issueDate: '2026-01-05' }], nextCursor: null });

    const spring = await auditor.get(
      `/v1/clients/${client.id}/invoices?from=2026-02-01&to=2026-04-30&status=issued`,
    );
    expect(spring.body.items.map((i: any) => i.issueDate)).toEqual(['2026-04-20', '2026-03-15']);
    expect(spring.body.summary).toEqual({ count: 2, gross: '242.00' });
    expect((await auditor.get(`/v1/clients/${client.id}/invoices?cursor=bm90LWEtY3Vyc29y`)).status).toBe(400);
  });

  it('lists the merged clients’ invoices on the survivor, their printed buyer unchanged', async () => {
    const keep = await newClient({ name: 'UAB Išlikęs' });
    const merged = await newClient({ name: 'UAB Sujungtas', code: null, vatCode: null });
    const own = (await user.post('/v1/invoices', invoice(keep.id))).body;
    const moved = (await user.post('/v1/invoices', invoice(merged.id))).body;
    expect((await user.post('/v1/clients/merge', { keepId: keep.id, mergeIds: [merged.id] })).status).toBe(
      200,
    );

    await eventually(async () => {
      const listed = await user.get(`/v1/clients/${keep.id}/invoices`);
      expect(listed.body.items.map((i: any) => i.id).sort()).toEqual([own.id, moved.id].sort());
      expect(listed.body.summary.count).toBe(2);
    });
    const after = (await user.get(`/v1/invoices/${moved.id}`)).body;
    expect(after).toMatchObject({
      clientId: keep.id,
      buyer: { clientId: merged.id, name: 'UAB Sujungtas' },
      version: 2,
    });
    expect((await user.get(`/v1/clients/${merged.id}/invoices`)).body.items).toEqual([]);
  });

  describe('printing', () => {
    it('prints an invoice as an A4 PDF with every detail, Lithuanian letters as given, only the shown account', async () => {
      const client = await newClient({ name: 'UAB „Ąžuolynė“ ČĘĖĮŠŲŪŽ' });
      const recorded = (
        await user.post(
          '/v1/invoices',
          invoice(client.id, {
            supplyDate: '2026-03-01',
            lines: [
              {
                description: 'Šviežios žuvys ir ąsočiai',
                quantity: 2,
                unit: 'vnt.',
                unitPrice: '60.50',
                vatRate: 21,
              },
              { description: 'Knygos', quantity: 1, unit: 'vnt.', unitPrice: '0', vatRate: 0 },
            ],
            vatExemptionNote: 'PVMĮ 43 str. 3 d.',
          }),
        )
      ).body;
      const pdf = await user.bytes(`/v1/invoices/${recorded.id}/pdf`);
      expect(pdf.status).toBe(200);
      expect(pdf.headers.get('content-type')).toBe('application/pdf');
      expect(pdf.body.subarray(0, 5).toString()).toBe('%PDF-');
      const text = pdfText(pdf.body);
      for (const expected of [
        'PVM SĄSKAITA FAKTŪRA',
        `Serija AB Nr. ${recorded.number}`,
        'Išrašymo data: 2026-03-02',
        'Tiekimo data: 2026-03-01',
        'UAB Mano Įmonė',
        '304567891',
        'LT123456715',
        'UAB „Ąžuolynė“ ČĘĖĮŠŲŪŽ',
        'Šilo g. 7',
        'Pašto dėžutė 12',
        'Šviežios žuvys ir ąsočiai',
        '121.00',
        '146.41',
        'Šimtas keturiasdešimt šeši eurai 41 ct',
        'PVMĮ 43 str. 3 d.',
        SHOWN_IBAN,
      ])
        expect(text).toContain(expected);
      expect(text).not.toContain(HIDDEN_IBAN);
      expect(text).not.toContain('ANULIUOTA');
      expect(pdfPages(pdf.body)).toBe(1);

      const english = pdfText((await user.bytes(`/v1/invoices/${recorded.id}/pdf?lang=en`)).body);
      expect(english).toContain('VAT INVOICE');
      expect(english).toContain(`Series AB No. ${recorded.number}`);
      expect((await user.get(`/v1/invoices/${recorded.id}/pdf?lang=de`)).status).toBe(400);
    });

    it('prints a person’s code as a personal code', async () => {
      const person = (
        await user.post('/v1/clients', {
          kind: 'person',
          firstName: 'Ona',
          lastName: 'Kazlauskienė',
          code: '49002150127',
        })
      ).body;
      const recorded = (await user.post('/v1/invoices', invoice(person.id))).body;
      expect(recorded.buyer).toMatchObject({ kind: 'person', code: '49002150127' });
      const text = pdfText((await user.bytes(`/v1/invoices/${recorded.id}/pdf`)).body);
      expect(text).toContain('Asmens kodas: 49002150127');
    });

    it('says ANULIUOTA across a cancelled invoice', async () => {
      const client = await newClient();
      const recorded = (await user.post('/v1/invoices', invoice(client.id))).body;
      await user.post(`/v1/invoices/${recorded.id}/cancel`, { reason: 'Klaida' });
      const text = pdfText((await auditor.bytes(`/v1/invoices/${recorded.id}/pdf`)).body);
      expect(text).toContain('ANULIUOTA');
    });

    it('prints all of a client’s invoices of a period in one PDF, in date order', async () => {
      const client = await newClient();
      for (const issueDate of ['2026-06-03', '2026-06-01', '2026-06-02', '2026-07-01'])
        await user.post(
          '/v1/invoices',
          invoice(client.id, { issueDate, dueDate: null, notes: `Išrašyta ${issueDate}` }),
        );
      const pdf = await user.bytes(`/v1/clients/${client.id}/invoices/pdf?from=2026-06-01&to=2026-06-30`);
      expect(pdf.status).toBe(200);
      expect(pdfPages(pdf.body)).toBe(3);
      const text = pdfText(pdf.body);
      const order = ['2026-06-01', '2026-06-02', '2026-06-03'].map((day) => text.indexOf(`Išrašyta ${day}`));
      expect(order.every((at) => at >= 0)).toBe(true);
      expect([...order].sort((a, b) => a - b)).toEqual(order);
      expect(text).not.toContain('Išrašyta 2026-07-01');
    });

    it('prints "SĄSKAITA FAKTŪRA" for a seller without a VAT code', async () => {
      const other = await system.createTenant({ name: 'MB Be PVM', code: '305000111' });
      const client = (
        await other.admin.post('/v1/clients', { kind: 'company', name: 'UAB Pirkėjas', code: '305000112' })
      ).body;
      const recorded = (await other.admin.post('/v1/invoices', invoice(client.id))).body;
      expect(recorded.seller.vatCode).toBeNull();
      const text = pdfText((await other.admin.bytes(`/v1/invoices/${recorded.id}/pdf`)).body);
      expect(text).toContain('SĄSKAITA FAKTŪRA');
      expect(text).not.toContain('PVM SĄSKAITA FAKTŪRA');
      // Another tenant's invoice is no invoice of this one.
      expect((await user.get(`/v1/invoices/${recorded.id}`)).status).toBe(404);
    });
  });
});

import { eventually } from '@clientbook/testing';
// The test stops merges after each step, as a crash would, from inside the clients service.
import { MergeProcess, MergeFaults, MergeStep, CommandFaults } from '@clientbook/clients-app';
import { MONGO_DB } from '@clientbook/platform';
import { ApiCaller, startSystem, System, Tenant } from './system';

// API.md "Merging duplicates", through the gateway, on the real servers.
describe('merging duplicates', () => {
  let system: System;
  let tenant: Tenant;
  let api: ApiCaller;
  let codeSeq = 200_000_000;
  const nextCode = () => String(codeSeq++);

  beforeAll(async () => {
    system = await startSystem();
    tenant = await system.createTenant();
    api = tenant.admin;
  }, 60_000);

  afterAll(async () => {
    await system?.close();
  });

  async function create(body: Record<string, unknown>): Promise<any> {
    const response = await api.post('/v1/clients', { kind: 'company', name: 'UAB Dublis', ...body });
    expect(response.status).toBe(201);
    return response.body;
  }

  it('merges: survivor values win, empty fields filled in order, addresses, accounts and roles united', async () => {
    const keep = await create({
      name: 'UAB Medžio Darbai',
      email: 'info@medis.lt',
      roles: ['buyer'],
      addresses: [{ line1: 'Savanorių pr. 5', city: 'Vilnius', country: 'LT', registration: true }],
      bankAccounts: [{ iban: 'LT121000011101001000', main: true }],
    });
    const a = await create({
      name: 'MEDZIO DARBAI, UAB',
      email: 'kitas@medis.lt',
      phone: '+37052000000',
      roles: ['supplier'],
      addresses: [
        { line1: 'SAVANORIŲ PR. 5', city: 'vilnius', country: 'LT', registration: true },
        { line1: 'Pramonės g. 12', city: 'Kaunas', country: 'LT', correspondence: true },
      ],
      bankAccounts: [{ iban: 'lt12 1000 0111 0100 1000' }, { iban: 'LT514010051000111222', main: true }],
    });
    const code = nextCode();
    const b = await create({
      name: 'Medžio darbai',
      code,
      vatCode: 'LT123456715',
      phone: '+37060000000',
      roles: ['supplier', 'bank'],
    });

    const merged = await api.post('/v1/clients/merge', {
      keepId: keep.id,
      mergeIds: [a.id, b.id],
      reason: 'duplicates from the bank import',
    });
    expect(merged.status).toBe(200);
    expect(merged.body.mergeId).toEqual(expect.any(String));
    const survivor = merged.body.client;
    expect(survivor).toMatchObject({
      id: keep.id,
      name: 'UAB Medžio Darbai',
      email: 'info@medis.lt',
      phone: '+37052000000',
      code,
      vatCode: 'LT123456715',
      roles: ['buyer', 'supplier', 'bank'],
      status: 'active',
    });
    expect(survivor.addresses.map((x: any) => [x.line1, x.registration, x.correspondence])).toEqual([
      ['Savanorių pr. 5', true, false],
      ['Pramonės g. 12', false, true],
    ]);
    expect(survivor.bankAccounts.map((x: any) => [x.iban, x.main])).toEqual([
      ['LT121000011101001000', true],
      ['LT514010051000111222', false],
    ]);
    expect(await api.get(`/v1/clients/${keep.id}`)).toMatchObject({ status: 200, body: survivor });

    // Each merged client: 308 to the survivor, status merged, history still readable.
    for (const id of [a.id, b.id]) {
      const read = await api.get(`/v1/clients/${id}`);
      expect(read.status).toBe(308);
      expect(read.headers.get('location')).toBe(`/v1/clients/${keep.id}`);
      expect(read.body).toEqual({ mergedInto: keep.id });
      const history = await api.get(`/v1/clients/${id}/history`);
      expect(history.body.items.at(-1)).toMatchObject({
        type: 'ClientMergedInto',
        data: { mergeId: merged.body.mergeId, survivorId: keep.id },
      });
    }
    const survivorHistory = await api.get(`/v1/clients/${keep.id}/history`);
    expect(survivorHistory.body.items.at(-1)).toMatchObject({
      type: 'ClientsMerged',
      data: { mergeId: merged.body.mergeId, mergedIds: [a.id, b.id] },
    });

    // The code moved with the client: it is the survivor's now, and edits of the merged clients are refused.
    const taken = await api.post('/v1/clients', { kind: 'company', name: 'UAB Kitas', code });
    expect(taken.status).toBe(409);
    expect(taken.body.detail).toContain(keep.id);
    const edit = await api.patch(`/v1/clients/${a.id}`, { notes: 'still here?' });
    expect(edit.status).toBe(409);
    expect(edit.body.code).toBe('client_not_active');
    await eventually(async () => {
      const list = await api.get('/v1/clients?status=merged&q=medzio');
      expect(list.body.items.map((c: any) => c.id).sort()).toEqual([a.id, b.id].sort());
    });
  });

  it('reports every obstacle with its code, and changes nothing', async () => {
    const keep = await create({ code: nextCode() });
    const deleted = await create({});
    await api.delete(`/v1/clients/${deleted.id}`);
    const alreadyMerged = await create({});
    const other = await create({});
    await api.post('/v1/clients/merge', { keepId: other.id, mergeIds: [alreadyMerged.id] });
    const person = await api.post('/v1/clients', { kind: 'person', firstName: 'Ona', lastName: 'Dublytė' });
    const otherCode = await create({ code: nextCode() });
    const elsewhere = await (
      await system.createTenant({ name: 'UAB Svetimas', code: '300000009' })
    ).admin.post('/v1/clients', {
      kind: 'company',
      name: 'UAB Svetimas Klientas',
    });
    const before = await api.get(`/v1/clients/${keep.id}`);

    const body = {
      keepId: keep.id,
      mergeIds: [
        keep.id,
        'no-such-client',
        elsewhere.body.id,
        deleted.id,
        alreadyMerged.id,
        tenant.companyId,
        person.body.id,
        otherCode.id,
      ],
    };
    const blocked = await api.post('/v1/clients/merge', body);
    expect(blocked.status).toBe(409);
    expect(blocked.body.code).toBe('merge_blocked');
    expect(blocked.body.errors.map((e: any) => [e.field, e.code])).toEqual([
      [keep.id, 'keep_in_merge_list'],
      ['no-such-client', 'client_not_found'],
      [elsewhere.body.id, 'client_not_found'],
      [deleted.id, 'client_not_active'],
      [alreadyMerged.id, 'client_not_active'],
      [tenant.companyId, 'own_company_merged'],
      [tenant.companyId, 'code_conflict'],
      [person.body.id, 'kind_mismatch'],
      [otherCode.id, 'code_conflict'],
    ]);
    expect(blocked.body.errors.every((e: any) => typeof e.message === 'string')).toBe(true);
    expect((await api.get(`/v1/clients/${keep.id}`)).body).toEqual(before.body);
    expect((await api.get(`/v1/clients/${otherCode.id}`)).body.status).toBe('active');

    // A merge kept on a client that is not active is blocked too.
    const onDeleted = await api.post('/v1/clients/merge', { keepId: deleted.id, mergeIds: [other.id] });
    expect(onDeleted.body.errors).toEqual([
      { field: deleted.id, code: 'client_not_active', message: expect.any(String) },
    ]);
  });

  it('validates the body: 1–1000 distinct merge ids, nothing unknown', async () => {
    for (const body of [
      { keepId: 'a', mergeIds: [] },
      { keepId: 'a', mergeIds: ['b', 'b'] },
      { keepId: 'a', mergeIds: Array.from({ length: 1001 }, (_, i) => `id-${i}`) },
      { keepId: 'a', mergeIds: ['b'], force: true },
      { mergeIds: ['b'] },
    ]) {
      const response = await api.post('/v1/clients/merge', body);
      expect(response.status).toBe(400);
      expect(response.body.code).toBe('validation_failed');
    }
  });

  it('previews the survivor, the obstacles and the moves without changing anything', async () => {
    const keep = await create({ email: null });
    const a = await create({ email: 'a@dublis.lt' });
    const preview = await api.post('/v1/clients/merge/preview', { keepId: keep.id, mergeIds: [a.id] });
    expect(preview.status).toBe(200);
    expect(preview.body).toEqual({
      client: expect.objectContaining({ id: keep.id, email: 'a@dublis.lt', version: 2 }),
      obstacles: [],
      moves: { operations: 0 },
    });
    expect((await api.get(`/v1/clients/${a.id}`)).status).toBe(200);
    expect((await api.get(`/v1/clients/${keep.id}`)).body.version).toBe(1);
    const blocked = await api.post('/v1/clients/merge/preview', { keepId: keep.id, mergeIds: ['ghost'] });
    expect(blocked.body).toEqual({
      client: null,
      obstacles: [{ field: 'ghost', code: 'client_not_found', message: expect.any(String) }],
      moves: { operations: 0 },
    });
  });

  it('keeps an audit record an auditor can read and another tenant cannot', async () => {
    const keep = await create({ name: 'UAB Auditas' });
    const a = await create({ name: 'UAB Auditas (dublis)', notes: 'from import' });
    const merged = await api.post(
      '/v1/clients/merge',
      { keepId: keep.id, mergeIds: [a.id], reason: 'same company' },
      { 'x-correlation-id': 'audit-corr-1' },
    );
    const auditor = await tenant.as('auditor');
    const record = await auditor.get(`/v1/merges/${merged.body.mergeId}`);
    expect(record.status).toBe(200);
    expect(record.body).toEqual({
      mergeId: merged.body.mergeId,
      status: 'completed',
      occurredAt: expect.stringMatching(/Z$/),
      completedAt: expect.stringMatching(/Z$/),
      actor: { kind: 'api_key', id: expect.any(String), role: 'admin' },
      correlationId: 'audit-corr-1',
      reason: 'same company',
      keepId: keep.id,
      mergedIds: [a.id],
      before: {
        [keep.id]: expect.objectContaining({ id: keep.id, version: 1, notes: null, status: 'active' }),
        [a.id]: expect.objectContaining({ id: a.id, version: 1, notes: 'from import', status: 'active' }),
      },
      after: expect.objectContaining({ id: keep.id, version: 2, notes: 'from import' }),
      moved: { operations: 0 },
    });
    const byClient = await auditor.get(`/v1/merges?clientId=${a.id}`);
    expect(byClient.body.items.map((m: any) => m.mergeId)).toEqual([merged.body.mergeId]);
    const future = await auditor.get(`/v1/merges?clientId=${a.id}&from=2999-01-01T00:00:00Z`);
    expect(future.body).toEqual({ items: [], nextCursor: null });
    expect((await auditor.post('/v1/clients/merge', { keepId: keep.id, mergeIds: [a.id] })).status).toBe(403);

    const stranger = await system.createTenant({ name: 'UAB Smalsus', code: '300000008' });
    expect((await stranger.admin.get(`/v1/merges/${merged.body.mergeId}`)).status).toBe(404);
    expect((await stranger.admin.get(`/v1/merges?clientId=${a.id}`)).body.items).toEqual([]);
  });

  it('lets exactly one of two merges sharing a client through', async () => {
    const shared = await create({});
    const [k1, k2] = [await create({}), await create({})];
    const [first, second] = await Promise.all([
      api.post('/v1/clients/merge', { keepId: k1.id, mergeIds: [shared.id] }),
      api.post('/v1/clients/merge', { keepId: k2.id, mergeIds: [shared.id] }),
    ]);
    expect([first.status, second.status].sort()).toEqual([200, 409]);
    const loser = first.status === 409 ? first : second;
    expect(loser.body.code).toBe('merge_blocked');
    expect(loser.body.errors).toEqual([
      { field: shared.id, code: 'client_not_active', message: expect.any(String) },
    ]);
    const winner = first.status === 200 ? k1 : k2;
    expect((await api.get(`/v1/clients/${shared.id}`)).body).toEqual({ mergedInto: winner.id });
    // The loser took its other locks in the same insert: none of them is left behind.
    const loserKeep = winner === k1 ? k2 : k1;
    const later = await api.post('/v1/clients/merge', {
      keepId: loserKeep.id,
      mergeIds: [(await create({})).id],
    });
    expect(later.status).toBe(200);
  });

  it('never lets an edit racing a merge bring the merged client back', async () => {
    const keep = await create({});
    const racer = await create({});
    const edits = Array.from({ length: 6 }, (_, i) =>
      api.patch(`/v1/clients/${racer.id}`, { notes: `edit ${i}` }),
    );
    const merge = api.post('/v1/clients/merge', { keepId: keep.id, mergeIds: [racer.id] });
    const results = await Promise.all([merge, ...edits]);
    expect(results[0].status).toBe(200);
    for (const edit of results.slice(1)) expect([200, 409]).toContain(edit.status);
    const read = await api.get(`/v1/clients/${racer.id}`);
    expect(read.status).toBe(308);
    const history = await api.get(`/v1/clients/${racer.id}/history`);
    expect(history.body.items.at(-1).type).toBe('ClientMergedInto');
  });

  /** A promise the test resolves when it likes, and one that says when the held request got there. */
  function hold() {
    let release!: () => void;
    let reached!: () => void;
    const until = new Promise<void>((resolve) => (release = resolve));
    const arrived = new Promise<void>((resolve) => (reached = resolve));
    return { until, reached, release, arrived };
  }
  const within = (promise: Promise<unknown>, ms: number) =>
    Promise.race([promise.then(() => true), new Promise((resolve) => setTimeout(() => resolve(false), ms))]);

  it('never plans a merge on a client an edit is about to change: the audit holds every change that landed', async () => {
    const keep = await create({});
    const target = await create({ notes: 'before' });
    // The edit is held right before its append: it has passed any check it makes first.
    const edit = hold();
    system.clientsApp.get(CommandFaults).holdBeforeAppend = { clientId: target.id, ...edit };
    const editing = api.patch(`/v1/clients/${target.id}`, { notes: 'late edit' });
    await edit.arrived;
    // The merge is held after its record (its plan) is stored, if it gets that far meanwhile.
    const planned = hold();
    system.clientsApp.get(MergeFaults).holdAfter = { step: 'recorded', ...planned };
    const merging = api.post('/v1/clients/merge', { keepId: keep.id, mergeIds: [target.id] });
    await within(planned.arrived, 1_000);
    edit.release();
    const edited = await editing;
    await within(planned.arrived, 5_000);
    planned.release();
    const merged = await merging;
    system.clientsApp.get(MergeFaults).holdAfter = null;

    expect(merged.status).toBe(200);
    const record = (await api.get(`/v1/merges/${merged.body.mergeId}`)).body;
    const history = (await api.get(`/v1/clients/${target.id}/history`)).body.items;
    if (edited.status === 200) {
      // The edit landed: then it landed before the merge's plan, and the audit shows it.
      expect(record.before[target.id]).toMatchObject({ notes: 'late edit', version: 2 });
      expect(history.map((e: any) => e.type)).toEqual([
        'ClientRegistered',
        'ClientDetailsChanged',
        'ClientMergedInto',
      ]);
    } else {
      expect(edited.body.code).toBe('client_not_active');
      expect(record.before[target.id]).toMatchObject({ notes: 'before', version: 1 });
    }
  });

  it('does not take a slow edit for an abandoned one: the merge waits, then is blocked, and the edit lands', async () => {
    const keep = await create({});
    const target = await create({ notes: 'before' });
    const edit = hold();
    system.clientsApp.get(CommandFaults).holdBeforeAppend = { clientId: target.id, ...edit };
    const editing = api.patch(`/v1/clients/${target.id}`, { notes: 'slow edit' });
    await edit.arrived;
    const merging = api.post('/v1/clients/merge', { keepId: keep.id, mergeIds: [target.id] });
    // Longer than a write lock lives without its process (5 s): the edit is slow, not dead.
    await new Promise((resolve) => setTimeout(resolve, 7_000));
    edit.release();
    const [edited, merged] = await Promise.all([editing, merging]);

    expect(edited.status).toBe(200);
    if (merged.status === 200) {
      const record = (await api.get(`/v1/merges/${merged.body.mergeId}`)).body;
      expect(record.before[target.id]).toMatchObject({ notes: 'slow edit', version: 2 });
    } else {
      expect(merged.status).toBe(409);
      expect(merged.body.code).toBe('merge_blocked');
      expect((await api.get(`/v1/clients/${target.id}`)).body).toMatchObject({
        status: 'active',
        notes: 'slow edit',
      });
    }
  }, 30_000);

  it('keeps a code taken over by the survivor unique while the merge is under way and after', async () => {
    const code = nextCode();
    const keep = await create({});
    const holder = await create({ code });
    // The holder's reservation is old, as a client made months ago would have it.
    await system.clientsApp
      .get(MONGO_DB)
      .collection('code_reservations')
      .updateOne(
        { _id: `${tenant.tenantId}:${code}` as any },
        { $set: { reservedAt: new Date(Date.now() - 3_600_000) } },
      );
    // The process dies after the merged client is merged, before the survivor takes the code over.
    system.clientsApp.get(MergeFaults).failAfter = 'merged-all';
    expect((await api.post('/v1/clients/merge', { keepId: keep.id, mergeIds: [holder.id] })).status).toBe(
      500,
    );
    const meanwhile = await api.post('/v1/clients', { kind: 'company', name: 'UAB Vagis', code });
    expect(meanwhile.status).toBe(409);
    expect(meanwhile.body.code).toBe('non_unique_entry');

    expect(await system.clientsApp.get(MergeProcess).resumeUnfinished()).toBe(1);
    expect((await api.get(`/v1/clients/${keep.id}`)).body.code).toBe(code);
    const after = await api.post('/v1/clients', { kind: 'company', name: 'UAB Vagis', code });
    expect(after.status).toBe(409);
    await eventually(async () => {
      const holders = (await api.get(`/v1/clients?code=${code}`)).body.items;
      expect(holders.map((c: any) => c.id)).toEqual([keep.id]);
    });
  });

  describe('crash safety', () => {
    const steps: MergeStep[] = ['recorded', 'merged-one', 'merged-all', 'survivor', 'codes'];

    it('leaves everything untouched when the process dies before the record', async () => {
      const keep = await create({});
      const a = await create({});
      system.clientsApp.get(MergeFaults).failAfter = 'locked';
      const failed = await api.post('/v1/clients/merge', { keepId: keep.id, mergeIds: [a.id] });
      expect(failed.status).toBe(500);
      expect(failed.body.code).toBe('internal');
      expect(await system.clientsApp.get(MergeProcess).resumeUnfinished()).toBe(0);
      expect((await api.get(`/v1/clients/${a.id}`)).body).toMatchObject({ status: 'active', version: 1 });
      expect((await api.get(`/v1/merges?clientId=${a.id}`)).body.items).toEqual([]);
      // Nothing is left locked: the same merge goes through now.
      expect((await api.post('/v1/clients/merge', { keepId: keep.id, mergeIds: [a.id] })).status).toBe(200);
    });

    it.each(steps)('completes a merge whose process died after step "%s", all or nothing', async (step) => {
      const code = nextCode();
      const keep = await create({ email: null });
      const merged = [await create({ email: 'first@dublis.lt', code }), await create({}), await create({})];
      system.clientsApp.get(MergeFaults).failAfter = step;
      const failed = await api.post('/v1/clients/merge', {
        keepId: keep.id,
        mergeIds: merged.map((m) => m.id),
      });
      expect(failed.status).toBe(500);

      // The restarted process (its recovery) finishes the merge.
      expect(await system.clientsApp.get(MergeProcess).resumeUnfinished()).toBe(1);
      for (const m of merged)
        expect((await api.get(`/v1/clients/${m.id}`)).body).toEqual({ mergedInto: keep.id });
      const survivor = await api.get(`/v1/clients/${keep.id}`);
      expect(survivor.body).toMatchObject({ email: 'first@dublis.lt', code, version: 2 });
      const records = await api.get(`/v1/merges?clientId=${keep.id}`);
      expect(records.body.items).toHaveLength(1);
      expect(records.body.items[0]).toMatchObject({
        status: 'completed',
        after: expect.objectContaining({ version: 2, code }),
      });
      // Running the recovery again changes nothing: every step is idempotent.
      expect(await system.clientsApp.get(MergeProcess).resumeUnfinished()).toBe(0);
      expect((await api.get(`/v1/clients/${keep.id}/history`)).body.items).toHaveLength(2);
      // Nothing stays locked.
      expect((await api.patch(`/v1/clients/${keep.id}`, { notes: 'after the crash' })).status).toBe(200);
    });
  });

  it('merges three hundred clients into one, the audit record holding each of them', async () => {
    const keep = await create({});
    const many: any[] = [];
    for (let batch = 0; batch < 10; batch += 1) {
      many.push(
        ...(await Promise.all(
          Array.from({ length: 30 }, (_, i) =>
            create({ name: `UAB Dublis ${batch}-${i}`, roles: i % 2 ? ['buyer'] : ['supplier'] }),
          ),
        )),
      );
    }
    const merged = await api.post('/v1/clients/merge', { keepId: keep.id, mergeIds: many.map((m) => m.id) });
    expect(merged.status).toBe(200);
    expect(merged.body.client.roles).toEqual(['buyer', 'supplier']);
    const record = await api.get(`/v1/merges/${merged.body.mergeId}`);
    expect(Object.keys(record.body.before)).toHaveLength(301);
    expect(
      (await api.get(`/v1/merges?clientId=${many[299].id}`)).body.items.map((m: any) => m.mergeId),
    ).toEqual([merged.body.mergeId]);
    expect((await api.get(`/v1/clients/${many[150].id}`)).status).toBe(308);
  }, 90_000);
});

import ExcelJS from 'exceljs';
import mongoose from 'mongoose';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { jobId } from '../../src/jobs/catalogue.js';
import type { Organization } from '../../src/modules/orgs/orgs.repository.js';
import { IMPORT_COLUMNS } from '../../src/modules/worker-profiles/import-columns.js';
import { startWorkerHost, type WorkerHost } from '../../workers/host.js';
import { allProcessors } from '../../workers/processors.js';
import { bearer, makeOrg, makeUser, signIn, type TestActor } from '../fixtures/accounts.js';
import { startTestApp, type TestApp } from '../fixtures/app.js';
import { makeIdentity, withWrongCheckCharacter } from '../fixtures/identity.js';
import { waitFor } from '../fixtures/processes.js';
import { distinctRosterRows, type RosterRow, rosterCsv, rosterRow, rosterXlsx } from '../fixtures/rosters.js';
import { makeProfile } from '../fixtures/worker-profiles.js';
import { binaryBody, xlsxBomb } from '../fixtures/xlsx.js';

/**
 * Spreadsheet import: malformed files are a clear 4xx; a roster is imported in the background by
 * the worker; valid rows go in even when others are refused; importing again updates, never
 * duplicates; the file never sits in Redis or in clear in MongoDB.
 */

const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
const KANGDING = { code: '513301', name: '康定市' };
const LUDING = { code: '513322', name: '泸定县' };

let t: TestApp;
let worker: WorkerHost | undefined;
let ganzi: Organization;
let liangshan: Organization;
let ganziStaff: TestActor;
let liangshanStaff: TestActor;
let admin: TestActor;
let reviewer: TestActor;

beforeAll(async () => {
  t = await startTestApp({ RATE_LIMIT_PER_MINUTE: '100000', IMPORT_MAX_BYTES: '20mb' });
  ganzi = await makeOrg('recipient_federation', '513300');
  liangshan = await makeOrg('recipient_federation', '513400');
  ganziStaff = await signIn(t.config, await makeUser(ganzi, ['federation_staff']), ganzi);
  liangshanStaff = await signIn(t.config, await makeUser(liangshan, ['federation_staff']), liangshan);
  const platform = await makeOrg('platform');
  admin = await signIn(t.config, await makeUser(platform, ['admin']), platform);
  const foshan = await makeOrg('supporting_federation', '440600');
  reviewer = await signIn(t.config, await makeUser(foshan, ['reviewer']), foshan);
});
afterAll(async () => {
  await worker?.close();
  await t?.close();
});

function upload(who: TestActor, body: Buffer | string, type = XLSX) {
  return request(t.app)
    .post('/api/v1/worker-profiles/imports')
    .set(bearer(who.token))
    .set('Content-Type', type)
    .send(typeof body === 'string' ? Buffer.from(body) : body);
}

async function finished(who: TestActor, id: string) {
  return waitFor(
    `import ${id} to finish`,
    async () => {
      const res = await request(t.app)
        .get(`/api/v1/worker-profiles/imports/${id}`)
        .set(bearer(who.token))
        .expect(200);
      return res.body.status === 'completed' || res.body.status === 'failed' ? res.body : undefined;
    },
    120_000,
    200,
  );
}

async function importFile(who: TestActor, body: Buffer | string, type = XLSX) {
  const res = await upload(who, body, type);
  expect(res.status, JSON.stringify(res.body)).toBe(202);
  expect(res.headers.location).toBe(`/api/v1/worker-profiles/imports/${res.body.id}`);
  return finished(who, res.body.id);
}

const profilesOf = (org: Organization) =>
  mongoose.connection
    .db!.collection('worker_profiles')
    .countDocuments({ registeringFederationId: org.id, erased: false });

describe('malformed files are a clear 4xx, never a crash', () => {
  const cases: [string, () => Buffer | string, string, number, string][] = [
    ['an empty body', () => Buffer.alloc(0), 'application/octet-stream', 400, 'empty_file'],
    [
      'an image',
      () => Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13]),
      'application/octet-stream',
      400,
      'not_a_spreadsheet',
    ],
    [
      'an old .xls file',
      () => Buffer.concat([Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1]), Buffer.alloc(512)]),
      'application/vnd.ms-excel',
      400,
      'xls_not_supported',
    ],
    [
      'a damaged .xlsx',
      () => Buffer.concat([Buffer.from('PK\x03\x04'), Buffer.alloc(2048, 7)]),
      XLSX,
      400,
      'corrupt_xlsx',
    ],
    ['text without the template headers', () => 'name,id\nWang,1\n', 'text/csv', 400, 'no_header_row'],
    [
      'headers lacking required columns',
      () => '姓名,身份证号,联系电话\n王芳,x,1\n',
      'text/csv',
      400,
      'missing_columns',
    ],
    [
      'a column given twice',
      () => '姓名,身份证号,身份证号码,残疾人证号,残疾类别,残疾等级,户籍所在地\n',
      'text/csv',
      400,
      'duplicate_columns',
    ],
    ['headers and no rows', () => rosterCsv([]), 'text/csv', 400, 'no_rows'],
  ];

  it.each(cases)(
    'when the upload is %s, then a clear 4xx with its reason',
    async (_what, body, type, status, reason) => {
      const res = await upload(ganziStaff, body(), type);
      expect(res.status, JSON.stringify(res.body)).toBe(status);
      expect(res.body.code).toBe('invalid_spreadsheet');
      expect(res.body.reason).toBe(reason);
      expect(res.body.detail).toBeTruthy();
    },
  );

  it('when required columns are missing, then the problem names them', async () => {
    const res = await upload(ganziStaff, '姓名,身份证号,联系电话\n王芳,x,1\n', 'text/csv').expect(400);
    expect(res.body.columns).toEqual(['残疾人证号', '残疾类别', '残疾等级', '户籍所在地']);
    expect(res.body.detail).toContain('户籍所在地');
  });

  it('when a CSV cell holds a formula, then 400 naming it', async () => {
    const row = rosterRow(KANGDING);
    const csv = await upload(ganziStaff, rosterCsv([{ ...row, 期望月薪: '=3000+500' }]), 'text/csv').expect(
      400,
    );
    expect(csv.body).toMatchObject({ reason: 'formulas', cells: ['K2'] });
    expect(JSON.stringify(csv.body)).not.toContain(row.identity.idNumber);
  });

  it('when an XLSX of 100 KiB inflates to 40 MiB while declaring 400 bytes, then 400 too_large_uncompressed at upload', async () => {
    const bomb = xlsxBomb(40 * 1024 * 1024);
    expect(bomb.length).toBeLessThan(200 * 1024);
    const res = await upload(ganziStaff, bomb);
    expect(res.status, JSON.stringify(res.body)).toBe(400);
    expect(res.body).toMatchObject({ code: 'invalid_spreadsheet', reason: 'too_large_uncompressed' });
    expect(res.body.detail).toContain('解压后过大');
    const stored = await mongoose.connection
      .db!.collection('worker_profile_imports')
      .countDocuments({ organizationId: ganzi.id, size: bomb.length });
    expect(stored).toBe(0);
  });

  it('when a CSV text cell starts with +, - or @, then it is refused like a formula naming the cell; a +86 phone is not', async () => {
    expect.hasAssertions();
    const row = rosterRow(KANGDING);
    for (const name of ['+cmd', '@SUM(1)', '-2+3']) {
      const res = await upload(ganziStaff, rosterCsv([row, { ...row, 姓名: name }]), 'text/csv');
      expect(res.status, name).toBe(400);
      expect(res.body, name).toMatchObject({
        code: 'invalid_spreadsheet',
        reason: 'formulas',
        cells: ['A3'],
      });
    }
    const phone = await upload(
      ganziStaff,
      rosterCsv([{ ...row, 联系电话: '+86 138 0013 8000' }]),
      'text/csv',
    );
    expect(phone.status).toBe(202);
  });

  it('when the file is 50 MB, then 413 before it is read', async () => {
    const res = await upload(ganziStaff, Buffer.alloc(50 * 1024 * 1024, 0x41), 'text/csv');
    expect(res.status).toBe(413);
    expect(res.body.code).toBe('payload_too_large');
  });

  it('when the body is JSON or multipart, then 415; a reviewer or an employer may not import', async () => {
    const json = await request(t.app)
      .post('/api/v1/worker-profiles/imports')
      .set(bearer(ganziStaff.token))
      .send({ file: 'x' });
    expect(json.status).toBe(415);
    await upload(reviewer, rosterCsv([rosterRow(KANGDING)]), 'text/csv').expect(403);
  });

  it('when all that is over, then the service still answers', async () => {
    await request(t.app).get('/healthz').expect(200);
  });
});

describe('the uploaded file', () => {
  it('when a roster is uploaded, then the queued job holds the import id only and the stored file holds no ID number in clear', async () => {
    const rows = [rosterRow(KANGDING), rosterRow(LUDING)];
    const res = await upload(ganziStaff, rosterCsv(rows), 'text/csv; charset=utf-8').expect(202);
    expect(res.body).toMatchObject({ status: 'queued', format: 'csv', totalRows: 2 });
    const job = await t.runtime.queues.imports.getJob(jobId('worker_profiles.import', res.body.id));
    expect(job?.data).toEqual({ importId: res.body.id });
    const chunks = await mongoose.connection
      .db!.collection('worker_profile_import_files')
      .find({ importId: res.body.id })
      .toArray();
    expect(chunks.length).toBe(1);
    const stored = JSON.stringify(chunks);
    for (const r of rows) {
      expect(stored).not.toContain(r.identity.idNumber);
      expect(stored).not.toContain(Buffer.from(r.identity.idNumber).toString('base64').slice(0, 16));
    }
    expect(chunks[0]!.data).toMatch(/^v1\.k1\./);
  });
});

describe('importing rosters', () => {
  beforeAll(async () => {
    worker = await startWorkerHost(t.config, t.deps.logger, allProcessors);
  });

  it('when the template is downloaded, then it has the documented columns, and a filled-in template imports', async () => {
    const res = await request(t.app)
      .get('/api/v1/worker-profiles/imports/template')
      .set(bearer(ganziStaff.token))
      .buffer(true)
      .parse(binaryBody)
      .expect(200);
    expect(res.headers['content-type']).toContain('spreadsheetml');
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(res.body);
    const sheet = wb.getWorksheet('人员信息')!;
    expect((sheet.getRow(1).values as string[]).slice(1)).toEqual(IMPORT_COLUMNS.map((c) => c.header));
    expect(wb.getWorksheet('填写说明')!.rowCount).toBeGreaterThan(IMPORT_COLUMNS.length);
    const codes = wb.getWorksheet('代码表')!;
    const kinds = new Set<string>();
    codes.eachRow((row) => kinds.add(String(row.getCell(1).value)));
    expect([...kinds]).toEqual(expect.arrayContaining(['技能', '意向地区', '户籍所在地']));

    const who = makeIdentity({ addressCode: KANGDING.code, disabilityCategory: '2', disabilityLevel: '3' });
    const byHeader: Record<string, string> = {
      姓名: who.name,
      身份证号: who.idNumber,
      残疾人证号: who.certificateNumber,
      残疾类别: '听力',
      残疾等级: '三级',
      户籍所在地: '甘孜藏族自治州康定市',
      技能: '手语',
      语言: '中国手语；普通话',
      所需支持: '手语支持；闪光报警',
      同意书版本: 'pi-2024.1',
      同意人: '本人',
    };
    sheet.getRow(2).values = IMPORT_COLUMNS.map((c) => byHeader[c.header] ?? null);
    const filled = Buffer.from(await wb.xlsx.writeBuffer());
    const done = await importFile(ganziStaff, filled);
    expect(done, JSON.stringify(done.rejections)).toMatchObject({
      status: 'completed',
      imported: 1,
      rejected: 0,
    });
    const list = await request(t.app)
      .get('/api/v1/worker-profiles')
      .query({ skill: 'sign_language' })
      .set(bearer(ganziStaff.token))
      .expect(200);
    expect(list.body.items).toEqual([
      expect.objectContaining({
        originCode: KANGDING.code,
        disabilityCategory: '2',
        languages: ['csl', 'cmn'],
        consent: expect.objectContaining({ processing: true }),
        matching: expect.objectContaining({ eligible: true }),
      }),
    ]);
  });

  it('when a 1,000-row XLSX holds 37 bad rows, then 963 are imported and the 37 reported by row number; importing it again creates nothing new', async () => {
    const registeredInLiangshan = makeIdentity({ addressCode: '513401' });
    await makeProfile(t.deps, liangshan, '513401', {
      name: registeredInLiangshan.name,
      idNumber: registeredInLiangshan.idNumber,
      certificateNumber: registeredInLiangshan.certificateNumber,
      disabilityCategory: registeredInLiangshan.disabilityCategory,
      disabilityLevel: registeredInLiangshan.disabilityLevel,
    });

    const rows = distinctRosterRows(1000, [LUDING, KANGDING, KANGDING]);
    const corruptions: ((
      r: RosterRow & { identity: ReturnType<typeof makeIdentity> },
    ) => Partial<RosterRow>)[] = [
      (r) => ({ 身份证号: withWrongCheckCharacter(r.identity.idNumber) }),
      (r) => ({ 残疾类别: r.identity.disabilityCategory === '4' ? '视力' : '肢体' }),
      (r) => ({ 残疾等级: r.identity.disabilityLevel === '2' ? '一级' : '二级' }),
      () => ({ 技能: '杂技' }),
      () => ({ 户籍所在地: '昭觉县' }),
      () => ({ 身份证号: 5.133011990010112e17 }),
      () => ({ 姓名: null }),
      () => ({ 联系电话: '12345' }),
      () => ({
        姓名: rows[0]!.姓名,
        身份证号: rows[0]!.身份证号,
        残疾人证号: rows[0]!.残疾人证号,
        残疾类别: rows[0]!.残疾类别,
        残疾等级: rows[0]!.残疾等级,
      }),
      () => ({
        姓名: registeredInLiangshan.name,
        身份证号: registeredInLiangshan.idNumber,
        残疾人证号: registeredInLiangshan.certificateNumber,
        残疾类别: (
          {
            '1': '视力',
            '2': '听力',
            '3': '言语',
            '4': '肢体',
            '5': '智力',
            '6': '精神',
            '7': '多重',
          } as const
        )[registeredInLiangshan.disabilityCategory],
        残疾等级: `${'一二三四'[Number(registeredInLiangshan.disabilityLevel) - 1]}级`,
      }),
      () => ({ 意向地区: '成都' }),
      () => ({ 需要宿舍: '也许' }),
      () => ({ 户籍所在地: '火星县' }),
    ];
    const badRows: number[] = [];
    for (let k = 0; k < 37; k++) {
      const index = 5 + k * 27;
      Object.assign(rows[index]!, corruptions[k % corruptions.length]!(rows[index]!));
      badRows.push(index + 2); // the header is row 1
    }
    const xlsx = await rosterXlsx(rows);

    const before = await profilesOf(ganzi);
    const first = await importFile(ganziStaff, xlsx);
    expect(
      first,
      JSON.stringify(first.rejections.filter((r: { row: number }) => !badRows.includes(r.row))),
    ).toMatchObject({
      status: 'completed',
      totalRows: 1000,
      rowsDone: 1000,
      imported: 963,
      updated: 0,
      rejected: 37,
    });
    expect(await profilesOf(ganzi)).toBe(before + 963);

    const report = await request(t.app)
      .get(`/api/v1/worker-profiles/imports/${first.id}/rejections`)
      .set(bearer(ganziStaff.token))
      .buffer(true)
      .parse(binaryBody)
      .expect(200);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(report.body);
    const sheet = wb.getWorksheet('未导入的行')!;
    const reported: { row: number; column: string; reason: string; code: string }[] = [];
    sheet.eachRow((row, n) => {
      if (n > 1)
        reported.push({
          row: Number(row.getCell(1).value),
          column: String(row.getCell(2).value),
          reason: String(row.getCell(3).value),
          code: String(row.getCell(4).value),
        });
    });
    expect([...new Set(reported.map((r) => r.row))].sort((a, b) => a - b)).toEqual(badRows);
    expect(reported.map((r) => r.code)).toEqual(
      expect.arrayContaining([
        'id_number_check_character',
        'certificate_category_mismatch',
        'certificate_level_mismatch',
        'unknown_name',
        'outside_jurisdiction',
        'number_lost_digits',
        'required',
        'phone_length',
        'duplicate_in_file',
        'registered_elsewhere',
        'region_not_allowed',
        'not_yes_no',
        'unknown_region',
      ]),
    );
    expect(reported.find((r) => r.code === 'duplicate_in_file')!.reason).toContain('第 2 行');
    expect(reported.find((r) => r.code === 'outside_jurisdiction')!.column).toBe('户籍所在地');
    const reportText = JSON.stringify(reported);
    for (const r of rows) expect(reportText).not.toContain(r.identity.idNumber);
    expect(reportText).not.toContain(registeredInLiangshan.idNumber);

    const again = await importFile(ganziStaff, xlsx);
    expect(again).toMatchObject({
      status: 'completed',
      imported: 0,
      updated: 0,
      unchanged: 963,
      rejected: 37,
    });
    expect(await profilesOf(ganzi)).toBe(before + 963);

    // One changed cell: that profile is updated, nothing else moves.
    rows[1]!.技能 = '缝纫（精通）';
    const changed = await importFile(ganziStaff, await rosterXlsx(rows));
    expect(changed).toMatchObject({ imported: 0, updated: 1, unchanged: 962, rejected: 37 });
    expect(await profilesOf(ganzi)).toBe(before + 963);

    // The files are gone once imported.
    expect(
      await mongoose.connection
        .db!.collection('worker_profile_import_files')
        .countDocuments({ importId: first.id }),
    ).toBe(0);
    // Another federation cannot read this import; an admin can.
    await request(t.app)
      .get(`/api/v1/worker-profiles/imports/${first.id}`)
      .set(bearer(liangshanStaff.token))
      .expect(404);
    await request(t.app)
      .get(`/api/v1/worker-profiles/imports/${first.id}`)
      .set(bearer(admin.token))
      .expect(200);
  });

  it('when an XLSX cell holds a formula, then the upload is accepted and the import fails naming the reason', async () => {
    const row = rosterRow(KANGDING);
    const xlsx = await rosterXlsx([
      row,
      { ...rosterRow(KANGDING), 期望月薪: { formula: '3000+500', result: 3500 } },
    ]);
    const done = await importFile(ganziStaff, xlsx);
    expect(done).toMatchObject({ status: 'failed', error: 'formulas', imported: 0 });
    expect(done.errorDetail).toContain('K3');
    expect(JSON.stringify(done)).not.toContain(row.identity.idNumber);
    const chunks = await mongoose.connection
      .db!.collection('worker_profile_import_files')
      .countDocuments({ importId: done.id });
    expect(chunks).toBe(0);
  });

  it('when a UTF-8 CSV with a title line and extra columns is imported, then the rows go in and the extra columns are listed as ignored', async () => {
    const rows = [rosterRow(KANGDING), rosterRow(LUDING)];
    const csv = `\ufeff甘孜州残疾人就业登记表,,,\r\n${rosterCsv(rows, ['序号', '姓名', '身份证号', '残疾人证号', '残疾类别', '残疾等级', '户籍所在地', '家庭住址'])}`;
    const done = await importFile(ganziStaff, csv, 'text/csv');
    expect(done).toMatchObject({
      status: 'completed',
      format: 'csv',
      imported: 2,
      rejected: 0,
      ignoredColumns: ['家庭住址'],
    });
  });

  it('when everything above has run, then no captured log line holds an ID number', () => {
    const logs = t.logs.lines.join('\n');
    expect(logs).not.toMatch(/\b\d{17}[\dX]\b/);
  });
});

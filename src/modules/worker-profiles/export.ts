import type { Writable } from 'node:stream';
import ExcelJS from 'exceljs';
import type { Actor } from '../../lib/auth/actor.js';
import { formulaSafeRow } from '../../lib/spreadsheet-cells.js';
import { audit } from '../audit/audit.service.js';
import type { VocabularyKind } from '../reference/reference.service.js';
import { profileReadScope } from './worker-profiles.policy.js';
import { streamProfiles } from './worker-profiles.repository.js';
import type { ExportProfilesQuery } from './worker-profiles.schemas.js';
import { cryptoOf, loadReferenceSnapshot, type ProfileDeps, presentFor } from './worker-profiles.service.js';

const STATUS_ZH = {
  available: '待岗',
  in_process: '招聘流程中',
  placed: '已安置',
  inactive: '已停用',
} as const;
const SEX_ZH = { male: '男', female: '女' } as const;

/**
 * Streams the caller's scope as XLSX, masked exactly as the API shows it to that caller (reviewers:
 * no phone, age instead of birth date). Rows are written as they are read, so memory stays flat.
 * The export is audited before the first row leaves: an export is a disclosure.
 */
export async function writeProfilesExport(
  deps: ProfileDeps,
  actor: Actor,
  q: ExportProfilesQuery,
  out: Writable,
): Promise<void> {
  const ref = await loadReferenceSnapshot();
  const label = (kind: VocabularyKind, code: string) =>
    ref.entries(kind).find((e) => e.code === code)?.zh ?? code;
  const region = (code: string) => ref.region(code)?.zh ?? code;
  await audit.record({
    action: 'worker_profile.export',
    resource: { type: 'worker_profile' },
    fields: ['name', 'idNumber', 'certificateNumber', 'phone'],
    reason: 'masked',
  });

  const writer = new ExcelJS.stream.xlsx.WorkbookWriter({
    stream: out,
    useStyles: true,
    useSharedStrings: false,
  });
  const sheet = writer.addWorksheet('人员信息');
  sheet.columns = [
    { header: '档案编号', key: 'id', width: 26 },
    { header: '姓名', key: 'name', width: 10 },
    { header: '身份证号', key: 'idNumber', width: 22 },
    { header: '残疾人证号', key: 'certificateNumber', width: 26 },
    { header: '联系电话', key: 'phone', width: 14 },
    { header: '性别', key: 'sex', width: 6 },
    { header: '年龄', key: 'age', width: 6 },
    { header: '户籍所在地', key: 'origin', width: 14 },
    { header: '残疾类别', key: 'category', width: 10 },
    { header: '残疾等级', key: 'level', width: 10 },
    { header: '技能', key: 'skills', width: 24 },
    { header: '培训经历', key: 'training', width: 24 },
    { header: '意向地区', key: 'destinations', width: 16 },
    { header: '期望月薪', key: 'wage', width: 10 },
    { header: '状态', key: 'status', width: 10 },
    { header: '已同意处理敏感信息', key: 'consent', width: 12 },
    { header: '可参与匹配', key: 'eligible', width: 10 },
    { header: '不参与匹配的原因', key: 'reasons', width: 30 },
    { header: '更新时间', key: 'updatedAt', width: 20 },
  ];
  sheet.getRow(1).font = { bold: true };
  sheet.getRow(1).commit();

  const filter = {
    status: q.status,
    region: q.region,
    skill: q.skill,
    consent: q.consent,
    updatedSince: q.updatedSince ? new Date(q.updatedSince) : undefined,
  };
  for await (const profile of streamProfiles(cryptoOf(deps), filter, profileReadScope(actor))) {
    const p = presentFor(deps, actor, profile);
    sheet
      .addRow(
        formulaSafeRow({
          id: p.id,
          name: p.name,
          idNumber: p.idNumber,
          certificateNumber: p.certificateNumber,
          phone: p.phone ?? '',
          sex: SEX_ZH[p.sex],
          age: p.age,
          origin: region(p.originCode),
          category: label('disability_category', p.disabilityCategory),
          level: label('disability_level', p.disabilityLevel),
          skills: p.skills
            .map((s) => `${label('skill', s.code)}（${label('skill_level', s.level)}）`)
            .join('；'),
          training: p.training.map((t) => label('training_programme', t.programmeCode)).join('；'),
          destinations: p.preferences.destinationCodes.map(region).join('；'),
          wage: p.preferences.minimumWage ?? '',
          status: STATUS_ZH[p.status],
          consent: p.consent.processing ? '是' : '否',
          eligible: p.matching.eligible ? '是' : '否',
          reasons: p.matching.reasons.map((r) => r.message).join('；'),
          updatedAt: p.updatedAt,
        }),
      )
      .commit();
  }
  sheet.commit();
  await writer.commit();
}

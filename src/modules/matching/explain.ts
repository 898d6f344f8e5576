import { type Assessment, assess } from './assess.js';
import type { MatchContext } from './context.js';
import { normalizeOpening, normalizeProfile } from './normalize.js';
import {
  destinationListText,
  joinEn,
  joinZh,
  num,
  openingStatusWords,
  optionsText,
  renderReasons,
} from './reasons.js';
import { ALGORITHM_VERSION, componentsOf } from './score.js';
import type { ComponentKey, ComponentScore, MatchOpening, MatchProfile, Reason, Text } from './types.js';

export interface ChartRow {
  /** Stable row key, e.g. `skill:sewing`, `demand:hearing_safety`, `accommodation:sign_language`. */
  key: string;
  /** Hard constraint (excludes when not met) or the soft component it feeds. */
  hard: boolean;
  component: ComponentKey | null;
  requirement: Text;
  profile: Text;
  /** null: nothing to meet (informational). */
  met: boolean | null;
  why: Text;
}

export interface Explanation {
  algorithmVersion: string;
  eligible: boolean;
  score: number;
  components: ComponentScore[];
  rows: ChartRow[];
  reasons: Reason[];
}

const T = (zh: string, en: string): Text => ({ zh, en });
const NONE = T('无', 'none');

/**
 * The comparison chart (Job Bank's "job match" view): each requirement of the opening, and each
 * need of the person, side by side, met or not and why. Built from the same assessment as the score.
 */
export function explain(profile: MatchProfile, opening: MatchOpening, ctx: MatchContext): Explanation {
  const p = normalizeProfile(ctx.vocabulary, profile);
  const o = normalizeOpening(ctx.vocabulary, opening);
  const a = assess(p, o, ctx);
  return {
    algorithmVersion: ALGORITHM_VERSION,
    eligible: a.eligible,
    score: a.score,
    components: componentsOf(a, ctx),
    rows: chartRows(a, p, o, ctx),
    reasons: renderReasons(a, p, o, ctx),
  };
}

function chartRows(
  a: Assessment,
  p: ReturnType<typeof normalizeProfile>,
  o: ReturnType<typeof normalizeOpening>,
  ctx: MatchContext,
): ChartRow[] {
  const v = ctx.vocabulary;
  const rows: ChartRow[] = [];
  const city = ctx.regionName(o.city);
  const wa = ctx.workingAge;

  const left = o.headcount - o.filled;
  rows.push({
    key: 'opening_open',
    hard: true,
    component: null,
    requirement: T('岗位在招且尚有名额', 'Opening open with places left'),
    profile: T(
      `${openingStatusWords(o.status)[0]}，剩余${Math.max(0, left)}个名额`,
      `${openingStatusWords(o.status)[1]}, ${Math.max(0, left)} left`,
    ),
    met: o.open && o.hasRoom,
    why:
      o.open && o.hasRoom
        ? T('可以推荐', 'Suggestions can be made')
        : T('岗位未开放或已招满', 'The opening is not open or is full'),
  });

  rows.push({
    key: 'profile_available',
    hard: true,
    component: null,
    requirement: T(
      '求职者可推荐，且已同意处理敏感个人信息',
      'Job seeker available, consent to process sensitive data recorded',
    ),
    profile: T(
      `${p.available ? '可推荐' : '不可推荐'}；${p.consent ? '已同意' : '未记录同意'}`,
      `${p.available ? 'available' : 'not available'}; ${p.consent ? 'consent recorded' : 'no consent recorded'}`,
    ),
    met: p.available && p.consent,
    why: p.available && p.consent ? T('满足', 'Met') : T('不能参与匹配', 'Cannot be matched'),
  });

  const ageOk = !a.excludedBy.includes('outside_working_age');
  rows.push({
    key: 'working_age',
    hard: true,
    component: null,
    requirement: T(
      `劳动年龄段：男${wa.min}–${wa.maxMale}岁，女${wa.min}–${wa.maxFemale}岁`,
      `Working age: men ${wa.min}–${wa.maxMale}, women ${wa.min}–${wa.maxFemale}`,
    ),
    profile: Number.isNaN(a.age)
      ? T('出生日期无效', 'invalid birth date')
      : T(`${a.age}岁（${p.male ? '男' : '女'}）`, `${a.age} (${p.male ? 'man' : 'woman'})`),
    met: ageOk,
    why: ageOk ? T('在劳动年龄段内', 'Within working age') : T('不在劳动年龄段', 'Outside working age'),
  });

  const dest = destinationListText(ctx, p);
  rows.push({
    key: 'destination',
    hard: true,
    component: 'destination',
    requirement: T(`工作地：${city.zh}`, `Workplace: ${city.en}`),
    profile: a.destination === 'anywhere' ? T('不限地区', 'anywhere') : dest,
    met: a.destination !== 'none',
    why:
      a.destination === 'city'
        ? T('是意向城市', 'A city the person asked for')
        : a.destination === 'province'
          ? T('在意向省份内', 'In a province the person asked for')
          : a.destination === 'anywhere'
            ? T('求职者不限工作地', 'The person accepts any destination')
            : T('不在可接受的地区', 'Not a destination the person accepts'),
  });

  const wageRange = `${num(o.wageMin)}–${num(o.wageMax)}`;
  rows.push({
    key: 'wage',
    hard: true,
    component: 'wage',
    requirement: T(`月薪${wageRange}元`, `¥${wageRange} a month`),
    profile:
      p.minWage < 0
        ? T('未填写期望', 'no expectation recorded')
        : T(`期望不低于${num(p.minWage)}元`, `expects at least ¥${num(p.minWage)}`),
    met: p.minWage <= o.wageMax,
    why:
      p.minWage < 0
        ? T('没有工资期望', 'No wage expectation')
        : p.minWage <= o.wageMin
          ? T('整个工资区间都满足期望', 'The whole range meets the expectation')
          : p.minWage === o.wageMax
            ? T('仅最高工资达到期望', 'Only the top of the range reaches the expectation')
            : p.minWage < o.wageMax
              ? T('工资区间上部满足期望', 'The upper part of the range meets the expectation')
              : T('最高工资低于期望', 'The maximum is below the expectation'),
  });

  for (const demand of o.demands) {
    const d = v.demands.label(demand);
    const mine = a.conflicts.filter((c) => c.demand === demand);
    const blocking = mine.filter((c) => c.mitigatedBy === null);
    const lims = mine.map((c) => v.limitations.label(c.limitation));
    let why: Text;
    if (mine.length === 0) why = T('与求职者的功能限制不冲突', 'No conflict with the person’s limitations');
    else if (blocking.length === 0) {
      const by = mine.map((c) => optionsText(ctx, [c.mitigatedBy ?? []]));
      why = T(
        `有冲突，但岗位提供的${joinZh(by.map((b) => b.zh))}可以缓解`,
        `Conflicts, but the ${joinEn(by.map((b) => b.en))} offered mitigate it`,
      );
    } else {
      const opts = blocking.filter((c) => c.options.length > 0).map((c) => optionsText(ctx, c.options));
      why =
        opts.length > 0
          ? T(
              `有冲突，岗位未提供可缓解的便利（提供${opts.map((x) => x.zh).join('；')}即可缓解）`,
              `Conflicts, and nothing offered mitigates it (${opts.map((x) => x.en).join('; ')} would)`,
            )
          : T('有冲突，且没有便利措施可以缓解', 'Conflicts, and no accommodation mitigates it');
    }
    rows.push({
      key: `demand:${demand}`,
      hard: true,
      component: null,
      requirement: T(`岗位要求：${d.zh}`, `The job needs: ${d.en}`),
      profile:
        lims.length === 0
          ? T('无相关功能限制', 'no related limitation')
          : T(lims.map((l) => l.zh).join('、'), lims.map((l) => l.en).join(', ')),
      met: blocking.length === 0,
      why,
    });
  }

  for (const acc of p.needs) {
    const l = v.accommodations.label(acc);
    const offered = o.offered.has(acc);
    rows.push({
      key: `accommodation:${acc}`,
      hard: true,
      component: null,
      requirement: offered
        ? T(`提供：${l.zh}`, `Offers: ${l.en}`)
        : T(`未提供：${l.zh}`, `Does not offer: ${l.en}`),
      profile: T(`需要${l.zh}`, `needs ${l.en}`),
      met: offered,
      why: offered
        ? T('岗位提供所需便利', 'The needed support is offered')
        : T('所需便利未提供', 'Not offered'),
    });
  }

  if (p.needsAccessibleDormitory) {
    rows.push({
      key: 'accessible_dormitory',
      hard: true,
      component: null,
      requirement: o.accessibleDormitory
        ? T('提供无障碍宿舍', 'Accessible dormitory provided')
        : T('无无障碍宿舍', 'No accessible dormitory'),
      profile: T('需要无障碍宿舍', 'needs an accessible dormitory'),
      met: o.accessibleDormitory,
      why: o.accessibleDormitory
        ? T('岗位提供无障碍宿舍', 'The opening provides an accessible dormitory')
        : T('需要无障碍宿舍，但岗位未提供', 'Needs an accessible dormitory, which is not provided'),
    });
  } else if (p.needsDormitory) {
    rows.push({
      key: 'dormitory',
      hard: false,
      component: null,
      requirement: o.dormitory ? T('提供宿舍', 'Dormitory provided') : T('不提供宿舍', 'No dormitory'),
      profile: T('需要宿舍', 'needs a dormitory'),
      met: o.dormitory,
      why: o.dormitory
        ? T('岗位提供宿舍', 'A dormitory is provided')
        : T('需要另找住处（不影响匹配资格）', 'Housing must be found elsewhere (does not exclude)'),
    });
  }

  if (a.skills.length === 0) {
    rows.push({
      key: 'skills',
      hard: false,
      component: 'skills',
      requirement: T('无技能要求', 'No skill required'),
      profile: T('—', '—'),
      met: null,
      why: T('不计入差异', 'Same for everyone'),
    });
  }
  for (const s of a.skills) {
    const l = v.skills.label(s.code);
    const req = v.skillLevelLabel(s.required);
    const have = s.have > 0 ? v.skillLevelLabel(s.have) : null;
    rows.push({
      key: `skill:${s.code}`,
      hard: false,
      component: 'skills',
      requirement: T(`技能：${l.zh}（${req.zh}）`, `Skill: ${l.en} (${req.en})`),
      profile: have ? T(`${l.zh}（${have.zh}）`, `${l.en} (${have.en})`) : NONE,
      met: s.have >= s.required,
      why:
        s.have >= s.required
          ? T('达到要求', 'Meets the level')
          : s.have > 0
            ? T(
                `低于要求，计${Math.round(s.credit * 100)}%`,
                `Below the level, ${Math.round(s.credit * 100)}% credit`,
              )
            : T('不具备', 'Missing'),
    });
  }

  if (a.skills.length > 0) {
    const qualified = !a.excludedBy.includes('no_required_skill');
    rows.push({
      key: 'required_skill_or_training',
      hard: true,
      component: null,
      requirement: T(
        '至少具备一项所需技能，或完成过相关培训',
        'At least one of the required skills, or related training',
      ),
      profile: qualified
        ? T('具备', 'has it')
        : T('所需技能均不具备，也没有相关培训', 'none of the required skills and no related training'),
      met: qualified,
      why: qualified
        ? T('可以推荐', 'Can be suggested')
        : T('不推荐：缺少岗位所需的全部技能', 'Not suggested: lacks every required skill'),
    });
  }

  if (o.preferredTraining.size > 0 || a.training !== null) {
    const wanted = [...o.preferredTraining].map((c) => ctx.programmeLabel(c));
    const done = p.training.map((t) => ctx.programmeLabel(t.programme));
    rows.push({
      key: 'training',
      hard: false,
      component: 'training',
      requirement:
        wanted.length > 0
          ? T(
              `优先培训：${wanted.map((w) => w.zh).join('、')}`,
              `Preferred training: ${wanted.map((w) => w.en).join(', ')}`,
            )
          : T('与所需技能相关的培训', 'Training related to the required skills'),
      profile:
        done.length > 0
          ? T(`已完成：${done.map((d) => d.zh).join('、')}`, `completed: ${done.map((d) => d.en).join(', ')}`)
          : NONE,
      met: a.training !== null,
      why:
        a.training === null
          ? T('没有相关培训', 'No related training')
          : T(
              `${a.training.preferred ? '完成了优先培训' : '完成了相关培训'}${a.training.underPartnership ? '（对口帮扶培训）' : ''}`,
              `${a.training.preferred ? 'Completed the preferred training' : 'Completed related training'}${a.training.underPartnership ? ' (under the partnership)' : ''}`,
            ),
    });
  }

  const partners = [...ctx.partnersOf(o.city)].map((c) => ctx.regionName(c));
  const origin = ctx.regionName(p.county);
  const pairArea = a.pairedArea === null ? null : ctx.regionName(a.pairedArea);
  rows.push({
    key: 'partnership',
    hard: false,
    component: 'partnership',
    requirement:
      partners.length > 0
        ? T(
            `${city.zh}对口帮扶：${partners.map((x) => x.zh).join('、')}`,
            `${city.en} partners: ${partners.map((x) => x.en).join(', ')}`,
          )
        : T(`${city.zh}无对口帮扶地区`, `${city.en} has no partner area`),
    profile: T(`来自${origin.zh}`, `from ${origin.en}`),
    met: pairArea !== null,
    why: pairArea
      ? T(`对口帮扶：${city.zh}—${pairArea.zh}`, `Partnership pair: ${city.en} – ${pairArea.en}`)
      : T('不属于对口帮扶关系', 'Not a partnership pair'),
  });

  rows.push({
    key: 'peers',
    hard: false,
    component: 'peers',
    requirement: T('同县老乡在该企业（已就业或已推荐）', 'People from the same county at this employer'),
    profile: T(`${a.peerCount}人`, `${a.peerCount}`),
    met: null,
    why:
      a.peerCount > 0
        ? T('可以结伴外出、相互照应', 'People move and stay in groups')
        : T('暂无同县老乡', 'Nobody from the same county yet'),
  });

  rows.push({
    key: 'experience',
    hard: false,
    component: 'experience',
    requirement: T('相关工作经验', 'Relevant work experience'),
    profile: T(
      `相关${num(a.relevantMonths)}个月，共${num(p.totalMonths)}个月`,
      `${num(a.relevantMonths)} months relevant, ${num(p.totalMonths)} in all`,
    ),
    met: null,
    why:
      a.relevantMonths > 0
        ? T('有相关经验', 'Has relevant experience')
        : p.totalMonths > 0
          ? T('有其他工作经验（按较低权重计）', 'Other experience (counts for less)')
          : T('暂无工作经验', 'No work experience yet'),
  });

  return rows;
}

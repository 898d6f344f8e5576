import type { Assessment } from './assess.js';
import type { MatchContext } from './context.js';
import type { NormalizedOpening, NormalizedProfile } from './normalize.js';
import type { ExclusionCode, Reason, Text } from './types.js';

/** An opening's status in words, for the reasons and the comparison chart (never a raw code). */
const OPENING_STATUS_WORDS: Record<string, [string, string]> = {
  draft: ['草稿', 'draft'],
  open: ['招聘中', 'open'],
  paused: ['已暂停', 'paused'],
  filled: ['已招满', 'filled'],
  closed: ['已关闭', 'closed'],
};
export function openingStatusWords(status: string): [zh: string, en: string] {
  return OPENING_STATUS_WORDS[status] ?? [status, status];
}

/** A number as people write it: integers plain, otherwise one decimal. */
export function num(n: number): string {
  return Number.isInteger(n) ? String(n) : n.toFixed(1);
}

export function joinZh(parts: readonly string[], last = '和'): string {
  if (parts.length <= 1) return parts.join('');
  return `${parts.slice(0, -1).join('、')}${last}${parts[parts.length - 1]}`;
}

export function joinEn(parts: readonly string[], last = 'and'): string {
  if (parts.length <= 1) return parts.join('');
  if (parts.length === 2) return `${parts[0]} ${last} ${parts[1]}`;
  return `${parts.slice(0, -1).join(', ')}, ${last} ${parts[parts.length - 1]}`;
}

/** "a and b, or c" for alternative sets of accommodations. */
export function optionsText(
  ctx: Pick<MatchContext, 'vocabulary'>,
  groups: readonly (readonly string[])[],
): Text {
  const zh = groups.map((g) => joinZh(g.map((a) => ctx.vocabulary.accommodations.label(a).zh)));
  const en = groups.map((g) => joinEn(g.map((a) => ctx.vocabulary.accommodations.label(a).en)));
  return { zh: joinZh(zh, '或'), en: joinEn(en, 'or') };
}

export function destinationListText(ctx: MatchContext, p: NormalizedProfile): Text {
  const codes = [...p.destProvinces, ...p.destCities];
  return {
    zh: codes.map((c) => ctx.regionName(c).zh).join('、'),
    en: codes.map((c) => ctx.regionName(c).en).join(', '),
  };
}

/** A reason as stored: what the text is built from, without the text (rendered when read). */
export type ReasonCore = Omit<Reason, 'zh' | 'en'>;
/** What rendering a reason's text needs of the context: names of codes, nothing that scores. */
export type ReasonTextContext = Pick<MatchContext, 'vocabulary' | 'regionName' | 'programmeLabel'>;
type Params = ReasonCore['params'];

const listParam = (v: Params[string] | undefined): string[] =>
  typeof v === 'string' && v !== '' ? v.split(',') : [];
const numParam = (v: Params[string] | undefined): number => (typeof v === 'number' ? v : Number(v));
const strParam = (v: Params[string] | undefined): string => (v === undefined ? '' : String(v));
/** Alternative sets of accommodations as one parameter: sets separated by `|`, items by `,`. */
const groupsParam = (v: Params[string] | undefined): string[][] =>
  typeof v === 'string' && v !== '' ? v.split('|').map((g) => g.split(',')) : [];

/**
 * The catalogue of reason texts: a reason's zh-CN and English sentence from its code and
 * parameters alone, so that stored matches keep codes and parameters and every reader renders the
 * words (in the names the vocabulary and regions have when read). Unknown codes read as the code.
 */
export function reasonText(r: Pick<ReasonCore, 'code' | 'params'>, ctx: ReasonTextContext): Text {
  const v = ctx.vocabulary;
  const p = r.params ?? {};
  const city = () => ctx.regionName(strParam(p.city));
  const skills = (codes: readonly string[]) => codes.map((c) => v.skills.label(c));
  switch (r.code) {
    case 'opening_not_open': {
      const [zh, en] = openingStatusWords(strParam(p.status));
      return { zh: `岗位当前不在招聘中（状态：${zh}）`, en: `The opening is not open (status: ${en})` };
    }
    case 'opening_full':
      return {
        zh: `岗位已招满（${p.filled}/${p.headcount}）`,
        en: `The opening is full (${p.filled} of ${p.headcount} filled)`,
      };
    case 'profile_not_available':
      return { zh: '求职者当前不是可推荐状态', en: 'The job seeker is not available for matching' };
    case 'no_sensitive_data_consent':
      return {
        zh: '尚未记录处理敏感个人信息的同意',
        en: 'No consent to process sensitive personal data is recorded',
      };
    case 'outside_working_age':
      return p.age === undefined
        ? {
            zh: '出生日期无效，无法确认是否在劳动年龄段',
            en: 'The birth date is not valid, so working age cannot be confirmed',
          }
        : {
            zh: `${p.age}岁，不在劳动年龄段（${p.min}–${p.max}岁）`,
            en: `Aged ${p.age}, outside working age (${p.min}–${p.max})`,
          };
    case 'destination_not_acceptable': {
      const c = city();
      const list = listParam(p.destinations).map((code) => ctx.regionName(code));
      return {
        zh: `工作地${c.zh}不在求职者可接受的地区（${list.map((l) => l.zh).join('、')}）`,
        en: `The workplace, ${c.en}, is not among the destinations the person accepts (${list.map((l) => l.en).join(', ')})`,
      };
    }
    case 'wage_expectation_above_max':
      return {
        zh: `期望月薪不低于${num(numParam(p.minWage))}元，高于岗位最高月薪${num(numParam(p.wageMax))}元`,
        en: `Expects at least ¥${num(numParam(p.minWage))} a month, above the opening's maximum of ¥${num(numParam(p.wageMax))}`,
      };
    case 'accommodation_not_offered': {
      const l = v.accommodations.label(strParam(p.accommodation));
      return { zh: `需要${l.zh}，但岗位未提供`, en: `Needs ${l.en}, which the opening does not offer` };
    }
    case 'demand_conflict': {
      const d = v.demands.label(strParam(p.demand));
      const l = v.limitations.label(strParam(p.limitation));
      const groups = groupsParam(p.options);
      if (groups.length === 0)
        return {
          zh: `岗位要求“${d.zh}”，与“${l.zh}”冲突，且没有便利措施可以缓解`,
          en: `The job needs "${d.en}", which conflicts with "${l.en}"; no accommodation mitigates this`,
        };
      const opts = optionsText(ctx, groups);
      return {
        zh: `岗位要求“${d.zh}”，与“${l.zh}”冲突，岗位未提供可缓解的便利（提供${opts.zh}即可缓解）`,
        en: `The job needs "${d.en}", which conflicts with "${l.en}"; the opening offers nothing that mitigates it (${opts.en} would)`,
      };
    }
    case 'accessible_dormitory_missing':
      return {
        zh: '需要无障碍宿舍，但岗位未提供',
        en: 'Needs an accessible dormitory, which the opening does not provide',
      };
    case 'no_required_skill': {
      const req = skills(listParam(p.skills));
      return {
        zh: `不具备岗位所需的任何技能（${req.map((l) => l.zh).join('、')}），也没有相关培训`,
        en: `Has none of the required skills (${req.map((l) => l.en).join(', ')}) and no related training`,
      };
    }
    case 'accommodation_offered': {
      const l = v.accommodations.label(strParam(p.accommodation));
      return { zh: `岗位提供所需便利：${l.zh}`, en: `The opening offers a needed support: ${l.en}` };
    }
    case 'conflict_mitigated': {
      const d = v.demands.label(strParam(p.demand));
      const l = v.limitations.label(strParam(p.limitation));
      const by = optionsText(ctx, [listParam(p.by)]);
      return {
        zh: `岗位要求“${d.zh}”，与“${l.zh}”冲突，岗位提供的${by.zh}可以缓解`,
        en: `The job needs "${d.en}", which conflicts with "${l.en}"; the ${by.en} it offers mitigate this`,
      };
    }
    case 'accessible_dormitory_offered':
      return { zh: '岗位提供无障碍宿舍', en: 'The opening provides an accessible dormitory' };
    case 'skill_met': {
      const l = v.skills.label(strParam(p.skill));
      const have = v.skillLevelLabel(numParam(p.level));
      return {
        zh: `具备所需技能：${l.zh}（${have.zh}）`,
        en: `Has the required skill: ${l.en} (${have.en})`,
      };
    }
    case 'skill_below_level': {
      const l = v.skills.label(strParam(p.skill));
      const have = v.skillLevelLabel(numParam(p.level));
      const req = v.skillLevelLabel(numParam(p.required));
      return {
        zh: `具备技能：${l.zh}（${have.zh}），岗位要求${req.zh}`,
        en: `Has ${l.en} (${have.en}); the opening asks for ${req.en}`,
      };
    }
    case 'skill_missing': {
      const l = v.skills.label(strParam(p.skill));
      const req = v.skillLevelLabel(numParam(p.required));
      return { zh: `缺少所需技能：${l.zh}（${req.zh}）`, en: `Lacks a required skill: ${l.en} (${req.en})` };
    }
    case 'training_preferred':
    case 'training_related': {
      const prog = ctx.programmeLabel(strParam(p.programme));
      const partnerZh = p.underPartnership === true ? '，对口帮扶培训' : '';
      const partnerEn = p.underPartnership === true ? ', delivered under the partnership' : '';
      if (r.code === 'training_preferred')
        return {
          zh: `已完成岗位优先的培训：${prog.zh}${partnerZh}`,
          en: `Completed the training the employer prefers: ${prog.en}${partnerEn}`,
        };
      const taught = skills(listParam(p.teaches));
      return {
        zh: `已完成相关培训：${prog.zh}（涵盖${joinZh(taught.map((l) => l.zh))}${partnerZh}）`,
        en: `Completed related training: ${prog.en} (covers ${joinEn(taught.map((l) => l.en))}${partnerEn})`,
      };
    }
    case 'training_missing': {
      const progs = listParam(p.programmes).map((c) => ctx.programmeLabel(c));
      return {
        zh: `未完成岗位优先的培训：${progs.map((x) => x.zh).join('、')}`,
        en: `Has not completed the training the employer prefers: ${progs.map((x) => x.en).join(', ')}`,
      };
    }
    case 'partnership_pair': {
      const c = city();
      const area = ctx.regionName(strParam(p.area));
      return { zh: `对口帮扶：${c.zh}—${area.zh}`, en: `Partnership pair: ${c.en} – ${area.en}` };
    }
    case 'partnership_not_paired': {
      const c = city();
      const origin = ctx.regionName(strParam(p.origin));
      return {
        zh: `${origin.zh}与工作地${c.zh}不是对口帮扶关系`,
        en: `${origin.en} is not paired with the workplace's city, ${c.en}`,
      };
    }
    case 'wage_meets_expectation':
    case 'wage_partly_below_expectation': {
      const minWage = numParam(p.minWage);
      const wageMax = numParam(p.wageMax);
      const range = `${num(numParam(p.wageMin))}–${num(wageMax)}`;
      if (r.code === 'wage_meets_expectation')
        return {
          zh: `岗位月薪${range}元，不低于期望的${num(minWage)}元`,
          en: `Pays ¥${range} a month, at or above the expected ¥${num(minWage)}`,
        };
      return wageMax === minWage
        ? {
            zh: `岗位月薪${range}元，仅上限达到期望的${num(minWage)}元`,
            en: `Pays ¥${range} a month; only the top of the range reaches the expected ¥${num(minWage)}`,
          }
        : {
            zh: `岗位月薪${range}元，期望的${num(minWage)}元在区间内：${num(minWage)}–${num(wageMax)}元（区间的${p.share}%）达到期望`,
            en: `Pays ¥${range} a month; the expected ¥${num(minWage)} lies within the range: ¥${num(minWage)}–${num(wageMax)} (${p.share}% of the range) meets it`,
          };
    }
    case 'destination_city': {
      const c = city();
      return { zh: `工作地${c.zh}是求职者的意向城市`, en: `${c.en} is a city the person asked for` };
    }
    case 'destination_province': {
      const prov = ctx.regionName(strParam(p.province));
      return {
        zh: `工作地在求职者的意向省份${prov.zh}`,
        en: `The workplace is in ${prov.en}, a province the person asked for`,
      };
    }
    case 'peers_at_employer': {
      const county = ctx.regionName(strParam(p.county));
      const count = numParam(p.count);
      return {
        zh: `同县（${county.zh}）已有${count}人在该企业就业或已被推荐`,
        en: `${count} ${count === 1 ? 'person' : 'people'} from ${county.en} already work at or were proposed to this employer`,
      };
    }
    case 'experience_relevant': {
      const rel = skills(listParam(p.skills));
      const months = num(numParam(p.months));
      return {
        zh: `有相关工作经验：${joinZh(rel.map((l) => l.zh))}，共${months}个月`,
        en: `Relevant experience: ${joinEn(rel.map((l) => l.en))}, ${months} months`,
      };
    }
    case 'experience_other':
      return {
        zh: `有其他工作经验${num(numParam(p.months))}个月`,
        en: `Other work experience: ${num(numParam(p.months))} months`,
      };
    case 'dormitory_not_offered':
      return { zh: '需要宿舍，但岗位未提供宿舍', en: 'Needs a dormitory; the opening offers none' };
    default:
      return { zh: r.code, en: r.code };
  }
}

/** A reason with its text: the text stored with it (documents written before texts were rendered), else rendered now. */
export function withText(r: ReasonCore & Partial<Text>, ctx: ReasonTextContext): Reason {
  const { code, kind, about, params } = r;
  const text = r.zh !== undefined && r.en !== undefined ? { zh: r.zh, en: r.en } : reasonText(r, ctx);
  return { code, kind, about, params: params ?? {}, ...text };
}

/** A reason as a match stores it: code, kind, what it is about and its parameters; no text. */
export function toStoredReason({ code, kind, about, params }: ReasonCore): ReasonCore {
  return { code, kind, about, params };
}

/** Why a suggestion was superseded, as stored: a code and the parameters of its sentence. */
export interface SupersedeCode {
  code: string;
  params?: Params;
}

/** Reasons that supersede every suggestion of an opening or a person at once (no parameters). */
const SUPERSEDE_TEXTS: Record<string, Text> = {
  outranked: { zh: '已有更合适的人选或岗位，不再列为推荐', en: 'No longer among the top suggestions' },
  'ineligible.profile_not_available': {
    zh: '求职者当前不在可推荐状态',
    en: 'The job seeker is not available for matching',
  },
  'ineligible.no_sensitive_data_consent': {
    zh: '未登记（或已撤回）敏感个人信息处理同意',
    en: 'No consent to process sensitive personal information (never given, or withdrawn)',
  },
  'ineligible.outside_working_age': { zh: '不在劳动年龄内', en: 'Outside working age' },
  profile_erased: { zh: '求职者档案已删除', en: 'The job seeker profile was erased' },
  'ineligible.opening_not_open': {
    zh: '岗位未开放（暂停、关闭或草稿）',
    en: 'The opening is not open (paused, closed or a draft)',
  },
  'ineligible.opening_full': { zh: '岗位已招满', en: 'The opening is full' },
  opening_removed: { zh: '岗位已不存在', en: 'The opening no longer exists' },
  opening_filled: { zh: '岗位已招满', en: 'the opening is filled' },
};

/**
 * The sentence of a supersede reason: `ineligible.<exclusion>` with parameters is that exclusion's
 * sentence; a reason without parameters is the catalogue's; a document written before texts were
 * rendered keeps its own.
 */
export function supersededText(r: SupersedeCode & Partial<Text>, ctx: ReasonTextContext): Text {
  if (r.zh !== undefined && r.en !== undefined) return { zh: r.zh, en: r.en };
  const params = r.params ?? {};
  const exclusion = r.code.startsWith('ineligible.') ? r.code.slice('ineligible.'.length) : null;
  if (exclusion !== null && Object.keys(params).length > 0)
    return reasonText({ code: exclusion, params }, ctx);
  const fixed = SUPERSEDE_TEXTS[r.code];
  if (fixed) return fixed;
  return exclusion !== null ? reasonText({ code: exclusion, params }, ctx) : { zh: r.code, en: r.code };
}

/**
 * Reasons in the order a reviewer reads them: what excludes the pair, what the employer offers that
 * makes it possible, then what raises or lowers the score, then notes.
 */
export function renderReasons(
  a: Assessment,
  p: NormalizedProfile,
  o: NormalizedOpening,
  ctx: MatchContext,
): Reason[] {
  return renderReasonCores(a, p, o, ctx).map((r) => withText(r, ctx));
}

/** The reasons of a pair as codes and parameters, in reading order (see renderReasons). */
export function renderReasonCores(
  a: Assessment,
  p: NormalizedProfile,
  o: NormalizedOpening,
  ctx: MatchContext,
): ReasonCore[] {
  const exclusions: ReasonCore[] = [];
  const supports: ReasonCore[] = [];
  const soft: ReasonCore[] = [];
  const notes: ReasonCore[] = [];
  const exclusion = (code: ExclusionCode, params: Params = {}): ReasonCore => ({
    code,
    kind: 'exclusion',
    about: code,
    params,
  });

  for (const code of a.excludedBy) {
    switch (code) {
      case 'opening_not_open':
        exclusions.push(exclusion(code, { status: o.status }));
        break;
      case 'opening_full':
        exclusions.push(exclusion(code, { headcount: o.headcount, filled: o.filled }));
        break;
      case 'profile_not_available':
      case 'no_sensitive_data_consent':
      case 'accessible_dormitory_missing':
        exclusions.push(exclusion(code));
        break;
      case 'outside_working_age':
        exclusions.push(
          exclusion(code, Number.isNaN(a.age) ? {} : { age: a.age, min: ctx.workingAge.min, max: a.maxAge }),
        );
        break;
      case 'destination_not_acceptable':
        exclusions.push(
          exclusion(code, { city: o.city, destinations: [...p.destProvinces, ...p.destCities].join(',') }),
        );
        break;
      case 'wage_expectation_above_max':
        exclusions.push(exclusion(code, { minWage: p.minWage, wageMax: o.wageMax }));
        break;
      case 'accommodation_not_offered':
        for (const acc of a.needsUnmet) exclusions.push(exclusion(code, { accommodation: acc }));
        break;
      case 'demand_conflict':
        for (const c of a.conflicts) {
          if (c.mitigatedBy !== null) continue;
          exclusions.push(
            exclusion(code, {
              limitation: c.limitation,
              demand: c.demand,
              mitigable: c.options.length > 0,
              options: c.options.map((g) => g.join(',')).join('|'),
            }),
          );
        }
        break;
      case 'no_required_skill':
        exclusions.push(exclusion(code, { skills: o.required.map((r) => r.code).join(',') }));
        break;
    }
  }

  for (const acc of a.needsMet)
    supports.push({
      code: 'accommodation_offered',
      kind: 'support',
      about: 'accommodation_not_offered',
      params: { accommodation: acc },
    });
  for (const c of a.conflicts) {
    if (c.mitigatedBy === null) continue;
    supports.push({
      code: 'conflict_mitigated',
      kind: 'support',
      about: 'demand_conflict',
      params: { limitation: c.limitation, demand: c.demand, by: c.mitigatedBy.join(',') },
    });
  }
  if (p.needsAccessibleDormitory && o.accessibleDormitory)
    supports.push({
      code: 'accessible_dormitory_offered',
      kind: 'support',
      about: 'accessible_dormitory_missing',
      params: {},
    });

  for (const s of a.skills) {
    if (s.have >= s.required)
      soft.push({
        code: 'skill_met',
        kind: 'plus',
        about: 'skills',
        params: { skill: s.code, level: s.have, required: s.required },
      });
    else if (s.have > 0)
      soft.push({
        code: 'skill_below_level',
        kind: 'minus',
        about: 'skills',
        params: { skill: s.code, level: s.have, required: s.required },
      });
    else
      soft.push({
        code: 'skill_missing',
        kind: 'minus',
        about: 'skills',
        params: { skill: s.code, required: s.required },
      });
  }

  if (a.training !== null) {
    const t = a.training;
    soft.push(
      t.preferred
        ? {
            code: 'training_preferred',
            kind: 'plus',
            about: 'training',
            params: { programme: t.programme, underPartnership: t.underPartnership },
          }
        : {
            code: 'training_related',
            kind: 'plus',
            about: 'training',
            params: {
              programme: t.programme,
              underPartnership: t.underPartnership,
              teaches: t.teaches.join(','),
            },
          },
    );
  } else if (o.preferredTraining.size > 0) {
    soft.push({
      code: 'training_missing',
      kind: 'minus',
      about: 'training',
      params: { programmes: [...o.preferredTraining].join(',') },
    });
  }

  soft.push(
    a.pairedArea !== null
      ? {
          code: 'partnership_pair',
          kind: 'plus',
          about: 'partnership',
          params: { city: o.city, area: a.pairedArea },
        }
      : {
          code: 'partnership_not_paired',
          kind: 'minus',
          about: 'partnership',
          params: { city: o.city, origin: p.county },
        },
  );

  if (p.minWage >= 0) {
    if (o.wageMin >= p.minWage) {
      soft.push({
        code: 'wage_meets_expectation',
        kind: 'plus',
        about: 'wage',
        params: { minWage: p.minWage, wageMin: o.wageMin, wageMax: o.wageMax },
      });
    } else if (o.wageMax >= p.minWage) {
      // The range reaches the expectation but starts below it: say how much of it meets it.
      const share = Math.round(((o.wageMax - p.minWage) / (o.wageMax - o.wageMin)) * 100);
      soft.push({
        code: 'wage_partly_below_expectation',
        kind: 'minus',
        about: 'wage',
        params: { minWage: p.minWage, wageMin: o.wageMin, wageMax: o.wageMax, share },
      });
    }
  }

  if (a.destination === 'city')
    soft.push({ code: 'destination_city', kind: 'plus', about: 'destination', params: { city: o.city } });
  else if (a.destination === 'province')
    soft.push({
      code: 'destination_province',
      kind: 'plus',
      about: 'destination',
      params: { city: o.city, province: o.province },
    });

  if (a.peerCount > 0)
    soft.push({
      code: 'peers_at_employer',
      kind: 'plus',
      about: 'peers',
      params: { county: p.county, count: a.peerCount },
    });

  if (a.relevantMonths > 0)
    soft.push({
      code: 'experience_relevant',
      kind: 'plus',
      about: 'experience',
      params: { months: a.relevantMonths, skills: a.relevantSkills.join(',') },
    });
  const otherMonths = p.totalMonths - a.relevantMonths;
  if (otherMonths > 0)
    soft.push({
      code: 'experience_other',
      kind: 'plus',
      about: 'experience',
      params: { months: otherMonths },
    });

  if (p.needsDormitory && !o.dormitory)
    notes.push({ code: 'dormitory_not_offered', kind: 'note', about: 'dormitory', params: {} });

  return [...exclusions, ...supports, ...soft, ...notes];
}

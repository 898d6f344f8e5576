import type { Assessment } from './assess.js';
import type { MatchContext } from './context.js';
import type { NormalizedOpening, NormalizedProfile } from './normalize.js';
import type { Reason, Text } from './types.js';

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
export function optionsText(ctx: MatchContext, groups: readonly (readonly string[])[]): Text {
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
  const v = ctx.vocabulary;
  const exclusions: Reason[] = [];
  const supports: Reason[] = [];
  const soft: Reason[] = [];
  const notes: Reason[] = [];
  const city = ctx.regionName(o.city);

  for (const code of a.excludedBy) {
    switch (code) {
      case 'opening_not_open':
        exclusions.push({
          code,
          kind: 'exclusion',
          about: code,
          params: { status: o.status },
          zh: `岗位当前不在招聘中（状态：${openingStatusWords(o.status)[0]}）`,
          en: `The opening is not open (status: ${openingStatusWords(o.status)[1]})`,
        });
        break;
      case 'opening_full':
        exclusions.push({
          code,
          kind: 'exclusion',
          about: code,
          params: { headcount: o.headcount, filled: o.filled },
          zh: `岗位已招满（${o.filled}/${o.headcount}）`,
          en: `The opening is full (${o.filled} of ${o.headcount} filled)`,
        });
        break;
      case 'profile_not_available':
        exclusions.push({
          code,
          kind: 'exclusion',
          about: code,
          params: {},
          zh: '求职者当前不是可推荐状态',
          en: 'The job seeker is not available for matching',
        });
        break;
      case 'no_sensitive_data_consent':
        exclusions.push({
          code,
          kind: 'exclusion',
          about: code,
          params: {},
          zh: '尚未记录处理敏感个人信息的同意',
          en: 'No consent to process sensitive personal data is recorded',
        });
        break;
      case 'outside_working_age': {
        const min = ctx.workingAge.min;
        exclusions.push(
          Number.isNaN(a.age)
            ? {
                code,
                kind: 'exclusion',
                about: code,
                params: {},
                zh: '出生日期无效，无法确认是否在劳动年龄段',
                en: 'The birth date is not valid, so working age cannot be confirmed',
              }
            : {
                code,
                kind: 'exclusion',
                about: code,
                params: { age: a.age, min, max: a.maxAge },
                zh: `${a.age}岁，不在劳动年龄段（${min}–${a.maxAge}岁）`,
                en: `Aged ${a.age}, outside working age (${min}–${a.maxAge})`,
              },
        );
        break;
      }
      case 'destination_not_acceptable': {
        const list = destinationListText(ctx, p);
        exclusions.push({
          code,
          kind: 'exclusion',
          about: code,
          params: { city: o.city },
          zh: `工作地${city.zh}不在求职者可接受的地区（${list.zh}）`,
          en: `The workplace, ${city.en}, is not among the destinations the person accepts (${list.en})`,
        });
        break;
      }
      case 'wage_expectation_above_max':
        exclusions.push({
          code,
          kind: 'exclusion',
          about: code,
          params: { minWage: p.minWage, wageMax: o.wageMax },
          zh: `期望月薪不低于${num(p.minWage)}元，高于岗位最高月薪${num(o.wageMax)}元`,
          en: `Expects at least ¥${num(p.minWage)} a month, above the opening's maximum of ¥${num(o.wageMax)}`,
        });
        break;
      case 'accommodation_not_offered':
        for (const acc of a.needsUnmet) {
          const l = v.accommodations.label(acc);
          exclusions.push({
            code,
            kind: 'exclusion',
            about: code,
            params: { accommodation: acc },
            zh: `需要${l.zh}，但岗位未提供`,
            en: `Needs ${l.en}, which the opening does not offer`,
          });
        }
        break;
      case 'demand_conflict':
        for (const c of a.conflicts) {
          if (c.mitigatedBy !== null) continue;
          const d = v.demands.label(c.demand);
          const l = v.limitations.label(c.limitation);
          const opts = optionsText(ctx, c.options);
          exclusions.push({
            code,
            kind: 'exclusion',
            about: code,
            params: { limitation: c.limitation, demand: c.demand, mitigable: c.options.length > 0 },
            zh:
              c.options.length > 0
                ? `岗位要求“${d.zh}”，与“${l.zh}”冲突，岗位未提供可缓解的便利（提供${opts.zh}即可缓解）`
                : `岗位要求“${d.zh}”，与“${l.zh}”冲突，且没有便利措施可以缓解`,
            en:
              c.options.length > 0
                ? `The job needs "${d.en}", which conflicts with "${l.en}"; the opening offers nothing that mitigates it (${opts.en} would)`
                : `The job needs "${d.en}", which conflicts with "${l.en}"; no accommodation mitigates this`,
          });
        }
        break;
      case 'accessible_dormitory_missing':
        exclusions.push({
          code,
          kind: 'exclusion',
          about: code,
          params: {},
          zh: '需要无障碍宿舍，但岗位未提供',
          en: 'Needs an accessible dormitory, which the opening does not provide',
        });
        break;
      case 'no_required_skill': {
        const req = o.required.map((r) => v.skills.label(r.code));
        exclusions.push({
          code,
          kind: 'exclusion',
          about: code,
          params: { skills: o.required.map((r) => r.code).join(',') },
          zh: `不具备岗位所需的任何技能（${req.map((l) => l.zh).join('、')}），也没有相关培训`,
          en: `Has none of the required skills (${req.map((l) => l.en).join(', ')}) and no related training`,
        });
        break;
      }
    }
  }

  for (const acc of a.needsMet) {
    const l = v.accommodations.label(acc);
    supports.push({
      code: 'accommodation_offered',
      kind: 'support',
      about: 'accommodation_not_offered',
      params: { accommodation: acc },
      zh: `岗位提供所需便利：${l.zh}`,
      en: `The opening offers a needed support: ${l.en}`,
    });
  }
  for (const c of a.conflicts) {
    if (c.mitigatedBy === null) continue;
    const d = v.demands.label(c.demand);
    const l = v.limitations.label(c.limitation);
    const by = optionsText(ctx, [c.mitigatedBy]);
    supports.push({
      code: 'conflict_mitigated',
      kind: 'support',
      about: 'demand_conflict',
      params: { limitation: c.limitation, demand: c.demand, by: c.mitigatedBy.join(',') },
      zh: `岗位要求“${d.zh}”，与“${l.zh}”冲突，岗位提供的${by.zh}可以缓解`,
      en: `The job needs "${d.en}", which conflicts with "${l.en}"; the ${by.en} it offers mitigate this`,
    });
  }
  if (p.needsAccessibleDormitory && o.accessibleDormitory) {
    supports.push({
      code: 'accessible_dormitory_offered',
      kind: 'support',
      about: 'accessible_dormitory_missing',
      params: {},
      zh: '岗位提供无障碍宿舍',
      en: 'The opening provides an accessible dormitory',
    });
  }

  for (const s of a.skills) {
    const l = v.skills.label(s.code);
    const req = v.skillLevelLabel(s.required);
    if (s.have >= s.required) {
      const have = v.skillLevelLabel(s.have);
      soft.push({
        code: 'skill_met',
        kind: 'plus',
        about: 'skills',
        params: { skill: s.code, level: s.have, required: s.required },
        zh: `具备所需技能：${l.zh}（${have.zh}）`,
        en: `Has the required skill: ${l.en} (${have.en})`,
      });
    } else if (s.have > 0) {
      const have = v.skillLevelLabel(s.have);
      soft.push({
        code: 'skill_below_level',
        kind: 'minus',
        about: 'skills',
        params: { skill: s.code, level: s.have, required: s.required },
        zh: `具备技能：${l.zh}（${have.zh}），岗位要求${req.zh}`,
        en: `Has ${l.en} (${have.en}); the opening asks for ${req.en}`,
      });
    } else {
      soft.push({
        code: 'skill_missing',
        kind: 'minus',
        about: 'skills',
        params: { skill: s.code, required: s.required },
        zh: `缺少所需技能：${l.zh}（${req.zh}）`,
        en: `Lacks a required skill: ${l.en} (${req.en})`,
      });
    }
  }

  if (a.training !== null) {
    const t = a.training;
    const prog = ctx.programmeLabel(t.programme);
    const partnerZh = t.underPartnership ? '，对口帮扶培训' : '';
    const partnerEn = t.underPartnership ? ', delivered under the partnership' : '';
    if (t.preferred) {
      soft.push({
        code: 'training_preferred',
        kind: 'plus',
        about: 'training',
        params: { programme: t.programme, underPartnership: t.underPartnership },
        zh: `已完成岗位优先的培训：${prog.zh}${partnerZh}`,
        en: `Completed the training the employer prefers: ${prog.en}${partnerEn}`,
      });
    } else {
      const skillsZh = joinZh(t.teaches.map((s) => v.skills.label(s).zh));
      const skillsEn = joinEn(t.teaches.map((s) => v.skills.label(s).en));
      soft.push({
        code: 'training_related',
        kind: 'plus',
        about: 'training',
        params: { programme: t.programme, underPartnership: t.underPartnership },
        zh: `已完成相关培训：${prog.zh}（涵盖${skillsZh}${partnerZh}）`,
        en: `Completed related training: ${prog.en} (covers ${skillsEn}${partnerEn})`,
      });
    }
  } else if (o.preferredTraining.size > 0) {
    const progs = [...o.preferredTraining].map((c) => ctx.programmeLabel(c));
    soft.push({
      code: 'training_missing',
      kind: 'minus',
      about: 'training',
      params: { programmes: [...o.preferredTraining].join(',') },
      zh: `未完成岗位优先的培训：${progs.map((x) => x.zh).join('、')}`,
      en: `Has not completed the training the employer prefers: ${progs.map((x) => x.en).join(', ')}`,
    });
  }

  if (a.pairedArea !== null) {
    const area = ctx.regionName(a.pairedArea);
    soft.push({
      code: 'partnership_pair',
      kind: 'plus',
      about: 'partnership',
      params: { city: o.city, area: a.pairedArea },
      zh: `对口帮扶：${city.zh}—${area.zh}`,
      en: `Partnership pair: ${city.en} – ${area.en}`,
    });
  } else {
    const origin = ctx.regionName(p.county);
    soft.push({
      code: 'partnership_not_paired',
      kind: 'minus',
      about: 'partnership',
      params: { city: o.city, origin: p.county },
      zh: `${origin.zh}与工作地${city.zh}不是对口帮扶关系`,
      en: `${origin.en} is not paired with the workplace's city, ${city.en}`,
    });
  }

  if (p.minWage >= 0) {
    const range = `${num(o.wageMin)}–${num(o.wageMax)}`;
    if (o.wageMin >= p.minWage) {
      soft.push({
        code: 'wage_meets_expectation',
        kind: 'plus',
        about: 'wage',
        params: { minWage: p.minWage, wageMin: o.wageMin, wageMax: o.wageMax },
        zh: `岗位月薪${range}元，不低于期望的${num(p.minWage)}元`,
        en: `Pays ¥${range} a month, at or above the expected ¥${num(p.minWage)}`,
      });
    } else if (o.wageMax >= p.minWage) {
      // The range reaches the expectation but starts below it: say how much of it meets it.
      const share = Math.round(((o.wageMax - p.minWage) / (o.wageMax - o.wageMin)) * 100);
      const atTop = o.wageMax === p.minWage;
      soft.push({
        code: 'wage_partly_below_expectation',
        kind: 'minus',
        about: 'wage',
        params: { minWage: p.minWage, wageMin: o.wageMin, wageMax: o.wageMax, share },
        zh: atTop
          ? `岗位月薪${range}元，仅上限达到期望的${num(p.minWage)}元`
          : `岗位月薪${range}元，期望的${num(p.minWage)}元在区间内：${num(p.minWage)}–${num(o.wageMax)}元（区间的${share}%）达到期望`,
        en: atTop
          ? `Pays ¥${range} a month; only the top of the range reaches the expected ¥${num(p.minWage)}`
          : `Pays ¥${range} a month; the expected ¥${num(p.minWage)} lies within the range: ¥${num(p.minWage)}–${num(o.wageMax)} (${share}% of the range) meets it`,
      });
    }
  }

  if (a.destination === 'city') {
    soft.push({
      code: 'destination_city',
      kind: 'plus',
      about: 'destination',
      params: { city: o.city },
      zh: `工作地${city.zh}是求职者的意向城市`,
      en: `${city.en} is a city the person asked for`,
    });
  } else if (a.destination === 'province') {
    const prov = ctx.regionName(o.province);
    soft.push({
      code: 'destination_province',
      kind: 'plus',
      about: 'destination',
      params: { city: o.city, province: o.province },
      zh: `工作地在求职者的意向省份${prov.zh}`,
      en: `The workplace is in ${prov.en}, a province the person asked for`,
    });
  }

  if (a.peerCount > 0) {
    const county = ctx.regionName(p.county);
    soft.push({
      code: 'peers_at_employer',
      kind: 'plus',
      about: 'peers',
      params: { county: p.county, count: a.peerCount },
      zh: `同县（${county.zh}）已有${a.peerCount}人在该企业就业或已被推荐`,
      en: `${a.peerCount} ${a.peerCount === 1 ? 'person' : 'people'} from ${county.en} already work at or were proposed to this employer`,
    });
  }

  if (a.relevantMonths > 0) {
    soft.push({
      code: 'experience_relevant',
      kind: 'plus',
      about: 'experience',
      params: { months: a.relevantMonths, skills: a.relevantSkills.join(',') },
      zh: `有相关工作经验：${joinZh(a.relevantSkills.map((s) => v.skills.label(s).zh))}，共${num(a.relevantMonths)}个月`,
      en: `Relevant experience: ${joinEn(a.relevantSkills.map((s) => v.skills.label(s).en))}, ${num(a.relevantMonths)} months`,
    });
  }
  const otherMonths = p.totalMonths - a.relevantMonths;
  if (otherMonths > 0) {
    soft.push({
      code: 'experience_other',
      kind: 'plus',
      about: 'experience',
      params: { months: otherMonths },
      zh: `有其他工作经验${num(otherMonths)}个月`,
      en: `Other work experience: ${num(otherMonths)} months`,
    });
  }

  if (p.needsDormitory && !o.dormitory) {
    notes.push({
      code: 'dormitory_not_offered',
      kind: 'note',
      about: 'dormitory',
      params: {},
      zh: '需要宿舍，但岗位未提供宿舍',
      en: 'Needs a dormitory; the opening offers none',
    });
  }

  return [...exclusions, ...supports, ...soft, ...notes];
}

import { AppError, type ProblemIssue } from '../../lib/errors.js';
import { allowedActions, type EmployerAction, type OpeningStatus } from './openings.status.js';

/** The problems the openings services answer with. */

export const notFound = () =>
  new AppError('not_found', { detail: '岗位不存在', detailEn: 'No such opening' });

export function invalid(issues: ProblemIssue[], detail?: { zh: string; en: string }): AppError {
  const paths = issues.map((i) => i.path).join(', ');
  return new AppError('validation_failed', {
    detail: detail ? `${paths}：${detail.zh}` : `字段 ${paths} 不符合要求`,
    detailEn: detail ? `${paths}: ${detail.en}` : `Invalid field(s): ${paths}`,
    issues,
  });
}

export function illegal(current: OpeningStatus, action: EmployerAction | 'update'): AppError {
  return new AppError('illegal_transition', {
    detail: `岗位当前状态为 ${current}，不能执行 ${action}`,
    detailEn: `The opening is ${current}; ${action} is not allowed`,
    extra: { currentState: current, action, allowedActions: allowedActions(current) },
  });
}

export const stale = (currentVersion: number) =>
  new AppError('precondition_failed', { extra: { currentVersion } });

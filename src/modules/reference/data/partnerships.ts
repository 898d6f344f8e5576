/**
 * East–West pairing (东西部扶贫协作) as DOMAIN.md records it for 2016–2020. The demo treats the
 * pairs as ongoing (`to: null`) so that demo matches show the partnership component; admins edit
 * periods through the API. Each row: supporting region (浙江/广东 city, or 广东 province for 甘孜)
 * → receiving prefecture or county (四川).
 */
export const PARTNERSHIP_SEED: readonly {
  key: string;
  supportingCode: string;
  receivingCode: string;
  from: string;
  to: string | null;
}[] = [
  { key: 'wenzhou-nanbu', supportingCode: '330300', receivingCode: '511321', from: '2018-01-01', to: null },
  { key: 'wenzhou-aba', supportingCode: '330300', receivingCode: '513231', from: '2018-01-01', to: null },
  {
    key: 'wenzhou-rangtang',
    supportingCode: '330300',
    receivingCode: '513230',
    from: '2018-01-01',
    to: null,
  },
  { key: 'huzhou-guangan', supportingCode: '330500', receivingCode: '511600', from: '2018-01-01', to: null },
  {
    key: 'huzhou-qingchuan',
    supportingCode: '330500',
    receivingCode: '510822',
    from: '2018-01-01',
    to: null,
  },
  {
    key: 'jiaxing-jiuzhaigou',
    supportingCode: '330400',
    receivingCode: '513225',
    from: '2018-01-01',
    to: null,
  },
  { key: 'shaoxing-mabian', supportingCode: '330600', receivingCode: '511133', from: '2018-01-01', to: null },
  { key: 'shaoxing-aba', supportingCode: '330600', receivingCode: '513200', from: '2018-01-01', to: null },
  { key: 'taizhou-ebian', supportingCode: '331000', receivingCode: '511132', from: '2018-01-01', to: null },
  { key: 'jinhua-jinkouhe', supportingCode: '330700', receivingCode: '511113', from: '2018-01-01', to: null },
  { key: 'jinhua-wenchuan', supportingCode: '330700', receivingCode: '513221', from: '2018-01-01', to: null },
  { key: 'quzhou-muchuan', supportingCode: '330800', receivingCode: '511129', from: '2018-01-01', to: null },
  { key: 'quzhou-beichuan', supportingCode: '330800', receivingCode: '510726', from: '2018-01-01', to: null },
  { key: 'quzhou-pingwu', supportingCode: '330800', receivingCode: '510727', from: '2018-01-01', to: null },
  { key: 'quzhou-xuyong', supportingCode: '330800', receivingCode: '510524', from: '2018-01-01', to: null },
  { key: 'quzhou-gulin', supportingCode: '330800', receivingCode: '510525', from: '2018-01-01', to: null },
  {
    key: 'zhoushan-xuanhan',
    supportingCode: '330900',
    receivingCode: '511722',
    from: '2018-01-01',
    to: null,
  },
  {
    key: 'zhoushan-wanyuan',
    supportingCode: '330900',
    receivingCode: '511781',
    from: '2018-01-01',
    to: null,
  },
  {
    key: 'foshan-liangshan',
    supportingCode: '440600',
    receivingCode: '513400',
    from: '2016-01-01',
    to: null,
  },
  { key: 'guangdong-ganzi', supportingCode: '440000', receivingCode: '513300', from: '2014-01-01', to: null },
];

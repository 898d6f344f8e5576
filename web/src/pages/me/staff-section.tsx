import { create as createQr } from 'qrcode';
import { useMemo, useState } from 'react';
import { api, fetchData, type Schemas } from '../../api/client.js';
import { ProblemSummary, TableWrap } from '../../components/ui.js';
import { useLoad } from '../../hooks.js';
import { useI18n } from '../../i18n.js';

type Issued = Schemas['IssuedAccessLink'];

/**
 * On a person's profile, for their federation's staff: issue a personal link (shown this once, to
 * print or send to the person's own phone), see and revoke the links, and read what the person did
 * on their own page.
 */
export function PersonalLinkSection({ profileId, canIssue }: { profileId: string; canIssue: boolean }) {
  const { t, dateTime } = useI18n();
  const [issued, setIssued] = useState<Issued | null>(null);
  const [problem, setProblem] = useState<unknown>(null);
  const links = useLoad(
    () =>
      canIssue
        ? fetchData(
            api.GET('/api/v1/worker-profiles/{id}/access-links', { params: { path: { id: profileId } } }),
          )
        : Promise.resolve({ items: [] }),
    [profileId, canIssue],
  );
  const actions = useLoad(
    () =>
      fetchData(
        api.GET('/api/v1/worker-profiles/{id}/self-service-actions', { params: { path: { id: profileId } } }),
      ),
    [profileId],
  );
  const issue = async () => {
    setProblem(null);
    try {
      setIssued(
        await fetchData(
          api.POST('/api/v1/worker-profiles/{id}/access-links', {
            params: { path: { id: profileId } },
            body: { validDays: 14 },
          }),
        ),
      );
      links.reload();
    } catch (err) {
      setProblem(err);
    }
  };
  const revoke = async (linkId: string) => {
    setProblem(null);
    try {
      await fetchData(
        api.DELETE('/api/v1/worker-profiles/{id}/access-links/{linkId}', {
          params: { path: { id: profileId, linkId } },
        }),
      );
      if (issued?.id === linkId) setIssued(null);
      links.reload();
    } catch (err) {
      setProblem(err);
    }
  };
  return (
    <section aria-labelledby="self-service-heading">
      <h2 id="self-service-heading">{t('selfService.title')}</h2>
      <p className="hint">{t('selfService.intro')}</p>
      <ProblemSummary problem={problem} labels={{}} />
      {canIssue && (
        <button type="button" onClick={issue}>
          {t('selfService.issue')}
        </button>
      )}
      {issued && (
        <div className="panel" role="status">
          <p>{t('selfService.issuedOnce', { date: dateTime(issued.expiresAt) })}</p>
          <label htmlFor="self-service-url">{t('selfService.url')}</label>
          <input id="self-service-url" className="mono" readOnly value={issued.url} />
          <LinkQr url={issued.url} label={t('selfService.qr')} />
        </div>
      )}
      {canIssue && links.data && links.data.items.length > 0 && (
        <TableWrap label={t('selfService.links')}>
          <table>
            <caption>{t('selfService.links')}</caption>
            <thead>
              <tr>
                <th scope="col">{t('selfService.createdAt')}</th>
                <th scope="col">{t('selfService.expiresAt')}</th>
                <th scope="col">{t('selfService.state')}</th>
                <th scope="col">
                  <span className="visually-hidden">{t('selfService.revoke')}</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {links.data.items.map((l) => (
                <tr key={l.id}>
                  <td>{dateTime(l.createdAt)}</td>
                  <td>{dateTime(l.expiresAt)}</td>
                  <td>{t(`selfService.state.${l.state}`)}</td>
                  <td>
                    {(l.state === 'active' || l.state === 'locked') && (
                      <button type="button" className="secondary" onClick={() => revoke(l.id)}>
                        {t('selfService.revoke')}
                      </button>
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </TableWrap>
      )}
      <h3>{t('selfService.actions')}</h3>
      {actions.data && actions.data.items.length === 0 && <p>{t('common.none')}</p>}
      {actions.data && actions.data.items.length > 0 && (
        <ul>
          {actions.data.items.map((a) => (
            <li key={a.id}>
              {dateTime(a.at)} · {t(`selfService.kind.${a.kind}` as never)}
              {a.answer ? ` · ${t(`selfService.answer.${a.answer}` as never)}` : ''}
              {a.actedBy !== 'self' ? ` · ${t(`consentGiver.${a.actedBy}`)}` : ''}
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}

/**
 * The link as a QR code to print or show to the person's phone, drawn from the code's modules as
 * one SVG path (no markup injected). The code is made in the browser: the token goes nowhere else.
 */
function LinkQr({ url, label }: { url: string; label: string }) {
  const { size, path } = useMemo(() => {
    const m = createQr(url, { errorCorrectionLevel: 'M' }).modules;
    let d = '';
    for (let row = 0; row < m.size; row++)
      for (let col = 0; col < m.size; col++) if (m.data[row * m.size + col]) d += `M${col} ${row}h1v1h-1z`;
    return { size: m.size, path: d };
  }, [url]);
  const quiet = 4; // the light margin scanners need, in modules
  const box = size + 2 * quiet;
  return (
    <svg
      role="img"
      aria-label={label}
      viewBox={`${-quiet} ${-quiet} ${box} ${box}`}
      width={box * 5}
      height={box * 5}
      shapeRendering="crispEdges"
    >
      <rect x={-quiet} y={-quiet} width={box} height={box} fill="#fff" />
      <path d={path} fill="#000" />
    </svg>
  );
}

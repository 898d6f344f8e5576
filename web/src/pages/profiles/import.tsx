import { type FormEvent, useEffect, useRef, useState } from 'react';
import { ApiProblem, api, currentLang, currentToken, fetchData, type Schemas } from '../../api/client.js';
import { PageHeading, ProblemSummary, StatusMessage, TableWrap } from '../../components/ui.js';
import { downloadFile } from '../../download.js';
import { useI18n } from '../../i18n.js';
import { Link, navigate, useLocation, withQuery } from '../../router.js';

type Import = Schemas['WorkerProfileImport'];
const PATH = '/profiles/import';
const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
/** How often progress is asked for while an import runs (the API writes it at most twice a second). */
const POLL_MS = 1_000;

/** Sends the file itself as the body (the API takes no multipart), typed by its extension. */
async function upload(file: File): Promise<Import> {
  const type = /\.csv$/i.test(file.name)
    ? 'text/csv'
    : /\.xlsx$/i.test(file.name)
      ? XLSX
      : 'application/octet-stream';
  let res: Response;
  try {
    res = await fetch('/api/v1/worker-profiles/imports', {
      method: 'POST',
      headers: {
        Authorization: `Bearer ${currentToken()}`,
        'Accept-Language': currentLang(),
        'Content-Type': type,
      },
      body: file,
    });
  } catch (err) {
    throw new ApiProblem(0, 'network', '', err instanceof Error ? err.message : undefined);
  }
  const body = (await res.json().catch(() => ({}))) as Record<string, unknown>;
  if (!res.ok)
    throw new ApiProblem(
      res.status,
      String(body.code ?? `http_${res.status}`),
      String(body.title ?? res.status),
      typeof body.detail === 'string' ? body.detail : undefined,
    );
  return body as unknown as Import;
}

/**
 * Importing the spreadsheets federations already keep: the template, the upload, a progress bar
 * that follows the background import, the outcome, and the rejected rows as a workbook to fix and
 * upload again. The import id stays in the URL, so a reload keeps following it.
 */
export function ImportPage() {
  const { t } = useI18n();
  const { query } = useLocation();
  const importId = query.get('id');
  const [file, setFile] = useState<File | null>(null);
  const [current, setCurrent] = useState<Import | null>(null);
  const [problem, setProblem] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const [message, setMessage] = useState<string | null>(null);
  const fileInput = useRef<HTMLInputElement>(null);

  useEffect(() => {
    if (!importId) {
      setCurrent(null);
      return;
    }
    let live = true;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const poll = async () => {
      try {
        const r = await fetchData(
          api.GET('/api/v1/worker-profiles/imports/{importId}', { params: { path: { importId } } }),
        );
        if (!live) return;
        setCurrent(r);
        if (r.status === 'queued' || r.status === 'running') timer = setTimeout(poll, POLL_MS);
      } catch (err) {
        if (live) setProblem(err);
      }
    };
    void poll();
    return () => {
      live = false;
      clearTimeout(timer);
    };
  }, [importId]);

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setProblem(null);
    setMessage(null);
    if (!file) {
      setProblem(new ApiProblem(400, 'client', t('import.chooseFile')));
      fileInput.current?.focus();
      return;
    }
    setBusy(true);
    try {
      const created = await upload(file);
      setCurrent(created);
      navigate(withQuery(PATH, { id: created.id }), { focus: false, replace: true });
    } catch (err) {
      setProblem(err);
    } finally {
      setBusy(false);
    }
  };
  const download = async (path: string, name: string) => {
    setProblem(null);
    try {
      const saved = await downloadFile(path, name);
      setMessage(t('import.downloaded', { name: saved }));
    } catch (err) {
      setProblem(err);
    }
  };
  const running = current && (current.status === 'queued' || current.status === 'running');
  const done = current && (current.status === 'completed' || current.status === 'failed');
  const percent = current?.totalRows ? Math.round((current.rowsDone / current.totalRows) * 100) : 0;
  return (
    <>
      <PageHeading title={t('import.title')}>{t('import.title')}</PageHeading>
      <p>
        <Link to="/profiles">{t('common.back')}</Link>
      </p>
      <StatusMessage>{message}</StatusMessage>
      <ProblemSummary problem={problem} />
      <section aria-labelledby="step1">
        <h2 id="step1">{t('import.step1')}</h2>
        <p>{t('import.templateIntro')}</p>
        <button
          type="button"
          className="secondary"
          onClick={() => void download('/api/v1/worker-profiles/imports/template', 'template.xlsx')}
        >
          {t('import.template')}
        </button>
      </section>
      <section aria-labelledby="step2">
        <h2 id="step2">{t('import.step2')}</h2>
        <form onSubmit={submit} noValidate aria-busy={busy}>
          <div className="field">
            <label htmlFor="field-file">{t('import.file')}</label>
            <p className="hint" id="field-file-hint">
              {t('import.fileHint')}
            </p>
            <input
              ref={fileInput}
              id="field-file"
              type="file"
              accept=".xlsx,.csv,text/csv,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
              aria-describedby="field-file-hint"
              onChange={(e) => setFile(e.target.files?.[0] ?? null)}
            />
          </div>
          <button type="submit" disabled={busy || !!running}>
            {busy ? t('import.uploading') : t('import.upload')}
          </button>
        </form>
      </section>
      {current && (
        <section aria-labelledby="step3">
          <h2 id="step3">{t('import.step3')}</h2>
          <label htmlFor="import-progress">{t('import.progress')}</label>
          <progress
            id="import-progress"
            max={Math.max(1, current.totalRows)}
            value={current.rowsDone}
            aria-valuetext={t('import.rowsDone', {
              done: current.rowsDone,
              total: current.totalRows,
              percent,
            })}
          />
          <p aria-live="polite">
            {running
              ? t('import.rowsDone', { done: current.rowsDone, total: current.totalRows, percent })
              : current.status === 'failed'
                ? t('import.failed', { error: current.errorDetail ?? current.error ?? '' })
                : t('import.completed')}
          </p>
          {done && (
            <>
              <dl className="facts" aria-label={t('import.outcome')}>
                <div>
                  <dt>{t('import.imported')}</dt>
                  <dd>{current.imported}</dd>
                </div>
                <div>
                  <dt>{t('import.updated')}</dt>
                  <dd>{current.updated}</dd>
                </div>
                <div>
                  <dt>{t('import.unchanged')}</dt>
                  <dd>{current.unchanged}</dd>
                </div>
                <div>
                  <dt>{t('import.rejected')}</dt>
                  <dd>{current.rejected}</dd>
                </div>
              </dl>
              {current.ignoredColumns.length > 0 && (
                <p>{t('import.ignored', { columns: current.ignoredColumns.join('、') })}</p>
              )}
              {current.rejected > 0 && (
                <>
                  <TableWrap label={t('import.rejections')}>
                    <table>
                      <caption>{t('import.rejectionsFirst', { n: current.rejections.length })}</caption>
                      <thead>
                        <tr>
                          <th scope="col">{t('import.row')}</th>
                          <th scope="col">{t('import.column')}</th>
                          <th scope="col">{t('import.reason')}</th>
                        </tr>
                      </thead>
                      <tbody>
                        {current.rejections.map((r) => (
                          <tr key={`${r.row}-${r.column}-${r.code}`}>
                            <th scope="row">{r.row}</th>
                            <td>{r.column}</td>
                            <td>{r.message}</td>
                          </tr>
                        ))}
                      </tbody>
                    </table>
                  </TableWrap>
                  <button
                    type="button"
                    onClick={() =>
                      void download(
                        `/api/v1/worker-profiles/imports/${current.id}/rejections`,
                        'rejections.xlsx',
                      )
                    }
                  >
                    {t('import.rejectionsDownload')}
                  </button>
                </>
              )}
            </>
          )}
        </section>
      )}
    </>
  );
}

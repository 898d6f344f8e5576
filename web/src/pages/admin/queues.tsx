import { useState } from 'react';
import { api, fetchData } from '../../api/client.js';
import { PageHeading, ProblemSummary } from '../../components/ui.js';
import { useI18n } from '../../i18n.js';
import { useLocation } from '../../router.js';

/**
 * The way into the BullMQ dashboard (/admin/queues). The dashboard cannot use the console's bearer
 * token, so the console asks the API for a one-time ticket and POSTs it in a form (never in a URL);
 * the server answers with a cookie for /admin/queues only. See src/modules/system/queue-dashboard.ts.
 */
export function QueueDashboardPage() {
  const { t } = useI18n();
  const { query } = useLocation();
  const [busy, setBusy] = useState(false);
  const [problem, setProblem] = useState<unknown>(null);
  const refused = query.get('refused');

  const open = async () => {
    setBusy(true);
    setProblem(null);
    try {
      const ticket = await fetchData(api.POST('/api/v1/system/queue-dashboard/tickets'));
      const form = document.createElement('form');
      form.method = 'post';
      form.action = ticket.action;
      const input = document.createElement('input');
      input.type = 'hidden';
      input.name = 'ticket';
      input.value = ticket.ticket;
      form.append(input);
      document.body.append(form);
      form.submit();
    } catch (err) {
      setProblem(err);
      setBusy(false);
    }
  };

  return (
    <>
      <PageHeading title={t('queues.title')}>{t('queues.title')}</PageHeading>
      {refused && (
        <p className="notice" role="status">
          <span aria-hidden="true">ℹ </span>
          {t('queues.refused')}
        </p>
      )}
      <p>{t('queues.intro')}</p>
      <ProblemSummary problem={problem} />
      <button type="button" onClick={() => void open()} disabled={busy}>
        {busy ? t('queues.opening') : t('queues.open')}
      </button>
    </>
  );
}

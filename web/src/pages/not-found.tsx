import { PageHeading } from '../components/ui.js';
import { useI18n } from '../i18n.js';
import { Link } from '../router.js';

export function NotFoundPage() {
  const { t } = useI18n();
  return (
    <>
      <PageHeading title={t('app.notFound')}>{t('app.notFound')}</PageHeading>
      <p>{t('app.notFoundText')}</p>
      <p>
        <Link to="/">{t('app.backHome')}</Link>
      </p>
    </>
  );
}

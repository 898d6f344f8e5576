import { useI18n } from '../i18n.js';

/** One button naming the other language in that language (lang attribute for screen readers). */
export function LanguageSwitch() {
  const { lang, setLang, t } = useI18n();
  const other = lang === 'en' ? 'zh-CN' : 'en';
  return (
    <button
      type="button"
      className="secondary"
      lang={other}
      aria-label={t('app.switchToLabel')}
      onClick={() => setLang(other)}
    >
      {t('app.switchTo')}
    </button>
  );
}

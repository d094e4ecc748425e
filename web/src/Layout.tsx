// The shell every page shares: skip link, header with the five sections and the language switch.
import type { ReactNode } from 'react';
import { setLang, useLang, useT } from './i18n';
import { Link, useLocation } from './router';
import { shellText } from './text';

export const SECTIONS = ['auth', 'machines', 'mealbuddy', 'zodiac', 'igemoji'] as const;
export type SectionName = (typeof SECTIONS)[number];

export function Layout({ children }: { children: ReactNode }) {
  const t = useT(shellText);
  const lang = useLang();
  const { path } = useLocation();
  const current = path.split('/')[1] ?? '';
  return (
    <>
      <a className="skip" href="#main">
        {t('skip')}
      </a>
      <header className="top">
        <Link to="/" className="brand">
          {t('brand')}
        </Link>
        <nav aria-label={t('nav')}>
          <ul>
            {SECTIONS.map((s) => (
              <li key={s}>
                <Link to={`/${s}`} aria-current={current === s ? 'page' : undefined}>
                  {t(s)}
                </Link>
              </li>
            ))}
          </ul>
        </nav>
        <button
          type="button"
          className="lang"
          lang={lang === 'ko' ? 'en' : 'ko'}
          aria-label={t('switchLangLabel')}
          onClick={() => setLang(lang === 'ko' ? 'en' : 'ko')}
        >
          {t('switchLang')}
        </button>
      </header>
      <main id="main" tabIndex={-1}>
        {children}
      </main>
      <footer className="bottom">
        <p>
          {t('footer')} · <a href="/api/docs/">{t('docs')}</a>
        </p>
      </footer>
    </>
  );
}

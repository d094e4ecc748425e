// Routes: the home page, then one lazily loaded chunk per section (each section routes its own
// sub-paths), so a first visit loads only the shell.
import { Component, lazy, Suspense, useEffect, type ComponentType, type ReactNode } from 'react';
import { useLang, useT } from './i18n';
import { Layout, SECTIONS, type SectionName } from './Layout';
import { NotFound } from './NotFound';
import { useLocation } from './router';
import { Home } from './sections/home/Home';
import { shellText } from './text';

const sections: Record<SectionName, ComponentType> = {
  auth: lazy(() => import('./sections/auth/AuthSection')),
  machines: lazy(() => import('./sections/machines/MachinesSection')),
  mealbuddy: lazy(() => import('./sections/mealbuddy/MealbuddySection')),
  zodiac: lazy(() => import('./sections/zodiac/ZodiacSection')),
  igemoji: lazy(() => import('./sections/igemoji/IgemojiSection')),
};

class SectionBoundary extends Component<{ fallback: ReactNode; children: ReactNode }, { failed: boolean }> {
  override state = { failed: false };
  static getDerivedStateFromError() {
    return { failed: true };
  }
  override render() {
    return this.state.failed ? this.props.fallback : this.props.children;
  }
}

export function App() {
  const t = useT(shellText);
  const lang = useLang();
  const { path } = useLocation();
  const first = path.split('/')[1] ?? '';
  const name = (SECTIONS as readonly string[]).includes(first) ? (first as SectionName) : undefined;

  useEffect(() => {
    document.documentElement.lang = lang;
    document.title = name ? `${t(name)} · ${t('brand')}` : t('brand');
  }, [lang, name, t]);

  let page: ReactNode;
  if (path === '/') page = <Home />;
  else if (name) {
    const Section = sections[name];
    page = (
      <SectionBoundary key={name} fallback={<p role="alert">{t('sectionFailed')}</p>}>
        <Suspense fallback={<p aria-busy="true">{t('loading')}</p>}>
          <Section />
        </Suspense>
      </SectionBoundary>
    );
  } else page = <NotFound />;
  return <Layout>{page}</Layout>;
}

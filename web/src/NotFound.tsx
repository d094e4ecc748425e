import { useT } from './i18n';
import { Link } from './router';
import { shellText } from './text';

export function NotFound() {
  const t = useT(shellText);
  return (
    <section>
      <h1>{t('notFound')}</h1>
      <p>
        <Link to="/">{t('backHome')}</Link>
      </p>
    </section>
  );
}

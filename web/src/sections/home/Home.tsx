// The five systems, what each does, and where to go.
import { useT } from '../../i18n';
import { SECTIONS } from '../../Layout';
import { Link } from '../../router';
import { homeText, shellText } from '../../text';

const ICONS: Record<(typeof SECTIONS)[number], string> = {
  auth: '🔐',
  machines: '🏭',
  mealbuddy: '🍱',
  zodiac: '🐉',
  igemoji: '😀',
};

export function Home() {
  const t = useT(homeText);
  const s = useT(shellText);
  return (
    <section className="home">
      <h1>{t('title')}</h1>
      <p className="lead">{t('lead')}</p>
      <ul className="cards">
        {SECTIONS.map((name) => (
          <li key={name} className="card">
            <h2>
              <span aria-hidden="true">{ICONS[name]}</span> {s(name)}
            </h2>
            <p>{t(`${name}Desc`)}</p>
            <p className="links">
              <Link to={`/${name}`} className="button">
                {t('open', { name: s(name) })}
              </Link>
              <a href={`/swagger#/${name}`}>{s('docs')}</a>
            </p>
          </li>
        ))}
      </ul>
    </section>
  );
}

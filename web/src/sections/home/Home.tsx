// The five systems, what each does, and where to go.
import lock from '@twemoji/svg/1f510.svg';
import factory from '@twemoji/svg/1f3ed.svg';
import bento from '@twemoji/svg/1f371.svg';
import dragon from '@twemoji/svg/1f409.svg';
import grin from '@twemoji/svg/1f600.svg';
import { useT } from '../../i18n';
import { SECTIONS } from '../../Layout';
import { Link } from '../../router';
import { homeText, shellText } from '../../text';

// Twemoji artwork (CC-BY 4.0) bundled by the build, not font emoji: a machine without a colour
// emoji font would draw empty boxes
const ICONS: Record<(typeof SECTIONS)[number], string> = {
  auth: lock,
  machines: factory,
  mealbuddy: bento,
  zodiac: dragon,
  igemoji: grin,
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
              <img className="icon" src={ICONS[name]} alt="" width={28} height={28} /> {s(name)}
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
      <p className="muted credit">{t('iconCredit')}</p>
    </section>
  );
}

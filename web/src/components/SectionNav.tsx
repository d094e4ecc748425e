// The signed-in bar (who is signed in, and a log-out button) and the tab strip that the sections
// with sub-pages show under their heading.
import { Link } from '../router';

export function SessionBar(props: { label: string; logoutLabel: string; onLogout: () => void; pending?: boolean }) {
  return (
    <div className="actions">
      <span>{props.label}</span>
      <button type="button" className="secondary" disabled={props.pending ?? false} onClick={props.onLogout}>
        {props.logoutLabel}
      </button>
    </div>
  );
}

/** tabs as [slug, label]; the slug '' is the section's own page */
export function TabNav(props: { label: string; base: string; current: string; tabs: ReadonlyArray<readonly [string, string]> }) {
  return (
    <nav aria-label={props.label} className="chips">
      {props.tabs.map(([slug, text]) => (
        <Link key={slug} to={`${props.base}${slug ? `/${slug}` : ''}`} className="button secondary" aria-current={props.current === slug ? 'page' : undefined}>
          {text}
        </Link>
      ))}
    </nav>
  );
}

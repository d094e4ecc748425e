// The submit button and the login ⇄ sign-up switch shared by every section's account form.
export type AuthMode = 'login' | 'signup';

export function AuthModeActions(props: {
  mode: AuthMode;
  setMode: (mode: AuthMode) => void;
  pending: boolean;
  labels: Record<AuthMode, string>;
}) {
  const { mode, setMode, pending, labels } = props;
  const other: AuthMode = mode === 'login' ? 'signup' : 'login';
  return (
    <div className="actions">
      <button type="submit" disabled={pending}>
        {labels[mode]}
      </button>
      <button type="button" className="secondary" onClick={() => setMode(other)}>
        {labels[other]}
      </button>
    </div>
  );
}

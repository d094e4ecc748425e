// Shows what the server said: the envelope's message as an alert; field messages are shown by
// Field under their own inputs.
import { ApiError } from '../api/errors';
import { messageOf } from '../api/client';

export function ErrorMessage({ error, id }: { error: unknown; id?: string }) {
  if (!error) return null;
  const code = error instanceof ApiError ? error.code : 'NETWORK_ERROR';
  return (
    <p className="error" role="alert" id={id} data-code={code}>
      {messageOf(error)}
    </p>
  );
}

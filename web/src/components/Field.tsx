// A labelled input with the server's message for this field underneath (aria-describedby), so
// screen readers announce the error with the input.
import { useId, type InputHTMLAttributes, type ReactNode, type SelectHTMLAttributes, type TextareaHTMLAttributes } from 'react';
import { ApiError } from '../api/errors';

interface Common {
  label: ReactNode;
  name: string;
  /** the last error of the form; only its message for `name` (or `errorFor`) is shown here */
  error?: unknown;
  errorFor?: string[];
  hint?: ReactNode;
}

function useFieldIds(p: Common) {
  const id = useId();
  const names = [p.name, ...(p.errorFor ?? [])];
  const message = p.error instanceof ApiError ? names.map((n) => p.error instanceof ApiError && p.error.field(n)).find(Boolean) : undefined;
  const describedBy = [message ? `${id}-err` : '', p.hint ? `${id}-hint` : ''].filter(Boolean).join(' ') || undefined;
  return { id, message, describedBy };
}

function Frame({ p, id, message, children }: { p: Common; id: string; message?: string | false; children: ReactNode }) {
  return (
    <div className="field">
      <label htmlFor={id}>{p.label}</label>
      {children}
      {p.hint && (
        <p className="hint" id={`${id}-hint`}>
          {p.hint}
        </p>
      )}
      {message && (
        <p className="field-error" id={`${id}-err`} data-field={p.name}>
          {message}
        </p>
      )}
    </div>
  );
}

export function Field(props: Common & Omit<InputHTMLAttributes<HTMLInputElement>, 'name'>) {
  const { label: _l, error: _e, errorFor: _f, hint: _h, ...input } = props;
  const { id, message, describedBy } = useFieldIds(props);
  return (
    <Frame p={props} id={id} message={message}>
      <input id={id} aria-invalid={message ? true : undefined} aria-describedby={describedBy} {...input} />
    </Frame>
  );
}

export function TextArea(props: Common & Omit<TextareaHTMLAttributes<HTMLTextAreaElement>, 'name'>) {
  const { label: _l, error: _e, errorFor: _f, hint: _h, ...input } = props;
  const { id, message, describedBy } = useFieldIds(props);
  return (
    <Frame p={props} id={id} message={message}>
      <textarea id={id} aria-invalid={message ? true : undefined} aria-describedby={describedBy} {...input} />
    </Frame>
  );
}

export function Select(props: Common & Omit<SelectHTMLAttributes<HTMLSelectElement>, 'name'>) {
  const { label: _l, error: _e, errorFor: _f, hint: _h, ...input } = props;
  const { id, message, describedBy } = useFieldIds(props);
  return (
    <Frame p={props} id={id} message={message}>
      <select id={id} aria-invalid={message ? true : undefined} aria-describedby={describedBy} {...input} />
    </Frame>
  );
}

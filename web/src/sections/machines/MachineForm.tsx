// Create or edit a machine: name, location, status and the optional control URL.
import { ErrorMessage } from '../../components/ErrorMessage';
import { Field, Select } from '../../components/Field';
import { useAction } from '../../components/hooks';
import { useT } from '../../i18n';
import { machinesText } from './text';
import { STATUSES, type Machine } from './types';

export interface MachineInput {
  name: string;
  location: string;
  status: number;
  endpoint_url: string | null;
}

interface Props {
  machine?: Machine;
  title: string;
  onSubmit: (input: MachineInput) => Promise<void>;
  onCancel?: () => void;
}

export function MachineForm({ machine, title, onSubmit, onCancel }: Props) {
  const t = useT(machinesText);
  const action = useAction(async (form: HTMLFormElement) => {
    const f = new FormData(form);
    const endpoint = String(f.get('endpoint_url') ?? '').trim();
    await onSubmit({
      name: String(f.get('name') ?? ''),
      location: String(f.get('location') ?? ''),
      status: Number(f.get('status') ?? 0),
      endpoint_url: endpoint || null,
    });
    if (!machine) form.reset();
  });
  const id = machine ? `machine-form-${machine.id}` : 'machine-form-new';
  return (
    <form
      className="stack"
      aria-labelledby={`${id}-title`}
      noValidate
      onSubmit={(e) => {
        e.preventDefault();
        void action.run(e.currentTarget);
      }}
    >
      <h3 id={`${id}-title`}>{title}</h3>
      <ErrorMessage error={action.error} />
      <Field label={t('name')} name="name" defaultValue={machine?.name} maxLength={64} error={action.error} />
      <Field label={t('location')} name="location" defaultValue={machine?.location} maxLength={256} error={action.error} />
      <Select label={t('status')} name="status" defaultValue={String(machine?.status ?? 1)} error={action.error}>
        {STATUSES.map((s) => (
          <option key={s} value={s}>
            {t(`status${s}`)}
          </option>
        ))}
      </Select>
      <Field
        label={t('endpoint')}
        name="endpoint_url"
        type="url"
        defaultValue={machine?.endpoint_url ?? ''}
        hint={t('endpointHint')}
        error={action.error}
      />
      <div className="actions">
        <button type="submit" disabled={action.pending}>
          {t('save')}
        </button>
        {onCancel && (
          <button type="button" className="secondary" onClick={onCancel}>
            {t('cancel')}
          </button>
        )}
      </div>
    </form>
  );
}

// A new template: a name and seven pictures (the neutral profile and six expressions), each
// previewed before upload.
import { useEffect, useState } from 'react';
import { upload } from '../../api/upload';
import { ErrorMessage } from '../../components/ErrorMessage';
import { Field } from '../../components/Field';
import { useAction } from '../../components/hooks';
import { useT } from '../../i18n';
import { navigate } from '../../router';
import { igText, type IgKey } from './text';

// field names the API expects, in its order: image = neutral, image1…image6 = the expressions
const SLOTS: Array<[string, IgKey]> = [
  ['image', 'neutral'],
  ['image1', 'angry'],
  ['image2', 'disgust'],
  ['image3', 'fear'],
  ['image4', 'happy'],
  ['image5', 'sad'],
  ['image6', 'surprise'],
];

function Slot({ field, label, error }: { field: string; label: string; error: unknown }) {
  const t = useT(igText);
  const [url, setUrl] = useState('');
  const [file, setFile] = useState<File | null>(null);
  useEffect(() => {
    if (!file) return setUrl('');
    const u = URL.createObjectURL(file);
    setUrl(u);
    return () => URL.revokeObjectURL(u);
  }, [file]);
  return (
    <div className="slot">
      <Field label={label} name={field} type="file" accept="image/png,image/jpeg,image/webp" error={error} onChange={(e) => setFile(e.target.files?.[0] ?? null)} />
      {url && <img src={url} alt={t('previewOf', { what: label })} width={64} height={64} />}
    </div>
  );
}

export function Create() {
  const t = useT(igText);
  const save = useAction(async (form: HTMLFormElement) => {
    await upload('/igemoji/api/v1/emojis/', new FormData(form));
    navigate('/igemoji');
  });
  return (
    <form
      className="stack panel"
      aria-labelledby="ig-create-title"
      noValidate
      onSubmit={(e) => {
        e.preventDefault();
        void save.run(e.currentTarget);
      }}
    >
      <h2 id="ig-create-title">{t('create')}</h2>
      <ErrorMessage error={save.error} />
      <Field label={t('name')} name="name" maxLength={100} error={save.error} />
      <div className="slots">
        {SLOTS.map(([field, key]) => (
          <Slot key={field} field={field} label={t(key)} error={save.error} />
        ))}
      </div>
      <div className="actions">
        <button type="submit" disabled={save.pending}>
          {t('save')}
        </button>
      </div>
    </form>
  );
}

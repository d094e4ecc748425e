// Upload with preview, a progress bar moved by the task's pushed events (queued → analyzing →
// done/failed), then the result: the top three with bars, the animal's picture, today's fortune
// and the explanation.
import { useEffect, useState } from 'react';
import { api, call } from '../../api/client';
import type { paths } from '../../api/schema';
import { tokens, useSession } from '../../api/tokens';
import { upload } from '../../api/upload';
import { ErrorMessage } from '../../components/ErrorMessage';
import { Field } from '../../components/Field';
import { useAction, useLoad } from '../../components/hooks';
import { useSocket } from '../../components/useSocket';
import { useT } from '../../i18n';
import { zText, type ZKey } from './text';

type Accepted = paths['/zodiac/api/users/{user_id}/results/tasks']['post']['responses'][202]['content']['application/json'];
interface Ranked {
  rank: number;
  name: string;
  name_ko: string;
  similarity: number;
}
interface Progress {
  status: 'queued' | 'analyzing' | 'done' | 'failed';
  ranking?: Ranked[];
  animalimage?: string | null;
  explanation?: string;
  challenge_content?: string;
  error?: { code: string; message: string };
}

const STEP: Record<Progress['status'], number> = { queued: 1, analyzing: 2, done: 3, failed: 3 };

export function Analyze() {
  const t = useT(zText);
  const uuid = String(useSession('zodiac')?.user?.uuid ?? '');
  const [file, setFile] = useState<File | null>(null);
  const [preview, setPreview] = useState('');
  const [task, setTask] = useState<string | null>(null);
  const [progress, setProgress] = useState<Progress | null>(null);

  useEffect(() => {
    if (!file) return setPreview('');
    const url = URL.createObjectURL(file);
    setPreview(url);
    return () => URL.revokeObjectURL(url);
  }, [file]);

  const send = useAction(async () => {
    const form = new FormData();
    form.append('filename', file!);
    setProgress(null);
    const r = await upload<Accepted>(`/zodiac/api/users/${encodeURIComponent(uuid)}/results/tasks`, form);
    setProgress({ status: 'queued' });
    setTask(r.task_id);
  });

  useSocket({
    url: () => {
      const s = tokens.get('zodiac');
      return task && s ? `/zodiac/ws/zodiac/tasks/${task}/?token=${encodeURIComponent(s.access)}` : null;
    },
    onMessage: (data) => setProgress(data as Progress),
    // the server closes the socket once the task is over; a drop before that reconnects and the
    // first frame repeats the current state
    onClose: () => progress?.status !== 'done' && progress?.status !== 'failed' && task !== null,
    deps: [task],
  });

  const status = progress?.status;
  return (
    <div className="grid2">
      <form
        className="stack panel"
        aria-labelledby="z-upload-title"
        onSubmit={(e) => {
          e.preventDefault();
          if (file) void send.run();
        }}
      >
        <h2 id="z-upload-title">{t('analyze')}</h2>
        <ErrorMessage error={send.error} />
        <Field
          label={t('photo')}
          name="filename"
          type="file"
          accept="image/jpeg,image/png,image/webp"
          hint={t('photoHint')}
          error={send.error}
          onChange={(e) => setFile(e.target.files?.[0] ?? null)}
        />
        {preview && <img src={preview} alt={t('preview')} className="preview" />}
        <div className="actions">
          <button type="submit" disabled={!file || send.pending || status === 'queued' || status === 'analyzing'}>
            {t('upload')}
          </button>
        </div>
        {status && (
          <div data-testid="z-progress" data-status={status}>
            <p id="z-progress-label">
              {t('progress')}: <strong>{t(status as ZKey)}</strong>
            </p>
            <progress aria-labelledby="z-progress-label" max={3} value={STEP[status]} />
          </div>
        )}
        {status === 'failed' && progress?.error && (
          <p className="error" role="alert">
            {progress.error.message}
          </p>
        )}
      </form>
      {status === 'done' && progress?.ranking && <Result p={progress} />}
    </div>
  );
}

function Result({ p }: { p: Progress }) {
  const t = useT(zText);
  const top = p.ranking![0];
  const fortune = useLoad(
    () => (top ? call(api.GET('/zodiac/api/v1/animals/{name}/fortune', { params: { path: { name: top.name }, query: {} } })) : Promise.resolve(null)),
    [top?.name],
  );
  return (
    <section className="panel" aria-labelledby="z-result-title" data-testid="z-result">
      <h2 id="z-result-title">{t('top3')}</h2>
      {p.animalimage && top && <img src={p.animalimage} alt={top.name_ko} className="animal" width={96} height={96} />}
      <ol className="ranking">
        {p.ranking!.slice(0, 3).map((r) => {
          const pct = Math.round(r.similarity * (r.similarity <= 1 ? 100 : 1));
          return (
            <li key={r.rank}>
              <span>
                {r.name_ko} · {t('similarity', { pct })}
              </span>
              <div className="bar" role="img" aria-label={`${r.name_ko} ${pct}%`}>
                <span style={{ width: `${Math.min(100, pct)}%` }} />
              </div>
            </li>
          );
        })}
      </ol>
      {fortune.data && (
        <>
          <h3>{t('fortune')}</h3>
          <p data-testid="z-fortune">{fortune.data.text}</p>
        </>
      )}
      {p.explanation && (
        <>
          <h3>{t('explanation')}</h3>
          <p>{p.explanation}</p>
        </>
      )}
      {p.challenge_content && p.challenge_content !== 'NONE' && <p className="notice">{t('challengeDone', { content: p.challenge_content })}</p>}
    </section>
  );
}

// The template gallery (8 a page), choosing a template, uploading a photo, the progress pushed
// over the task's socket, and the composited result with its download link.
import { useState } from 'react';
import { api, call } from '../../api/client';
import type { paths } from '../../api/schema';
import { tokens, useSession } from '../../api/tokens';
import { upload } from '../../api/upload';
import { ErrorMessage } from '../../components/ErrorMessage';
import { Field } from '../../components/Field';
import { useAction, useLoad } from '../../components/hooks';
import { Paginator } from '../../components/Paginator';
import { useSocket } from '../../components/useSocket';
import { useT } from '../../i18n';
import { navigate, useLocation } from '../../router';
import { igText, type IgKey } from './text';

type Accepted = paths['/igemoji/api/v1/faces/results/tasks']['post']['responses'][202]['content']['application/json'];
type Emotion = 'neutral' | 'angry' | 'disgust' | 'fear' | 'happy' | 'sad' | 'surprise';
const EMOTIONS: readonly Emotion[] = ['neutral', 'angry', 'disgust', 'fear', 'happy', 'sad', 'surprise'];
interface ResultFace {
  box: { x: number; y: number; width: number; height: number };
  expression: Emotion;
}
interface Progress {
  status: 'queued' | 'processing' | 'done' | 'failed';
  image?: string;
  download_url?: string;
  message?: string;
  width?: number;
  height?: number;
  faces?: ResultFace[];
}
const STEP = { queued: 1, processing: 2, done: 3, failed: 3 } as const;
const PAGE = 8;

export function Gallery() {
  const t = useT(igText);
  const { query } = useLocation();
  const page = Math.max(1, Number(query.get('page')) || 1);
  const list = useLoad(() => call(api.GET('/igemoji/api/v1/emojis/pages/{page}', { params: { path: { page: String(page) } } })), [page]);
  const [chosen, setChosen] = useState<{ id: number; name: string } | null>(null);
  const total = list.data?.[0]?.total ?? 0;
  return (
    <div className="grid2">
      <section aria-labelledby="ig-gallery-title">
        <h2 id="ig-gallery-title">{t('gallery')}</h2>
        <ErrorMessage error={list.error} />
        <ul className="cards" data-testid="ig-gallery">
          {list.data?.map((e) => (
            <li key={e.id} className="card">
              <img src={e.image[0]} alt={e.name} width={96} height={96} />
              <h3>{e.name}</h3>
              <p className="muted">{t('by', { alias: e.alias })}</p>
              <button type="button" aria-pressed={chosen?.id === e.id} onClick={() => setChosen({ id: e.id, name: e.name })}>
                {t('choose')}
              </button>
            </li>
          ))}
        </ul>
        <Paginator page={page} pages={Math.ceil(total / PAGE)} onPage={(p) => navigate(`/igemoji?page=${p}`)} />
      </section>
      <Compose chosen={chosen} />
    </div>
  );
}

function Compose({ chosen }: { chosen: { id: number; name: string } | null }) {
  const t = useT(igText);
  const session = useSession('igemoji');
  const [task, setTask] = useState<string | null>(null);
  const [progress, setProgress] = useState<Progress | null>(null);
  const send = useAction(async (form: HTMLFormElement) => {
    const data = new FormData(form);
    data.set('emoji_id', String(chosen!.id));
    setProgress(null);
    const r = await upload<Accepted>('/igemoji/api/v1/faces/results/tasks', data);
    setProgress({ status: 'queued' });
    setTask(r.task_id);
  });
  useSocket({
    url: () => {
      const s = tokens.get('igemoji');
      return task && s ? `/igemoji/ws/igemoji/tasks/${task}/?token=${encodeURIComponent(s.access)}` : null;
    },
    onMessage: (data) => setProgress(data as Progress),
    onClose: () => progress?.status !== 'done' && progress?.status !== 'failed' && task !== null,
    deps: [task],
  });
  if (!session) return <p className="panel">{t('needLogin')}</p>;
  const status = progress?.status;
  return (
    <form
      className="stack panel"
      aria-labelledby="ig-compose-title"
      onSubmit={(e) => {
        e.preventDefault();
        if (chosen) void send.run(e.currentTarget);
      }}
    >
      <h2 id="ig-compose-title">{t('compose')}</h2>
      {chosen ? (
        <p data-testid="ig-chosen">{t('chosen', { name: chosen.name })}</p>
      ) : (
        // why 합성하기 is disabled, announced with the button
        <p className="hint" id="ig-choose-first" data-testid="ig-choose-first">
          {t('chooseFirst')}
        </p>
      )}
      <ErrorMessage error={send.error} />
      <Field label={t('photo')} name="image" type="file" accept="image/jpeg,image/png,image/webp" error={send.error} />
      <div className="actions">
        <button
          type="submit"
          disabled={!chosen || send.pending || status === 'queued' || status === 'processing'}
          aria-describedby={chosen ? undefined : 'ig-choose-first'}
        >
          {t('compose')}
        </button>
      </div>
      {status && (
        <div data-testid="ig-progress" data-status={status}>
          <p id="ig-progress-label">
            {t('progress')}: <strong>{t(status as IgKey)}</strong>
          </p>
          <progress aria-labelledby="ig-progress-label" max={3} value={STEP[status]} />
        </div>
      )}
      {status === 'failed' && progress?.message && (
        <p className="error" role="alert">
          {progress.message}
        </p>
      )}
      {status === 'done' && progress?.image && task && <Result task={task} progress={progress} onChange={setProgress} />}
    </form>
  );
}

/** The composite, how many faces were found, and a button on each face to pick another picture for it. */
function Result({ task, progress, onChange }: { task: string; progress: Progress; onChange: (p: Progress) => void }) {
  const t = useT(igText);
  const [picking, setPicking] = useState<number | null>(null);
  const choose = useAction(async (n: number, expression: Emotion) => {
    const r = await call(
      api.PUT('/igemoji/api/v1/faces/results/tasks/{task_id}/faces/{n}', { params: { path: { task_id: task, n } }, body: { expression } }),
    );
    onChange({ ...progress, ...(r as Progress) });
    setPicking(null);
  });
  const faces = progress.faces ?? [];
  const w = progress.width ?? 1;
  const h = progress.height ?? 1;
  return (
    <figure data-testid="ig-result">
      <div className="ig-faces" style={{ position: 'relative', display: 'inline-block' }}>
        <img src={progress.image} alt={t('resultAlt')} style={{ display: 'block', maxWidth: '100%' }} />
        {faces.map((f, i) => (
          <button
            key={i}
            type="button"
            data-testid="ig-face"
            aria-label={t('faceN', { n: i + 1, what: t(f.expression as IgKey) })}
            aria-pressed={picking === i}
            onClick={() => setPicking(picking === i ? null : i)}
            style={{
              position: 'absolute',
              left: `${(100 * f.box.x) / w}%`,
              top: `${(100 * f.box.y) / h}%`,
              width: `${(100 * f.box.width) / w}%`,
              height: `${(100 * f.box.height) / h}%`,
              background: 'transparent',
              border: picking === i ? '3px solid #ffcc00' : '1px dashed rgba(255,255,255,.7)',
              padding: 0,
            }}
          />
        ))}
      </div>
      <figcaption>
        <p data-testid="ig-face-count">{t('facesFound', { n: faces.length })}</p>
        {picking !== null && (
          <fieldset data-testid="ig-pick">
            <legend>{t('pickFor', { n: picking + 1 })}</legend>
            {EMOTIONS.map((e) => (
              <button key={e} type="button" disabled={choose.pending} aria-pressed={faces[picking]?.expression === e} onClick={() => void choose.run(picking, e)}>
                {t(e as IgKey)}
              </button>
            ))}
          </fieldset>
        )}
        <ErrorMessage error={choose.error} />
        <a href={progress.download_url} download>
          {t('download')}
        </a>
      </figcaption>
    </figure>
  );
}

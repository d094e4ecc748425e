// A FaceAnalyzer scripted per call, for the task paths of zodiac and igemoji in milliseconds: each
// analyze() takes the next step of the script (or the default, one face), and either answers the
// given faces, throws the given error, or hangs until released (a worker frozen or killed while it
// held the task). It never loads a model.
import { EXPRESSIONS, type Expression, type Face, type FaceAnalysis, type FaceAnalyzer, type RgbImage } from '../../src/core/vision/face-analyzer.js';
import { syntheticFace } from '../fixtures/igemoji/layout.js';

export type FakeStep =
  | { faces: Face[] }
  | { error: Error }
  /** answers nothing until the returned release() is called; then answers `then` */
  | { hang: Promise<void>; then: FakeStep };

/** a face `size` px wide centred at (cx, cy), with one expression clearly ahead of the others */
export function fakeFace(opts: { cx?: number; cy?: number; size?: number; expression?: Expression; rollDeg?: number } = {}): Face {
  const geometry = syntheticFace(opts.cx ?? 200, opts.cy ?? 200, opts.size ?? 160, opts.rollDeg ?? 0);
  const top = opts.expression ?? 'happy';
  const expressions = Object.fromEntries(EXPRESSIONS.map((e) => [e, e === top ? 0.94 : 0.01])) as Record<Expression, number>;
  return { ...geometry, score: 0.97, expressions };
}

/** what a crashed vision thread throws: transient, the task is retried */
export const threadCrash = () => new Error('vision worker exited during analysis');

export class FakeAnalyzer implements FaceAnalyzer {
  /** images analysed so far (each call, whatever its step) */
  calls = 0;
  private script: FakeStep[] = [];
  private waiting: Array<() => void> = [];

  constructor(private fallback: FakeStep = { faces: [fakeFace()] }) {}

  /** the next calls, in order; afterwards the fallback again */
  next(...steps: FakeStep[]): this {
    this.script.push(...steps);
    return this;
  }

  /** every call from now on, once the script is used up */
  always(step: FakeStep): this {
    this.fallback = step;
    return this;
  }

  /** a step that hangs until release() (then answers `then`) */
  hang(then: FakeStep = { faces: [fakeFace()] }): { step: FakeStep; release: () => void } {
    let release!: () => void;
    const hang = new Promise<void>((r) => (release = r));
    return { step: { hang, then }, release };
  }

  /** resolves once `n` calls in total have started */
  async untilCalls(n: number): Promise<void> {
    while (this.calls < n) await new Promise<void>((r) => this.waiting.push(r));
  }

  async analyze(image: RgbImage): Promise<FaceAnalysis> {
    this.calls++;
    for (const w of this.waiting.splice(0)) w();
    return this.play(this.script.shift() ?? this.fallback, image);
  }

  private async play(step: FakeStep, image: RgbImage): Promise<FaceAnalysis> {
    if ('hang' in step) {
      await step.hang;
      return this.play(step.then, image);
    }
    if ('error' in step) throw step.error;
    return { width: image.width, height: image.height, faces: step.faces, ms: 1 };
  }

  async ready(): Promise<{ loadMs: number; backend: string }> {
    return { loadMs: 0, backend: 'fake' };
  }

  async close(): Promise<void> {
    this.script = [];
  }
}

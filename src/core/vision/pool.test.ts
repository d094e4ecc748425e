import sharp from 'sharp';
import { afterAll, describe, expect, it } from 'vitest';
import { noFaceImage, syntheticFace } from '../../../test/fixtures/images.js';
import { EXPRESSIONS, largestFace } from './face-analyzer.js';
import { decodeForInference } from './image-intake.js';
import { ThreadPoolAnalyzer } from './pool.js';

// one pool (one model load) for the whole file
const pool = new ThreadPoolAnalyzer(1);
afterAll(() => pool.close());

describe('vision pool (face-api, WASM, worker thread)', () => {
  it('loads the models on the WASM backend', async () => {
    const r = await pool.ready();
    expect(r.backend).toBe('wasm');
    expect(r.loadMs).toBeGreaterThan(0);
  });

  it('finds the drawn face with 68 landmarks, 7 expression scores and a level eye line', async () => {
    const a = await pool.analyze(await decodeForInference(await syntheticFace()), { detector: 'tiny', fallback: true });
    expect(a.faces).toHaveLength(1);
    const f = a.faces[0]!;
    expect(f.landmarks).toHaveLength(68);
    expect(Object.keys(f.expressions).sort()).toEqual([...EXPRESSIONS].sort());
    const total = Object.values(f.expressions).reduce((s, v) => s + v, 0);
    expect(total).toBeGreaterThan(0.98);
    expect(total).toBeLessThan(1.02);
    expect(Math.abs(f.rollDeg)).toBeLessThan(5);
    // the box holds the drawn face's centre (200, 210)
    expect(f.box.x).toBeLessThan(200);
    expect(f.box.x + f.box.width).toBeGreaterThan(200);
    expect(f.box.y).toBeLessThan(210);
    expect(f.box.y + f.box.height).toBeGreaterThan(210);
  });

  it('reports the head roll from the eye line', async () => {
    const a = await pool.analyze(await decodeForInference(await syntheticFace('jpeg', { roll: 15 })), { detector: 'ssd', fallback: true });
    expect(a.faces[0]!.rollDeg).toBeGreaterThan(8);
    expect(a.faces[0]!.rollDeg).toBeLessThan(22);
  });

  it('sorts faces left to right, and several requests share the thread in order', async () => {
    const big = await sharp(await syntheticFace('png')).resize(300, 300).toBuffer();
    const small = await sharp(await syntheticFace('png', { faceRx: 95, eyeGap: 90 })).resize(240, 240).toBuffer();
    const both = await sharp({ create: { width: 640, height: 360, channels: 3, background: '#556677' } })
      .composite([
        { input: big, left: 10, top: 10 },
        { input: small, left: 390, top: 10 },
      ])
      .png()
      .toBuffer();
    const rgb = await decodeForInference(both);
    const [a, b] = await Promise.all([pool.analyze(rgb, { detector: 'ssd', minScore: 0.4 }), pool.analyze(rgb, { detector: 'tiny', minScore: 0.4 })]);
    expect(a.faces).toHaveLength(2);
    expect(a.faces[0]!.box.x).toBeLessThan(a.faces[1]!.box.x);
    expect(largestFace(a.faces)).toBe(a.faces[0]);
    expect(b.faces).toHaveLength(2);
    expect(b.faces[0]!.box.x).toBeLessThan(b.faces[1]!.box.x);
  });

  it('finds no face in a landscape, with either detector', async () => {
    const a = await pool.analyze(await decodeForInference(await noFaceImage()), { detector: 'tiny', fallback: true });
    expect(a.faces).toEqual([]);
  });
});

// Daily fortune: one line per aspect per animal per Seoul date, drawn from our tables by a hash,
// so everyone sees the same fortune for the same animal on the same day, and it changes at
// midnight in Seoul.
import { createHash } from 'node:crypto';
import type { Animal } from './animals.js';
import { ASPECT_KO, ASPECTS, FORTUNE_LINES, type Aspect } from './fortunes.js';

export interface DailyFortune {
  date: string;
  name: string;
  name_ko: string;
  /** 1..5 stars, from the same hash */
  luck: number;
  lines: Record<Aspect, string>;
  text: string;
}

function pick(key: string, modulo: number): number {
  return createHash('sha256').update(key).digest().readUInt32BE(0) % modulo;
}

export function dailyFortune(animal: Animal, date: string): DailyFortune {
  const lines = Object.fromEntries(
    ASPECTS.map((a) => [a, FORTUNE_LINES[a][pick(`${a}|${animal.name}|${date}`, FORTUNE_LINES[a].length)]!]),
  ) as Record<Aspect, string>;
  return {
    date,
    name: animal.name,
    name_ko: animal.nameKo,
    luck: 1 + pick(`luck|${animal.name}|${date}`, 5),
    lines,
    text: ASPECTS.map((a) => `[${ASPECT_KO[a]}] ${lines[a]}`).join(' '),
  };
}

// KMA's Lambert conformal conic "DFS" grid (docs/apps/mealbuddy.md §8) and the forecast run to ask for.
import { seoulParts } from '../mealbuddy.common.js';

const RE = 6371.00877; // earth radius, km
const GRID = 5.0; // grid spacing, km
const SLAT1 = 30.0;
const SLAT2 = 60.0;
const OLON = 126.0;
const OLAT = 38.0;
const XO = 43;
const YO = 136;

const DEG = Math.PI / 180;
const re = RE / GRID;
const slat1 = SLAT1 * DEG;
const slat2 = SLAT2 * DEG;
const sn = Math.log(Math.cos(slat1) / Math.cos(slat2)) / Math.log(Math.tan(Math.PI / 4 + slat2 / 2) / Math.tan(Math.PI / 4 + slat1 / 2));
const sf = (Math.pow(Math.tan(Math.PI / 4 + slat1 / 2), sn) * Math.cos(slat1)) / sn;
const ro = (re * sf) / Math.pow(Math.tan(Math.PI / 4 + (OLAT * DEG) / 2), sn);

export function toGrid(lat: number, lon: number): { nx: number; ny: number } {
  const ra = (re * sf) / Math.pow(Math.tan(Math.PI / 4 + (lat * DEG) / 2), sn);
  let theta = lon * DEG - OLON * DEG;
  if (theta > Math.PI) theta -= 2 * Math.PI;
  if (theta < -Math.PI) theta += 2 * Math.PI;
  theta *= sn;
  return { nx: Math.floor(ra * Math.sin(theta) + XO + 0.5), ny: Math.floor(ro - ra * Math.cos(theta) + YO + 0.5) };
}

const RUNS = [2, 5, 8, 11, 14, 17, 20, 23];
/** KMA publishes each run at about HH:10 (the original ignored that lag, §11.20) */
export const PUBLICATION_LAG_MS = 10 * 60 * 1000;

/** The latest published short-term forecast run: base_date YYYYMMDD and base_time HHMM, Seoul time. */
export function baseTime(now: Date): { base_date: string; base_time: string } {
  const t = seoulParts(new Date(now.getTime() - PUBLICATION_LAG_MS));
  if (t.hour <= 2) {
    const yesterday = seoulParts(new Date(now.getTime() - PUBLICATION_LAG_MS - 24 * 3600 * 1000));
    return { base_date: yesterday.date.replaceAll('-', ''), base_time: '2300' };
  }
  const run = RUNS.filter((h) => h <= t.hour).pop()!;
  return { base_date: t.date.replaceAll('-', ''), base_time: `${String(run).padStart(2, '0')}00` };
}

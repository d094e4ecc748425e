// The built-in menu recommender, used when no LLM is configured, so the feature works offline.
// What the person says comes first: foods and properties they rule out are never recommended
// (this message or an earlier one of the conversation), what they ask for (light, spicy, soup, cold,
// a budget, eating alone) narrows the choice — relaxed only when fewer than five menus fit, and then
// said so — and what they name is preferred. Weather, the time of day in Seoul and what the
// neighbourhood has been ordering decide among the rest. Each menu gets its own one-line reason.
// Deterministic: the same inputs give the same answer.
import type { Weather } from '../weather/weather.service.js';
import { MENUS, type MealTime, type Menu } from './menu-catalog.js';
import { parseRequest, type Attr, type Wishes } from './request-parser.js';

export interface RecommendInput {
  weather?: Weather;
  /** hour of day in Seoul, 0..23 */
  hour: number;
  /** categories of recent neighbourhood posts, most frequent first */
  neighbourhood: Array<{ category: string; n: number }>;
  request?: string;
  /** the person's earlier requests in this conversation: what they ruled out stays out */
  earlier?: string[];
}

export interface Recommendation {
  name: string;
  category: string;
  reason: string;
}

export interface RecommendResult {
  heading: string;
  menus: Recommendation[];
}

const COUNT = 5;

/** 은/는, 이/가, 으로/로, 이에요/예요 after a Korean word */
function josa(word: string, withFinal: string, withoutFinal: string, rieulTakesWithout = false): string {
  const code = word.charCodeAt(word.length - 1) - 0xac00;
  if (code < 0 || code > 11171) return withoutFinal;
  const final = code % 28;
  if (final === 0 || (rieulTakesWithout && final === 8)) return withoutFinal;
  return withFinal;
}
const eun = (w: string) => w + josa(w, '은', '는');
const ga = (w: string) => w + josa(w, '이', '가');
const ro = (w: string) => w + josa(w, '으로', '로', true);
const ieyo = (w: string) => w + josa(w, '이에요', '예요');
const won = (n: number) => `${n.toLocaleString('en-US')}원`;

/** filters a request can set; relaxed (in this order, last first) only when fewer than five fit */
const FILTERS: Array<[Attr | 'budget' | 'solo', (m: Menu, w: Wishes) => boolean, (w: Wishes) => string]> = [
  ['light', (m) => m.weight <= 2 && !m.fried, () => '가벼운'],
  ['spicy', (m) => m.spicy >= 1, () => '매콤한'],
  ['soup', (m) => m.soup, () => '국물 있는'],
  ['cold', (m) => m.temp === 'cold', () => '시원한'],
  ['hot', (m) => m.temp === 'hot', () => '따뜻한'],
  ['heavy', (m) => m.weight >= 2, () => '든든한'],
  ['fried', (m) => m.fried, () => '바삭한'],
  ['quick', (m) => m.quick, () => '빨리 나오는'],
  ['pricey', (m) => m.price >= 13000, () => '특별한'],
  ['budget', (m, w) => m.price <= (w.budget ?? Infinity), (w) => `1인분 ${won(w.budget ?? 0)} 이하의`],
  ['solo', (m) => m.minPeople === 1, () => '혼자 먹기 좋은'],
];

/** what the person ruled out: never relaxed */
function allowed(m: Menu, w: Wishes): boolean {
  if (w.exclude.some((f) => f.pick(m))) return false;
  const n = w.notAttrs;
  if (n.has('spicy') && m.spicy > 0) return false;
  if (n.has('soup') && m.soup) return false;
  if (n.has('fried') && m.fried) return false;
  if (n.has('cold') && m.temp === 'cold') return false;
  if (n.has('hot') && m.temp === 'hot') return false;
  if (n.has('heavy') && m.weight === 3) return false;
  return true;
}

function activeFilters(w: Wishes) {
  return FILTERS.filter(([key]) => (key === 'budget' ? w.budget !== undefined : key === 'solo' ? w.people === 1 : w.attrs.has(key)));
}

function mealTime(hour: number): MealTime {
  if (hour >= 5 && hour <= 10) return 'breakfast';
  if (hour >= 11 && hour <= 14) return 'lunch';
  if (hour >= 15 && hour <= 16) return 'snack';
  if (hour >= 17 && hour <= 20) return 'dinner';
  return 'late';
}

// Several wordings per reason, taken in turn by the menus picked for that reason, so five menus
// chosen for the same reason do not read alike; each names its menu with its own description.
type Say = (np: string, m: Menu) => string;

const TIME_REASON: Record<MealTime, Say[]> = {
  breakfast: [(np) => `아침에는 ${ga(np)} 속에 부담이 없어요.`, (np) => `하루를 시작하기엔 ${ga(np)} 알맞아요.`],
  lunch: [(np) => `점심으로 ${ga(np)} 무난하고 금방 나와요.`, (np) => `점심 한 끼로 ${ga(np)} 든든하고 무난해요.`],
  snack: [(np) => `출출한 오후엔 ${ga(np)} 딱이에요.`, (np) => `오후 간식으로 ${ga(np)} 좋아요.`],
  dinner: [(np) => `저녁 식사로 ${ga(np)} 든든해요.`, (np) => `하루를 마무리하는 저녁으로 ${ga(np)} 어울려요.`],
  late: [(np) => `늦은 밤 야식으로 ${np}만 한 게 없죠.`, (np) => `야식으로 ${ga(np)} 인기예요.`],
};

const WISH_REASON: Partial<Record<Attr, Say[]>> = {
  light: [(np) => `${eun(np)} 부담 없이 가볍게 먹기 좋아요.`, (np) => `${eun(np)} 속이 편하고 칼로리 부담이 적어요.`, (np) => `가볍게 드시기엔 ${ga(np)} 알맞아요.`],
  spicy: [(np) => `${ro(np)} 매콤하게 기분 전환해 보세요.`, (np) => `매운 게 당길 땐 ${ga(np)} 제격이에요.`, (np) => `${eun(np)} 칼칼한 맛이 살아 있어요.`],
  soup: [
    (np, m) => `${eun(np)} ${m.temp === 'cold' ? '시원한' : '따뜻한'} 국물이 일품이에요.`,
    (np, m) => `${m.temp === 'cold' ? '시원한' : '따끈한'} 국물이 생각날 땐 ${ga(np)} 좋아요.`,
    (np) => `국물까지 싹 비우게 되는 ${ieyo(np)}.`,
  ],
  cold: [(np) => `${ro(np)} 시원하게 더위를 식혀 보세요.`, (np) => `시원한 게 당길 땐 ${ga(np)} 딱이에요.`, (np) => `${eun(np)} 입안까지 시원해져요.`],
  hot: [(np) => `${ga(np)} 속을 따뜻하게 데워 줘요.`, (np) => `따끈하게 먹기엔 ${ga(np)} 그만이에요.`, (np) => `${eun(np)} 먹고 나면 몸이 훈훈해져요.`],
  heavy: [(np) => `${ro(np)} 든든하게 배를 채워 보세요.`, (np) => `${eun(np)} 양이 넉넉해서 든든해요.`, (np) => `배고플 땐 ${ga(np)} 제격이에요.`],
  fried: [(np) => `바삭한 게 당길 땐 ${ga(np)} 제격이에요.`, (np) => `${eun(np)} 바삭한 식감이 살아 있어요.`],
  quick: [(np) => `${eun(np)} 금방 나와서 바쁠 때 좋아요.`, (np) => `바쁠 땐 금방 나오는 ${ga(np)} 좋아요.`],
  pricey: [(np) => `${ro(np)} 특별한 한 끼를 즐겨 보세요.`, (np) => `특별한 날엔 ${ga(np)} 잘 어울려요.`],
};

const WANT: Say[] = [(np) => `찾으시던 메뉴로, ${ieyo(np)}.`, (np) => `말씀하신 대로 ${ieyo(np)}.`];
const DEFAULT: Say[] = [(np) => `${eun(np)} 언제 먹어도 실패 없는 메뉴예요.`, (np) => `${eun(np)} 누구나 좋아하는 무난한 선택이에요.`];
const one = (text: string): Say[] => [() => text];

interface Scored {
  m: Menu;
  index: number;
  score: number;
  /** the strongest reason: its kind (so wordings rotate among menus picked for it) and wordings */
  reason: { kind: string; says: Say[] };
}

function score(m: Menu, index: number, w: Wishes, input: RecommendInput): Scored {
  const reasons: Array<{ points: number; kind: string; says: Say[] }> = [];
  const add = (points: number, kind = '', says: Say[] = []) => reasons.push({ points, kind, says });
  const np = `${m.note} ${m.name}`;
  if (w.want.some((f) => f.pick(m))) add(8, 'want', WANT);
  for (const a of w.attrs) {
    const says = WISH_REASON[a];
    const fits = FILTERS.find(([k]) => k === a)?.[1](m, w);
    if (says && fits) add(a === 'light' && m.weight === 1 ? 5 : 4, a, says);
  }
  if (w.budget !== undefined && m.price <= w.budget) add(3 + (w.budget - m.price) / 4000, 'budget', one(`${eun(np)} 1인분 약 ${won(m.price)}으로 부담 없는 가격이에요.`));
  if (w.people === 1 && m.minPeople === 1) add(1, 'solo', one(`${eun(np)} 혼자서도 1인분으로 주문하기 좋아요.`));
  if (w.people !== undefined && w.people >= 3) add(m.share ? 3 : -1, 'share', one(`${w.people}명이 함께 나눠 먹기 좋은 ${ieyo(np)}.`));
  if (w.attrs.has('pricey')) add(m.price / 10000);

  const temp = parseFloat(input.weather?.['기온'] ?? '');
  const pty = input.weather?.['강수형태'] ?? '없음';
  const rain = /비|소나기/.test(pty);
  const snow = /눈/.test(pty);
  if (Number.isFinite(temp)) {
    if (temp <= 5 && m.temp === 'hot') add(3, 'cold-day', one(`기온이 ${temp}℃로 쌀쌀하니 ${ga(np)} 몸을 녹여 줘요.`));
    if (temp <= 5 && m.temp === 'cold') add(-3);
    if (temp >= 27 && m.temp === 'cold') add(3, 'hot-day', one(`기온이 ${temp}℃로 더우니 ${ro(np)} 더위를 식혀 보세요.`));
    if (temp >= 27 && m.temp === 'hot') add(-2);
  }
  if (rain && m.rainy) add(3, 'rain', one(`비 오는 날엔 ${ga(np)} 생각나요.`));
  if (snow && m.temp === 'hot') add(2.5, 'snow', one(`눈 오는 날 ${ro(np)} 몸을 녹여 보세요.`));
  if ((rain || snow) && m.temp === 'cold') add(-1);

  const time = w.time ?? mealTime(input.hour);
  if (m.times.includes(time)) add(2, time, TIME_REASON[time]);
  if (time === 'breakfast' && m.weight === 3) add(-2);
  input.neighbourhood.slice(0, 3).forEach(({ category, n }, rank) => {
    if (m.category === category) add(2 - rank * 0.5, 'hood', one(`요즘 우리 동네에서 ${category} 모임이 많은데(최근 ${n}건), ${eun(np)} 그중 인기 메뉴예요.`));
  });
  const total = reasons.reduce((sum, r) => sum + r.points, 0);
  const best = reasons.filter((r) => r.points > 0 && r.says.length).sort((a, b) => b.points - a.points)[0];
  return { m, index, score: total, reason: best ?? { kind: 'default', says: DEFAULT } };
}

/** each menu's reason, the wordings of one kind taken in turn so no two read alike */
function reasonsOf(picked: Scored[]): string[] {
  const turn = new Map<string, number>();
  return picked.map(({ m, reason }) => {
    const n = turn.get(reason.kind) ?? 0;
    turn.set(reason.kind, n + 1);
    return reason.says[n % reason.says.length]!(`${m.note} ${m.name}`, m);
  });
}

/** up to `count` menus, at most two per category unless the person asked for that kind */
function pickVaried(ranked: Scored[], count: number, taken: Scored[], open: Set<string>): Scored[] {
  const out = [...taken];
  const perCategory = (c: string) => out.filter((s) => s.m.category === c).length;
  for (const capped of [true, false]) {
    for (const s of ranked) {
      if (out.length >= count) return out;
      if (out.includes(s) || (capped && !open.has(s.m.category) && perCategory(s.m.category) >= 2)) continue;
      out.push(s);
    }
  }
  return out;
}

function headingOf(w: Wishes, filters: ReturnType<typeof activeFilters>, picked: number, strict: number): string {
  const parts: string[] = [];
  const excluded = [...new Set(w.exclude.map((f) => f.label))];
  if (excluded.length) parts.push(`${eun(excluded.join('·'))} 빼고`);
  const adjectives: string[] = [];
  if (w.notAttrs.has('spicy')) adjectives.push('맵지 않은');
  if (w.notAttrs.has('soup')) adjectives.push('국물 없는');
  if (w.notAttrs.has('fried')) adjectives.push('기름지지 않은');
  adjectives.push(...filters.filter(([key]) => key !== 'solo').map(([, , label]) => label(w)));
  const who = w.people === 1 ? '혼자 먹기 좋은' : w.people !== undefined ? `${w.people}명이 먹기 좋은` : '';
  if (adjectives.length || who) parts.push(`${[adjectives.join(' '), who].filter(Boolean).join(', ')} 메뉴로`);
  const wanted = [...new Set(w.want.map((f) => f.label))];
  if (wanted.length) parts.push(`${wanted.join('·')} 위주로`);
  let heading = parts.length
    ? `${parts.join(' ')}, 지금 날씨와 시간에 맞춰 ${picked}가지를 골랐어요.`
    : `지금 날씨와 시간, 우리 동네 분위기에 어울리는 메뉴 ${picked}가지를 추천해요.`;
  if (picked > strict) heading += ` 조건에 모두 맞는 메뉴는 ${strict}가지라, 나머지는 가장 가까운 메뉴로 채웠어요.`;
  if (picked < COUNT) heading += ' 빼 달라고 하신 메뉴를 빼니 이만큼 남았어요.';
  return heading;
}

export function recommend(input: RecommendInput): RecommendResult {
  const w = parseRequest(input.request ?? '', input.earlier ?? []);
  const filters = activeFilters(w);
  const ranked = MENUS.map((m, i) => score(m, i, w, input))
    .filter((s) => allowed(s.m, w))
    .sort((a, b) => b.score - a.score || a.index - b.index);
  const fits = (s: Scored) => filters.filter(([, ok]) => ok(s.m, w)).length;
  const strict = ranked.filter((s) => fits(s) === filters.length);
  const open = new Set(MENUS.filter((m) => w.want.some((f) => f.pick(m))).map((m) => m.category));
  let picked = pickVaried(strict, COUNT, [], open);
  if (picked.length < COUNT) {
    const nearest = ranked.filter((s) => !strict.includes(s)).sort((a, b) => fits(b) - fits(a) || b.score - a.score || a.index - b.index);
    picked = pickVaried(nearest, COUNT, picked, open);
  }
  const reasons = reasonsOf(picked);
  return {
    heading: headingOf(w, filters, picked.length, Math.min(strict.length, picked.length)),
    menus: picked.map((s, i) => ({ name: s.m.name, category: s.m.category, reason: reasons[i]! })),
  };
}

export function recommendationText(r: RecommendResult): string {
  return [r.heading, ...r.menus.map((m, i) => `${i + 1}. ${m.name} (${m.category}) - ${m.reason}`)].join('\n');
}

import { describe, expect, it } from 'vitest';
import { MENUS, menuByName, type Menu } from './menu-catalog.js';
import { recommend, recommendationText, type RecommendInput } from './recommender.js';
import { parseRequest } from './request-parser.js';

const cold = { 기온: '-2℃', 날씨: '흐림', 강수형태: '없음' };
const rain = { 기온: '18℃', 날씨: '흐림', 강수형태: '비' };
const hot = { 기온: '31℃', 날씨: '맑음', 강수형태: '없음' };

const CHICKEN = ['후라이드 치킨', '양념치킨', '간장치킨', '오븐구이 치킨', '치킨마요 도시락', '치킨버거'];
const KOREAN = ['찜,탕,찌개', '백반,죽,국수', '족발,보쌈', '고기구이', '도시락'];
const meat = (m: Menu) => m.ingredients.some((i) => i === 'chicken' || i === 'pork' || i === 'beef');
const light = (m: Menu) => m.weight <= 2 && !m.fried;

interface Case {
  request: string;
  earlier?: string[];
  hour?: number;
  weather?: Record<string, string>;
  /** menus that must not appear */
  never?: string[];
  /** a property every recommended menu has */
  every?: (m: Menu) => boolean;
  /** the first recommendation */
  first?: (m: Menu) => boolean;
  /** how many of the five have `some` at least */
  some?: [number, (m: Menu) => boolean];
  /** a phrase the heading must contain */
  heading?: string;
}

// requests as people type them, with what must never be recommended and what must hold
const CASES: Case[] = [
  { request: '어제 치킨 먹었어요, 가벼운 거', never: CHICKEN, every: light, heading: '치킨은 빼고' },
  { request: '가벼운 거, 치킨은 빼고', never: CHICKEN, every: light },
  { request: '가벼운 거', earlier: ['어제 치킨 먹었어요'], never: CHICKEN, every: light },
  { request: '치킨 말고 피자', never: CHICKEN, first: (m) => m.category === '피자' },
  { request: '피자 빼고 아무거나', never: ['페퍼로니 피자', '고구마 피자'] },
  { request: '안 매운 국물 요리', every: (m) => m.spicy === 0 && m.soup },
  { request: '매운 거 말고 국물 있는 거', every: (m) => m.spicy === 0 && m.soup },
  { request: '맵지 않은 걸로 추천해줘', every: (m) => m.spicy === 0, heading: '맵지 않은' },
  { request: '매운 거 못 먹어요', every: (m) => m.spicy === 0 },
  { request: '얼큰하고 매운 거', every: (m) => m.spicy >= 1 },
  { request: '야식으로 매운 거', hour: 23, every: (m) => m.spicy >= 1 },
  { request: '국물 없는 걸로', every: (m) => !m.soup },
  { request: '해산물 알레르기가 있어요', every: (m) => !m.ingredients.includes('seafood') },
  { request: '돼지고기 못 먹어요', every: (m) => !m.ingredients.includes('pork') },
  { request: '고기는 별로고 면 요리', every: (m) => !meat(m), first: (m) => m.ingredients.includes('noodle') },
  { request: '회 말고 고기', every: (m) => !m.ingredients.includes('seafood'), first: meat },
  { request: '밥 말고 면', every: (m) => !m.ingredients.includes('rice'), first: (m) => m.ingredients.includes('noodle') },
  { request: '다이어트 중이라 가볍게', every: light, some: [3, (m) => m.weight === 1] },
  { request: '배고파요 든든하게', every: (m) => m.weight >= 2 },
  { request: '더워서 시원한 거', every: (m) => m.temp === 'cold' },
  { request: '추워서 따뜻한 거', every: (m) => m.temp === 'hot' },
  { request: '비 오는 날 뜨끈한 국물', weather: rain, every: (m) => m.soup && m.temp === 'hot' },
  { request: '느끼한 거 싫어요', every: (m) => !m.fried, heading: '기름지지 않은' },
  { request: '만 원 이하로', every: (m) => m.price <= 10000, heading: '1인분 10,000원 이하' },
  { request: '6천원 이하 가성비 좋은 거', every: (m) => m.price <= 6000 },
  { request: '둘이서 총 3만원으로', every: (m) => m.price <= 15000 },
  { request: '혼자 먹을 거예요', every: (m) => m.minPeople === 1, heading: '혼자 먹기 좋은' },
  { request: '넷이서 먹을 메뉴', some: [3, (m) => m.share], heading: '4명이 먹기 좋은' },
  { request: '기념일이라 특별한 거', every: (m) => m.price >= 13000 },
  { request: '빨리 먹을 수 있는 거', every: (m) => m.quick },
  { request: '짜장면 말고 짬뽕', never: ['짜장면'], first: (m) => m.name === '짬뽕' },
  { request: '중식 먹고 싶어', every: (m) => m.category === '중식' },
  { request: '점심에 짜장면 먹었는데 저녁 뭐 먹지', hour: 19, never: ['짜장면'] },
  { request: '아까 라면 먹었어', never: ['라면'] },
  { request: '일식 빼고 한식으로', every: (m) => KOREAN.includes(m.category) },
  { request: '족발이나 보쌈 빼고 야식 추천', hour: 22, never: ['족발', '보쌈', '불족발'] },
  { request: '디저트 먹고 싶어요', hour: 15, first: (m) => m.category === '카페,디저트', some: [3, (m) => m.category === '카페,디저트'] },
  { request: '된장찌개', first: (m) => m.name === '된장찌개' },
  { request: '맵지 않고 가볍고 국물 있는 거, 혼자', every: (m) => m.spicy === 0 && m.soup && light(m) && m.minPeople === 1 },
  { request: '국물 있는 시원한 거', first: (m) => m.soup && m.temp === 'cold', heading: '가장 가까운 메뉴로 채웠어요' },
];

describe('built-in recommender: what the person says', () => {
  it(`covers at least 30 requests (${CASES.length})`, () => {
    expect(CASES.length).toBeGreaterThanOrEqual(30);
  });

  it.each(CASES)('$request', (c) => {
    const input: RecommendInput = { weather: c.weather, hour: c.hour ?? 12, neighbourhood: [{ category: '치킨', n: 9 }, { category: '피자', n: 4 }], request: c.request, earlier: c.earlier };
    const { heading, menus } = recommend(input);
    const picked = menus.map((r) => menuByName(r.name)!);
    expect(menus).toHaveLength(5);
    expect(new Set(menus.map((r) => r.name)).size).toBe(5);
    // every reason is that menu's own: it names the menu, and no two are alike
    for (const r of menus) {
      expect(r.reason).toContain(r.name);
      expect(r.reason).not.toContain('\n');
    }
    expect(new Set(menus.map((r) => r.reason)).size).toBe(5);
    for (const name of c.never ?? []) expect(menus.map((r) => r.name), `${name} must not appear`).not.toContain(name);
    if (c.every) expect(picked.filter((m) => !c.every!(m)).map((m) => m.name)).toEqual([]);
    if (c.first) expect(c.first(picked[0]!), `first: ${picked[0]!.name}`).toBe(true);
    if (c.some) expect(picked.filter(c.some[1]).length).toBeGreaterThanOrEqual(c.some[0]);
    if (c.heading) expect(heading).toContain(c.heading);
  });
});

describe('built-in recommender: weather, time and neighbourhood', () => {
  it('always five menus with one-line reasons, at most two per category when nothing is asked', () => {
    for (const weather of [cold, rain, hot, undefined]) {
      for (const hour of [0, 8, 12, 15, 19, 23]) {
        const { menus } = recommend({ weather, hour, neighbourhood: [] });
        expect(menus).toHaveLength(5);
        const perCategory = new Map<string, number>();
        for (const r of menus) perCategory.set(r.category, (perCategory.get(r.category) ?? 0) + 1);
        expect(Math.max(...perCategory.values())).toBeLessThanOrEqual(2);
      }
    }
  });

  it('deterministic: the same inputs give the same answer', () => {
    const input = { weather: rain, hour: 12, neighbourhood: [{ category: '치킨', n: 3 }], request: '매운 거' };
    expect(recommend(input)).toEqual(recommend(input));
  });

  it('hot soups in the cold and rain, cold dishes in the heat', () => {
    const hotSoup = (name: string) => menuByName(name)!.soup && menuByName(name)!.temp === 'hot';
    expect(recommend({ weather: cold, hour: 15, neighbourhood: [] }).menus.filter((r) => hotSoup(r.name)).length).toBeGreaterThanOrEqual(3);
    expect(recommend({ weather: rain, hour: 15, neighbourhood: [] }).menus[0]!.reason).toContain('비');
    const summer = recommend({ weather: hot, hour: 15, neighbourhood: [] }).menus.map((r) => menuByName(r.name)!);
    expect(summer.filter((m) => m.temp === 'cold').length).toBeGreaterThanOrEqual(3);
    expect(summer.filter((m) => m.soup && m.temp === 'hot')).toEqual([]);
  });

  it('time of day and the neighbourhood matter', () => {
    expect(recommend({ hour: 23, neighbourhood: [] }).menus.some((r) => r.reason.includes('야식'))).toBe(true);
    expect(recommend({ hour: 8, neighbourhood: [] }).menus.every((r) => menuByName(r.name)!.weight < 3)).toBe(true);
    const hood = recommend({ hour: 15, neighbourhood: [{ category: '족발,보쌈', n: 7 }] }).menus;
    expect(hood.find((r) => r.category === '족발,보쌈')!.reason).toContain('우리 동네');
  });

  it('text: a heading and five numbered lines', () => {
    const lines = recommendationText(recommend({ hour: 12, neighbourhood: [] })).split('\n');
    expect(lines).toHaveLength(6);
    expect(lines.slice(1).map((l) => l.slice(0, 3))).toEqual(['1. ', '2. ', '3. ', '4. ', '5. ']);
  });
});

describe('reading a request', () => {
  it('a negation stays in its clause; a later wish wins over an earlier exclusion', () => {
    const w = parseRequest('피자 먹고 싶은데 치킨은 빼고');
    expect([w.want.map((f) => f.label), w.exclude.map((f) => f.label)]).toEqual([['피자'], ['치킨']]);
    expect(parseRequest('어제 치킨 먹었는데 또 치킨 먹고 싶어').exclude).toEqual([]);
    // one-syllable words only on their own: 회식 is not 회, 먹으면 is not 면
    const party = parseRequest('회식 메뉴 추천, 매운 거 먹으면 좋겠어');
    expect([party.want, party.exclude, [...party.attrs]]).toEqual([[], [], ['spicy']]);
    expect(parseRequest('회식 메뉴').people).toBe(5);
    // a menu's name is one term: 감자탕 is that menu, not "any soup"
    const soup = parseRequest('감자탕 말고');
    expect([soup.exclude.map((f) => f.label), [...soup.notAttrs]]).toEqual([['감자탕'], []]);
  });

  it('budgets and people', () => {
    expect(parseRequest('만 원 이하').budget).toBe(10000);
    expect(parseRequest('1만 5천원').budget).toBe(15000);
    expect(parseRequest('오천 원 정도').budget).toBe(5000);
    expect(parseRequest('12,000원까지').budget).toBe(12000);
    expect(parseRequest('셋이서 다 해서 3만원').budget).toBe(10000);
    expect(parseRequest('가성비').budget).toBe(8000);
    expect(parseRequest('1인분이면 돼').people).toBeUndefined();
    expect(parseRequest('6명').people).toBe(6);
    expect(parseRequest('혼밥').people).toBe(1);
  });

  it('every menu of the catalogue is in one of the original 14 categories', () => {
    const categories = ['족발,보쌈', '찜,탕,찌개', '돈까스,회,일식', '피자', '고기구이', '양식', '치킨', '중식', '아시안', '백반,죽,국수', '도시락', '분식', '카페,디저트', '페스트푸드'];
    expect(MENUS.filter((m) => !categories.includes(m.category))).toEqual([]);
    expect(new Set(MENUS.map((m) => m.category)).size).toBe(14);
    expect(new Set(MENUS.map((m) => m.name)).size).toBe(MENUS.length);
  });
});

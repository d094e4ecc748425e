// The built-in menu recommender used when no LLM is configured, so the feature works offline:
// five menus scored from the weather (temperature, rain/snow), the time of day in Seoul, what the
// neighbourhood has been ordering (categories of recent posts at the user's address) and keywords
// of the user's request, each with a one-line reason. Deterministic: same inputs, same answer.
import type { Weather } from '../weather/weather.service.js';

type Tag = 'hot' | 'soup' | 'spicy' | 'cold' | 'light' | 'heavy' | 'rainy' | 'late' | 'lunch' | 'breakfast' | 'share' | 'quick' | 'dessert';

const MENUS: Array<{ name: string; category: string; tags: Tag[] }> = [
  { name: '짬뽕', category: '중식', tags: ['hot', 'soup', 'spicy', 'rainy'] },
  { name: '짜장면', category: '중식', tags: ['quick', 'lunch'] },
  { name: '탕수육', category: '중식', tags: ['share', 'late'] },
  { name: '마라탕', category: '중식', tags: ['hot', 'soup', 'spicy'] },
  { name: '칼국수', category: '백반,죽,국수', tags: ['hot', 'soup', 'rainy', 'lunch'] },
  { name: '순대국밥', category: '백반,죽,국수', tags: ['hot', 'soup', 'heavy'] },
  { name: '전복죽', category: '백반,죽,국수', tags: ['hot', 'light', 'breakfast'] },
  { name: '물냉면', category: '백반,죽,국수', tags: ['cold', 'light', 'lunch'] },
  { name: '김치찌개', category: '찜,탕,찌개', tags: ['hot', 'soup', 'spicy', 'lunch'] },
  { name: '부대찌개', category: '찜,탕,찌개', tags: ['hot', 'soup', 'spicy', 'share', 'rainy'] },
  { name: '감자탕', category: '찜,탕,찌개', tags: ['hot', 'soup', 'heavy', 'share', 'late'] },
  { name: '안동찜닭', category: '찜,탕,찌개', tags: ['heavy', 'share'] },
  { name: '족발', category: '족발,보쌈', tags: ['share', 'late', 'heavy'] },
  { name: '보쌈', category: '족발,보쌈', tags: ['share', 'heavy'] },
  { name: '돈까스', category: '돈까스,회,일식', tags: ['lunch', 'quick'] },
  { name: '초밥', category: '돈까스,회,일식', tags: ['cold', 'light'] },
  { name: '모둠회', category: '돈까스,회,일식', tags: ['cold', 'share', 'late'] },
  { name: '우동', category: '돈까스,회,일식', tags: ['hot', 'soup', 'rainy', 'quick'] },
  { name: '피자', category: '피자', tags: ['share', 'late'] },
  { name: '삼겹살', category: '고기구이', tags: ['heavy', 'share'] },
  { name: '크림 파스타', category: '양식', tags: ['lunch', 'heavy'] },
  { name: '후라이드 치킨', category: '치킨', tags: ['share', 'late'] },
  { name: '양념치킨', category: '치킨', tags: ['share', 'late', 'spicy'] },
  { name: '쌀국수', category: '아시안', tags: ['hot', 'soup', 'light'] },
  { name: '팟타이', category: '아시안', tags: ['lunch'] },
  { name: '제육 도시락', category: '도시락', tags: ['lunch', 'quick', 'heavy'] },
  { name: '떡볶이', category: '분식', tags: ['spicy', 'quick', 'late'] },
  { name: '김밥', category: '분식', tags: ['light', 'quick', 'breakfast'] },
  { name: '팥빙수', category: '카페,디저트', tags: ['cold', 'dessert'] },
  { name: '샌드위치', category: '카페,디저트', tags: ['light', 'breakfast', 'quick'] },
  { name: '햄버거', category: '페스트푸드', tags: ['quick', 'lunch'] },
];

export interface RecommendInput {
  weather?: Weather;
  /** hour of day in Seoul, 0..23 */
  hour: number;
  /** categories of recent neighbourhood posts, most frequent first */
  neighbourhood: Array<{ category: string; n: number }>;
  request?: string;
}

export interface Recommendation {
  name: string;
  category: string;
  reason: string;
}

const KEYWORDS: Array<[RegExp, Tag, number, string]> = [
  [/매운|매콤|얼큰|칼칼/, 'spicy', 4, '매콤한 게 당긴다고 하셔서 골랐어요.'],
  [/국물|따뜻|뜨끈|따끈/, 'soup', 4, '따뜻한 국물을 원하셔서 골랐어요.'],
  [/시원|차가|냉|더워/, 'cold', 4, '시원한 메뉴를 원하셔서 골랐어요.'],
  [/가볍|가벼|다이어트|간단|담백/, 'light', 4, '가볍게 드시고 싶다고 하셔서 골랐어요.'],
  [/든든|배고|고기|푸짐/, 'heavy', 3, '든든하게 드시고 싶다고 하셔서 골랐어요.'],
  [/혼자|혼밥|빨리|급해/, 'quick', 3, '혼자서도 빠르게 먹기 좋아요.'],
  [/같이|여럿|모임|친구|회식/, 'share', 3, '여럿이 나눠 먹기 좋아요.'],
  [/디저트|달달|달콤|단 ?거/, 'dessert', 5, '달달한 게 당길 때 제격이에요.'],
];

export function recommend(input: RecommendInput): Recommendation[] {
  const temp = parseFloat(input.weather?.['기온'] ?? '');
  const pty = input.weather?.['강수형태'] ?? '없음';
  const raining = /비|소나기/.test(pty);
  const snowing = /눈/.test(pty);
  const request = input.request ?? '';
  const scored = MENUS.map((m, index) => {
    const reasons: Array<[number, string]> = [];
    const add = (points: number, reason: string) => reasons.push([points, reason]);
    const has = (t: Tag) => m.tags.includes(t);
    if (Number.isFinite(temp)) {
      if (temp <= 5 && has('hot')) add(3, `기온이 ${temp}℃로 쌀쌀해서 따뜻한 ${has('soup') ? '국물이' : '음식이'} 잘 어울려요.`);
      if (temp <= 5 && has('cold')) add(-3, '');
      if (temp >= 25 && has('cold')) add(3, `기온이 ${temp}℃로 더워서 시원하게 먹기 좋아요.`);
      if (temp >= 25 && has('hot')) add(-2, '');
    }
    if (raining && has('rainy')) add(3, '비 오는 날에는 뜨끈한 국물 요리가 생각나요.');
    if (snowing && has('hot')) add(2.5, '눈 오는 날 몸을 녹이기 좋아요.');
    if ((raining || snowing) && has('cold')) add(-1, '');
    const h = input.hour;
    if (h >= 5 && h <= 10 && has('breakfast')) add(2, '아침으로 부담 없이 먹기 좋아요.');
    if (h >= 11 && h <= 14 && has('lunch')) add(2, '점심 메뉴로 무난하고 빨리 나와요.');
    if (h >= 17 && h <= 20 && (has('share') || has('heavy'))) add(1.5, '저녁에 든든하게 먹기 좋아요.');
    if ((h >= 21 || h <= 3) && has('late')) add(2.5, '늦은 밤 야식으로 인기 있어요.');
    if (h >= 14 && h <= 17 && has('dessert')) add(1.5, '오후 간식으로 딱이에요.');
    input.neighbourhood.slice(0, 3).forEach(({ category, n }, rank) => {
      if (m.category === category) add(2 - rank * 0.5, `요즘 우리 동네에서 ${category} 모임이 많아요 (최근 ${n}건).`);
    });
    for (const [re, tag, points, reason] of KEYWORDS) if (re.test(request) && has(tag)) add(points, reason);
    if (request && (request.includes(m.name) || m.category.split(',').some((w) => request.includes(w)))) add(5, '요청하신 메뉴와 잘 맞아요.');
    const score = reasons.reduce((s, [p]) => s + p, 0);
    const best = reasons.filter(([p, r]) => p > 0 && r).sort((a, b) => b[0] - a[0])[0]?.[1] ?? '언제 먹어도 실패 없는 메뉴예요.';
    return { m, index, score, reason: best };
  });
  scored.sort((a, b) => b.score - a.score || a.index - b.index);
  const picked: Recommendation[] = [];
  const perCategory = new Map<string, number>();
  for (const s of scored) {
    if ((perCategory.get(s.m.category) ?? 0) >= 2) continue; // keep the five varied
    perCategory.set(s.m.category, (perCategory.get(s.m.category) ?? 0) + 1);
    picked.push({ name: s.m.name, category: s.m.category, reason: s.reason });
    if (picked.length === 5) break;
  }
  return picked;
}

export function recommendationText(recs: Recommendation[]): string {
  return ['지금 날씨와 시간, 우리 동네 분위기에 어울리는 메뉴 5가지를 추천해요.', ...recs.map((r, i) => `${i + 1}. ${r.name} (${r.category}) - ${r.reason}`)].join('\n');
}

import { describe, expect, it } from 'vitest';
import { recommend, recommendationText } from './recommender.js';

const cold = { 기온: '-2℃', 날씨: '흐림', 강수형태: '없음' };
const rain = { 기온: '18℃', 날씨: '흐림', 강수형태: '비' };
const hot = { 기온: '31℃', 날씨: '맑음', 강수형태: '없음' };

describe('built-in recommender', () => {
  it('always five menus, each with a one-line reason, from five different-enough categories', () => {
    for (const weather of [cold, rain, hot, undefined]) {
      for (const hour of [0, 8, 12, 15, 19, 23]) {
        const recs = recommend({ weather, hour, neighbourhood: [] });
        expect(recs).toHaveLength(5);
        for (const r of recs) {
          expect(r.reason.length).toBeGreaterThan(5);
          expect(r.reason).not.toContain('\n');
        }
        const perCategory = new Map<string, number>();
        for (const r of recs) perCategory.set(r.category, (perCategory.get(r.category) ?? 0) + 1);
        expect(Math.max(...perCategory.values())).toBeLessThanOrEqual(2);
      }
    }
  });

  it('deterministic: the same inputs give the same answer', () => {
    const input = { weather: rain, hour: 12, neighbourhood: [{ category: '치킨', n: 3 }], request: '매운 거' };
    expect(recommend(input)).toEqual(recommend(input));
  });

  it('weather matters: hot soups in the cold and rain, cold dishes in the heat', () => {
    const soups = ['짬뽕', '칼국수', '김치찌개', '부대찌개', '감자탕', '순대국밥', '마라탕', '우동', '쌀국수', '전복죽'];
    expect(recommend({ weather: cold, hour: 15, neighbourhood: [] }).filter((r) => soups.includes(r.name)).length).toBeGreaterThanOrEqual(3);
    const rainy = recommend({ weather: rain, hour: 15, neighbourhood: [] });
    expect(rainy[0]!.reason).toContain('비');
    const summer = recommend({ weather: hot, hour: 15, neighbourhood: [] }).map((r) => r.name);
    expect(summer).toEqual(expect.arrayContaining(['물냉면', '팥빙수']));
    expect(summer.filter((n) => soups.includes(n))).toEqual([]);
  });

  it('time of day and the neighbourhood matter', () => {
    const late = recommend({ hour: 23, neighbourhood: [] });
    expect(late.some((r) => r.reason.includes('야식'))).toBe(true);
    const hood = recommend({ hour: 15, neighbourhood: [{ category: '족발,보쌈', n: 7 }] });
    expect(hood.map((r) => r.name)).toContain('족발');
    expect(hood.find((r) => r.name === '족발')!.reason).toContain('우리 동네');
  });

  it('the request counts: "매운 거" brings spicy dishes, "피자" brings pizza first', () => {
    expect(recommend({ hour: 12, neighbourhood: [], request: '매운 거 먹고 싶어' })[0]!.reason).toContain('매콤');
    expect(recommend({ hour: 12, neighbourhood: [], request: '피자 어때' })[0]!.name).toBe('피자');
  });

  it('text: a heading and five numbered lines', () => {
    const text = recommendationText(recommend({ hour: 12, neighbourhood: [] }));
    const lines = text.split('\n');
    expect(lines).toHaveLength(6);
    expect(lines.slice(1).map((l) => l.slice(0, 3))).toEqual(['1. ', '2. ', '3. ', '4. ', '5. ']);
  });
});

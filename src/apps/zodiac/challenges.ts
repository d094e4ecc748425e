// 도전과제 (docs/apps/zodiac.md §8.3, zodiac adaptation): thresholds on analysed photos, granted at ≥ so a grant
// missed once is repaired by the next analysis, plus one for meeting all twelve animals.
export interface Challenge {
  id: number;
  content: string;
  /** analysed photos needed; null = all 12 animals seen as a top-1 result */
  threshold: number | null;
}

export const CHALLENGES: readonly Challenge[] = [
  { id: 1, content: '첫 번째 운세 확인!', threshold: 1 },
  { id: 2, content: '3번째 닮은꼴 찾기', threshold: 3 },
  { id: 3, content: '벌써 5번째 십이지신', threshold: 5 },
  { id: 4, content: '행운의 7번째 운세!', threshold: 7 },
  { id: 5, content: '10번째 달성', threshold: 10 },
  { id: 6, content: '십이지신 모두 만나기', threshold: null },
];

/** every challenge a user qualifies for with `analysed` photos and `distinctTop1` animals met */
export function earnedChallenges(analysed: number, distinctTop1: number): number[] {
  return CHALLENGES.filter((c) => (c.threshold === null ? distinctTop1 >= 12 : analysed >= c.threshold)).map((c) => c.id);
}

export function challengeById(id: number): Challenge | undefined {
  return CHALLENGES.find((c) => c.id === id);
}

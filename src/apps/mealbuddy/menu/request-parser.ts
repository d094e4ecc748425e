// Reads what a person asks the menu recommender, in everyday Korean: foods and kinds of food they
// want or rule out ("치킨 말고", "피자 빼고", "어제 치킨 먹었어요", "해산물 알레르기"), properties
// ("가벼운", "안 매운", "국물", "시원한", "든든한", "느끼한 거 싫어"), a budget ("만 원 이하", "가성비"),
// how many people eat ("혼자", "넷이서") and the meal ("야식", "점심").
//
// Terms are found longest first (a menu's name before the kind of food inside it: "감자탕" is one
// menu, not "any 탕"). A term is ruled out when it has 안/덜 right before it, or when a negating word
// (말고, 빼고, 싫어, 먹었, 없는, 않은, 못 먹, 알레르기, …) follows it within the same clause; a clause
// ends at punctuation, a connective (는데, 지만, 그리고) or a wish (싶, 땡겨, 어때).
import { MENUS, type Menu, type MealTime } from './menu-catalog.js';

export type Attr = 'spicy' | 'soup' | 'light' | 'heavy' | 'cold' | 'hot' | 'fried' | 'cheap' | 'pricey' | 'quick';
export type Pick = (m: Menu) => boolean;

export interface Food {
  label: string;
  pick: Pick;
}

export interface Wishes {
  want: Food[];
  exclude: Food[];
  attrs: Set<Attr>;
  notAttrs: Set<Attr>;
  /** won per person */
  budget?: number;
  people?: number;
  time?: MealTime;
}

type Term = { re: RegExp; label: string } & ({ food: Pick } | { attr: Attr } | { time: MealTime } | { mild: true });

const JOSA = '(?:이랑|이나|으로|이요|[이가은는을를도만과와랑나로요류에엔])';
/** a one-syllable noun (회, 밥, 면) only as a word of its own, so 회식, 비빔밥, 먹으면 do not count */
const noun = (stem: string) => new RegExp(`(?<![가-힣])${stem}(?=$|[^가-힣]|${JOSA}(?:$|[^가-힣]))`, 'g');
const re = (source: string) => new RegExp(source, 'g');
const cat = (...cs: string[]): Pick => (m) => cs.includes(m.category);
const has = (...is: Menu['ingredients']): Pick => (m) => is.some((i) => m.ingredients.includes(i));
const named = (part: string): Pick => (m) => m.name.includes(part);

const ALIASES: Record<string, string[]> = {
  김치찌개: ['김찌'],
  된장찌개: ['된찌'],
  순두부찌개: ['순두부'],
  안동찜닭: ['찜닭'],
  돈까스: ['돈가스', '돈카츠'],
  초밥: ['스시'],
  모둠회: ['모듬회'],
  냉모밀: ['모밀', '소바', '메밀'],
  '페퍼로니 피자': ['페퍼로니'],
  삼겹살: ['삼겹'],
  소갈비: ['갈비'],
  '크림 파스타': ['까르보나라'],
  '후라이드 치킨': ['후라이드', '프라이드'],
  양념치킨: ['양념 치킨'],
  간장치킨: ['간장 치킨'],
  짜장면: ['짜장', '자장면'],
  마라탕: ['마라'],
  순대국밥: ['순대국', '순댓국'],
  콩나물국밥: ['해장국'],
  곰탕: ['설렁탕'],
  팥빙수: ['빙수'],
  '조각 케이크': ['케이크', '케익'],
  햄버거: ['버거'],
};

const FOODS: Term[] = [
  // a menu's name also names the menus that contain it (족발 → 불족발 too); an alias only its menu
  ...MENUS.flatMap((m) => [m.name, m.name.replace(/ /g, '')].map((w) => ({ re: re(w), label: w, food: named(m.name) }))),
  ...MENUS.flatMap((m) => (ALIASES[m.name] ?? []).map((w) => ({ re: re(w), label: w, food: (x: Menu) => x === m }))),
  { re: re('냉면'), label: '냉면', food: named('냉면') },
  { re: re('제육'), label: '제육', food: named('제육') },
  { re: re('샐러드'), label: '샐러드', food: named('샐러드') },
  { re: re('파스타|스파게티'), label: '파스타', food: named('파스타') },
  { re: re('치킨|치맥|통닭'), label: '치킨', food: (m) => m.category === '치킨' || m.name.includes('치킨') },
  { re: re('피자'), label: '피자', food: cat('피자') },
  { re: re('족발|보쌈'), label: '족발·보쌈', food: cat('족발,보쌈') },
  { re: re('중식|중국|중화'), label: '중식', food: cat('중식') },
  { re: re('일식|일본'), label: '일식', food: cat('돈까스,회,일식') },
  { re: re('양식|서양|이탈리안'), label: '양식', food: cat('양식') },
  { re: re('분식'), label: '분식', food: cat('분식') },
  { re: re('한식'), label: '한식', food: cat('찜,탕,찌개', '백반,죽,국수', '족발,보쌈', '고기구이', '도시락') },
  { re: re('아시안|동남아|베트남|태국'), label: '아시안', food: cat('아시안') },
  { re: re('디저트|카페|후식|간식|달달|달콤|단 ?거|단것'), label: '디저트', food: cat('카페,디저트') },
  { re: re('패스트푸드|페스트푸드'), label: '패스트푸드', food: cat('페스트푸드') },
  { re: re('도시락'), label: '도시락', food: cat('도시락') },
  { re: re('고기 ?구이|구이'), label: '고기구이', food: cat('고기구이') },
  { re: re('(?<!물)고기|육류'), label: '고기', food: has('chicken', 'pork', 'beef') },
  { re: re('돼지'), label: '돼지고기', food: has('pork') },
  { re: re('소고기|쇠고기|한우'), label: '소고기', food: has('beef') },
  { re: re('닭'), label: '닭고기', food: has('chicken') },
  { re: re('해산물|해물|생선|수산|물고기|조개|새우|오징어'), label: '해산물', food: has('seafood') },
  { re: noun('회'), label: '회', food: has('seafood') },
  { re: re('국수|면 ?요리|면류|누들'), label: '면 요리', food: has('noodle') },
  { re: noun('면'), label: '면 요리', food: has('noodle') },
  // "밥 먹자" is any meal: rice only when the rice itself is the point
  { re: re('밥 ?종류|밥류|덮밥|밥으로|밥(?= ?(?:말고|빼고|은|이랑|말구|이 ?당))'), label: '밥', food: has('rice') },
  { re: noun('죽'), label: '죽', food: named('죽') },
  { re: noun('빵'), label: '빵', food: has('bread') },
  { re: re('두부'), label: '두부', food: has('tofu') },
];

const ATTRS: Term[] = [
  { re: re('순한|안 ?자극적'), label: '순한', mild: true },
  { re: re('매운|매콤|맵[게지고다기]|매워|얼큰|칼칼|화끈|얼얼'), label: '매운', attr: 'spicy' },
  { re: re('국물|국밥|찌개|전골|탕(?!수)|수프|스프|해장'), label: '국물', attr: 'soup' },
  { re: re('가볍|가벼|담백|다이어트|소화|속이 ?(?:안 ?좋|불편|더부룩|쓰려)|부담 ?없|산뜻|깔끔|건강|저칼로리|살 ?빼'), label: '가벼운', attr: 'light' },
  { re: re('든든|배고|배불|배가 ?고|푸짐|헤비|양 ?많|거하게|묵직|무거운'), label: '든든한', attr: 'heavy' },
  { re: re('시원|차가|차갑|찬 ?거|냉(?!면|방|장|모밀)|아이스|더워|덥다|더운|무더'), label: '시원한', attr: 'cold' },
  { re: re('따뜻|따끈|뜨끈|뜨거|추워|춥다|추운|쌀쌀|으슬'), label: '따뜻한', attr: 'hot' },
  { re: re('튀김|튀긴|기름진|기름기|느끼|바삭'), label: '기름진', attr: 'fried' },
  { re: re('(?<!비)싼|싸게|싸고|저렴|가성비|돈이? ?없|알뜰|아껴|절약|텅장'), label: '저렴한', attr: 'cheap' },
  { re: re('비싼|비싸도|고급|특별한 ?날|기념일|플렉스|한턱'), label: '특별한', attr: 'pricey' },
  { re: re('빨리|빠르게|급해|급하|바빠|바쁜|간단|후딱'), label: '빠른', attr: 'quick' },
  { re: re('아침|브런치'), label: '아침', time: 'breakfast' },
  { re: re('점심|런치'), label: '점심', time: 'lunch' },
  { re: re('저녁|디너'), label: '저녁', time: 'dinner' },
  { re: re('야식|새벽|늦은 ?밤|술안주|안주|맥주|소주'), label: '야식', time: 'late' },
  { re: noun('밤'), label: '야식', time: 'late' },
];

const NEGATION = /말고|말구|빼고|빼 ?줘|빼 ?주|빼면|빼서|제외|싫|별로|질렸|질려|물렸|물려|먹었(?!으면)|먹어서|(?<!상관 ?)없|않|못 ?먹|아니고|아닌|알레르기|알러지|그만/g;
const BOUNDARY = /[,.!?~;\n]|그리고|그런데|근데|는데|은데|인데|지만|그래서|니까|으니|싶|땡겨|땡기|당겨|당기|좋겠|좋아|어때|추천/g;
const NEGATED_PREFIX = /(?:^|[^가-힣])(?:안|덜|노)\s*$/;

interface Found {
  term: Term;
  start: number;
  end: number;
}

/** every term, longest first, without overlaps */
function findTerms(text: string): Found[] {
  const all: Found[] = [];
  for (const term of [...FOODS, ...ATTRS]) {
    for (const m of text.matchAll(term.re)) all.push({ term, start: m.index, end: m.index + m[0].length });
  }
  all.sort((a, b) => b.end - b.start - (a.end - a.start) || a.start - b.start);
  const taken: Found[] = [];
  for (const f of all) if (!taken.some((t) => f.start < t.end && t.start < f.end)) taken.push(f);
  return taken.sort((a, b) => a.start - b.start);
}

function positions(re: RegExp, text: string): Array<[number, number]> {
  return [...text.matchAll(re)].map((m) => [m.index, m.index + m[0].length]);
}

function isNegated(text: string, masked: string, f: Found): boolean {
  if (NEGATED_PREFIX.test(text.slice(Math.max(0, f.start - 4), f.start))) return true;
  const segEnd = positions(BOUNDARY, masked).find(([s]) => s >= f.end)?.[0] ?? masked.length;
  return positions(NEGATION, masked).some(([s]) => s >= f.end && s < segEnd);
}

function peopleOf(text: string): number | undefined {
  const n = /(\d{1,2})\s*(?:명|인(?!분))/.exec(text);
  if (n) return Math.min(30, Math.max(1, Number(n[1])));
  const words: Array<[RegExp, number]> = [
    [/혼자|혼밥|한 ?명/, 1],
    [/둘이|두 ?명|커플|데이트/, 2],
    [/셋이|세 ?명/, 3],
    [/넷이|네 ?명/, 4],
    [/다섯|여섯|일곱|여덟|아홉|열 ?명|여럿|여러 ?명|단체|회식|모임|친구들|가족|다 ?같이/, 5],
  ];
  return words.find(([w]) => w.test(text))?.[1];
}

const KOREAN_DIGIT: Record<string, number> = { 일: 1, 이: 2, 삼: 3, 사: 4, 오: 5, 육: 6, 칠: 7, 팔: 8, 구: 9 };

function budgetOf(text: string, people: number | undefined): number | undefined {
  let won: number | undefined;
  const man = /(\d+)?\s*만\s*(?:(\d|[일이삼사오육칠팔구])\s*천)?\s*원/.exec(text);
  const cheon = /(\d+|[일이삼사오육칠팔구])\s*천\s*원/.exec(text);
  const plain = /(\d{1,3}(?:,\d{3})+|\d{4,6})\s*원/.exec(text);
  const digit = (s: string) => (/\d/.test(s) ? Number(s) : (KOREAN_DIGIT[s] ?? 0));
  if (man && !/만\s*원\s*이상/.test(text)) won = Number(man[1] ?? 1) * 10000 + (man[2] ? digit(man[2]) * 1000 : 0);
  else if (cheon) won = digit(cheon[1]!) * 1000;
  else if (plain) won = Number(plain[1]!.replace(/,/g, ''));
  if (won === undefined || won < 1000) return undefined;
  const total = /총|전체|합쳐|다 ?해서|[둘셋넷]이서|\d\s*명이서/.test(text);
  return total && people && people > 1 ? Math.round(won / people) : won;
}

/** what the request asks for; `earlier` requests of the same conversation keep their exclusions */
export function parseRequest(text: string, earlier: string[] = []): Wishes {
  const w: Wishes = { want: [], exclude: [], attrs: new Set(), notAttrs: new Set() };
  for (const previous of earlier) {
    const p = parseRequest(previous);
    w.exclude.push(...p.exclude);
    for (const a of p.notAttrs) w.notAttrs.add(a);
  }
  const found = findTerms(text);
  let masked = text;
  for (const f of found) masked = masked.slice(0, f.start) + '□'.repeat(f.end - f.start) + masked.slice(f.end);
  for (const f of found) {
    const negated = isNegated(text, masked, f);
    const t = f.term;
    if ('food' in t) (negated ? w.exclude : w.want).push({ label: t.label, pick: t.food });
    else if ('mild' in t) w.notAttrs.add('spicy');
    else if ('time' in t) {
      if (!negated) w.time = t.time;
    } else if (negated) w.notAttrs.add(t.attr);
    else w.attrs.add(t.attr);
  }
  // a food named in a wish after it was ruled out earlier is wanted again ("또 치킨 먹고 싶어")
  w.exclude = w.exclude.filter((x) => !w.want.some((y) => y.label === x.label));
  for (const a of w.notAttrs) w.attrs.delete(a);
  w.people = peopleOf(text);
  w.budget = budgetOf(text, w.people) ?? (w.attrs.has('cheap') ? 8000 : w.notAttrs.has('pricey') ? 13000 : undefined);
  return w;
}

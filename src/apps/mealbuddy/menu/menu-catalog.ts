// The built-in recommender's menu list: each menu in one of the original's 14 categories, with the
// properties a request can ask about (spiciness, soup, temperature, weight, fried or greasy, price
// per person, how many people it suits, when it is eaten) and a short description that makes each
// menu's reason its own.
export type Ingredient = 'chicken' | 'pork' | 'beef' | 'seafood' | 'noodle' | 'rice' | 'bread' | 'tofu' | 'veg';
export type MealTime = 'breakfast' | 'lunch' | 'snack' | 'dinner' | 'late';

export interface Menu {
  name: string;
  category: string;
  ingredients: Ingredient[];
  /** 0 mild, 1 a little, 2 hot */
  spicy: 0 | 1 | 2;
  soup: boolean;
  temp: 'hot' | 'warm' | 'cold';
  /** 1 light, 2 medium, 3 heavy */
  weight: 1 | 2 | 3;
  /** fried, or greasy enough to count as such for "느끼한 거 말고" */
  fried: boolean;
  /** won per person */
  price: number;
  /** 2: ordered to share (a whole pork hock, a pizza, grilled meat) */
  minPeople: 1 | 2;
  share: boolean;
  quick: boolean;
  rainy: boolean;
  times: MealTime[];
  /** a modifier phrase placed before the name in reasons ("해물 듬뿍 얼큰한 짬뽕") */
  note: string;
}

type Row = [name: string, category: string, ingredients: Ingredient[], spicy: 0 | 1 | 2, soup: boolean, temp: Menu['temp'], weight: Menu['weight'], fried: boolean, price: number, minPeople: 1 | 2, flags: string, times: MealTime[], note: string];

// flags: s = good to share, q = quick, r = a rainy-day dish
const ROWS: Row[] = [
  ['족발', '족발,보쌈', ['pork'], 0, false, 'warm', 3, false, 16000, 2, 's', ['dinner', 'late'], '쫄깃한 앞다리'],
  ['보쌈', '족발,보쌈', ['pork'], 0, false, 'warm', 3, false, 15000, 2, 's', ['dinner', 'late'], '김치에 싸 먹는 수육'],
  ['불족발', '족발,보쌈', ['pork'], 2, false, 'warm', 3, false, 17000, 2, 's', ['late'], '불맛 가득한'],
  ['김치찌개', '찜,탕,찌개', ['pork', 'tofu'], 1, true, 'hot', 2, false, 9000, 1, 'r', ['lunch', 'dinner'], '묵은지로 끓인'],
  ['된장찌개', '찜,탕,찌개', ['tofu', 'veg'], 0, true, 'hot', 2, false, 8000, 1, '', ['breakfast', 'lunch', 'dinner'], '구수한'],
  ['부대찌개', '찜,탕,찌개', ['pork', 'noodle'], 1, true, 'hot', 3, false, 11000, 2, 'sr', ['lunch', 'dinner'], '햄과 라면 사리가 든'],
  ['감자탕', '찜,탕,찌개', ['pork'], 1, true, 'hot', 3, false, 13000, 2, 's', ['dinner', 'late'], '뼈에 붙은 살을 발라 먹는'],
  ['순두부찌개', '찜,탕,찌개', ['tofu', 'seafood'], 2, true, 'hot', 2, false, 9000, 1, 'r', ['breakfast', 'lunch'], '보들보들한'],
  ['삼계탕', '찜,탕,찌개', ['chicken', 'rice'], 0, true, 'hot', 2, false, 16000, 1, '', ['lunch', 'dinner'], '인삼 향 가득한'],
  ['안동찜닭', '찜,탕,찌개', ['chicken', 'noodle'], 1, false, 'warm', 3, false, 12000, 2, 's', ['dinner'], '달큰 짭짤한 간장 양념의'],
  ['갈비찜', '찜,탕,찌개', ['beef'], 0, false, 'warm', 3, false, 20000, 2, 's', ['dinner'], '부드럽게 조린'],
  ['돈까스', '돈까스,회,일식', ['pork'], 0, false, 'warm', 3, true, 10000, 1, 'q', ['lunch', 'dinner'], '바삭하게 튀긴 등심'],
  ['초밥', '돈까스,회,일식', ['seafood', 'rice'], 0, false, 'cold', 1, false, 15000, 1, '', ['lunch', 'dinner'], '한 점씩 정성껏 쥔'],
  ['모둠회', '돈까스,회,일식', ['seafood'], 0, false, 'cold', 2, false, 25000, 2, 's', ['dinner', 'late'], '싱싱한 제철 생선의'],
  ['우동', '돈까스,회,일식', ['noodle'], 0, true, 'hot', 2, false, 8000, 1, 'qr', ['lunch', 'late'], '탱탱한 면발의'],
  ['냉모밀', '돈까스,회,일식', ['noodle'], 0, true, 'cold', 1, false, 9000, 1, 'q', ['lunch'], '살얼음 띄운 쯔유 국물의'],
  ['라멘', '돈까스,회,일식', ['pork', 'noodle'], 0, true, 'hot', 3, false, 11000, 1, 'r', ['lunch', 'dinner'], '진한 돈코츠 국물의'],
  ['연어덮밥', '돈까스,회,일식', ['seafood', 'rice'], 0, false, 'cold', 2, false, 12000, 1, 'q', ['lunch'], '고소한 생연어를 올린'],
  ['페퍼로니 피자', '피자', ['pork', 'bread'], 0, false, 'warm', 3, true, 12000, 2, 's', ['dinner', 'late'], '짭짤한 페퍼로니가 가득한'],
  ['고구마 피자', '피자', ['bread', 'veg'], 0, false, 'warm', 3, true, 12000, 2, 's', ['dinner', 'late'], '달콤한 고구마 무스를 올린'],
  ['삼겹살', '고기구이', ['pork'], 0, false, 'warm', 3, true, 17000, 2, 's', ['dinner'], '노릇하게 구운'],
  ['소갈비', '고기구이', ['beef'], 0, false, 'warm', 3, false, 30000, 2, 's', ['dinner'], '숯불 향 가득한'],
  ['닭갈비', '고기구이', ['chicken'], 1, false, 'warm', 3, false, 13000, 2, 's', ['dinner'], '철판에 볶아 먹는'],
  ['크림 파스타', '양식', ['noodle'], 0, false, 'warm', 3, true, 14000, 1, '', ['lunch', 'dinner'], '꾸덕한 크림소스의'],
  ['토마토 파스타', '양식', ['noodle', 'veg'], 0, false, 'warm', 2, false, 13000, 1, '', ['lunch', 'dinner'], '새콤한 토마토소스의'],
  ['리코타 샐러드', '양식', ['veg'], 0, false, 'cold', 1, false, 11000, 1, 'q', ['breakfast', 'lunch'], '신선한 채소에 리코타 치즈를 올린'],
  ['스테이크', '양식', ['beef'], 0, false, 'warm', 3, false, 28000, 1, '', ['dinner'], '육즙 가득한'],
  ['후라이드 치킨', '치킨', ['chicken'], 0, false, 'warm', 3, true, 11000, 1, 's', ['dinner', 'late'], '겉은 바삭하고 속은 촉촉한'],
  ['양념치킨', '치킨', ['chicken'], 1, false, 'warm', 3, true, 11000, 1, 's', ['dinner', 'late'], '달콤 매콤한 양념을 입힌'],
  ['간장치킨', '치킨', ['chicken'], 0, false, 'warm', 3, true, 11000, 1, 's', ['dinner', 'late'], '짭짤한 간장 소스를 바른'],
  ['오븐구이 치킨', '치킨', ['chicken'], 0, false, 'warm', 2, false, 11000, 1, 's', ['dinner', 'late'], '기름기를 쫙 뺀'],
  ['짜장면', '중식', ['noodle', 'pork'], 0, false, 'warm', 2, false, 7000, 1, 'q', ['lunch', 'dinner'], '춘장을 볶아 낸'],
  ['짬뽕', '중식', ['noodle', 'seafood'], 2, true, 'hot', 2, false, 9000, 1, 'qr', ['lunch', 'dinner'], '해물 듬뿍 얼큰한'],
  ['탕수육', '중식', ['pork'], 0, false, 'warm', 3, true, 12000, 2, 's', ['dinner', 'late'], '겉바속촉'],
  ['마라탕', '중식', ['noodle', 'veg'], 2, true, 'hot', 2, false, 12000, 1, '', ['lunch', 'dinner'], '얼얼하게 매운'],
  ['볶음밥', '중식', ['rice'], 0, false, 'warm', 2, true, 8000, 1, 'q', ['lunch'], '고슬고슬 볶아 낸'],
  ['쌀국수', '아시안', ['beef', 'noodle'], 0, true, 'hot', 1, false, 10000, 1, 'q', ['breakfast', 'lunch'], '맑은 육수의'],
  ['팟타이', '아시안', ['noodle', 'seafood'], 0, false, 'warm', 2, false, 12000, 1, '', ['lunch', 'dinner'], '새콤달콤하게 볶은'],
  ['분짜', '아시안', ['pork', 'noodle'], 0, false, 'cold', 2, false, 12000, 1, '', ['lunch'], '숯불 고기를 새콤한 소스에 찍어 먹는'],
  ['똠얌꿍', '아시안', ['seafood'], 2, true, 'hot', 2, false, 14000, 1, '', ['dinner'], '새콤하고 칼칼한'],
  ['나시고렝', '아시안', ['rice'], 1, false, 'warm', 2, true, 11000, 1, '', ['lunch'], '향신료 향 가득한'],
  ['칼국수', '백반,죽,국수', ['noodle', 'seafood'], 0, true, 'hot', 2, false, 9000, 1, 'r', ['lunch'], '바지락을 듬뿍 넣은'],
  ['전복죽', '백반,죽,국수', ['seafood', 'rice'], 0, false, 'hot', 1, false, 12000, 1, '', ['breakfast', 'lunch'], '고소하고 부드러운'],
  ['물냉면', '백반,죽,국수', ['noodle', 'beef'], 0, true, 'cold', 1, false, 10000, 1, 'q', ['lunch'], '살얼음 동동 띄운'],
  ['비빔냉면', '백반,죽,국수', ['noodle'], 2, false, 'cold', 1, false, 10000, 1, 'q', ['lunch'], '새콤 매콤한'],
  ['순대국밥', '백반,죽,국수', ['pork', 'rice'], 0, true, 'hot', 3, false, 9000, 1, '', ['lunch', 'dinner', 'late'], '진한 사골 국물의'],
  ['콩나물국밥', '백반,죽,국수', ['rice', 'veg'], 0, true, 'hot', 1, false, 7000, 1, 'q', ['breakfast', 'lunch'], '해장에 좋은 시원한'],
  ['잔치국수', '백반,죽,국수', ['noodle'], 0, true, 'hot', 1, false, 6000, 1, 'q', ['lunch', 'snack'], '멸치 육수가 담백한'],
  ['곰탕', '백반,죽,국수', ['beef', 'rice'], 0, true, 'hot', 2, false, 11000, 1, '', ['breakfast', 'lunch'], '뽀얗게 우려낸'],
  ['비빔밥', '백반,죽,국수', ['rice', 'veg'], 1, false, 'warm', 2, false, 9000, 1, 'q', ['lunch'], '나물을 듬뿍 올린'],
  ['제육볶음 정식', '백반,죽,국수', ['pork', 'rice'], 2, false, 'warm', 3, false, 9000, 1, '', ['lunch', 'dinner'], '불맛 나는'],
  ['제육 도시락', '도시락', ['pork', 'rice'], 1, false, 'warm', 3, false, 7000, 1, 'q', ['lunch'], '고기 듬뿍 든'],
  ['치킨마요 도시락', '도시락', ['chicken', 'rice'], 0, false, 'warm', 2, true, 5500, 1, 'q', ['lunch'], '가성비 좋은'],
  ['닭가슴살 샐러드 도시락', '도시락', ['chicken', 'veg'], 0, false, 'cold', 1, false, 8000, 1, 'q', ['lunch'], '단백질 가득한'],
  ['떡볶이', '분식', [], 2, false, 'warm', 2, false, 6000, 1, 'sq', ['snack', 'late'], '쫀득한 밀떡'],
  ['김밥', '분식', ['rice', 'veg'], 0, false, 'cold', 1, false, 4000, 1, 'q', ['breakfast', 'lunch', 'snack'], '속이 꽉 찬'],
  ['라면', '분식', ['noodle'], 1, true, 'hot', 2, false, 5000, 1, 'qr', ['late', 'snack'], '꼬들꼬들하게 끓인'],
  ['순대', '분식', ['pork'], 0, false, 'warm', 2, false, 6000, 1, 'sq', ['snack', 'late'], '찰진'],
  ['쫄면', '분식', ['noodle', 'veg'], 2, false, 'cold', 1, false, 7000, 1, 'q', ['lunch', 'snack'], '쫄깃하고 새콤한'],
  ['팥빙수', '카페,디저트', [], 0, false, 'cold', 1, false, 9000, 1, 's', ['snack'], '우유 얼음에 팥을 듬뿍 올린'],
  ['조각 케이크', '카페,디저트', ['bread'], 0, false, 'cold', 1, false, 7000, 1, 'q', ['snack'], '부드러운 생크림'],
  ['샌드위치', '카페,디저트', ['bread', 'veg'], 0, false, 'cold', 1, false, 7000, 1, 'q', ['breakfast', 'lunch'], '신선한 채소를 듬뿍 넣은'],
  ['햄버거', '페스트푸드', ['beef', 'bread'], 0, false, 'warm', 3, true, 8000, 1, 'q', ['lunch', 'late'], '두툼한 패티의'],
  ['치킨버거', '페스트푸드', ['chicken', 'bread'], 0, false, 'warm', 3, true, 7000, 1, 'q', ['lunch', 'late'], '바삭한 치킨 패티를 넣은'],
];

export const MENUS: readonly Menu[] = ROWS.map(([name, category, ingredients, spicy, soup, temp, weight, fried, price, minPeople, flags, times, note]) => ({
  name,
  category,
  ingredients,
  spicy,
  soup,
  temp,
  weight,
  fried,
  price,
  minPeople,
  share: flags.includes('s'),
  quick: flags.includes('q'),
  rainy: flags.includes('r'),
  times,
  note,
}));

export const menuByName = (name: string): Menu | undefined => MENUS.find((m) => m.name === name);

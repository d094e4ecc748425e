// The twelve animals. Labels, Korean names and the 삼합 element groups are the original's facts
// (docs/apps/zodiac.md §3, §9); every personality text and yearly line below is written for madang, not copied.
// Order = zodiac order = the original model's label index + 1.

export interface Animal {
  id: number;
  name: string;
  nameKo: string;
  element: '수성' | '금성' | '화성' | '목성';
  emoji: string;
  description: string;
  fortune: string;
}

export const ANIMALS: readonly Animal[] = [
  {
    id: 1, name: 'mouse', nameKo: '쥐띠', element: '수성', emoji: '1f42d',
    description:
      '삼합으로는 수성(水)에 속합니다. 눈치가 빠르고 계산이 정확해 남들이 놓친 기회를 먼저 알아보는 사람입니다. 사람을 두루 사귀지만 마음을 여는 친구는 몇 명으로 정해 두고 오래 아낍니다. 호기심이 많아 새로운 취미에 쉽게 빠지니, 시작한 일을 끝까지 마무리하는 습관을 들이면 더 크게 됩니다.',
    fortune: '올해는 움켜쥐기보다 나누는 쪽이 결국 이득입니다. 작은 약속을 꼼꼼히 지키면 뜻밖의 도움이 돌아옵니다.',
  },
  {
    id: 2, name: 'cow', nameKo: '소띠', element: '금성', emoji: '1f42e',
    description:
      '삼합으로는 금성(金)에 속합니다. 서두르지 않고 한 걸음씩 쌓아 올리는 끈기가 가장 큰 무기입니다. 말수는 적어도 한번 맡은 일은 끝을 보며, 주변 사람들이 가장 믿고 기대는 사람입니다. 고집이 세다는 말을 듣기도 하니 가끔은 남의 방법도 한번 따라가 보세요.',
    fortune: '묵묵히 준비해 온 일이 빛을 보는 해입니다. 속도를 내기보다 방향을 한 번 더 점검하세요.',
  },
  {
    id: 3, name: 'tiger', nameKo: '호랑이띠', element: '화성', emoji: '1f42f',
    description:
      '삼합으로는 화성(火)에 속합니다. 정의감이 강하고 앞장서기를 두려워하지 않는 타고난 대장감입니다. 결정이 빠르고 추진력이 좋아 막힌 일을 뚫어 내지만, 성급함 때문에 오해를 사기도 합니다. 한 박자 쉬고 말하는 연습이 당신의 카리스마를 더 돋보이게 합니다.',
    fortune: '새 일을 벌이기 좋은 기운이 들어옵니다. 다만 혼자 달리기보다 믿을 만한 동료와 보폭을 맞추세요.',
  },
  {
    id: 4, name: 'rabbit', nameKo: '토끼띠', element: '목성', emoji: '1f430',
    description:
      '삼합으로는 목성(木)에 속합니다. 부드러운 말씨와 섬세한 감각으로 어디서든 분위기를 편안하게 만듭니다. 갈등을 싫어해 한발 물러서는 편이지만, 속으로는 분명한 기준을 지니고 있습니다. 아름다운 것을 알아보는 눈이 있어 꾸미고 가꾸는 일에서 재능이 빛납니다.',
    fortune: '인간관계가 넓어지는 해입니다. 부탁을 모두 들어주려 하지 말고 거절도 부드럽게 해 보세요.',
  },
  {
    id: 5, name: 'dragon', nameKo: '용띠', element: '수성', emoji: '1f432',
    description:
      '삼합으로는 수성(水)에 속합니다. 꿈이 크고 자신감이 넘쳐 사람들의 시선을 자연스럽게 모읍니다. 어려운 상황일수록 힘을 내는 승부사 기질이 있으며, 한번 마음먹은 목표는 쉽게 내려놓지 않습니다. 가까운 사람의 작은 조언에도 귀를 열면 더 높이 오를 수 있습니다.',
    fortune: '큰 그림을 그리기 좋은 해입니다. 계획을 글로 적어 두면 흩어진 기회가 한 줄로 꿰어집니다.',
  },
  {
    id: 6, name: 'snake', nameKo: '뱀띠', element: '금성', emoji: '1f40d',
    description:
      '삼합으로는 금성(金)에 속합니다. 겉으로는 조용하지만 생각이 깊고 직관이 날카로워 사람과 상황을 정확히 읽어 냅니다. 말보다 행동으로 보여 주는 편이고, 비밀을 잘 지켜 믿음을 얻습니다. 혼자 고민을 오래 품는 습관만 덜어 내면 마음이 한결 가벼워집니다.',
    fortune: '배움에 투자한 만큼 돌아오는 해입니다. 서두르지 말고 때를 기다리면 원하는 자리가 열립니다.',
  },
  {
    id: 7, name: 'horse', nameKo: '말띠', element: '화성', emoji: '1f434',
    description:
      '삼합으로는 화성(火)에 속합니다. 활달하고 솔직해 처음 만난 사람과도 금세 친해집니다. 자유를 사랑해 한곳에 묶이는 것을 답답해하며, 여행과 새로운 경험에서 힘을 얻습니다. 흥미가 식으면 금방 다른 곳으로 달려가니, 중요한 일에는 마감을 정해 두는 것이 좋습니다.',
    fortune: '이동과 변화가 많은 해입니다. 바쁜 와중에도 체력 관리를 미루지 않으면 결실이 큽니다.',
  },
  {
    id: 8, name: 'lamb', nameKo: '양띠', element: '목성', emoji: '1f411',
    description:
      '삼합으로는 목성(木)에 속합니다. 마음이 따뜻하고 배려가 깊어 곁에 있으면 편안한 사람입니다. 예술적 감수성이 풍부해 글, 음악, 그림처럼 손으로 만드는 일에서 행복을 찾습니다. 남의 기분을 먼저 살피느라 자기 뜻을 미루곤 하니, 원하는 것을 또렷이 말하는 연습이 필요합니다.',
    fortune: '주변의 도움으로 일이 순조롭게 풀리는 해입니다. 받은 호의는 작은 표현으로라도 꼭 갚으세요.',
  },
  {
    id: 9, name: 'monkey', nameKo: '원숭이띠', element: '수성', emoji: '1f435',
    description:
      '삼합으로는 수성(水)에 속합니다. 재치 있고 머리 회전이 빨라 어떤 문제든 기발한 해법을 찾아냅니다. 유머 감각이 좋아 모임의 분위기를 이끌지만, 여러 일을 한꺼번에 벌이다 마무리가 흐려질 때가 있습니다. 우선순위 세 가지만 정해도 재능이 훨씬 멀리 갑니다.',
    fortune: '아이디어가 돈이 되는 해입니다. 떠오른 생각을 바로 기록하고, 믿는 사람과 함께 다듬어 보세요.',
  },
  {
    id: 10, name: 'chicken', nameKo: '닭띠', element: '금성', emoji: '1f414',
    description:
      '삼합으로는 금성(金)에 속합니다. 부지런하고 꼼꼼해 계획표대로 하루를 채우는 것을 좋아합니다. 옳고 그름이 분명해 솔직한 조언을 아끼지 않으며, 그 덕에 믿음직한 사람으로 통합니다. 완벽을 바라다 스스로를 지치게 할 수 있으니 가끔은 적당히에 만족해 보세요.',
    fortune: '성실함이 인정받는 해입니다. 새벽처럼 맑은 머리로 하루를 시작하면 좋은 소식이 이어집니다.',
  },
  {
    id: 11, name: 'dog', nameKo: '개띠', element: '화성', emoji: '1f436',
    description:
      '삼합으로는 화성(火)에 속합니다. 의리가 두텁고 정직해 한번 맺은 인연을 끝까지 지킵니다. 약한 사람을 보면 그냥 지나치지 못하는 따뜻한 정의감이 있습니다. 걱정이 많아 잠을 설칠 때가 있으니, 믿는 사람에게 마음을 털어놓는 것만으로도 큰 힘이 됩니다.',
    fortune: '오래된 인연이 기회를 가져오는 해입니다. 연락이 뜸했던 사람에게 먼저 안부를 건네 보세요.',
  },
  {
    id: 12, name: 'pig', nameKo: '돼지띠', element: '목성', emoji: '1f437',
    description:
      '삼합으로는 목성(木)에 속합니다. 너그럽고 낙천적이라 곁에 사람이 끊이지 않습니다. 맛있는 음식과 편안한 시간을 즐길 줄 알고, 가진 것을 나누는 데 인색하지 않습니다. 사람을 쉽게 믿는 편이니 돈이 오가는 약속만큼은 한 번 더 확인하는 것이 좋습니다.',
    fortune: '재물운이 넉넉한 해입니다. 들어온 만큼 새어 나가지 않도록 작은 지출부터 정리해 보세요.',
  },
];

const BY_NAME = new Map(ANIMALS.map((a) => [a.name, a]));

export function animalByName(name: string): Animal | undefined {
  return BY_NAME.get(name);
}

export function animalById(id: number): Animal {
  const a = ANIMALS[id - 1];
  if (!a) throw new Error(`no animal ${id}`);
  return a;
}

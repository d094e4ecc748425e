// Menu recommendation (docs/apps/mealbuddy.md §9) with its fixes: an injectable OpenAI-compatible client when LLM_*
// is configured, otherwise the built-in recommender; a per-Seoul-day quota of 10 taken atomically
// before the work (given back when the model fails); only user/assistant turns returned; GET for
// the history; 502 for upstream failures with the original's Korean message.
import { AppError } from '../../../core/errors.js';
import { secondsToSeoulMidnight, seoulIso, seoulParts } from '../mealbuddy.common.js';
import type { MbUser } from '../users/users.table.js';
import { resolvePoint, type Weather, type WeatherService } from '../weather/weather.service.js';
import { LlmError, type ChatTurn, type LlmClient } from './llm.client.js';
import { DAILY_LIMIT, type MenuRepository } from './menu.repository.js';
import { recommend, recommendationText } from './recommender.js';

const NEIGHBOURHOOD_DAYS = 14;

const SYSTEM_PROMPT =
  '너는 날씨와 시간, 동네 사람들이 요즘 많이 주문하는 음식을 바탕으로 식사 메뉴를 추천해 주는 전문가야. ' +
  '사용자의 요구사항을 반영해서 어울리는 메뉴를 추천해 줘. 추천해줘야하는 메뉴는 기본적으로 5개이고, 메뉴마다 한 줄로 이유를 붙여 줘.';

export interface AskInput {
  lat?: number;
  lon?: number;
  message: string;
}

export class MenuService {
  constructor(
    private readonly repo: MenuRepository,
    private readonly weather: WeatherService,
    private readonly llm: LlmClient | undefined,
    private readonly now: () => Date = () => new Date(),
  ) {}

  async history(user: MbUser) {
    const turns = await this.repo.turns(user.id);
    if (turns.length === 0) throw new AppError('MENU_HISTORY_NOT_FOUND', 404);
    return turns;
  }

  /** POST: one more turn of the conversation; answers the whole visible conversation */
  async ask(user: MbUser, input: AskInput) {
    const history = await this.repo.turns(user.id);
    const reply = await this.answer(user, input, history);
    await this.repo.append(user.id, [
      { role: 'user', content: input.message },
      { role: 'assistant', content: reply },
    ]);
    return this.repo.turns(user.id);
  }

  /** GET ?lat=&lon=: the older stateless recommendation, a plain string (deployed front end) */
  async quick(user: MbUser, point: { lat?: number; lon?: number }): Promise<string> {
    return this.answer(user, { ...point, message: '적절한 메뉴를 추천해줘.' }, []);
  }

  async clear(user: MbUser): Promise<void> {
    await this.repo.clear(user.id);
  }

  private async answer(user: MbUser, input: AskInput, history: Array<{ role: 'user' | 'assistant'; content: string }>): Promise<string> {
    const now = this.now();
    const day = seoulParts(now).date;
    if (!(await this.repo.reserve(user.id, day))) {
      throw new AppError('MENU_THROTTLED', 429, undefined, { limit: DAILY_LIMIT }, { 'retry-after': String(secondsToSeoulMidnight(now)) });
    }
    try {
      const weather = await this.currentWeather(user, input);
      const neighbourhood = await this.repo.recentCategories(user.address, new Date(now.getTime() - NEIGHBOURHOOD_DAYS * 86_400_000));
      if (!this.llm) {
        const earlier = history.filter((t) => t.role === 'user').map((t) => t.content).slice(-5);
        return recommendationText(recommend({ weather, hour: seoulParts(now).hour, neighbourhood, request: input.message, earlier }));
      }
      const context: ChatTurn = { role: 'system', content: contextSentence(now, weather, neighbourhood) };
      return await this.llm.chat([{ role: 'system', content: SYSTEM_PROMPT }, context, ...history, { role: 'user', content: input.message }]);
    } catch (err) {
      await this.repo.refund(user.id, day);
      if (err instanceof LlmError) throw new AppError('MENU_UPSTREAM_ERROR', 502);
      throw err;
    }
  }

  /** weather is a hint, not a requirement: without a key, location or a working KMA we go on */
  private async currentWeather(user: MbUser, q: { lat?: number; lon?: number }): Promise<Weather | undefined> {
    const point = resolvePoint(user, q);
    if (!point || !this.weather.configured) return undefined;
    return this.weather.at(point.lat, point.lon).catch(() => undefined);
  }
}

function contextSentence(now: Date, weather: Weather | undefined, neighbourhood: Array<{ category: string; n: number }>): string {
  let s = `오늘은 ${seoulIso(now).slice(0, 16).replace('T', ' ')}야. `;
  s += weather
    ? `오늘의 날씨는 다음과 같아. ${Object.entries(weather).map(([k, v]) => `${k}은(는) ${v}. `).join('')}`
    : '날씨 정보는 없어. ';
  if (neighbourhood.length) s += `우리 동네에서 최근 많이 모인 음식 종류는 ${neighbourhood.map((c) => `${c.category}(${c.n}건)`).join(', ')}이야.`;
  return s.trim();
}

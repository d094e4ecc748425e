// mealbuddy (seed 004, MealBuddy 밀버디): neighbourhood group ordering. Users (email login, soft
// delete), posts scoped to the viewer's address with the original's page buttons, one chat room
// per post with REST membership rules and a WebSocket (Redis fan-out across instances), the
// weather (KMA with a key, Open-Meteo without) and a menu recommender (LLM when configured,
// built-in otherwise).
// Owns the mealbuddy_* tables.
import type { FastifyPluginAsync } from 'fastify';
import { defineApp } from '../../core/core.js';
import { ChatEvents } from './chat/chat.events.js';
import { ChatRepository } from './chat/chat.repository.js';
import { chatRoutes } from './chat/chat.routes.js';
import { ChatService } from './chat/chat.service.js';
import { chatSocket } from './chat/chat.socket.js';
import { MealbuddyCache } from './mealbuddy.cache.js';
import { userGuard } from './mealbuddy.common.js';
import { mealbuddyEnv, weatherProvider } from './mealbuddy.config.js';
import { mealbuddyMessages } from './mealbuddy.messages.js';
import { mirrorFields } from './original-errors.js';
import { LlmClient } from './menu/llm.client.js';
import { MenuRepository } from './menu/menu.repository.js';
import { menuRoutes } from './menu/menu.routes.js';
import { MenuService } from './menu/menu.service.js';
import { PostsRepository } from './posts/posts.repository.js';
import { postsRoutes } from './posts/posts.routes.js';
import { PostsService } from './posts/posts.service.js';
import { UsersRepository } from './users/users.repository.js';
import { usersRoutes } from './users/users.routes.js';
import { UsersService } from './users/users.service.js';
import { weatherRoutes } from './weather/weather.routes.js';
import { WeatherService } from './weather/weather.service.js';

export const mealbuddyApp = defineApp({
  name: 'mealbuddy',
  env: mealbuddyEnv,
  uses: ['db', 'database', 'identity', 'hub', 'http', 'clock', 'metrics', 'logger'],
  create(ctx) {
    const { config, db } = ctx;
    const users = new UsersRepository(db);
    const chatRepo = new ChatRepository();
    const events = new ChatEvents(ctx.hub);
    const cache = new MealbuddyCache(ctx.metrics);
    const usersService = new UsersService(users, ctx.identity, cache, {
      counters: ctx.http.counters,
      enabled: ctx.http.limitsEnabled,
      perDay: config.MEALBUDDY_ADDRESS_CHANGES_PER_DAY,
      log: ctx.logger,
    });
    const chatService = new ChatService(db, chatRepo, events, cache);
    const postsService = new PostsService(db, new PostsRepository(db), chatService, cache);
    const now = () => ctx.clock.now();
    const weather = new WeatherService(weatherProvider(config), now);
    const llm = config.LLM_BASE_URL && config.LLM_API_KEY ? new LlmClient(config.LLM_BASE_URL, config.LLM_API_KEY, config.LLM_MODEL) : undefined;
    const menuService = new MenuService(new MenuRepository(db), weather, llm, now);
    const guard = userGuard(ctx, users, cache);

    const routes: FastifyPluginAsync = async (app) => {
      const unlisten = await cache.listen(ctx.database);
      app.addHook('onClose', async () => unlisten());
      await app.register(usersRoutes(ctx, usersService, guard));
      await app.register(postsRoutes(postsService, guard));
      await app.register(chatRoutes(chatService, guard));
      await app.register(chatSocket(ctx, chatService, users));
      await app.register(weatherRoutes(weather, guard));
      await app.register(menuRoutes(menuService, guard));
    };

    return {
      name: 'mealbuddy',
      migrations: ['mealbuddy'],
      routes,
      jobs: [],
      messages: mealbuddyMessages,
      tables: ['mealbuddy_users', 'mealbuddy_posts', 'mealbuddy_chat_rooms', 'mealbuddy_chat_joins', 'mealbuddy_chat_messages', 'mealbuddy_menu_turns', 'mealbuddy_menu_usage', 'mealbuddy_address_changes'],
      // the original register page reads data.errors.<field> (docs/apps/mealbuddy.md §10): mirror the fields there
      errorDecorator: mirrorFields,
      async seedDemo(password) {
        const address = '제주특별자치도 제주시 용담이동';
        const demo = await usersService
          .register({ email: 'demo@mealbuddy.local', username: 'demo', password, password2: password, address, lat: 33.5104, lon: 126.5114 })
          .catch(() => undefined);
        if (!demo) return 'user demo@mealbuddy.local (already there)';
        const writer = (await users.byId(demo.user.id))!;
        await postsService.write(writer, { title: '치킨 같이 시켜요', category: '치킨', content: '용담이동 치킨 두 마리 나눠요', target_number: 4 });
        return 'user demo@mealbuddy.local with one post';
      },
    };
  },
});

// Shapes of this section from the generated API types, and the board's categories (values the
// API validates; checked against its enum at compile time).
import type { paths } from '../../api/schema';

type Json<T> = T extends { content: { 'application/json': infer J } } ? J : never;

export type Post = Json<paths['/mealbuddy/api/post/detail/{id}/']['get']['responses'][200]>;
export type Board = Json<paths['/mealbuddy/api/post/']['get']['responses'][200]>;
export type Room = Json<paths['/mealbuddy/api/chat/{id}/']['get']['responses'][200]>;
export type ChatMessage = Room['messages'][number];
type WriteBody = Json<paths['/mealbuddy/api/post/write/']['post']['requestBody']>;
export type Category = NonNullable<WriteBody['category']>;

export const CATEGORIES = [
  '족발,보쌈',
  '찜,탕,찌개',
  '돈까스,회,일식',
  '피자',
  '고기구이',
  '양식',
  '치킨',
  '중식',
  '아시안',
  '백반,죽,국수',
  '도시락',
  '분식',
  '카페,디저트',
  '페스트푸드',
] as const satisfies readonly Category[];

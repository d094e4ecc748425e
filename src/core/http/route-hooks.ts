// A route's own hooks of one kind as an array (Fastify takes one function or an array), for the
// onRoute hooks that add a hook to some routes: the latency series (server.ts) and the empty-body
// default (input-guard.ts).
export function hookList<T>(value: T | T[] | undefined): T[] {
  if (value === undefined) return [];
  return Array.isArray(value) ? value : [value];
}

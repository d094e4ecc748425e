// The machines live socket, as the dashboard and the floor page open it: the URL carries the
// current access token, and a cheap authorised call goes first so that an expired access token is
// refreshed before the upgrade (a socket cannot answer 401 and retry).
import { api, call } from '../../api/client';
import { tokens } from '../../api/tokens';

export const machinesSocket = {
  url: (): string | null => {
    const s = tokens.get('machines');
    return s ? `/machines/ws/machines/?token=${encodeURIComponent(s.access)}` : null;
  },
  beforeConnect: async (): Promise<void> => {
    await call(api.GET('/machines/api/machines/', { params: { query: { page_size: '1' } } }));
  },
};

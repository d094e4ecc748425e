// How each app exchanges its refresh token: every app kept its original's shapes, so the
// refresher reads each reply through the generated types. Uses a client without authFetch so a
// failing refresh cannot recurse.
import createClient from 'openapi-fetch';
import type { Refresher } from './auth-fetch';
import type { AppName } from './tokens';
import type { paths } from './schema';

const bare = createClient<paths>({ baseUrl: '' });

export const refreshers: Partial<Record<AppName, Refresher>> = {
  async auth(refresh) {
    const { data } = await bare.POST('/auth/api/token/refresh/', { body: { refresh } });
    return data ? { access: data.token, refresh: data.refresh } : null;
  },
  async zodiac(refresh) {
    const { data } = await bare.POST('/zodiac/api/users/auth', { body: { refresh_token: refresh } });
    return data ? { access: data.access_token, refresh: data.refresh_token } : null;
  },
  async igemoji(refresh) {
    const { data } = await bare.POST('/igemoji/api/v1/users/auth/refresh', { body: { refresh_token: refresh } });
    return data ? { access: data.access_token, refresh: data.refresh_token } : null;
  },
  async machines(refresh) {
    const { data } = await bare.POST('/machines/api/token/refresh/', { body: { refresh } });
    return data ? { access: data.result.access, refresh: data.result.refresh } : null;
  },
};

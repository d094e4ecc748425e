// A local stand-in for KMA's getVilageFcst, so weather tests run offline. It records every request
// and answers according to `mode`: a normal forecast, an XML error (what KMA sends for a bad key),
// a JSON body with an error resultCode, an empty item list, HTTP 500, or no answer at all.
import { createServer, type Server } from 'node:http';

export type KmaMode = 'ok' | 'xml' | 'result-error' | 'empty' | 'http500' | 'hang';

export interface FakeKma {
  url: string;
  requests: URL[];
  mode: KmaMode;
  items: Array<{ category: string; fcstValue: string }>;
  close(): Promise<void>;
}

export const DEFAULT_ITEMS = [
  { category: 'TMP', fcstValue: '21' },
  { category: 'UUU', fcstValue: '-1.2' },
  { category: 'VVV', fcstValue: '2.3' },
  { category: 'VEC', fcstValue: '150' },
  { category: 'WSD', fcstValue: '3.1' },
  { category: 'SKY', fcstValue: '3' },
  { category: 'PTY', fcstValue: '0' },
  { category: 'POP', fcstValue: '20' },
  { category: 'WAV', fcstValue: '0' },
  { category: 'PCP', fcstValue: '강수없음' },
  { category: 'REH', fcstValue: '60' },
  { category: 'SNO', fcstValue: '적설없음' },
];

export async function startFakeKma(): Promise<FakeKma> {
  const sockets = new Set<import('node:net').Socket>();
  const fake: FakeKma = { url: '', requests: [], mode: 'ok', items: DEFAULT_ITEMS, close: async () => undefined };
  const server: Server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://fake');
    fake.requests.push(url);
    const q = Object.fromEntries(url.searchParams);
    switch (fake.mode) {
      case 'hang':
        return; // never answers: the client's timeout must fire
      case 'http500':
        res.writeHead(500).end('Internal Server Error');
        return;
      case 'xml':
        res.writeHead(200, { 'content-type': 'text/xml' }).end(
          '<OpenAPI_ServiceResponse><cmmMsgHeader><errMsg>SERVICE ERROR</errMsg><returnReasonCode>30</returnReasonCode></cmmMsgHeader></OpenAPI_ServiceResponse>',
        );
        return;
      case 'result-error':
        res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ response: { header: { resultCode: '03', resultMsg: 'NO_DATA' } } }));
        return;
      default: {
        const items = fake.mode === 'empty' ? [] : fake.items.map((i) => ({ baseDate: q.base_date, baseTime: q.base_time, fcstDate: q.base_date, fcstTime: '0600', nx: Number(q.nx), ny: Number(q.ny), ...i }));
        res.writeHead(200, { 'content-type': 'application/json' }).end(
          JSON.stringify({
            response: {
              header: { resultCode: '00', resultMsg: 'NORMAL_SERVICE' },
              body: { dataType: 'JSON', items: { item: items }, pageNo: 1, numOfRows: 12, totalCount: 900 },
            },
          }),
        );
      }
    }
  });
  server.on('connection', (s) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const addr = server.address() as import('node:net').AddressInfo;
  fake.url = `http://127.0.0.1:${addr.port}/1360000/VilageFcstInfoService_2.0`;
  fake.close = () =>
    new Promise<void>((r) => {
      for (const s of sockets) s.destroy();
      server.close(() => r());
    });
  return fake;
}

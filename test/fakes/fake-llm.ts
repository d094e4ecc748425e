// A local OpenAI-compatible /chat/completions server: records each request body and the
// Authorization header, answers with a fixed numbered list, or fails with HTTP 500 when `fail`.
import { createServer, type Server } from 'node:http';

export interface FakeLlm {
  url: string;
  requests: Array<{ authorization?: string; body: { model: string; messages: Array<{ role: string; content: string }>; temperature: number; max_tokens: number } }>;
  fail: boolean;
  reply: string;
  close(): Promise<void>;
}

export async function startFakeLlm(): Promise<FakeLlm> {
  const fake: FakeLlm = {
    url: '',
    requests: [],
    fail: false,
    reply: '  1. 짬뽕\n2. 칼국수\n3. 김치찌개\n4. 우동\n5. 쌀국수  ',
    close: async () => undefined,
  };
  const server: Server = createServer((req, res) => {
    let raw = '';
    req.on('data', (c: Buffer) => (raw += c.toString()));
    req.on('end', () => {
      if (req.method !== 'POST' || !req.url?.endsWith('/chat/completions')) {
        res.writeHead(404).end();
        return;
      }
      fake.requests.push({ authorization: req.headers.authorization, body: JSON.parse(raw) as FakeLlm['requests'][number]['body'] });
      if (fake.fail) {
        res.writeHead(500, { 'content-type': 'application/json' }).end(JSON.stringify({ error: { message: 'boom' } }));
        return;
      }
      res.writeHead(200, { 'content-type': 'application/json' }).end(
        JSON.stringify({ id: 'chatcmpl-1', object: 'chat.completion', choices: [{ index: 0, message: { role: 'assistant', content: fake.reply }, finish_reason: 'stop' }] }),
      );
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const addr = server.address() as import('node:net').AddressInfo;
  fake.url = `http://127.0.0.1:${addr.port}/v1`;
  fake.close = () => new Promise<void>((r) => server.close(() => r()));
  return fake;
}

// A fake injection-moulding machine: a loopback HTTP server that answers the HTTP driver's
// `command=START|STOP` POSTs. The path picks the behaviour, so each test machine's endpoint_url
// says how it replies; every request received is recorded.
import { createServer, type IncomingMessage, type Server } from 'node:http';

export interface Received {
  path: string;
  method: string;
  contentType: string;
  body: string;
}

export interface FakeMachine {
  url: string;
  port: number;
  received: Received[];
  close(): Promise<void>;
}

const JSON_REPLIES: Record<string, unknown> = {
  '/ok': { result: 1 },
  '/fail': { result: 2 },
  '/odd': { result: 5 },
  '/nokey': { status: 'fine' },
  '/string-ok': { result: '1' },
};

export async function startFakeMachine(slowMs = 2_000): Promise<FakeMachine> {
  const received: Received[] = [];
  const server: Server = createServer((req, res) => {
    void readBody(req).then((body) => {
      const path = (req.url ?? '/').split('?')[0]!;
      received.push({ path, method: req.method ?? '', contentType: req.headers['content-type'] ?? '', body });
      if (path in JSON_REPLIES) {
        res.setHeader('content-type', 'application/json');
        res.end(JSON.stringify(JSON_REPLIES[path]));
      } else if (path === '/text') {
        res.setHeader('content-type', 'text/plain');
        res.end('OK, started');
      } else if (path === '/slow') {
        setTimeout(() => {
          if (!res.destroyed) res.end(JSON.stringify({ result: 1 }));
        }, slowMs).unref();
      } else if (path === '/redirect') {
        res.statusCode = 302;
        res.setHeader('location', '/ok');
        res.end();
      } else if (path === '/error500') {
        res.statusCode = 500;
        res.end('<html>Internal Server Error</html>');
      } else {
        res.statusCode = 404;
        res.end('not found');
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const addr = server.address();
  const port = typeof addr === 'object' && addr ? addr.port : 0;
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    received,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve) => {
    let s = '';
    req.on('data', (d: Buffer) => (s += d.toString()));
    req.on('end', () => resolve(s));
    req.on('error', () => resolve(s));
  });
}

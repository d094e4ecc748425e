// `npm run dev`: the API in watch mode and the Vite dev server (hot reload) in front of it, which
// proxies API and WebSocket paths to the API. Open the Vite URL it prints.
import { spawn } from 'node:child_process';
import path from 'node:path';
import { createServer } from 'vite';

const ROOT = path.resolve(import.meta.dirname, '../..');
const apiPort = process.env.PORT ?? '8000';
process.env.MADANG_API ??= `http://127.0.0.1:${apiPort}`;

const api = spawn(path.join(ROOT, 'node_modules', '.bin', 'tsx'), ['watch', 'src/main.ts', 'serve'], {
  cwd: ROOT,
  stdio: 'inherit',
  env: { ...process.env, PORT: apiPort },
});

const server = await createServer({ configFile: path.join(ROOT, 'web', 'vite.config.ts') });
await server.listen();
server.printUrls();

const stop = () => {
  api.kill('SIGTERM');
  void server.close().then(() => process.exit(0));
};
process.on('SIGINT', stop);
process.on('SIGTERM', stop);
api.on('exit', (code) => {
  void server.close().then(() => process.exit(code ?? 1));
});

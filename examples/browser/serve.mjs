// Builds the page and serves it on http://127.0.0.1:PORT (default 8080) — a module script cannot run from
// file://. Usage: node serve.mjs [PORT]
import { existsSync, readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildPage } from './build.mjs';

const dir = join(dirname(fileURLToPath(import.meta.url)), 'dist');
await buildPage(dir);
const types = { '.html': 'text/html; charset=utf-8', '.js': 'text/javascript', '.css': 'text/css' };
const port = Number(process.argv[2] ?? 8080);
createServer((req, res) => {
  const name = (req.url ?? '/').split('?')[0] === '/' ? 'index.html' : (req.url ?? '').slice(1).split('?')[0];
  const type = types[name.slice(name.lastIndexOf('.'))];
  if (!/^[a-z]+\.(html|js|css)$/.test(name) || type === undefined || !existsSync(join(dir, name))) {
    res.writeHead(404).end();
    return;
  }
  res.writeHead(200, { 'content-type': type });
  res.end(readFileSync(join(dir, name)));
}).listen(port, '127.0.0.1', () => console.log(`open http://127.0.0.1:${port}/`));

// A tiny static file server for the demo, with no dependencies.
//
//   node bindings/js/demo/serve.mjs          # serves bindings/js/ on 127.0.0.1
//   PORT=8080 node bindings/js/demo/serve.mjs
//
// It serves the package directory (so the page at /demo/ can import
// ../dist/web/safeguard_wasm.js), only on the loopback address, only GET and
// HEAD, and never a file outside that directory. `.wasm` is served as
// `application/wasm`, which WebAssembly.instantiateStreaming requires.
// Import `serve` to run it inside another program (the e2e test does).

import http from 'node:http';
import { createReadStream } from 'node:fs';
import { realpath, stat } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const HERE = path.dirname(fileURLToPath(import.meta.url));
/** bindings/js/ */
export const PACKAGE_ROOT = path.resolve(HERE, '..');

export const MIME_TYPES = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.wasm': 'application/wasm',
  '.csv': 'text/csv; charset=utf-8',
  '.md': 'text/markdown; charset=utf-8',
  '.txt': 'text/plain; charset=utf-8',
  '.ts': 'text/plain; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.ico': 'image/x-icon',
};

function send(res, status, text, headers = {}) {
  res.writeHead(status, { 'Content-Type': 'text/plain; charset=utf-8', 'Cache-Control': 'no-store', ...headers });
  res.end(text);
}

/** The request handler for files under `root` (an absolute, real path). */
export function handler(root) {
  return async (req, res) => {
    try {
      if (req.method !== 'GET' && req.method !== 'HEAD') {
        send(res, 405, 'Method not allowed\n', { Allow: 'GET, HEAD' });
        return;
      }
      const url = new URL(req.url, 'http://localhost');
      let pathname;
      try {
        pathname = decodeURIComponent(url.pathname);
      } catch {
        send(res, 400, 'Bad request\n');
        return;
      }
      if (pathname.includes('\0')) {
        send(res, 400, 'Bad request\n');
        return;
      }
      if (pathname === '/') {
        send(res, 302, 'See /demo/\n', { Location: '/demo/' });
        return;
      }
      // Resolve inside the root; `..` cannot climb out, and neither can a
      // symbolic link (the real path is checked too).
      let file = path.resolve(root, `.${pathname}`);
      if (file !== root && !file.startsWith(root + path.sep)) {
        send(res, 403, 'Forbidden\n');
        return;
      }
      let info;
      try {
        file = await realpath(file);
        if (file !== root && !file.startsWith(root + path.sep)) {
          send(res, 403, 'Forbidden\n');
          return;
        }
        info = await stat(file);
        if (info.isDirectory()) {
          if (!url.pathname.endsWith('/')) {
            send(res, 301, 'Moved\n', { Location: `${url.pathname}/${url.search}` });
            return;
          }
          file = path.join(file, 'index.html');
          info = await stat(file);
        }
      } catch {
        send(res, 404, 'Not found\n');
        return;
      }
      if (!info.isFile()) {
        send(res, 404, 'Not found\n');
        return;
      }
      const type = MIME_TYPES[path.extname(file).toLowerCase()] ?? 'application/octet-stream';
      res.writeHead(200, {
        'Content-Type': type,
        'Content-Length': info.size,
        'Cache-Control': 'no-store',
        'X-Content-Type-Options': 'nosniff',
      });
      if (req.method === 'HEAD') {
        res.end();
        return;
      }
      createReadStream(file)
        .on('error', () => res.destroy())
        .pipe(res);
    } catch (e) {
      if (!res.headersSent) send(res, 500, 'Internal error\n');
      else res.destroy();
    }
  };
}

/**
 * Starts serving `root` on 127.0.0.1. `port` 0 picks a free port.
 * Resolves to `{ url, port, close() }`; `url` is the demo page's address.
 */
export async function serve({ root = PACKAGE_ROOT, port = 0, host = '127.0.0.1' } = {}) {
  const realRoot = await realpath(root);
  const server = http.createServer(handler(realRoot));
  await new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, resolve);
  });
  const actual = server.address().port;
  return {
    port: actual,
    url: `http://${host}:${actual}/demo/`,
    close: () =>
      new Promise((resolve) => {
        server.close(() => resolve());
        // Keep-alive connections would hold close() open.
        server.closeAllConnections?.();
      }),
  };
}

// Run directly: serve until interrupted.
if (process.argv[1] && import.meta.url === pathToFileURL(path.resolve(process.argv[1])).href) {
  const port = process.env.PORT ? Number(process.env.PORT) : 0;
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    console.error(`serve.mjs: PORT must be a port number, not "${process.env.PORT}"`);
    process.exit(2);
  }
  const { url, close } = await serve({ port });
  console.log(`Serving ${PACKAGE_ROOT} (Ctrl-C to stop)`);
  console.log(`Consent checker: ${url}`);
  const stop = async () => {
    await close();
    process.exit(0);
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}

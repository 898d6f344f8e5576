import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import express, { type Router } from 'express';

/**
 * Where `npm run build` put the console: dist/web beside the compiled server (dist/src → dist/web)
 * or, when the server runs from source with tsx (src → dist/web), under the checkout's dist/.
 */
export function defaultWebRoot(): string | undefined {
  const here = fileURLToPath(new URL('.', import.meta.url));
  const dirs = [resolve(here, '../../../dist/web'), resolve(here, '../../../web')];
  // The built console has assets/; the source folder web/ (from a checkout) has an index.html too.
  return dirs.find((dir) => existsSync(join(dir, 'index.html')) && existsSync(join(dir, 'assets')));
}

/** Paths the console never answers: the API, its documents and the queue dashboard. */
const NOT_CONSOLE = /^\/(api|docs|openapi\.json|admin\/queues|healthz|readyz|metrics)(\/|$)/;

/**
 * The staff console as static files: hashed assets cached for a year (their names change with
 * their content), index.html always revalidated (so a deploy is seen at the next navigation), and
 * every other GET that asks for a page answered with index.html so client routes survive a reload.
 * The console calls the same /api/v1 endpoints as any client; nothing here serves data.
 */
export function webConsole(root: string): Router {
  const router = express.Router();
  const index = join(root, 'index.html');
  const sendIndex = (res: express.Response) => {
    res.setHeader('Cache-Control', 'no-cache');
    res.sendFile(index);
  };
  router.use(
    express.static(root, {
      index: false,
      redirect: false,
      fallthrough: true,
      setHeaders: (res, path) => {
        const rel = path.slice(root.length).replaceAll('\\', '/');
        if (rel.startsWith('/assets/')) res.setHeader('Cache-Control', 'public, max-age=31536000, immutable');
        else res.setHeader('Cache-Control', 'no-cache');
      },
    }),
  );
  router.get(/.*/, (req, res, next) => {
    if (NOT_CONSOLE.test(req.path)) return next();
    // A missing script or image is a 404, not the page: only navigations get the app.
    if (req.path.startsWith('/assets/') || /\.[A-Za-z0-9]{1,8}$/.test(req.path)) return next();
    if (!req.accepts('html')) return next();
    sendIndex(res);
  });
  return router;
}

/**
 * `nianbao serve [--port 8080] [--host 127.0.0.1]` — the dashboard, live from the local store (site/app.ts).
 * `nianbao site -o DIR` — the same pages as a static site that opens from disk or any static host (site/static.ts).
 */
import { join } from 'node:path';
import { serve } from '@hono/node-server';
import type { Command } from 'commander';
import pc from 'picocolors';
import { dismissAlert } from '../alerts/decide.ts';
import { loadRegistry } from '../crawl/registry.ts';
import { ConfigError } from '../errors.ts';
import { loopbackHosts, siteApp } from '../site/app.ts';
import type { SiteSources } from '../site/data.ts';
import { folderWriter } from '../site/fs-writer.ts';
import { writeSite } from '../site/static.ts';
import type { LocalStore } from '../store/local.ts';
import { globalOptions, printJson } from './context.ts';
import { CliError, EXIT, type ExitCode } from './exit.ts';
import { existingFile, intIn } from './options.ts';
import { DamagedRecords } from './damaged.ts';
import { homeRegistry, withStore } from './store.ts';

function sources(s: LocalStore, registry: string): SiteSources & { captures: LocalStore['store'] } {
  return { state: s.state, reports: s.store, captures: s.store, bodies: loadRegistry(registry).bodies, now: Date.now };
}

/** Serves until SIGINT/SIGTERM; resolves when the server has closed. */
async function serveUntilStopped(s: LocalStore, o: { host: string; port: number; registry: string; json: boolean }): Promise<void> {
  let allowed: string[] | undefined;
  const app = siteApp({
    src: sources(s, o.registry),
    archive: s.archive,
    dismiss: (id, reason) => dismissAlert(s.state, id, reason, new Date().toISOString(), 'dashboard (nianbao serve)'),
    allowedHosts: () => allowed,
  });
  await new Promise<void>((resolveStopped, reject) => {
    const server = serve({ fetch: app.fetch, hostname: o.host, port: o.port }, (info) => {
      allowed = loopbackHosts(o.host, info.port);
      const url = `http://${o.host.includes(':') ? `[${o.host}]` : o.host}:${info.port}/`;
      if (o.json) printJson({ url, home: s.home, registry: o.registry });
      else {
        process.stdout.write(`${pc.bold('nianbao dashboard')} ${url}  (home ${s.home})\n`);
        if (!allowed) process.stdout.write(pc.yellow(`listening on ${o.host}: anyone who can reach this address can read the dashboard and dismiss alerts\n`));
        process.stdout.write(pc.dim('Ctrl-C stops it / 按 Ctrl-C 停止\n'));
      }
    });
    server.on('error', (e: NodeJS.ErrnoException) =>
      reject(
        new CliError(
          `cannot listen on ${o.host}:${o.port} (${e.code ?? e.message})${e.code === 'EADDRINUSE' ? ': the port is taken, choose another with --port' : ''}`,
        ),
      ),
    );
    const stop = () => server.close(() => resolveStopped());
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
  });
}

export function registerSite(program: Command, run: (code: ExitCode) => void): void {
  program
    .command('serve')
    .description('the dashboard in a browser, live from the store (loopback only unless --host) / 网页看板')
    .option('--port <port>', 'port (0: any free port)', intIn(0, 65535), 8080)
    .option('--host <address>', 'address to listen on', '127.0.0.1')
    .option('--registry <file>', 'registry YAML (names, levels, regions; default: the one the home was crawled with)', existingFile)
    .action(async (flags: { port: number; host: string; registry?: string }, cmd: Command) => {
      const { home, json } = globalOptions(cmd);
      const registry = flags.registry ?? homeRegistry(home);
      await withStore(home, (s) => serveUntilStopped(s, { ...flags, registry, json }));
      run(EXIT.ok);
    });

  program
    .command('site')
    .description('write the dashboard as a static site (HTML + JSON + assets; opens from disk) / 生成静态网站')
    .requiredOption('-o, --out <dir>', 'folder to write (empty, new, or a site written before)')
    .option('--registry <file>', 'registry YAML (default: the one the home was crawled with)', existingFile)
    .action(async (flags: { out: string; registry?: string }, cmd: Command) => {
      const { home, json } = globalOptions(cmd);
      const registry = flags.registry ?? homeRegistry(home);
      let writer: ReturnType<typeof folderWriter>;
      try {
        writer = folderWriter(flags.out);
      } catch (e) {
        if (e instanceof ConfigError) throw new CliError(`-o ${e.message}`);
        throw e;
      }
      await withStore(
        home,
        async (s) => {
          const tty = !json && process.stderr.isTTY;
          const damaged = new DamagedRecords();
          const summary = await writeSite({ ...sources(s, registry), onDamaged: damaged.onDamaged }, writer, {
            onPage: (path, done, total) => {
              if (tty && (done % 50 === 0 || done === total)) process.stderr.write(`\r${pc.dim(`${done}/${total} ${path}`.padEnd(70).slice(0, 70))}`);
            },
          });
          if (tty) process.stderr.write('\n');
          const index = join(flags.out, 'index.html');
          if (json) printJson({ out: flags.out, index, ...summary });
          else
            process.stdout.write(
              `${summary.pages} files (${(summary.bytes / 1e6).toFixed(1)} MB) for ${summary.bodies} bodies, ${summary.reports} body-years → ${index}\n`,
            );
          // The pages say how many records they leave out; their names go to stderr.
          run(damaged.report() ? EXIT.failed : EXIT.ok);
        },
        { readonly: true },
      );
    });
}

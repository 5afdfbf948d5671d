// Bundles the client (extension host), the language server and the CLI with esbuild.
// The server and CLI are self-contained (data inlined), so `node dist/server.js --stdio` runs anywhere.
import { build } from 'esbuild';
import { chmodSync } from 'node:fs';

const common = { bundle: true, platform: 'node', format: 'cjs', target: 'node18', logLevel: 'warning', legalComments: 'none', sourcemap: false };
await Promise.all([
  // The client is third-party code almost entirely: minify it to keep the .vsix small.
  build({ ...common, entryPoints: ['client/src/extension.ts'], outfile: 'dist/client.js', external: ['vscode'], minify: true }),
  build({ ...common, entryPoints: ['server/src/server.ts'], outfile: 'dist/server.js' }),
  build({ ...common, entryPoints: ['server/src/cli.ts'], outfile: 'dist/cli.js' }),
]);
chmodSync('dist/server.js', 0o755);
chmodSync('dist/cli.js', 0o755);

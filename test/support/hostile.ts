/**
 * Hostile strings for host-command tests: each would run `touch CANARY` (or break a command line)
 * if any layer handed it to a shell unquoted. Tests pass them as host names, paths, file contents
 * and arguments, then assert that the canary file never appears.
 */

export function hostileStrings(canary: string): string[] {
  return [
    `$(touch ${canary})`,
    `\`touch ${canary}\``,
    `; touch ${canary}`,
    `a;touch ${canary};b`,
    `' ; touch ${canary} ; '`,
    `" ; touch ${canary} ; "`,
    `x\ntouch ${canary}\n`,
    `&& touch ${canary}`,
    `| touch ${canary}`,
    `-rf`,
    `--help`,
    `-o ProxyCommand=touch ${canary}`,
    `$HOME`,
    `\${IFS}`,
    `*`,
    `~`,
    ``,
    ` `,
    `\\`,
    `'`,
    `"`,
    `ünïcødé — 中文 😀`,
    `\u202e\u200b`,
    `\r\n~.\n`,
  ];
}

/**
 * The outline only for our documents. A static document-symbol provider covers every `xml` file,
 * and VS Code then says "No symbols found" in a pom.xml instead of leaving its outline alone. When
 * the client allows dynamic registration, the provider is registered for nova-conf and, for each
 * open libvirt domain, that document's path (VS Code matches a pattern equal to the path exactly),
 * and registered again as domains open and close.
 */
import { DocumentSymbolRequest, type Connection, type Disposable, type DocumentFilter } from 'vscode-languageserver/node';
import { URI } from './core/uri';

/** The path a client matches a document filter's pattern against (VS Code: Uri.fsPath). */
function pathOf(uri: string): { scheme: string; path: string } {
  const colon = uri.indexOf(':');
  const scheme = colon > 0 ? uri.slice(0, colon) : 'file';
  if (scheme === 'file') return { scheme, path: URI.toPath(uri) };
  try { return { scheme, path: decodeURIComponent(new URL(uri).pathname) }; } catch { return { scheme, path: uri.slice(colon + 1) }; }
}

export class SymbolRegistration {
  private readonly domains = new Set<string>();
  private registered: Promise<Disposable | undefined> = Promise.resolve(undefined);
  private selectorKey = '';

  /** `dynamic`: the client supports dynamic registration of textDocument/documentSymbol. */
  constructor(private readonly connection: Connection, readonly dynamic: boolean) {}

  /** Registers for nova-conf alone; domains are added as `track` learns of them. */
  start(): void {
    if (this.dynamic) this.update();
  }

  /** Records whether an open document is a libvirt domain (false once it is closed). */
  track(uri: string, isDomain: boolean): void {
    if (!this.dynamic || this.domains.has(uri) === isDomain) return;
    if (isDomain) this.domains.add(uri); else this.domains.delete(uri);
    this.update();
  }

  private selector(): DocumentFilter[] {
    return [
      { language: 'nova-conf' },
      ...[...this.domains].sort().map((uri) => ({ language: 'xml', ...pathOf(uri) })).map(({ language, scheme, path }) => ({ language, scheme, pattern: path })),
    ];
  }

  /** Replaces the registration (one at a time, in order), unless the selector is the same. */
  private update(): void {
    const documentSelector = this.selector();
    const key = JSON.stringify(documentSelector);
    if (key === this.selectorKey) return;
    this.selectorKey = key;
    this.registered = this.registered.then(async (old) => {
      old?.dispose();
      try {
        return await this.connection.client.register(DocumentSymbolRequest.type, { documentSelector });
      } catch (e) {
        this.connection.console.warn(`could not register the outline provider: ${(e as Error).message}`);
        return undefined;
      }
    });
  }
}
